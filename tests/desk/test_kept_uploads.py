"""An image chosen in a form that comes back (an error elsewhere, a stale save refused) is
kept: the form shows it, and the next save without a new file uses it, checked, re-encoded
and rendered like any upload. Forged, expired or another user's tokens are refused in Arabic."""

import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from articles.models import Article, MediaImage
from desk.models import EditLock
from tests.articles.desk_helpers import article_admin_url, form_data, open_form, save
from tests.factories import image_upload
from uploads import kept as kept_uploads

pytestmark = pytest.mark.django_db
KEPT = "الصورة التي اخترتها محفوظة: "


def exif_photo(name="بحر.jpg"):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (33.0, 30.0, 0.0)}  # GPSInfo: where the photo was taken
    return image_upload(name, size=(1200, 800), exif=exif.tobytes())


def pending_files(settings):
    root = Path(settings.MEDIA_ROOT) / kept_uploads.PENDING
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_no_exif(path):
    with Image.open(path) as image:
        assert not image.getexif(), f"{path} keeps EXIF"


def returned_with_kept_image(client, article, settings, **changes):
    """Post the form with a photo and ``changes`` that make it come back; return its data."""
    data = open_form(client, article)
    response = save(client, article, data, image=exif_photo(), **changes)
    assert response.status_code == 200
    text = response.content.decode()
    assert KEPT + "<bdi>بحر.jpg</bdi>" in text
    returned = form_data(text)
    assert returned["image__kept"], "the form carries the kept image's token"
    assert "image__kept_drop" not in returned  # the drop box is there, unticked
    assert 'name="image__kept_drop"' in text
    (kept,) = pending_files(settings)
    assert_no_exif(kept)  # kept as stored uploads are: re-encoded, no GPS on disk
    return returned


def test_an_error_elsewhere_keeps_the_image_and_the_next_save_uses_it(
    desk, settings, django_capture_on_commit_callbacks
):
    article = desk["article"]
    returned = returned_with_kept_image(desk["a"], article, settings, title_ar="")
    article.refresh_from_db()
    assert not article.image  # nothing saved yet

    with django_capture_on_commit_callbacks(execute=True):
        response = save(desk["a"], article, returned, title_ar="عنوان بصورة")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "عنوان بصورة"
    assert article.image.name.startswith("articles/") and article.image.name.endswith(".jpg")
    assert article.image_renditions, "renditions are made as for a normal upload"
    media = Path(settings.MEDIA_ROOT)
    assert_no_exif(media / article.image.name)
    for rendition in article.image_renditions:
        for key in ("jpg", "webp"):
            assert (media / rendition[key]).exists()
            assert_no_exif(media / rendition[key])
    assert pending_files(settings) == []  # used: the kept copy is gone


def test_a_stale_save_refused_keeps_the_image_for_the_save_over_it(
    desk, settings, django_capture_on_commit_callbacks
):
    article = desk["article"]
    stale = open_form(desk["a"], article)
    EditLock.objects.all().delete()  # her tab went quiet
    assert save(desk["b"], article, open_form(desk["b"], article), title_ar="عنوان عمر").status_code
    EditLock.objects.all().delete()

    response = save(desk["a"], article, stale, title_ar="عنوان سلمى", image=exif_photo())
    assert response.status_code == 200
    text = response.content.decode()
    assert "لم تُحفظ تعديلاتك" in text and KEPT + "<bdi>بحر.jpg</bdi>" in text
    returned = form_data(text)
    assert returned["image__kept"]

    with django_capture_on_commit_callbacks(execute=True):
        response = save(desk["a"], article, returned, desk_overwrite="on")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "عنوان سلمى"
    assert article.image and article.image_renditions
    assert_no_exif(Path(settings.MEDIA_ROOT) / article.image.name)
    assert pending_files(settings) == []


def test_a_kept_image_can_be_dropped(desk, settings):
    article = desk["article"]
    returned = returned_with_kept_image(desk["a"], article, settings, title_ar="")
    response = save(desk["a"], article, returned, title_ar="بلا صورة", image__kept_drop="on")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "بلا صورة" and not article.image
    assert pending_files(settings) == []  # dropped: deleted at once


