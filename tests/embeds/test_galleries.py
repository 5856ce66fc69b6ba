"""Photo galleries: ordered library images with their own alt text (required), caption and
credit, in an article's body (``[gallery <id>]`` alone on a paragraph) or as its lead; lazy
images, ImageGallery JSON-LD, and cached pages refreshed when a gallery changes."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from articles.models import MediaImage
from embeds.models import Gallery, GalleryItem
from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db


def make_gallery(title="بالصور: الثلج في دمشق", count=3, **fields):
    gallery = Gallery.objects.create(title=title, **fields)
    for n in range(count):
        image = MediaImage.objects.create(
            image=image_upload(f"snow-{n}.jpg", size=(800, 600)), alt_text_ar=f"صورة {n}"
        )
        GalleryItem.objects.create(
            gallery=gallery, image=image, position=count - n,  # stored out of order
            alt_text=f"ثلج يغطي الحي رقم {n}", caption=f"الحي رقم {n}", credit="عدسة الوكالة",
        )  # fmt: skip
    return gallery


def json_ld(html, kind):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [data for data in map(json.loads, blocks) if data.get("@type") == kind]


def test_alt_text_is_required():
    gallery = make_gallery(count=1)
    item = GalleryItem(gallery=gallery, image=gallery.items.first().image, alt_text="")
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "alt_text" in error.value.message_dict
    with pytest.raises(IntegrityError):
        GalleryItem.objects.create(gallery=gallery, image=item.image, alt_text="")


def test_a_gallery_in_the_body(client):
    gallery = make_gallery()
    article = make_article(
        "الثلج في دمشق", body_ar=f"<p>تساقط الثلج.</p><p>{gallery.shortcode}</p><p>وانتهى.</p>"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    section = re.search(r'<section class="gallery".*?</section>', html, re.S).group(0)
    alts = re.findall(r'alt="([^"]*)"', section)
    assert alts == ["ثلج يغطي الحي رقم 2", "ثلج يغطي الحي رقم 1", "ثلج يغطي الحي رقم 0"]
    assert section.count('loading="lazy"') == 3
    assert section.count("<figcaption") == 3 and section.count("عدسة الوكالة</span>") == 3
    assert "1 من 3" in section and "(3 صور)" in section
    assert 'tabindex="0"' in section and "gallery-controls" in section
    assert html.index("تساقط الثلج.") < html.index('class="gallery"') < html.index("وانتهى.")
    assert "[gallery" not in html
    assert 'src="/static/js/gallery.js"' in html
    (data,) = json_ld(html, "ImageGallery")
    assert data["name"] == "بالصور: الثلج في دمشق"
    assert [image["description"] for image in data["image"]] == alts
    assert data["image"][0]["creditText"] == "عدسة الوكالة"
    assert data["image"][0]["contentUrl"].startswith("http://testserver/media/renditions/")


def test_an_arabic_credit_on_the_english_page_is_marked_arabic(client):
    """As the lead photo's credit is: a screen reader reads «عدسة الوكالة» in an Arabic voice."""
    from django.utils import translation

    gallery = make_gallery(count=1)
    article = make_article(
        "الثلج",
        title_en="Snow",
        body_ar=f"<p>{gallery.shortcode}</p>",
        body_en=f"<p>{gallery.shortcode}</p>",
    )
    with translation.override("en"):
        html = client.get(article.get_absolute_url()).content.decode()
    assert 'Photo: <span lang="ar" dir="rtl">عدسة الوكالة</span>' in html
    arabic = client.get(article.get_absolute_url()).content.decode()
    assert "<span lang=" not in arabic.split('class="credit"')[1].split("</span>")[0]


