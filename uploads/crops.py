"""Focal-point crops: an image cut at the site's ratios around the point that must stay in
every crop, written as WebP and JPEG at the rendition widths.

The crop is the largest box of the ratio that fits the image, centred on the focal point and
pushed back inside the image at the edges, so the point is always within it.
"""

import io
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

# 16:9 cards, 1:1 and 4:5 for social networks, 1.91:1 for the OpenGraph image.
RATIOS = {"16:9": 16 / 9, "1:1": 1.0, "4:5": 4 / 5, "1.91:1": 1.91}


def focal_box(width: int, height: int, ratio: float, focal_x: float, focal_y: float):
    """(left, top, right, bottom) of the crop; focal_x and focal_y in percent."""
    if width / height > ratio:
        box_w, box_h = max(1, round(height * ratio)), height
    else:
        box_w, box_h = width, max(1, round(width / ratio))
    centre_x, centre_y = width * focal_x / 100, height * focal_y / 100
    left = min(max(round(centre_x - box_w / 2), 0), width - box_w)
    top = min(max(round(centre_y - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def _flat_rgb(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    if image.mode == "RGB":
        return image
    if image.mode in ("L", "CMYK", "P") and "transparency" not in image.info:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def make_crops(image_field, focal_x: float = 50, focal_y: float = 50) -> dict[str, list[dict]]:
    """{ratio: [{width, height, webp, jpg}, …]} for every ratio in RATIOS; files re-encoded
    from pixels (no EXIF). Their names carry the focal point: a moved point makes new
    addresses, so no browser, nginx or social site (which keep /media/ for a week, and an
    og:image by its address) shows the old crop. An earlier point's files stay: a page kept
    before the move (in a browser, for up to its max-age) still finds its pictures."""
    crops = {}
    image_field.open("rb")
    try:
        with Image.open(image_field) as opened:
            original = _flat_rgb(opened)
            stem = PurePosixPath(image_field.name).stem
            folder = PurePosixPath("renditions") / PurePosixPath(image_field.name).parent
            for label, ratio in RATIOS.items():
                cropped = original.crop(focal_box(*original.size, ratio, focal_x, focal_y))
                widths = [w for w in settings.NEWSROOM_RENDITION_WIDTHS if w < cropped.width]
                widths.append(min(cropped.width, max(settings.NEWSROOM_RENDITION_WIDTHS)))
                entries = []
                for width in sorted(set(widths)):
                    height = max(1, round(cropped.height * width / cropped.width))
                    resized = cropped.resize((width, height), Image.Resampling.LANCZOS)
                    entry = {"width": width, "height": height}
                    slug = label.replace(":", "x")
                    for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg")):
                        buffer = io.BytesIO()
                        resized.save(buffer, fmt, quality=82)
                        point = f"{focal_x:g}x{focal_y:g}".replace(".", "_")
                        name = str(folder / f"{stem}-{slug}-{width}-at-{point}.{ext}")
                        if default_storage.exists(name):
                            default_storage.delete(name)
                        entry[ext] = default_storage.save(name, ContentFile(buffer.getvalue()))
                    entries.append(entry)
                crops[label] = entries
    finally:
        image_field.close()
    return crops
