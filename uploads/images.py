"""Image uploads: judged by content, refused with an Arabic message, re-encoded without EXIF.

Why not a thumbnail library: the site shows a fixed set of widths, so renditions are
made once when an image is saved and recorded on the model. Rendering a page then costs
no query, no cache lookup and no file-existence check, which on-demand thumbnailers
(sorl-thumbnail's key-value store, easy-thumbnails' source table) would add.
"""

import io
import re
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Markup or code hidden in an image (a "polyglot": a valid GIF that is also HTML or PHP, or an
# SVG renamed .png) is refused, whatever the bytes around it.
POLYGLOT_MARKERS = re.compile(
    rb"<\s*(?:script|html|svg|iframe|object|embed|body|meta|xml|\?php|!doctype)|javascript:",
    re.IGNORECASE,
)


def validate_image_file(upload) -> None:
    """Refuse anything that is not a JPEG, PNG, WebP or GIF within the size and pixel limits."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if image_format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _("Only JPEG, PNG, WebP and GIF images are accepted."), code="format"
                    )
                if width * height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "The image has too many pixels (%(w)s×%(h)s): the limit is "
                            "%(limit)s million pixels."
                        )
                        % {
                            "w": width,
                            "h": height,
                            "limit": f"{settings.NEWSROOM_IMAGE_MAX_PIXELS / 1e6:g}",
                        },
                        code="too_many_pixels",
                    )
                image.verify()
            # verify() reads no JPEG or WebP pixels: a file cut short passed it and failed
            # only when re-encoded on save, a 500 (the pixels are decoded then anyway).
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
        upload.seek(0)
        if POLYGLOT_MARKERS.search(upload.read(max_bytes + 1)):
            raise ValidationError(
                _("The image also contains markup or script and is refused."), code="polyglot"
            )
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("The image is refused: its dimensions are suspiciously large."), code="bomb"
        ) from exc
    except Exception as exc:  # Pillow raises many kinds for junk: all mean "not an image"
        raise ValidationError(
            _("The file is not a valid image. Upload a JPEG, PNG, WebP or GIF file."),
            code="not_an_image",  # "invalid" is replaced by a form field's own message
        ) from exc
    finally:
        upload.seek(position)


def reencode_image(upload) -> bytes:
    """The upload's pixels written afresh in its own format: no EXIF, no trailing bytes.

    Whatever hid in the original (metadata, appended archives, comments) does not survive;
    animated GIF and WebP keep their frames.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        if image_format not in ACCEPTED_FORMATS:
            raise ValueError(f"not an accepted format: {image_format}")
        buffer = io.BytesIO()
        animated = getattr(image, "is_animated", False) and image_format in {"GIF", "WEBP"}
        if animated:
            image.save(buffer, image_format, save_all=True)
        else:
            clean = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
                clean = clean.convert("RGB")
            options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {"optimize": True}}
            clean.save(buffer, image_format, **options.get(image_format, {}))
    upload.seek(0)
    return buffer.getvalue()


def make_renditions(image_field) -> list[dict]:
    """Write WebP and JPEG renditions at the configured widths; return their descriptions.

    Re-encoding from pixels drops EXIF and GPS data: published files never carry them.
    """
    renditions = []
    image_field.open("rb")
    try:
        with Image.open(image_field) as original:
            original = ImageOps.exif_transpose(original)
            if original.mode not in ("RGB", "L"):
                original = original.convert("RGBA")
                background = Image.new("RGB", original.size, "white")
                background.paste(original, mask=original.getchannel("A"))
                original = background
            elif original.mode == "L":
                original = original.convert("RGB")
            stem = PurePosixPath(image_field.name).stem
            folder = PurePosixPath("renditions") / PurePosixPath(image_field.name).parent
            widths = [w for w in settings.NEWSROOM_RENDITION_WIDTHS if w < original.width]
            widths.append(min(original.width, max(settings.NEWSROOM_RENDITION_WIDTHS)))
            for width in sorted(set(widths)):
                height = round(original.height * width / original.width)
                resized = original.resize((width, height), Image.Resampling.LANCZOS)
                entry = {"width": width, "height": height}
                for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg")):
                    buffer = io.BytesIO()
                    resized.save(buffer, fmt, quality=82)
                    name = str(folder / f"{stem}-{width}.{ext}")
                    if default_storage.exists(name):
                        default_storage.delete(name)
                    entry[ext] = default_storage.save(name, ContentFile(buffer.getvalue()))
                renditions.append(entry)
    finally:
        image_field.close()
    return renditions
