"""The desk's short entry form: one text box, the rest optional."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Author
from live.models import LiveEntry
from live.services import clean_entry_body
from uploads.images import validate_image_file
from uploads.kept import KeepUploadsFormMixin


class EntryForm(KeepUploadsFormMixin, forms.Form):
    """Bound with ``kept_upload_user``: an image that passed its checks is kept when the
    form comes back with an error (uploads/kept.py)."""

    body = forms.CharField(
        label=_("New entry"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "class": "live-desk-body"}),
        error_messages={"required": _("Write the entry's text.")},
        strip=True,
        help_text=_("Plain text (a line per paragraph) or simple HTML."),
    )
    image = forms.FileField(label=_("image"), required=False)
    image_alt = forms.CharField(
        label=_("image alt text"), required=False, max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )  # fmt: skip
    image_credit = forms.CharField(
        label=_("image credit"), required=False, max_length=150,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )  # fmt: skip
    author = forms.ModelChoiceField(
        Author.objects.all(),
        label=_("author"),
        required=False,
        widget=forms.Select(attrs={"id": "live-author"}),  # the panel's label points here
    )
    is_breaking = forms.BooleanField(label=_("Breaking"), required=False)
    is_pinned = forms.BooleanField(label=_("Pin on top"), required=False)

    def clean_body(self):
        return clean_entry_body(self.cleaned_data["body"])

    def clean_image(self):
        # Not a field validator: the field would put its own "invalid" message in place of
        # ours (a validator's code "invalid" is looked up in the field's error_messages).
        image = self.cleaned_data["image"]
        if image:
            validate_image_file(image)
        return image

    def clean(self):
        """An image says what it shows (WCAG 1.1.1), as a gallery's photos must."""
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for readers who cannot see it."))
        return cleaned


class EntryAdminForm(forms.ModelForm):
    """Editing an entry in the desk: the same text and image rules as posting one."""

    class Meta:
        model = LiveEntry
        fields = (
            "body", "image", "image_alt", "image_credit", "author", "is_breaking", "is_pinned",
        )  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "dir": "auto"})}
        error_messages = {"body": {"required": _("Write the entry's text.")}}

    def clean_body(self):
        return clean_entry_body(self.cleaned_data["body"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for readers who cannot see it."))
        return cleaned
