"""Images chosen in a form that comes back with an error are kept, not lost.

A browser cannot refill a file input, so a form returned with an error (another field, the
desk's refusal of a stale save) used to lose the image the editor had chosen. Now each upload
that passed its field's checks (``validate_image_file`` among them) is kept in the media
storage under ``pending/<random>/<name>``, re-encoded like every stored upload (no EXIF: see
uploads/reencode.py), and the form carries a signed token for it beside the file input:
«الصورة التي اخترتها محفوظة: <name>», with a box to drop it. The next submission without a
new file uses the kept one exactly as if it had been uploaded again: the same field checks,
the same re-encoding, the same renditions.

The token (``django.core.signing``, salted) names the kept file and the user it was kept for,
and lasts ``NEWSROOM_KEPT_UPLOAD_SECONDS``: a forged, expired or another user's token is
refused at the field with an Arabic message (the form comes back; nothing is saved without
the editor knowing). Kept files are deleted once used, or dropped, and the periodic job
``purge_kept_uploads`` deletes those left behind after a day.

Why not django-file-resubmit (or its fork bw-file-resubmit): it is unmaintained (last release
2018; the fork's is a 2023 release candidate), it keeps the file's bytes in the cache
(Redis memory, or the file cache of one app server, which the other servers do not see), and
its cache key is claimable by anyone who learns it: no signature, no user, no age limit.

Use: ``KeepUploadsAdminMixin`` on a ModelAdmin, or ``KeepUploadsFormMixin`` on a form (pass
``kept_upload_user=request.user``; call ``keep_uploads()`` before showing it again and
``forget_kept_uploads()`` once it is saved).
"""

from __future__ import annotations

import logging
import mimetypes
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from uploads.images import reencode_image

logger = logging.getLogger("newsroom.kept_uploads")
PENDING = "pending"
SALT = "newsroom.kept_uploads"  # kept from before the move: tokens already signed stay good
TOKEN_SUFFIX = "__kept"
DROP_SUFFIX = "__kept_drop"


class Refused(Exception):
    """A token that cannot be used; ``str()`` is the Arabic message for the editor."""


@dataclass(frozen=True, slots=True)
class Kept:
    token: str
    path: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def _max_age() -> int:
    return settings.NEWSROOM_KEPT_UPLOAD_SECONDS


def keep(upload, *, user) -> Kept:
    """Store ``upload`` (already validated) under ``pending/``, re-encoded; sign a token for
    it that only ``user`` can use."""
    name = default_storage.get_valid_name(PurePosixPath(upload.name or "image").name)
    folder = f"{PENDING}/{secrets.token_hex(16)}"
    data = reencode_image(upload)  # never the bytes sent (uploads/reencode.py)
    path = default_storage.save(f"{folder}/{name}", ContentFile(data))
    return Kept(signing.dumps({"p": path, "u": user.pk}, salt=SALT), path)


def read(token: str, *, user) -> Kept:
    """The kept file the token names, if it is genuine, fresh and ``user``'s; else Refused."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.SignatureExpired as exc:
        raise Refused(
            _("The image you chose earlier was kept for a day only: choose it again.")
        ) from exc
    except signing.BadSignature as exc:
        raise Refused(_("The kept image could not be verified: choose the image again.")) from exc
    if not isinstance(payload, dict):
        raise Refused(_("The kept image could not be verified: choose the image again."))
    if payload.get("u") != user.pk:
        raise Refused(_("That kept image belongs to another user: choose your own image."))
    path = payload.get("p")
    if not isinstance(path, str) or not path.startswith(f"{PENDING}/") or ".." in path:
        raise Refused(_("The kept image could not be verified: choose the image again."))
    return Kept(token, path)


def claim(token: str, *, user) -> UploadedFile:
    """The kept file as a fresh upload (for the form to check and save like any other)."""
    kept = read(token, user=user)
    try:
        with default_storage.open(kept.path, "rb") as stored:
            data = stored.read()
    except (FileNotFoundError, OSError) as exc:
        raise Refused(_("The image you chose earlier is no longer kept: choose it again.")) from exc
    content_type = mimetypes.guess_type(kept.name)[0] or "application/octet-stream"
    return SimpleUploadedFile(kept.name, data, content_type=content_type)


def discard(path: str) -> None:
    if path.startswith(f"{PENDING}/") and default_storage.exists(path):
        default_storage.delete(path)


def purge(*, older_than: timedelta, dry_run: bool = False) -> int:
    """Delete kept files (and their folders) stored more than ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    try:
        folders, _files = default_storage.listdir(PENDING)
    except FileNotFoundError:
        return 0
    count = 0
    for folder in folders:
        base = f"{PENDING}/{folder}"
        _dirs, names = default_storage.listdir(base)
        old = [
            name for name in names if default_storage.get_modified_time(f"{base}/{name}") < cutoff
        ]
        count += len(old)
        if dry_run:
            continue
        for name in old:
            default_storage.delete(f"{base}/{name}")
        if len(old) == len(names) and isinstance(default_storage, FileSystemStorage):
            try:  # a local folder stays behind once empty (object storage has none)
                default_storage.delete(base)
            except OSError:
                pass
    return count


