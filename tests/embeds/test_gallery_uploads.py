"""Many images chosen at once in the gallery's desk form: the form comes back with each kept
(re-encoded without EXIF) to write its alt text; a row without one brings it back again with
an Arabic error and the files still kept; the save that completes them adds them in order."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import MediaImage
from embeds.models import Gallery, GalleryItem
from tests.articles.desk_helpers import form_data, make_staff
from tests.factories import image_upload
from uploads import kept as kept_uploads

pytestmark = pytest.mark.django_db
NEEDS_ALT = "اكتب النص البديل لكل صورة جديدة"


@pytest.fixture
def editor(client):
    user = make_staff("المحررون", username="gallery-editor")
    client.force_login(user)
    return user


def photos(*names):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {2: (33.0, 30.0, 0.0)}  # where it was taken
    return [image_upload(name, size=(900, 600), exif=exif.tobytes()) for name in names]


def pending_files(settings):
    root = Path(settings.MEDIA_ROOT) / kept_uploads.PENDING
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def page_and_data(response):
    text = response.content.decode()
    return text, form_data(text, form_id="gallery_form")


def empty_gallery_form(title="بالصور: سوق الجمعة"):
    return {
        "title": title, "lead_of": "",
        "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
    }  # fmt: skip


def test_images_chosen_at_once_are_kept_until_each_has_its_alt_text(
    client, editor, settings, django_capture_on_commit_callbacks
):
    url = reverse("admin:embeds_gallery_add")
    form = client.get(url).content.decode()
    assert 'type="file" name="new_images"' in form and "multiple" in form
    assert 'enctype="multipart/form-data"' in form

    data = {**empty_gallery_form(), "new_images": photos("باب.jpg", "سوق.jpg", "مئذنة.jpg")}
    response = client.post(url, data)
    assert response.status_code == 200 and not Gallery.objects.exists()
    text, returned = page_and_data(response)
    assert NEEDS_ALT in text
    assert "الصور التي اخترتها محفوظة (3)" in text
    assert [text.index(f"<bdi>{name}</bdi>") for name in ("باب.jpg", "سوق.jpg", "مئذنة.jpg")] == (
        sorted(text.index(f"<bdi>{name}</bdi>") for name in ("باب.jpg", "سوق.jpg", "مئذنة.jpg"))
    )
    assert [returned[f"new_image-{n}-token"] != "" for n in range(3)] == [True] * 3
    kept = pending_files(settings)
    assert len(kept) == 3
    for path in kept:
        with Image.open(path) as image:
            assert not image.getexif()  # kept re-encoded: no camera, no place

    # Two alt texts of three: back again, the files still kept, the text written kept too.
    returned.update({
        "new_image-0-alt": "باب الجامع", "new_image-0-caption": "الباب الشرقي",
        "new_image-0-credit": "عدسة الوكالة", "new_image-2-alt": "مئذنة",
    })  # fmt: skip
    response = client.post(url, returned)
    assert response.status_code == 200 and not Gallery.objects.exists()
    text, again = page_and_data(response)
    assert "1 من الصور الجديدة بلا نص بديل" in text
    assert again["new_image-0-alt"] == "باب الجامع" and again["new_image-1-alt"] == ""
    assert (
        'name="new_image-1-alt" value="" maxlength="300" dir="auto" aria-required="true" ' in (text)
        and 'aria-invalid="true"' in text
    )
    assert len(pending_files(settings)) == 3

    again["new_image-1-alt"] = "سوق مسقوف"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, again)
    assert response.status_code == 302, response.content.decode()[:3000]
    gallery = Gallery.objects.get()
    items = list(gallery.items.select_related("image"))
    assert [(i.position, i.alt_text, i.caption, i.credit) for i in items] == [
        (0, "باب الجامع", "الباب الشرقي", "عدسة الوكالة"),
        (1, "سوق مسقوف", "", ""),
        (2, "مئذنة", "", ""),
    ]
    first = items[0].image
    assert first.alt_text_ar == "باب الجامع" and first.uploaded_by == editor
    assert first.image.name.startswith("library/") and first.renditions and first.crops
    with Image.open(Path(settings.MEDIA_ROOT) / first.image.name) as image:
        assert not image.getexif()
    assert pending_files(settings) == []  # used: the kept copies are gone


def test_new_images_go_after_the_gallerys_own_and_a_dropped_one_is_deleted(
    client, editor, settings, django_capture_on_commit_callbacks
):
    gallery = Gallery.objects.create(title="معرض قائم")
    old = MediaImage.objects.create(image=image_upload("old.jpg"), alt_text_ar="قديمة")
    GalleryItem.objects.create(gallery=gallery, image=old, position=4, alt_text="قديمة")
    url = reverse("admin:embeds_gallery_change", args=[gallery.pk])
    _text, data = page_and_data(client.get(url))
    data["new_images"] = photos("أ.jpg", "ب.jpg")
    _text, returned = page_and_data(client.post(url, data))
    returned.update({"new_image-0-alt": "الأولى", "new_image-1-drop": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, returned)
    assert response.status_code == 302
    assert [(i.position, i.alt_text) for i in gallery.items.all()] == [(4, "قديمة"), (5, "الأولى")]
    assert pending_files(settings) == []  # the dropped one at once, the used one after


def test_a_file_that_is_no_image_is_refused_by_name_and_the_others_kept(client, editor, settings):
    url = reverse("admin:embeds_gallery_add")
    fake = SimpleUploadedFile("رسالة.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    data = {**empty_gallery_form(), "new_images": [*photos("جيدة.jpg"), fake]}
    text, returned = page_and_data(client.post(url, data))
    assert "لم تُضف رسالة.jpg" in text
    assert "<bdi>جيدة.jpg</bdi>" in text and "<bdi>رسالة.jpg</bdi>" not in text
    assert len(pending_files(settings)) == 1 and "new_image-1-token" not in returned


def test_an_error_elsewhere_keeps_the_chosen_images(client, editor, settings):
    url = reverse("admin:embeds_gallery_add")
    data = {**empty_gallery_form(title=""), "new_images": photos("صورة.jpg")}
    text, returned = page_and_data(client.post(url, data))
    assert "هذا الحقل مطلوب" in text and "<bdi>صورة.jpg</bdi>" in text
    returned.update({"title": "معرض", "new_image-0-alt": "وصف الصورة"})
    assert client.post(url, returned).status_code == 302
    assert Gallery.objects.get().items.get().alt_text == "وصف الصورة"


def test_another_editors_kept_image_is_refused(client, editor, settings):
    url = reverse("admin:embeds_gallery_add")
    data = {**empty_gallery_form(), "new_images": photos("لي.jpg")}
    _text, returned = page_and_data(client.post(url, data))
    other = make_staff("المحررون", username="other-editor")
    client.force_login(other)
    returned["new_image-0-alt"] = "وصف"
    response = client.post(url, returned)
    assert response.status_code == 200 and not Gallery.objects.exists()
    assert "هذه الصورة المحفوظة لمستخدم آخر" in response.content.decode()


def test_images_written_for_as_they_are_chosen_are_added_in_one_save(
    client, editor, settings, django_capture_on_commit_callbacks
):
    """What the desk's script sends: each chosen file's alt text, caption and credit beside
    it (``new_images-<n>-alt``…, n its place among the files): one save, nothing kept."""
    url = reverse("admin:embeds_gallery_add")
    form = client.get(url).content.decode()
    assert 'data-label-alt="النص البديل (مطلوب)"' in form  # the script's labels, in Arabic
    assert "js/gallery-rows.js" in form
    fake = SimpleUploadedFile("رسالة.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    data = {
        **empty_gallery_form(),
        "new_images": [*photos("باب.jpg"), fake, *photos("سوق.jpg")],
        "new_images-0-alt": "  باب   الجامع ", "new_images-0-credit": "عدسة الوكالة",
        "new_images-1-alt": "ليست صورة",
        "new_images-2-alt": "سوق مسقوف", "new_images-2-caption": "سوق الحميدية",
    }  # fmt: skip
    response = client.post(url, data)
    text = response.content.decode()
    # The refused file is named; the two images and what was written for them are kept.
    assert response.status_code == 200 and "لم تُضف رسالة.jpg" in text
    assert NEEDS_ALT not in text
    _text, returned = page_and_data(response)
    assert (returned["new_image-0-alt"], returned["new_image-0-credit"]) == (
        "باب الجامع",
        "عدسة الوكالة",
    )
    assert (returned["new_image-1-alt"], returned["new_image-1-caption"]) == (
        "سوق مسقوف",
        "سوق الحميدية",
    )
    assert len(pending_files(settings)) == 2

    # Without the refused file: one save adds both, in the order chosen, and keeps nothing.
    Gallery.objects.all().delete()
    for path in pending_files(settings):
        path.unlink()
    data["new_images"] = [*photos("باب.jpg"), *photos("سوق.jpg")]
    data["new_images-1-alt"], data["new_images-1-caption"] = "سوق مسقوف", "سوق الحميدية"
    del data["new_images-2-alt"], data["new_images-2-caption"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    items = list(Gallery.objects.get().items.select_related("image"))
    assert [(i.position, i.alt_text, i.caption, i.credit) for i in items] == [
        (0, "باب الجامع", "", "عدسة الوكالة"),
        (1, "سوق مسقوف", "سوق الحميدية", ""),
    ]
    assert items[0].image.alt_text_ar == "باب الجامع" and items[0].image.renditions
    assert pending_files(settings) == []


def test_a_chosen_image_without_its_alt_text_comes_back_with_what_the_others_say(
    client, editor, settings
):
    url = reverse("admin:embeds_gallery_add")
    data = {
        **empty_gallery_form(),
        "new_images": photos("أ.jpg", "ب.jpg"),
        "new_images-0-alt": "الأولى", "new_images-0-caption": "تعليق الأولى",
    }  # fmt: skip
    response = client.post(url, data)
    text, returned = page_and_data(response)
    assert response.status_code == 200 and not Gallery.objects.exists()
    assert NEEDS_ALT in text
    assert (returned["new_image-0-alt"], returned["new_image-0-caption"]) == (
        "الأولى",
        "تعليق الأولى",
    )
    assert returned["new_image-1-alt"] == ""
    # Only the row without its alt text is marked invalid.
    assert (
        'name="new_image-0-alt" value="الأولى" maxlength="300" dir="auto" aria-required="true">'
        in text
    )
    assert (
        'name="new_image-1-alt" value="" maxlength="300" dir="auto" aria-required="true" '
        'aria-invalid="true">' in text
    )
    returned["new_image-1-alt"] = "الثانية"
    assert client.post(url, returned).status_code == 302
    assert [i.alt_text for i in Gallery.objects.get().items.all()] == ["الأولى", "الثانية"]


def test_the_kept_thumbnails_show_to_the_editor_who_chose_them_only(client, editor, settings):
    """The returned form's thumbnails pointed at /media/pending/, which nginx and the media
    view refuse: every one was a broken image. They come from the signed token now."""
    url = reverse("admin:embeds_gallery_add")
    response = client.post(url, {**empty_gallery_form(), "new_images": photos("باب.jpg")})
    text = response.content.decode()
    thumbnail = re.search(r'<img src="(/kept-uploads/[^"]+/)" alt=""', text).group(1)
    assert "/media/pending/" not in text
    shown = client.get(thumbnail)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert "no-store" in shown["Cache-Control"] and "private" in shown["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(shown.streaming_content))) as image:
        assert image.size == (900, 600)
    other = make_staff("المحررون", username="another-editor")
    client.force_login(other)
    assert client.get(thumbnail).status_code == 404  # another editor's upload
    client.logout()
    assert client.get(thumbnail).status_code == 404
    client.force_login(editor)
    assert client.get(thumbnail.replace("/kept-uploads/", "/kept-uploads/x")).status_code == 404
    assert client.get(f"/media/{kept_uploads.PENDING}/x/باب.jpg").status_code == 404


def test_markup_in_a_gallerys_texts_is_refused_in_arabic(client, editor, settings):
    """«معرض <i>اختبار</i>» and «تعليق <b>الأولى</b>» were saved and shown as typed."""
    url = reverse("admin:embeds_gallery_add")
    data = {
        **empty_gallery_form(title="معرض <i>اختبار</i> دمشق"),
        "new_images": photos("باب.jpg"),
        "new_images-0-alt": "باب الجامع", "new_images-0-caption": "تعليق <b>الأولى</b>",
    }  # fmt: skip
    response = client.post(url, data)
    text = response.content.decode()
    assert response.status_code == 200 and not Gallery.objects.exists()
    assert text.count("يقبل هذا الحقل نصًا عاديًا") == 2, text[:3000]  # the title, the caption
    assert "باب.jpg، التعليق: يقبل هذا الحقل" in text  # which image, which box


def test_a_returned_gallery_form_shows_no_live_direction_override(client, editor):
    """«معرض ‮gnp.exe‬» came back from an error reading «exe.png»: the override was removed
    only on save."""
    url = reverse("admin:embeds_gallery_add")
    data = {**empty_gallery_form(title="معرض \u202egnp.exe\u202c"), "new_images": photos("باب.jpg")}
    response = client.post(url, data)  # no alt text: the form comes back
    text = response.content.decode()
    assert response.status_code == 200 and "\u202e" not in text
    assert 'value="معرض gnp.exe' in text  # the rest of what was typed is kept
