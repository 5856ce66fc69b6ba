"""The gallery's form in the desk: many images chosen at once, each a gallery item once it has
its alt text.

A file input cannot carry an alt text per file, so images chosen at once come back with the
form: each is kept (``uploads.kept``: re-encoded without EXIF under ``pending/``, a signed
token only its editor can use) and shown in a row with its thumbnail, its alt text (required),
caption and credit and a box to drop it; the save that gives every row its alt text makes
the items, after the gallery's own ones, in the order the files were chosen. Rows without an
alt text, or any other error on the form, bring the form back with the files still kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from embeds.models import Gallery
from embeds.services import NewImage, add_images
from uploads import kept
from uploads.images import validate_image_file

FIELD = "new_images"
ROW = "new_image"  # new_image-<n>-token, -alt, -caption, -credit, -drop
MAX_FILES = 50
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


@dataclass
class Row:
    """One image chosen earlier and kept, with what the editor wrote for it."""

    kept: kept.Kept
    alt: str = ""
    caption: str = ""
    credit: str = ""
    upload: object = None  # the kept file, claimed once the row is complete


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Any number of files; each is judged by the form (a bad one does not lose the others)."""

    widget = MultipleImageInput(attrs={"accept": ACCEPT, "multiple": True})

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


class NewImagesBoundField(BoundField):
    """The file input, then the kept images' rows."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        return format_html(
            "{}{}", super().as_widget(widget, attrs, only_initial), self.form.rows_html()
        )


class GalleryForm(forms.ModelForm):
    new_images = MultipleImageField(
        label=gettext_lazy("Add images"),
        required=False,
        help_text=gettext_lazy(
            "Choose several images at once. The form comes back with each of them kept, to "
            "write its alt text (required), caption and credit; saving then adds them to the "
            "gallery in that order."
        ),
    )

    kept_upload_user = None

    class Meta:
        model = Gallery
        fields = ("title", "lead_of")

    def __init__(self, *args, kept_upload_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kept_upload_user is not None:
            self.kept_upload_user = kept_upload_user
        self.fields[FIELD].bound_field_class = NewImagesBoundField
        self.rows: list[Row] = []
        self.fresh: list = []  # valid images chosen in this submission, not kept yet
        self._missing_alt: set[int] = set()

    # Reading the submission ------------------------------------------------------------------

    def _submitted_rows(self) -> tuple[list[Row], list[str]]:
        rows, refusals = [], []
        for n in range(MAX_FILES):
            key = self.add_prefix(f"{ROW}-{n}")
            token = self.data.get(f"{key}-token", "")
            if not token:
                continue
            try:
                found = kept.read(token, user=self.kept_upload_user)
            except kept.Refused as refusal:
                refusals.append(str(refusal))
                continue
            if self.data.get(f"{key}-drop"):
                kept.discard(found.path)  # dropped: deleted at once
                continue
            rows.append(
                Row(
                    found,
                    alt=" ".join(self.data.get(f"{key}-alt", "").split())[:300],
                    caption=" ".join(self.data.get(f"{key}-caption", "").split())[:300],
                    credit=" ".join(self.data.get(f"{key}-credit", "").split())[:150],
                )
            )
        return rows, refusals

    def clean(self):
        cleaned = super().clean()
        if self.kept_upload_user is None:
            return cleaned
        self.rows, refusals = self._submitted_rows()
        for message in refusals:
            self.add_error(FIELD, message)
        chosen = cleaned.get(FIELD) or []
        if len(self.rows) + len(chosen) > MAX_FILES:
            self.add_error(
                FIELD,
                _("At most %(n)d images can be added in one save.") % {"n": MAX_FILES},
            )
            chosen = chosen[: max(0, MAX_FILES - len(self.rows))]
        for upload in chosen:
            try:
                validate_image_file(upload)
            except ValidationError as refusal:
                self.add_error(
                    FIELD,
                    _("%(name)s was not added: %(reason)s")
                    % {"name": upload.name, "reason": refusal.messages[0]},
                )
                continue
            self.fresh.append(upload)
        self._missing_alt = {n for n, row in enumerate(self.rows) if not row.alt}
        if self.fresh or self._missing_alt:
            self.add_error(
                FIELD,
                _(
                    "Write the alt text of each new image (what it shows, for screen readers), "
                    "then save again: the images you chose are kept below."
                )
                if self.fresh
                else _(
                    "%(count)d of the new images have no alt text: write what each shows, for "
                    "screen readers, then save again."
                )
                % {"count": len(self._missing_alt)},
            )
        for row in self.rows:
            if row.alt:
                try:
                    row.upload = kept.claim(row.kept.token, user=self.kept_upload_user)
                except kept.Refused as refusal:
                    self.add_error(FIELD, str(refusal))
        return cleaned

    # A returned form keeps the images; a saved one makes them items -------------------------

    def keep_new_images(self) -> None:
        """Before the form is shown again: keep each valid image chosen in this submission."""
        for upload in self.fresh:
            self.rows.append(Row(kept.keep(upload, user=self.kept_upload_user)))
            self._missing_alt.add(len(self.rows) - 1)
        self.fresh = []

    def save_new_images(self, gallery: Gallery) -> int:
        """Once the gallery is saved: its new items, then the kept files go (after the commit)."""
        rows = [row for row in self.rows if row.upload is not None]
        if not rows:
            return 0
        add_images(
            gallery=gallery,
            images=[NewImage(row.upload, row.alt, row.caption, row.credit) for row in rows],
            user=self.kept_upload_user,
        )
        for row in rows:
            transaction.on_commit(lambda path=row.kept.path: kept.discard(path))
        self.rows = []
        return len(rows)

    def rows_html(self):
        if not self.rows:
            return ""
        fields = (
            ("alt", _("Alt text (required)"), 300),
            ("caption", _("Caption"), 300),
            ("credit", _("Credit"), 150),
        )
        items = []
        for n, row in enumerate(self.rows):
            key = self.add_prefix(f"{ROW}-{n}")
            invalid = n in self._missing_alt and self.is_bound
            inputs = format_html_join(
                "",
                '<p><label for="id_{0}-{1}">{2}</label> <input type="text" id="id_{0}-{1}" '
                'name="{0}-{1}" value="{3}" maxlength="{4}" dir="auto"{5}></p>',
                (
                    (
                        key,
                        name,
                        label,
                        getattr(row, name),
                        limit,
                        format_html(' aria-required="true" aria-invalid="true"')
                        if name == "alt" and invalid
                        else (format_html(' aria-required="true"') if name == "alt" else ""),
                    )
                    for name, label, limit in fields
                ),
            )
            items.append(
                format_html(
                    '<li class="kept-upload kept-gallery-image">'
                    '<input type="hidden" name="{0}-token" value="{1}">'
                    '<img src="{2}{3}" alt="" width="120" loading="lazy">'
                    "<span><bdi>{4}</bdi></span>{5}"
                    '<p><input type="checkbox" name="{0}-drop" id="id_{0}-drop"> '
                    '<label for="id_{0}-drop">{6}</label></p></li>',
                    key,
                    row.kept.token,
                    settings.MEDIA_URL,
                    row.kept.path,
                    row.kept.name,
                    inputs,
                    _("Do not use it"),
                )
            )
        return format_html(
            '<div class="kept-uploads" role="group" aria-label="{}"><p role="status">{}</p>'
            "<ol>{}</ol></div>",
            _("The images you chose"),
            _("The images you chose are kept (%(n)d): write the alt text of each.")
            % {"n": len(self.rows)},
            format_html_join("", "{}", ((item,) for item in items)),
        )
