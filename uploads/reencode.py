"""Every image upload, on any model, is stored re-encoded by Pillow (never the bytes sent).

A ``pre_save`` receiver for all models: each ``ImageField`` holding a fresh upload (not yet
committed to storage) gets its content replaced by ``uploads.images.reencode_image`` before
the field stores it. Validation (type by content, size, pixels, polyglots) has already run in
the form; a file that Pillow still cannot re-encode is refused here.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from uploads.images import reencode_image


@receiver(pre_save)
def reencode_image_uploads(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: files are already stored
        return
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.ImageField):
            continue
        file = getattr(instance, field.attname)
        if not file or getattr(file, "_committed", True):
            continue
        try:
            data = reencode_image(file.file)
        except Exception as exc:
            raise ValidationError(
                _("The file is not a valid image. Upload a JPEG, PNG, WebP or GIF file."),
                code="not_an_image",
            ) from exc
        file.file = ContentFile(data, name=file.name)
