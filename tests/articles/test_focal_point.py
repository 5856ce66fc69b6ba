"""The focal point: Pillow draws images with a mark at known coordinates; every ratio's crop
keeps the mark when the point is on it (and loses it at the centre, so the check can fail);
moving the point makes the crops again, reaches the articles that show the image and the
cached pages, and the desk sets it from the image or the two fields."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from articles.models import MediaImage
from articles.templatetags.articles_tags import focal_classes
from tests.articles.desk_helpers import make_staff
from tests.factories import make_article
from uploads.crops import RATIOS, focal_box

pytestmark = pytest.mark.django_db

MARK = (255, 0, 0)


def marked_upload(size, mark_at, name="marked.png"):
    """A grey image with a red disc of radius 30 centred at ``mark_at`` (pixels)."""
    image = Image.new("RGB", size, (128, 128, 128))
    x, y = mark_at
    ImageDraw.Draw(image).ellipse((x - 30, y - 30, x + 30, y + 30), fill=MARK)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def has_mark(path) -> bool:
    with Image.open(path) as image:
        data = image.convert("RGB").tobytes()
    return any(
        data[i] > 200 and data[i + 1] < 60 and data[i + 2] < 60 for i in range(0, len(data), 3)
    )


def crop_files(image, storage):
    return {ratio: [storage.path(entry["jpg"]) for entry in entries]
            for ratio, entries in image.crops.items()}  # fmt: skip


@pytest.mark.parametrize(
    ("size", "mark_at"),
    [((1600, 600), (1480, 120)), ((600, 1400), (90, 1300)), ((1000, 1000), (950, 50))],
)
def test_every_ratio_keeps_the_mark(size, mark_at):
    from django.core.files.storage import default_storage

    focal = (round(100 * mark_at[0] / size[0]), round(100 * mark_at[1] / size[1]))
    image = MediaImage.objects.create(
        image=marked_upload(size, mark_at), alt_text_ar="علامة", focal_x=focal[0], focal_y=focal[1]
    )
    assert set(image.crops) == set(RATIOS)
    for ratio, paths in crop_files(image, default_storage).items():
        for entry, path in zip(image.crops[ratio], paths, strict=True):
            assert abs(entry["width"] / entry["height"] - RATIOS[ratio]) < 0.02, ratio
            assert has_mark(path), (ratio, path)


def test_at_the_centre_a_corner_mark_is_lost_then_moving_the_point_keeps_it():
    from django.core.files.storage import default_storage

    image = MediaImage.objects.create(
        image=marked_upload((1600, 600), (1500, 100)), alt_text_ar="علامة"
    )
    assert (image.focal_x, image.focal_y) == (50, 50)
    lost = [ratio for ratio, paths in crop_files(image, default_storage).items()
            if not has_mark(paths[-1])]  # fmt: skip
    assert set(lost) >= {"1:1", "4:5"}
    before = dict(image.crops)
    image = MediaImage.objects.get(pk=image.pk)
    image.focal_x, image.focal_y = 94, 17
    image.save()
    assert image.crops.keys() == before.keys()
    for paths in crop_files(image, default_storage).values():
        assert has_mark(paths[-1])
    assert MediaImage.objects.get(pk=image.pk).crops == image.crops
    # New addresses for the new crops: caches that keep /media/ for a week (browsers, nginx,
    # social sites keeping an og:image by its address) cannot show the old crop under them.
    old_names = {entry["jpg"] for entries in before.values() for entry in entries}
    new_names = {entry["jpg"] for entries in image.crops.values() for entry in entries}
    assert not old_names & new_names
    assert all(default_storage.exists(name) for name in old_names)  # stale pages still load


def test_focal_box_stays_inside_the_image():
    assert focal_box(1600, 900, 1.0, 100, 100) == (700, 0, 1600, 900)
    assert focal_box(1600, 900, 1.0, 0, 0) == (0, 0, 900, 900)
    assert focal_box(1600, 900, 16 / 9, 10, 90) == (0, 0, 1600, 900)
    assert focal_box(900, 1600, 1.91, 50, 5) == (0, 0, 900, 471)


def test_focal_classes_round_to_five():
    image = MediaImage(focal_x=87, focal_y=12)
    assert focal_classes(image) == "fx-85 fy-10"
    assert focal_classes(None) == ""


def test_moving_the_point_reaches_the_articles_cards_and_cached_pages(client):
    library = MediaImage.objects.create(
        image=marked_upload((1600, 900), (1500, 100)), alt_text_ar="صورة الوزير"
    )
    article = make_article("خبر بصورة من المكتبة", library_image=library)
    assert (article.image_focal_x, article.image_focal_y) == (50, 50)
    home = reverse("articles:home")
    assert "fx-50 fy-50" in client.get(article.get_absolute_url()).content.decode()
    assert "fx-50 fy-50" in client.get(home).content.decode()
    library.focal_x, library.focal_y = 94, 11
    library.save()
    article.refresh_from_db()
    assert (article.image_focal_x, article.image_focal_y) == (94, 11)
    assert article.image_crops == library.crops
    assert "fx-95 fy-10" in client.get(article.get_absolute_url()).content.decode()
    assert "fx-95 fy-10" in client.get(home).content.decode()


def test_the_desk_sets_the_point_and_refuses_one_outside(client):
    editor = make_staff("المحررون", username="photo-editor")
    image = MediaImage.objects.create(
        image=marked_upload((1200, 800), (100, 700)), alt_text_ar="صورة"
    )
    client.force_login(editor)
    url = reverse("admin:articles_mediaimage_change", args=[image.pk])
    page = client.get(url).content.decode()
    assert "data-focal-picker" in page and "focal-point.js" in page
    assert 'name="focal_x"' in page and 'name="focal_y"' in page
    data = {"alt_text_ar": "صورة", "caption_ar": "", "credit": "", "focal_x": "8", "focal_y": "88"}
    assert client.post(url, data).status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (8, 88)
    answer = client.post(url, {**data, "focal_x": "140"})
    assert answer.status_code == 200
    assert "100" in answer.content.decode()  # Django's own "at most 100", in Arabic
    image.refresh_from_db()
    assert image.focal_x == 8


def test_link_previews_use_the_wide_crop_around_the_point(client):
    library = MediaImage.objects.create(
        image=marked_upload((1000, 1400), (500, 1300)), alt_text_ar="صورة طولية",
        focal_x=50, focal_y=93,
    )  # fmt: skip
    article = make_article("خبر بصورة طولية", library_image=library)
    html = client.get(article.get_absolute_url()).content.decode()
    wide = library.crops["1.91:1"][-1]
    assert f'content="http://testserver/media/{wide["jpg"]}"' in html
    assert f'<meta property="og:image:height" content="{wide["height"]}">' in html
    assert has_mark(library.image.storage.path(wide["jpg"]))
