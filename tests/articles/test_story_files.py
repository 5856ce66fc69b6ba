"""Story files («ملف», issue 16): an ordered collection with its own page and feed; an article
in a file shows the file's name and the pieces before and after it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import StoryFile, StoryFileEntry
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    section = make_section("محليات")
    story_file = StoryFile.objects.create(title_ar="ملف الكهرباء")
    pieces = [
        make_article(f"الحلقة {n}", section=section, ago=timedelta(hours=10 - n)) for n in (1, 2, 3)
    ]
    draft = make_article("حلقة لم تنشر", section=section, published=False)
    for position, article in enumerate([*pieces, draft], start=1):
        StoryFileEntry.objects.create(story_file=story_file, article=article, position=position)
    return {"file": story_file, "pieces": pieces, "draft": draft, "section": section}


def test_the_file_page_lists_published_pieces_in_the_editors_order(client, story):
    html = client.get(story["file"].get_absolute_url()).content.decode()
    assert story["file"].slug == "ملف-الكهرباء"
    positions = [html.index(f"الحلقة {n}") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert "حلقة لم تنشر" not in html
    StoryFileEntry.objects.filter(article=story["pieces"][2]).update(position=0)
    client.get("/")  # nothing cached is reused below: the page cache is keyed by tags
    from django.core.cache import cache

    cache.clear()
    html = client.get(story["file"].get_absolute_url()).content.decode()
    assert html.index("الحلقة 3") < html.index("الحلقة 1")


def test_an_article_shows_its_file_and_neighbours(client, story):
    middle = story["pieces"][1]
    html = client.get(middle.get_absolute_url()).content.decode()
    assert "ملف: ملف الكهرباء" in html
    assert "الحلقة 2 من 3" in html or "2 من 3" in html
    nav = html[html.index('class="story-file-nav"') :]
    assert nav.index("الحلقة 1") < nav.index("الحلقة 3")
    first = client.get(story["pieces"][0].get_absolute_url()).content.decode()
    first_nav = first[first.index('class="story-file-nav"') :]
    assert "قبلها" not in first_nav.split("</nav>")[0]
    english = client.get(middle.get_absolute_url().replace("/ar/", "/en/", 1)).content.decode()
    english_nav = english[english.index('class="story-file-nav"') :].split("</nav>")[0]
    assert "Part 2 of 3 in this file" in english_nav and "Next in the file" in english_nav
    assert 'lang="ar" dir="rtl">الحلقة 3' in english_nav  # an Arabic-only title, marked
    assert "In Arabic" in english_nav  # and said, as the file's page says it


def test_reordering_refreshes_the_pages_that_show_the_order(
    client, story, django_capture_on_commit_callbacks
):
    first = story["pieces"][0]
    other = make_article("مباراة الديربي", section=make_section("رياضة"))  # nothing related
    for path in (
        story["file"].get_absolute_url(),
        first.get_absolute_url(),
        other.get_absolute_url(),
    ):
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        entry = StoryFileEntry.objects.get(article=story["pieces"][2])
        entry.position = 0
        entry.save()
    assert client.get(story["file"].get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(first.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"


def test_feed_and_sitemap(client, story):
    with translation.override("ar"):
        path = reverse("discovery:story_file_feed", kwargs={"slug": story["file"].slug})
    body = client.get(path).content.decode()
    assert "الحلقة 1" in body and "حلقة لم تنشر" not in body
    from urllib.parse import unquote

    sitemap = unquote(client.get("/sitemap-files.xml").content.decode())
    assert unquote(story["file"].get_absolute_url()) in sitemap


def test_the_desk_orders_a_file_by_number(admin_client, story):
    url = reverse("admin:articles_storyfile_change", args=[story["file"].pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    entries = list(StoryFileEntry.objects.filter(story_file=story["file"]).order_by("pk"))
    data = {
        "title_ar": "ملف الكهرباء",
        "title_en": "",
        "slug": story["file"].slug,
        "description_ar": "",
        "description_en": "",
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(entries)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for index, entry in enumerate(entries):
        data |= {
            f"entries-{index}-id": str(entry.pk),
            f"entries-{index}-story_file": str(story["file"].pk),
            f"entries-{index}-article": str(entry.article_id),
            f"entries-{index}-position": str(len(entries) - index),
        }
    marked = admin_client.post(url, {**data, "title_ar": "ملف <b>الكهرباء</b>"})
    assert marked.status_code == 200 and "يقبل هذا الحقل نصًا عاديًا" in marked.content.decode()
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    order = list(
        StoryFileEntry.objects.filter(story_file=story["file"])
        .order_by("position")
        .values_list("article__title_ar", flat=True)
    )
    assert order == ["حلقة لم تنشر", "الحلقة 3", "الحلقة 2", "الحلقة 1"]


def test_two_pieces_given_one_number_read_the_same_in_the_desk_and_on_the_page(
    admin_client, client, story
):
    first, second, _third = story["pieces"]
    StoryFileEntry.objects.filter(article=first).update(position=5)
    StoryFileEntry.objects.filter(article=second).update(position=5)
    first.published_at = second.published_at + timedelta(hours=1)  # added first, newer
    first.save()
    desk = admin_client.get(reverse("admin:articles_storyfile_change", args=[story["file"].pk]))
    desk_html = desk.content.decode()
    page = client.get(story["file"].get_absolute_url()).content.decode()
    option = '<option value="{}" selected>{}</option>'
    in_desk = desk_html.index(option.format(first.pk, first.title_ar)) < desk_html.index(
        option.format(second.pk, second.title_ar)
    )
    on_page = page.index(first.title_ar) < page.index(second.title_ar)
    assert in_desk == on_page