def test_a_missing_gallery_leaves_nothing(client):
    article = make_article("خبر", body_ar="<p>نص.</p><p>[gallery 999]</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "[gallery" not in html and 'class="gallery"' not in html


def test_a_gallery_as_the_lead_and_the_cached_page(client):
    article = make_article("بالصور", image=image_upload(size=(900, 600)))
    url = article.get_absolute_url()
    assert 'class="lead-image"' in client.get(url).content.decode()
    client.get(url)  # kept
    gallery = make_gallery(lead_of=article)
    html = client.get(url).content.decode()
    assert 'class="gallery gallery-lead"' in html and 'class="lead-image"' not in html
    item = gallery.items.order_by("position").first()
    item.caption = "تعليق جديد على الصورة الأولى"
    item.save()
    assert "تعليق جديد على الصورة الأولى" in client.get(url).content.decode()
    gallery.lead_of = None
    gallery.save()
    assert 'class="lead-image"' in client.get(url).content.decode()


def test_the_desk_makes_a_gallery(client):
    from django.urls import reverse

    from tests.articles.desk_helpers import make_staff

    editor = make_staff("المحررون", username="gallery-editor")
    client.force_login(editor)
    images = [
        MediaImage.objects.create(image=image_upload(f"g{n}.jpg"), alt_text_ar=f"صورة {n}")
        for n in range(2)
    ]
    data = {
        "title": "بالصور: معرض الكتاب",
        "lead_of": "",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-position": "1", "items-0-image": str(images[0].pk),
        "items-0-alt_text": "زوار في جناح الأطفال", "items-0-caption": "", "items-0-credit": "",
        "items-1-position": "2", "items-1-image": str(images[1].pk),
        "items-1-alt_text": "", "items-1-caption": "بلا نص بديل", "items-1-credit": "",
    }  # fmt: skip
    url = reverse("admin:embeds_gallery_add")
    answer = client.post(url, data)
    assert answer.status_code == 200 and not Gallery.objects.exists()
    assert "هذا الحقل مطلوب" in answer.content.decode()
    data["items-1-alt_text"] = "غلاف رواية جديدة"
    assert client.post(url, data).status_code == 302
    gallery = Gallery.objects.get()
    assert [item.alt_text for item in gallery.items.all()] == [
        "زوار في جناح الأطفال",
        "غلاف رواية جديدة",
    ]
    page = client.get(reverse("admin:embeds_gallery_change", args=[gallery.pk])).content
    assert f"[gallery {gallery.pk}]" in page.decode()


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("<p>[gallery abc]</p>", "ليس رمز معرض"),
        ("<p>[gallery 999999]</p>", "لا يدل على أي معرض"),
        ("<p>انظر [gallery {pk}] هنا</p>", "يجب أن يكون رمز المعرض وحده في فقرته"),
    ],
)
def test_a_gallery_code_that_shows_nothing_is_refused_in_arabic(line, said):
    """«[gallery abc]» was published as text and «[gallery 999]» vanished, without a word."""
    from django.utils import translation

    gallery = make_gallery(count=1)
    article = make_article("خبر بالصور")
    article.body_ar = "<p>مقدمة.</p>" + line.format(pk=gallery.pk)
    with translation.override("ar"), pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert said in " ".join(refused.value.message_dict["body_ar"])
    article.body_ar = f"<p>مقدمة.</p><p>[gallery {gallery.pk}]</p>"
    article.full_clean()  # the right code passes


def test_deleting_a_gallery_names_the_articles_that_show_it(client):
    from django.urls import reverse

    from tests.articles.desk_helpers import make_staff

    gallery = make_gallery(count=1)
    in_body = make_article("خبر يعرض المعرض", body_ar=f"<p>[gallery {gallery.pk}]</p>")
    elsewhere = make_article("خبر آخر")
    led = make_article("خبر يتقدمه المعرض")
    gallery.lead_of = led
    gallery.save()
    client.force_login(make_staff("المحررون", username="gallery-editor"))
    page = client.get(reverse("admin:embeds_gallery_delete", args=[gallery.pk])).content.decode()
    assert "تعرض هذه المقالات المعرض ولن تعرضه بعد حذفه:" in page
    assert f"«{in_body.title}»" in page and f"«{led.title}»" in page
    assert elsewhere.title not in page


def test_the_desk_shows_each_photo_beside_its_texts(client):
    from django.urls import reverse

    from tests.articles.desk_helpers import make_staff

    gallery = make_gallery(count=2)
    client.force_login(make_staff("المحررون", username="gallery-editor"))
    page = client.get(reverse("admin:embeds_gallery_change", args=[gallery.pk])).content.decode()
    for item in gallery.items.select_related("image"):
        assert f'<img src="/media/{item.image.thumbnail["jpg"]}" alt="" width="96"' in page