def test_a_new_file_wins_over_the_kept_one(desk, settings):
    article = desk["article"]
    returned = returned_with_kept_image(desk["a"], article, settings, title_ar="")
    response = save(
        desk["a"], article, returned, title_ar="صورة أخرى", image=image_upload("جبل.png", fmt="PNG")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.image.name.endswith(".png")


def test_a_tampered_token_is_refused_in_arabic(desk, settings):
    article = desk["article"]
    returned = returned_with_kept_image(desk["a"], article, settings, title_ar="")
    token = returned["image__kept"]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = save(desk["a"], article, returned, title_ar="عنوان", image__kept=forged)
    assert response.status_code == 200
    text = response.content.decode()
    assert "تعذّر التحقق من الصورة المحفوظة: اختر الصورة من جديد." in text
    assert KEPT not in text  # no kept image on the returned form
    article.refresh_from_db()
    assert article.title_ar != "عنوان" and not article.image


@pytest.mark.parametrize(
    ("path", "salt"),
    [
        ("articles/2024/01/x.jpg", kept_uploads.SALT),  # the site's own media: not a kept file
        ("pending/../articles/x.jpg", kept_uploads.SALT),
        ("pending/abc/x.jpg", "another.salt"),  # signed for something else
    ],
)
def test_a_token_naming_anything_but_a_kept_file_is_refused(desk, editor_a, path, salt):
    article = desk["article"]
    data = open_form(desk["a"], article)
    token = signing.dumps({"p": path, "u": editor_a.pk}, salt=salt)
    response = save(desk["a"], article, data, title_ar="عنوان", image__kept=token)
    assert response.status_code == 200
    assert "تعذّر التحقق من الصورة المحفوظة" in response.content.decode()
    article.refresh_from_db()
    assert not article.image


def test_another_users_token_is_refused_and_their_file_untouched(desk, settings):
    article = desk["article"]
    returned = returned_with_kept_image(desk["a"], article, settings, title_ar="")
    EditLock.objects.all().delete()
    data = open_form(desk["b"], article)
    response = save(
        desk["b"], article, data, title_ar="عنوان عمر", image__kept=returned["image__kept"]
    )
    assert response.status_code == 200
    assert "هذه الصورة المحفوظة لمستخدم آخر: اختر صورتك أنت." in response.content.decode()
    article.refresh_from_db()
    assert not article.image and article.title_ar != "عنوان عمر"
    assert len(pending_files(settings)) == 1  # still hers to use


def test_an_expired_token_is_refused(desk, settings):
    settings.NEWSROOM_KEPT_UPLOAD_SECONDS = 600  # shorter than the desk session's life
    article = desk["article"]
    returned = returned_with_kept_image(desk["a"], article, settings, title_ar="")
    with time_machine.travel(time.time() + 660, tick=False):
        response = save(desk["a"], article, returned, title_ar="عنوان")
    assert response.status_code == 200
    assert "ليوم واحد فقط: اخترها من جديد." in response.content.decode()
    article.refresh_from_db()
    assert not article.image


def test_a_refused_image_is_not_kept(desk, settings):
    article = desk["article"]
    data = open_form(desk["a"], article)
    junk = image_upload("x.jpg")
    junk.file.write(b"<script>alert(1)</script>")
    junk.file.seek(0)
    response = save(desk["a"], article, data, title_ar="", image=junk)
    assert response.status_code == 200
    assert KEPT not in response.content.decode()
    assert pending_files(settings) == []


def test_the_media_library_keeps_its_image_too(client, editor_a, settings):
    client.force_login(editor_a)
    url = reverse("admin:articles_mediaimage_add")
    data = form_data(client.get(url).content.decode(), form_id="mediaimage_form")
    response = client.post(url, {**data, "image": exif_photo("ميناء.jpg"), "alt_text_ar": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert KEPT + "<bdi>ميناء.jpg</bdi>" in text
    returned = form_data(text, form_id="mediaimage_form")
    assert 'type="file" name="image" required' not in text  # the kept file fills the field
    response = client.post(url, {**returned, "alt_text_ar": "ميناء اللاذقية"})
    assert response.status_code == 302
    image = MediaImage.objects.get()
    assert image.renditions and image.uploaded_by == editor_a
    assert_no_exif(Path(settings.MEDIA_ROOT) / image.image.name)


def test_kept_files_are_not_served(client, editor_a, settings):
    settings.NEWSROOM_SERVE_MEDIA = True
    kept = kept_uploads.keep(image_upload(), user=editor_a)
    assert (Path(settings.MEDIA_ROOT) / kept.path).exists()
    assert client.get(f"/media/{kept.path}").status_code == 404


def test_the_cleanup_deletes_kept_files_older_than_a_day(editor_a, settings):
    old = kept_uploads.keep(image_upload("قديمة.jpg"), user=editor_a)
    fresh = kept_uploads.keep(image_upload("جديدة.jpg"), user=editor_a)
    media = Path(settings.MEDIA_ROOT)
    long_ago = time.time() - settings.NEWSROOM_KEPT_UPLOAD_SECONDS - 3600
    os.utime(media / old.path, (long_ago, long_ago))

    call_command("purge_kept_uploads", "--dry-run", verbosity=0)
    assert (media / old.path).exists()
    call_command("purge_kept_uploads", verbosity=0)
    assert not (media / old.path).exists()
    assert not (media / old.path).parent.exists()  # its folder too
    assert (media / fresh.path).exists()
    assert "purge_kept_uploads" in settings.NEWSROOM_PERIODIC_JOBS


def test_the_cleanup_runs_with_nothing_kept(settings):
    call_command("purge_kept_uploads", verbosity=0)  # no pending/ folder yet: no error
    assert kept_uploads.purge(older_than=timedelta(0)) == 0


def test_a_fresh_form_keeps_nothing(desk, settings):
    article = Article.objects.get(pk=desk["article"].pk)
    page = desk["a"].get(article_admin_url("change", article.pk)).content.decode()
    assert KEPT not in page and "image__kept" not in page
    assert pending_files(settings) == []


def test_a_jpeg_cut_short_is_refused_in_arabic_with_the_form_kept(client, editor_a):
    """Pillow's verify() reads no JPEG pixels: a file cut to a third passed the check and
    failed when re-encoded on save, a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    whole = image_upload("مقطوعة.jpg", size=(1200, 900)).read()
    cut = SimpleUploadedFile("مقطوعة.jpg", whole[: len(whole) // 3], content_type="image/jpeg")
    client.force_login(editor_a)
    url = reverse("admin:articles_mediaimage_add")
    data = form_data(client.get(url).content.decode(), form_id="mediaimage_form")
    typed = {"alt_text_ar": "صورة ناقصة", "caption_ar": "تعليق الصورة", "credit": "سانا"}
    response = client.post(url, {**data, **typed, "image": cut})
    assert response.status_code == 200
    text = response.content.decode()
    errors = re.findall(r"<ul class=\"errorlist[^>]*>(.*?)</ul>", text, re.S)
    assert any("ليس صورة صالحة" in e for e in errors), errors
    assert all(value in text for value in typed.values())  # nothing typed is lost
    assert not MediaImage.objects.exists()


def test_a_library_images_texts_refuse_markup_in_arabic(client, editor_a):
    """«وكالة سانا <b>x</b>» as a credit showed as typed on the article page."""
    client.force_login(editor_a)
    url = reverse("admin:articles_mediaimage_add")
    data = form_data(client.get(url).content.decode(), form_id="mediaimage_form")
    typed = {
        "alt_text_ar": "قاعة",
        "caption_ar": "تعليق <i>مائل</i>",
        "credit": "وكالة سانا <b>x</b>",
    }
    response = client.post(url, {**data, **typed, "image": image_upload()})
    assert response.status_code == 200
    errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert len([error for error in errors if "نصًا عاديًا" in error]) == 2, errors
    assert not MediaImage.objects.exists()
