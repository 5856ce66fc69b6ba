"""Serving uploads from Django itself (development, or ``NEWSROOM_SERVE_MEDIA``)."""

import mimetypes

from django.conf import settings
from django.http import Http404
from django.views.static import serve

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
