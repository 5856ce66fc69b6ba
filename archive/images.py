"""Images of the old site, brought into the media storage: each article's featured image,
and the images in its body (stored once in the media library, the body's addresses rewritten).
Where the bytes come from is archive/media.py's; a missing or refused image is reported, never
fatal.

``ImagesImport`` is the part of ``archive.importer.ArchiveImporter`` that does it.
"""

import html
import io
import re

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.items import ArchiveItem, Failed
from archive.media import UPLOADS_MARKER, MediaMissing, uploads_path
from archive.models import ImportedArticle
from articles.models import Article, MediaImage
from uploads.images import reencode_image, validate_image_file

# An <img> of the body and its address (quoted either way): the part to rewrite.
BODY_IMAGE = re.compile(
    r"(?P<before><img\b[^>]*?\bsrc=(?P<quote>[\"']))(?P<src>[^\"']*)(?P<after>(?P=quote))",
    re.IGNORECASE,
)


class ImagesImport:
    """Uses the importer's ``media`` (a MediaSource), ``body_images``, ``deferred_images``,
    ``dry_run``, ``stats`` and ``_stored_files`` (removed again if the item is rolled back)."""

    def finish_reader(self, reader) -> None:
        """Featured images whose attachment came after the post in the export."""
        for article_pk, item in self.deferred_images:
            if not hasattr(reader, "resolve_thumbnail"):
                break
            if not reader.resolve_thumbnail(item, item.thumbnail_id):
                self.stats.image_problems.append(
                    Failed(
                        item.position,
                        _("featured image %(id)s is not in the export") % {"id": item.thumbnail_id},
                    )
                )
                continue
            self._stored_files = []
            try:
                with transaction.atomic():
                    article = Article.objects.filter(pk=article_pk).first()
                    if article is not None and self._attach_image(article, item):
                        ImportedArticle.objects.filter(article=article).update(
                            imported_at=timezone.now()
                        )
                    if self.dry_run:
                        transaction.set_rollback(True)
            except (DatabaseError, ValidationError, ValueError, OSError) as exc:
                self._forget_item()
                self.stats.image_problems.append(Failed(item.position, str(exc)))
        self.deferred_images = []
        self.finish_galleries(reader)

    def _wants_image(self, item: ArchiveItem) -> bool:
        """Whether this run looks for the item's featured image (it has one, and a source)."""
        return bool(item.image_file or item.image_url) and self.media.available

    def _attach_image(self, article: Article, item: ArchiveItem) -> bool:
        if not self.media.available:
            return False
        try:
            name, data = self.media.read(item.image_file, item.image_url)
        except MediaMissing as missing:
            self.stats.image_problems.append(
                Failed(item.position, _("featured image %(why)s") % {"why": missing})
            )
            return False
        upload = File(io.BytesIO(data), name=name)
        try:
            validate_image_file(upload)
        except ValidationError as exc:
            self.stats.image_problems.append(
                Failed(
                    item.position,
                    _("featured image %(file)s refused: %(reason)s")
                    % {"file": item.image_file or item.image_url, "reason": exc.messages[0]},
                )
            )
            return False
        if self.dry_run:
            self.stats.images += 1
            return True
        article.image.save(name, upload, save=False)
        self._stored_files.append(article.image.name)
        article.image_alt_ar = (item.image_alt or article.title_ar)[:300]
        article.image_caption_ar = item.image_caption[:300]
        article.save()
        self._stored_files.extend(
            name
            for rendition in article.image_renditions
            for key, name in rendition.items()
            if key in ("webp", "jpg")
        )
        self.stats.images += 1
        return True

    def _body_with_local_images(self, item: ArchiveItem) -> str:
        """The body with each image of the old site's uploads stored here (through the media
        storage, EXIF stripped, in the media library) and its address rewritten; an image
        that cannot be had keeps its old address and is reported."""
        body = item.body_html
        if not self.media.available or UPLOADS_MARKER not in body:
            return body

        def localise(match):
            old = html.unescape(match.group("src"))
            if UPLOADS_MARKER not in old:
                return match.group(0)
            new = self.body_images.get(old) or self._store_body_image(item, old)
            if not new:
                return match.group(0)
            self.body_images[old] = new
            return f"{match.group('before')}{html.escape(new)}{match.group('after')}"

        return BODY_IMAGE.sub(localise, body)

    def _store_body_image(self, item: ArchiveItem, url: str) -> str:
        """The new address of the image at ``url`` (stored now, or by an earlier run); ''."""
        relative = uploads_path(url)
        try:
            upload = self.media.read_image(relative, url)
        except (MediaMissing, ValidationError) as problem:
            reason = problem.messages[0] if isinstance(problem, ValidationError) else problem
            self.stats.image_problems.append(
                Failed(item.position, _("image in the body %(why)s") % {"why": reason})
            )
            return ""
        name = upload.name
        self.stats.body_images += 1
        if self.dry_run:
            known = MediaImage.objects.filter(image=self._library_name(relative, name)).first()
            return known.image.url if known else url
        return self._library_image(relative, name, upload, alt=item.title or name).image.url

    @staticmethod
    def _library_name(relative: str, name: str) -> str:
        """Where an image of the old site's uploads is kept in the media library: one row
        per file, whether a body, a gallery or both show it."""
        return f"library/imported/{relative or name}"

    def _library_image(self, relative: str, name: str, upload, *, alt: str) -> MediaImage:
        """The media library's row for this (validated) file of the old site: found if an
        earlier item or run stored it, else stored now (no EXIF, nothing appended)."""
        stored_as = self._library_name(relative, name)
        known = MediaImage.objects.filter(image=stored_as).first()
        if known is not None:
            return known
        image = MediaImage(alt_text_ar=alt[:300])
        clean = ContentFile(reencode_image(upload))
        image.image.name = default_storage.save(stored_as, clean)
        image.save()
        self._stored_files.append(image.image.name)
        self._stored_files.extend(
            name
            for rendition in image.renditions
            for key, name in rendition.items()
            if key in ("webp", "jpg")
        )
        return image
