from django import forms
from django.utils.translation import gettext_lazy as _

from articles.fields import ReaderEmailField


class SubscribeForm(forms.Form):
    email = ReaderEmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={
            "required": _("Write your email address."),
            "invalid": _("This email address is not valid."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    daily = forms.BooleanField(label=_("The daily digest"), required=False, initial=True)
    breaking = forms.BooleanField(label=_("Breaking news"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("daily") and not cleaned.get("breaking"):
            raise forms.ValidationError(
                _("Choose the daily digest, breaking news or both."), code="nothing"
            )
        return cleaned