class KeptUploadBoundField(BoundField):
    """A file field that shows the file it keeps, with a box to drop it."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.kept is not None:
            attrs.pop("required", None)  # the kept file fills the field: no new one needed
        return attrs

    @property
    def kept(self) -> Kept | None:
        return getattr(self.form, "kept_uploads", {}).get(self.name)

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        return format_html("{}{}", super().as_widget(widget, attrs, only_initial), self.kept_notice)

    @property
    def kept_notice(self):
        kept = self.kept
        if kept is None:
            return ""
        name = self.html_name
        drop_id = f"{self.auto_id or 'id_' + name}{DROP_SUFFIX}"
        return format_html(
            '<div class="kept-upload" role="status">'
            '<input type="hidden" name="{}" value="{}">'
            "<span>{}</span> "
            '<input type="checkbox" name="{}" id="{}"> <label for="{}">{}</label></div>',
            name + TOKEN_SUFFIX,
            kept.token,
            mark_safe(  # the name isolated: a Latin file name inside the Arabic sentence
                conditional_escape(_("The image you chose is kept: %(name)s"))
                % {"name": format_html("<bdi>{}</bdi>", kept.name)}
            ),
            name + DROP_SUFFIX,
            drop_id,
            drop_id,
            _("Do not use it"),
        )


class KeepUploadsFormMixin:
    """Keep the form's valid uploads across a returned form (see the module's docstring).

    ``kept_upload_fields``: the file fields to keep (None: every file field of the form).
    """

    kept_upload_fields: tuple[str, ...] | None = None
    kept_upload_user = None

    def __init__(self, *args, kept_upload_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kept_upload_user is not None:
            self.kept_upload_user = kept_upload_user
        self.kept_uploads: dict[str, Kept] = {}
        self._kept_refusals: dict[str, str] = {}
        for name in self._kept_field_names():
            self.fields[name].bound_field_class = KeptUploadBoundField
        if self.is_bound and self.kept_upload_user is not None:
            self._claim_kept()

    def _kept_field_names(self) -> list[str]:
        names = self.kept_upload_fields
        if names is None:
            names = [n for n, f in self.fields.items() if isinstance(f, forms.FileField)]
        return [name for name in names if name in self.fields]

    def _claim_kept(self):
        """Put each kept file the form sent back in the place of a new upload."""
        files = self.files.copy() if hasattr(self.files, "copy") else dict(self.files)
        for name in self._kept_field_names():
            key = self.add_prefix(name)
            token = self.data.get(key + TOKEN_SUFFIX, "")
            if not token:
                continue
            chosen_anew = bool(files.get(key))
            dropped = bool(self.data.get(key + DROP_SUFFIX))
            cleared = bool(self.data.get(f"{key}-clear"))  # ClearableFileInput's box
            if chosen_anew or dropped or cleared:
                try:  # a new file (or none) replaces the kept one: delete it now
                    discard(read(token, user=self.kept_upload_user).path)
                except Refused:
                    pass
                continue
            try:
                kept = read(token, user=self.kept_upload_user)
                files[key] = claim(token, user=self.kept_upload_user)
            except Refused as refusal:
                self._kept_refusals[name] = str(refusal)
                continue
            self.kept_uploads[name] = kept
        self.files = files

    def full_clean(self):
        super().full_clean()
        for name, message in self._kept_refusals.items():
            if name in self.fields:
                self.add_error(name, message)

    def keep_uploads(self) -> None:
        """Before the form is shown again: keep every upload that passed its field's checks."""
        if not self.is_bound or self.kept_upload_user is None or not hasattr(self, "cleaned_data"):
            return
        for name in self._kept_field_names():
            if name in self.errors:
                self.kept_uploads.pop(name, None)  # refused: nothing to keep
                continue
            upload = self.cleaned_data.get(name)
            if name in self.kept_uploads or not isinstance(upload, UploadedFile):
                continue
            try:
                self.kept_uploads[name] = keep(upload, user=self.kept_upload_user)
            except Exception:  # could not be re-encoded or stored: shown as not kept
                logger.exception("could not keep the upload of %s", name)

    def forget_kept_uploads(self) -> None:
        """Once the form is saved: delete the kept files it used (after the commit)."""
        paths = [kept.path for kept in self.kept_uploads.values()]
        self.kept_uploads = {}
        for path in paths:
            transaction.on_commit(lambda path=path: discard(path))


def keeping_uploads(form_class, *, user, fields=None):
    """``form_class`` keeping its uploads for ``user`` (a ModelAdmin's get_form uses this)."""
    attrs = {"kept_upload_user": user, "__module__": form_class.__module__}
    if fields is not None:
        attrs["kept_upload_fields"] = tuple(fields)
    if issubclass(form_class, KeepUploadsFormMixin):
        return type(form_class.__name__, (form_class,), attrs)
    return type(form_class.__name__, (KeepUploadsFormMixin, form_class), attrs)


class KeepUploadsAdminMixin:
    """A ModelAdmin whose change form keeps valid uploads when it comes back with an error."""

    kept_upload_fields: tuple[str, ...] | None = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return keeping_uploads(form, user=request.user, fields=self.kept_upload_fields)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        form = getattr(adminform, "form", None)
        if isinstance(form, KeepUploadsFormMixin) and form.is_bound:
            form.keep_uploads()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        # After save_model (which some admins override without calling super()).
        super().save_related(request, form, formsets, change)
        if isinstance(form, KeepUploadsFormMixin):
            form.forget_kept_uploads()
