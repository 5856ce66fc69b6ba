"""An imported post's rich media made ours: its providers' links become embeds, its
WordPress galleries become galleries of media-library images.

The body the reader hands over (archive.wxr.autop) already holds each embed as a link alone
on its paragraph, the element an editor's pasted link makes; here each such link gets its
``embeds.Embed``, registered without asking the provider (an import of thousands of posts
must not wait on providers: the embed is a link card marked pending until ``manage.py
resolve_embeds`` asks). Each ``<p>[archive-gallery N]</p>`` becomes ``[gallery <id>]`` of a
gallery made once per post and place (``ImportedGallery``); its images are put in at the end
of the reader (``finish_galleries``), when every attachment of the export is known.

``RichMediaImport`` is the part of ``archive.importer.ArchiveImporter`` that does it.
"""

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from archive.items import ArchiveItem, Failed
from archive.media import MediaMissing, uploads_path
from archive.models import ImportedGallery
from archive.wxr import GALLERY_PLACEHOLDER
from embeds.models import Gallery, GalleryItem
from embeds.services import embed_links, register


class RichMediaImport:
    """Uses the importer's ``media``, ``stats``, ``dry_run``, ``_library_image`` (the images
    part) and ``_forget_item``."""

    def _body_with_rich_media(self, item: ArchiveItem, body: str) -> str:
        if item.galleries:

            def place(match):
                number = int(match.group("index"))
                if number >= len(item.galleries):
                    return ""
                gallery = self._gallery(item, number, item.galleries[number])
                return f"<p>{gallery.shortcode}</p>"

            body = GALLERY_PLACEHOLDER.sub(place, body)
        if "http" in body:
            for link in embed_links(body):
                _embed, created = register(link)
                self.stats.embeds += created
        return body

    def _gallery(self, item: ArchiveItem, number: int, found: dict) -> Gallery:
        """The gallery of this post's ``number``-th WordPress gallery: made the first time,
        emptied to be filled again when the post now shows other images."""
        images, attached = found.get("images", []), bool(found.get("attached"))
        record = (
            ImportedGallery.objects.select_related("gallery")
            .filter(source=item.source, source_id=item.source_id, number=number)
            .first()
        )
        if record is None:
            title = (found.get("caption") or item.title)[:200]
            gallery = Gallery.objects.create(title=title)
            ImportedGallery.objects.create(
                source=item.source,
                source_id=item.source_id,
                number=number,
                gallery=gallery,
                images=images,
                attached=attached,
            )
            self.stats.galleries += 1
            return gallery
        if record.images != images or record.attached != attached:
            record.gallery.items.all().delete()
            record.images, record.attached, record.complete = images, attached, False
            record.save()
        return record.gallery

    # At the end of a reader ----------------------------------------------------------------

    def finish_galleries(self, reader) -> None:
        """Put in each incomplete gallery of this source the images now to be had; a gallery
        stays incomplete (and is tried again by the next run) while one is missing."""
        attachments = getattr(reader, "attachments", None)
        if attachments is None:
            return
        pending = ImportedGallery.objects.filter(source=reader.source, complete=False)
        for pk in list(pending.values_list("pk", flat=True)):
            self._stored_files = []
            try:
                with transaction.atomic():
                    record = ImportedGallery.objects.select_related("gallery").get(pk=pk)
                    self._fill_gallery(record, attachments, reader.name)
                    if self.dry_run:
                        transaction.set_rollback(True)
            except (DatabaseError, ValidationError, ValueError, OSError) as exc:
                self._forget_item()
                self.stats.gallery_problems.append(Failed(f"{reader.name}", str(exc)))

    def _fill_gallery(self, record: ImportedGallery, attachments: dict, name: str) -> None:
        position = _("%(file)s: post %(id)s, gallery %(n)d") % {
            "file": name,
            "id": record.source_id,
            "n": record.number + 1,
        }
        images = record.images
        if record.attached:
            attached = [
                (found["order"], int(pk), pk)
                for pk, found in attachments.items()
                if found.get("parent") == record.source_id
            ]
            images = [{"id": pk} for _order, _number, pk in sorted(attached)]
        if not images:
            self.stats.gallery_problems.append(
                Failed(position, _("the gallery has no images in the export"))
            )
            return
        present = set(record.gallery.items.values_list("position", flat=True))
        missing = 0
        for index, wanted in enumerate(images):
            if index in present:
                continue
            attachment = attachments.get(str(wanted.get("id", "")))
            if not self.media.available:
                missing += 1
                self.stats.gallery_images_waiting += 1
                continue
            image = self._gallery_image(position, wanted, attachment, record.gallery.title)
            if image is None:
                missing += 1
                continue
            GalleryItem.objects.create(
                gallery=record.gallery,
                image=image,
                position=index,
                alt_text=_alt_text(wanted, attachment, record.gallery.title),
                caption=(wanted.get("caption") or (attachment or {}).get("caption", ""))[:300],
            )
            self.stats.gallery_images += 1
        if not missing:
            record.complete = True
            record.save(update_fields=["complete"])

    def _gallery_image(self, position: str, wanted: dict, attachment: dict | None, title: str):
        """The media-library image of one of a gallery's WordPress images, or None (reported)."""
        source = wanted.get("src", "")
        relative = attachment["file"] if attachment else uploads_path(source)
        url = attachment["url"] if attachment else source
        if not relative and not url:
            self.stats.gallery_problems.append(
                Failed(
                    position,
                    _("gallery image %(id)s is not in the export") % {"id": wanted.get("id")},
                )
            )
            return None
        try:
            upload = self.media.read_image(relative, url)
        except (MediaMissing, ValidationError) as problem:
            reason = problem.messages[0] if isinstance(problem, ValidationError) else problem
            self.stats.gallery_problems.append(
                Failed(position, _("gallery image %(why)s") % {"why": reason})
            )
            return None
        if self.dry_run:
            return None
        alt = _alt_text(wanted, attachment, title)
        return self._library_image(relative, upload.name, upload, alt=alt)


def _alt_text(wanted: dict, attachment: dict | None, fallback: str) -> str:
    """A gallery image's alt text (required): the block's, the attachment's, its caption, its
    title, else the gallery's title."""
    attachment = attachment or {}
    for text in (
        wanted.get("alt"),
        attachment.get("alt"),
        wanted.get("caption"),
        attachment.get("caption"),
        attachment.get("title"),
    ):
        if text and text.strip():
            return " ".join(text.split())[:300]
    return fallback[:300] or "—"
