"""Upload attacks: polyglots, SVG with script, decompression bombs, oversize, hidden payloads."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from tests.factories import image_upload, make_article, make_author
from uploads.images import validate_image_file

pytestmark = pytest.mark.django_db


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue()


def png_claiming(width, height):
    """A few hundred bytes of PNG whose header claims width×height pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def refused(name, data):
    return refused_upload(SimpleUploadedFile(name, data))


def refused_upload(upload):
    with pytest.raises(ValidationError) as error:
        validate_image_file(upload)
    return error.value


@pytest.mark.parametrize(
    "payload",
    [
        b"<script>alert(document.domain)</script>",
        b"<html><body onload=alert(1)>",
        b"<?php system($_GET['c']); ?>",
        b"<svg/onload=alert(1)>",
        b'<a href="javascript:alert(1)">x</a>',
    ],
)
def test_polyglot_gif_with_markup_is_refused(payload):
    error = refused("innocent.gif", gif_bytes() + payload)
    assert error.code == "polyglot"
    assert "شيفرة" in error.messages[0]


def test_markup_hidden_in_a_jpeg_comment_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG", comment=b"<script>alert(1)</script>")
    assert refused("photo.jpg", buffer.getvalue()).code == "polyglot"


def test_svg_with_script_is_refused_even_named_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name in ("logo.svg", "logo.png"):
        assert refused(name, svg).code == "not_an_image"


def test_decompression_bomb_header_is_refused():
    data = png_claiming(60_000, 60_000)  # 3.6 billion pixels in about 60 bytes
    assert len(data) < 200
    assert refused("bomb.png", data).code in {"bomb", "too_many_pixels"}


def test_image_over_the_pixel_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1000 * 1000
    assert refused("big.png", png_claiming(2000, 1000)).code == "too_many_pixels"


def test_too_many_pixels_says_the_limit(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 40_000_000
    with translation.override("ar"):
        message = refused("big.png", png_claiming(8000, 6000)).messages[0]
    assert message == "أبعاد الصورة كبيرة جداً (8000×6000): الحد الأقصى 40 مليون بكسل."


def test_a_non_image_gets_the_same_words_in_every_image_field(client):
    """The lead image and the media library got Django's own «قم برفع صورة صحيحة…» (its
    ImageField judges the file before our validator); the gallery said which formats."""
    from django import forms

    with translation.override("ar"):
        field = forms.ImageField()
        with pytest.raises(ValidationError) as django_says:
            field.clean(SimpleUploadedFile("fake.jpg", b"not an image at all"))
        ours = refused("fake.jpg", b"not an image at all").messages[0]
    assert django_says.value.messages == [ours]


def test_oversize_upload_is_refused_before_decoding(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 50_000
    data = gif_bytes() + b"\x00" * 60_000
    assert refused("huge.gif", data).code == "too_large"


def test_the_size_refused_is_written_in_arabic_words(settings):
    """«37.7 ميغابايت», not Django's «37,7 م.ب»: the abbreviation readers do not use, and a
    decimal comma that reads as a list."""
    settings.NEWSROOM_IMAGE_MAX_BYTES = 20 * 1024 * 1024
    upload = SimpleUploadedFile("huge.gif", gif_bytes(), content_type="image/gif")
    upload.size = int(37.7 * 1024 * 1024)
    with translation.override("ar"):
        message = " ".join(refused_upload(upload).messages)
    message = message.replace("\xa0", " ")  # filesizeformat keeps number and unit together
    assert "(37.7 ميغابايت)" in message and "20.0 ميغابايت" in message, message


def test_stored_original_is_re_encoded_without_hidden_payload_or_exif():
    exif = Image.Exif()
    exif[0x8825] = {2: (33.0, 30.0, 0.0)}  # GPS position of the photographer
    upload = image_upload("scoop.jpg", size=(640, 480), exif=exif.tobytes())
    upload.file.seek(0, io.SEEK_END)
    upload.file.write(b"PK\x03\x04hidden-archive-payload")  # appended after the JPEG end
    upload.file.seek(0)
    upload.size += 27
    validate_image_file(upload)  # appended binary junk is not markup: accepted...
    article = make_article("خبر بصورة", image=upload)
    with default_storage.open(article.image.name) as handle:
        stored = handle.read()
    # ...but the stored original is Pillow's fresh encoding: no payload, no GPS.
    assert b"hidden-archive-payload" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (640, 480)
        assert not image.getexif()


def test_author_photos_are_re_encoded_too():
    upload = image_upload("face.png", fmt="PNG", size=(50, 50))
    upload.file.seek(0, io.SEEK_END)
    upload.file.write(b"trailing-bytes")
    upload.file.seek(0)
    author = make_author("سلمى", photo=upload)
    with default_storage.open(author.photo.name) as handle:
        assert b"trailing-bytes" not in handle.read()
