import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import image_upload, make_article
from uploads.images import validate_image_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats(fmt):
    validate_image_file(image_upload(f"x.{fmt.lower()}", fmt=fmt))


def test_text_file_named_jpg_is_refused_in_arabic():
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        validate_image_file(fake)
    assert "ليس صورة" in str(error.value.messages[0])


def test_other_image_format_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    with pytest.raises(ValidationError) as error:
        validate_image_file(SimpleUploadedFile("x.png", buffer.getvalue()))
    assert error.value.code == "format"


def test_oversized_file_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        validate_image_file(image_upload(size=(400, 400)))
    assert error.value.code == "too_large"


def test_too_many_pixels_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as error:
        validate_image_file(image_upload(size=(200, 200)))
    assert error.value.code == "too_many_pixels"


def test_decompression_bomb_is_refused(monkeypatch):
    # A tiny PNG that claims far more pixels than Pillow's bomb threshold.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)
    with pytest.raises(ValidationError) as error:
        validate_image_file(image_upload("bomb.png", fmt="PNG", size=(80, 80)))
    assert error.value.code == "bomb"


def test_renditions_are_made_without_exif():
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (33.0, 30.0, 0.0)}  # GPSInfo
    article = make_article(image=image_upload(size=(1200, 800), exif=exif.tobytes()))
    assert [r["width"] for r in article.image_renditions] == [480, 960, 1200]
    from django.core.files.storage import default_storage

    for rendition in article.image_renditions:
        for key in ("webp", "jpg"):
            with default_storage.open(rendition[key]) as handle, Image.open(handle) as image:
                assert image.width == rendition["width"]
                assert not image.getexif(), f"{rendition[key]} keeps EXIF"
