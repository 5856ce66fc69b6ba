"""The reader's comment form: name, email and comment, all required, on comments-xtd's form."""

import time

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_comments.forms import DEFAULT_COMMENTS_TIMEOUT
from django_comments_xtd.forms import XtdCommentForm

from articles.fields import ReaderEmailField, ReaderTextField
from comments.models import ReaderComment, max_thread_level
from comments.rules import blocked_words_in


class CommentForm(XtdCommentForm):
    """comments-xtd's form with our required fields, Arabic labels and spam checks.

    The fields a reader sees are name, email, comment and the follow-up box; the base
    form's ``url`` stays optional and unshown. Browser-side ``required`` is off so every
    reader gets the same Arabic messages from the server.
    """

    use_required_attribute = False

    name = ReaderTextField(
        max_length=50,
        error_messages={
            "required": _("Please write your name."),
            "max_length": _("The name is too long: at most %(limit_value)d characters."),
        },
    )
    email = ReaderEmailField(
        max_length=254,
        error_messages={
            "required": _("Please write your email address."),
            "invalid": _("Please write a valid email address, like name@example.com."),
        },
    )
    comment = ReaderTextField(
        widget=forms.Textarea,
        error_messages={
            "required": _("Please write your comment."),
            "max_length": _(
                "Your comment is too long: %(show_value)d characters, the limit is "
                "%(limit_value)d. Please shorten it."
            ),
        },
    )
    reply_to = forms.IntegerField(required=True, initial=0, min_value=0, widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.COMMENT_MAX_LENGTH
        comment = self.fields["comment"]
        comment.max_length = limit
        comment.validators = [
            v for v in comment.validators if not isinstance(v, MaxLengthValidator)
        ] + [MaxLengthValidator(limit)]
        self.fields["name"].label = _("Name")
        self.fields["name"].widget = forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"})
        self.fields["email"].label = _("Email")
        self.fields["email"].help_text = _("Never shown publicly.")
        email = {"autocomplete": "email", "dir": "ltr"}  # an address reads left to right
        self.fields["email"].widget = forms.EmailInput(attrs=email)
        comment.label = _("Comment")
        comment.widget = forms.Textarea(attrs={"rows": 6, "dir": "auto"})
        self.fields["url"].disabled = True  # not asked for: whatever is posted is ignored
        self.fields["followup"].label = _("Email me when someone replies")
        self.fields["honeypot"].label = _("Leave this field empty")
        self.fields["honeypot"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["reply_to"].error_messages["invalid"] = _(
            "The comment you are replying to does not exist."
        )
        # The (*) says "required" to the eye; aria-required says it to screen readers (the
        # browser's own ``required`` stays off: the server's Arabic messages speak for it).
        for name in ("name", "email", "comment"):
            self.fields[name].widget.attrs["aria-required"] = "true"

    def get_comment_model(self):
        return ReaderComment

    def get_comment_create_data(self, site_id=None):
        data = super().get_comment_create_data(site_id=site_id)
        data["user_email"] = data["user_email"].strip()
        return data

    def check_for_duplicate_comment(self, new):
        # Duplicates are the database's business (ReaderComment.content_hash is unique),
        # so that twenty identical posts racing each other still store one.
        return new

    def clean_timestamp(self):
        timestamp = self.cleaned_data["timestamp"]
        if time.time() - timestamp > DEFAULT_COMMENTS_TIMEOUT:
            raise forms.ValidationError(
                _(
                    "The form was open for a long time. "
                    "Please check your comment and send it again."
                ),
                code="expired",
            )
        return timestamp

    def clean_honeypot(self):
        if self.cleaned_data["honeypot"]:
            raise forms.ValidationError(_("Your comment could not be accepted."), code="honeypot")
        return ""

    def clean_reply_to(self):
        parent_id = self.cleaned_data["reply_to"]
        if not parent_id:
            return 0
        parent = (
            ReaderComment.norel_objects.for_object(self.target_object)
            .published()
            .filter(pk=parent_id)
            .only("level")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to does not exist."), code="bad_parent"
            )
        limit = max_thread_level(self.target_object)
        if parent.level >= limit:
            raise forms.ValidationError(
                _("Replies cannot go deeper than %(limit)d levels.") % {"limit": limit},
                code="too_deep",
            )
        return parent_id

    def clean_comment(self):
        comment = self.cleaned_data["comment"]
        if blocked_words_in(comment):
            raise forms.ValidationError(
                _("Your comment contains words that are not allowed here."),
                code="blocked_word",
            )
        return comment

    def clean(self):
        cleaned_data = super().clean()
        timestamp = cleaned_data.get("timestamp")
        minimum = settings.NEWSROOM_COMMENTS_MIN_SECONDS
        if timestamp and minimum and time.time() - timestamp < minimum:
            raise forms.ValidationError(
                _(
                    "That was quicker than anyone can write. "
                    "Please check your comment and send it again."
                ),
                code="too_fast",
            )
        return cleaned_data

    def tampered(self):
        """True when the signed target or timestamp was altered: not a reader's mistake."""
        return "security_hash" in self.errors or "content_type" in self.errors

    def refresh_security_data(self):
        """Give a bound form, about to be shown again, a fresh timestamp when it expired."""
        if "timestamp" in self.errors:
            data = self.data.copy()
            for key, value in self.generate_security_data().items():
                data[key] = value
            self.data = data
