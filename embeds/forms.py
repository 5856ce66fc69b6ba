"""The gallery's form in the desk: many images chosen at once, each a gallery item once it has
its alt text.

A file input cannot carry an alt text per file. With the desk's script (``gallery-rows.js``)
each chosen file gets its row at once, under the input: its thumbnail (read in the browser,
nothing sent anywhere), its alt text (required), caption and credit, sent with the file as
``new_images-<n>-alt``, ``-caption`` and ``-credit`` (``n``: its place among the chosen
files), so one save adds them all. Without the script, or when a row has no alt text, the
images come back with the form: each is kept (``uploads.kept``: re-encoded without EXIF under
``pending/``, a signed token only its editor can use) and shown in a row with its thumbnail,
its alt text, caption and credit (what was written kept) and a box to drop it; the save that
gives every row its alt text makes the items, after the gallery's own ones, in the order the
files were chosen. Any other error on the form brings it back with the files kept too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.text import neutralise, validate_plain_text
from embeds.models import Gallery
from embeds.services import NewImage, add_images
from uploads import kept
from uploads.images import validate_image_file

FIELD = "new_images"
ROW = "new_image"  # new_image-<n>-token, -alt, -caption, -credit, -drop
MAX_FILES = 50
TEXT_LIMITS = {"alt": 300, "caption": 300, "credit": 150}  # what each row says, in characters


def row_labels() -> dict[str, str]:
    """The labels of what each row says, in the current language (the same names as
    ``TEXT_LIMITS``)."""
    return {"alt": _("Alt text (required)"), "caption": _("Caption"), "credit": _("Credit")}


ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


@dataclass
class Chosen:
    """A valid image chosen in this submission, with what its row in the browser said."""

    upload: object
    alt: str = ""
    caption: str = ""
    credit: str = ""


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
            "Choose several images at once, then write each one's alt text (required), "
            "caption and credit; saving adds them to the gallery in that order."
        ),
    )

    kept_upload_user = None

    class Meta:
        model = Gallery
        fields = ("title", "lead_of")

    def __init__(self, *args, kept_upload_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # shown back after an error as it will be stored: no live override
            data = self.data.copy()
            for key in data:
                data.setlist(
                    key, [neutralise(v) if isinstance(v, str) else v for v in data.getlist(key)]
                )
            self.data = data
        if kept_upload_user is not None:
            self.kept_upload_user = kept_upload_user
        self.fields[FIELD].bound_field_class = NewImagesBoundField
        # The rows gallery-rows.js adds: their labels in the page's language, their limits.
        attrs = self.fields[FIELD].widget.attrs
        attrs["data-label-group"] = _("The images you chose")
        for name, label in row_labels().items():
            attrs[f"data-label-{name}"], attrs[f"data-limit-{name}"] = label, TEXT_LIMITS[name]
        self.rows: list[Row] = []
        self.fresh: list[Chosen] = []  # valid images chosen in this submission, not kept yet
        self._missing_alt: set[int] = set()

    # Reading the submission ------------------------------------------------------------------

    def _texts(self, stem: str) -> dict[str, str]:
        """What a row says under ``<stem>-alt``, ``-caption`` and ``-credit``: white space
        folded, cut at each one's limit (``TEXT_LIMITS``)."""
        return {
            name: " ".join(self.data.get(self.add_prefix(f"{stem}-{name}"), "").split())[:limit]
            for name, limit in TEXT_LIMITS.items()
        }

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
            rows.append(Row(found, **self._texts(f"{ROW}-{n}")))
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
        for n, upload in enumerate(chosen):
            try:
                validate_image_file(upload)
            except ValidationError as refusal:
                self.add_error(
                    FIELD,
                    _("%(name)s was not added: %(reason)s")
                    % {"name": upload.name, "reason": refusal.messages[0]},
                )
                continue
            self.fresh.append(Chosen(upload, **self._texts(f"{FIELD}-{n}")))
        labels = row_labels()
        for item in [*self.rows, *self.fresh]:  # shown as typed on the page: plain text
            name = item.kept.name if isinstance(item, Row) else item.upload.name
            for field in ("alt", "caption", "credit"):
                try:
                    validate_plain_text(getattr(item, field) or "")
                except ValidationError as refusal:
                    # the image and the box named: the error shows above all the rows
                    self.add_error(
                        FIELD,
                        _("%(name)s, %(field)s: %(reason)s")
                        % {"name": name, "field": labels[field], "reason": refusal.messages[0]},
                    )
        self._missing_alt = {n for n, row in enumerate(self.rows) if not row.alt}
        unwritten = [chosen for chosen in self.fresh if not chosen.alt]
        if unwritten or self._missing_alt:
            self.add_error(
                FIELD,
                _(
                    "Write the alt text of each new image (what it shows, for screen readers), "
                    "then save again: the images you chose are kept below."
                )
                if unwritten
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
        """Before the form is shown again: keep each valid image chosen in this submission,
        with what its row said."""
        for chosen in self.fresh:
            kept_file = kept.keep(chosen.upload, user=self.kept_upload_user)
            self.rows.append(Row(kept_file, chosen.alt, chosen.caption, chosen.credit))
            if not chosen.alt:
                self._missing_alt.add(len(self.rows) - 1)
        self.fresh = []

    def save_new_images(self, gallery: Gallery) -> int:
        """Once the gallery is saved: its new items, then the kept files go (after the commit)."""
        rows = [row for row in self.rows if row.upload is not None]
        images = [NewImage(row.upload, row.alt, row.caption, row.credit) for row in rows] + [
            NewImage(chosen.upload, chosen.alt, chosen.caption, chosen.credit)
            for chosen in self.fresh
        ]  # those kept from before first: they were chosen first
        if not images:
            return 0
        add_images(gallery=gallery, images=images, user=self.kept_upload_user)
        for row in rows:
            transaction.on_commit(lambda path=row.kept.path: kept.discard(path))
        self.rows, self.fresh = [], []
        return len(images)

    def rows_html(self):
        if not self.rows:
            return ""
        labels = row_labels()
        fields = [(name, labels[name], limit) for name, limit in TEXT_LIMITS.items()]
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
                        mark_safe(' aria-required="true" aria-invalid="true"')
                        if name == "alt" and invalid
                        else (mark_safe(' aria-required="true"') if name == "alt" else ""),
                    )
                    for name, label, limit in fields
                ),
            )
            items.append(
                format_html(
                    '<li class="kept-upload kept-gallery-image">'
                    '<input type="hidden" name="{0}-token" value="{1}">'
                    '<img src="{2}" alt="" width="120" loading="lazy">'
                    "<span><bdi>{3}</bdi></span>{4}"
                    '<p><input type="checkbox" name="{0}-drop" id="id_{0}-drop"> '
                    '<label for="id_{0}-drop">{5}</label></p></li>',
                    key,
                    row.kept.token,
                    reverse("kept_upload", args=[row.kept.token]),
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
