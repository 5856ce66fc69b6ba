"""Where an imported image's bytes come from: the old site's uploads folder, or its address.

``import_archive --uploads DIR`` reads images from a local copy of ``wp-content/uploads``;
nothing is fetched over the network unless ``--fetch-media`` is also given, and then only
what the folder does not have, only over http(s), with a timeout and the site's image size
limit. A missing or refused image is reported by the importer, never fatal.
"""

import io
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _

from uploads.images import validate_image_file

UPLOADS_MARKER = "/wp-content/uploads/"


class MediaMissing(Exception):
    """The image could not be had; ``str(error)`` says why, in the reader's language."""


def uploads_path(url: str) -> str:
    """``2017/04/x.jpg`` for ``https://old.example/wp-content/uploads/2017/04/x.jpg``, else ''."""
    path = unquote(urlsplit(url).path)
    return path.split(UPLOADS_MARKER, 1)[1] if UPLOADS_MARKER in path else ""


class MediaSource:
    def __init__(self, uploads: Path | None = None, *, fetch: bool = False, timeout: float = 10):
        self.uploads = Path(uploads).resolve() if uploads else None
        self.fetch = fetch
        self.timeout = timeout
        self.fetched = 0  # files downloaded in this run

    @property
    def available(self) -> bool:
        """Whether images are looked for at all in this run."""
        return self.uploads is not None or self.fetch

    def read(self, relative: str, url: str = "") -> tuple[str, bytes]:
        """The image's file name and bytes: from the uploads folder, else fetched from ``url``
        (with ``--fetch-media``); ``MediaMissing`` when neither has it."""
        if self.uploads is not None and relative:
            path = (self.uploads / relative.lstrip("/")).resolve()
            if path.is_relative_to(self.uploads) and path.is_file():
                if path.stat().st_size > settings.NEWSROOM_IMAGE_MAX_BYTES:  # never read whole
                    raise MediaMissing(
                        _("larger than the image limit: %(url)s") % {"url": relative}
                    )
                return path.name, path.read_bytes()
        if self.fetch and url:
            return self._download(url)
        raise MediaMissing(_("not found: %(file)s") % {"file": relative or url})

    def read_image(self, relative: str, url: str = "") -> File:
        """The image as a file to store, validated as the desk validates an upload; raises
        ``MediaMissing`` (not found, not fetched) or ``ValidationError`` (not an image)."""
        name, data = self.read(relative, url)
        upload = File(io.BytesIO(data), name=name)
        validate_image_file(upload)
        return upload

    def _download(self, url: str) -> tuple[str, bytes]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise MediaMissing(_("not fetched (only http and https): %(url)s") % {"url": url})
        limit = settings.NEWSROOM_IMAGE_MAX_BYTES
        request = urllib.request.Request(url, headers={"User-Agent": "newsroom-import/1"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                data = answer.read(limit + 1)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise MediaMissing(
                _("could not be fetched from %(url)s: %(reason)s") % {"url": url, "reason": reason}
            ) from error
        if len(data) > limit:
            raise MediaMissing(_("larger than the image limit: %(url)s") % {"url": url})
        self.fetched += 1
        name = Path(unquote(parts.path)).name or "image"
        return name, data
