"""Serving uploads from Django itself (development, or ``NEWSROOM_SERVE_MEDIA``)."""

import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache
from django.views.static import serve

from uploads import kept

# Uploads shown inline by browsers; anything else is sent as a download.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def media(request, path):
    """Serve an upload (development, or NEWSROOM_SERVE_MEDIA): never executable, never sniffed.

    Images are shown inline under a ``sandbox`` CSP; anything else is an attachment. Images
    kept for a returned form (``pending/``, uploads/kept.py) are nobody's to see.
    """
    if path.lstrip("/").startswith("pending/"):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if content_type in INLINE_MEDIA_TYPES:
        response["Content-Disposition"] = "inline"
    else:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response


@never_cache
def kept_upload(request, token):
    """The thumbnail of an image kept for a returned form, for the editor who chose it only
    (its signed token names the file and the editor): the desk shows which photo each alt
    text is for. ``/media/pending/`` itself stays closed, here and in nginx."""
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        raise Http404
    try:
        found = kept.read(token, user=user)
        stored = default_storage.open(found.path, "rb")
    except (kept.Refused, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    if content_type not in INLINE_MEDIA_TYPES:
        stored.close()
        raise Http404
    response = FileResponse(stored, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
