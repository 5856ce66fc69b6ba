"""Topics and story files in the content API (issue 20 meets issue 16)."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from api.openapi import schema
from articles.models import StoryFile, StoryFileEntry, Topic
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def body(response):
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def described(name):
    components = schema("http://testserver/api/v1/")["components"]["schemas"]
    parts = components[name].get("allOf", [components[name]])
    keys = set()
    for part in parts:
        keys |= (
            described(part["$ref"].split("/")[-1]) if "$ref" in part else set(part["properties"])
        )
    return keys


def test_topics_list_pages_with_the_cursor_and_detail(client):
    topics = [Topic.for_name(f"موضوع {n}") for n in range(5)]
    first = body(client.get(reverse("api:topic-list"), {"limit": 3}))
    second = body(
        client.get(reverse("api:topic-list"), {"limit": 3, "cursor": first["next_cursor"]})
    )
    ids = [t["id"] for t in first["results"] + second["results"]]
    assert ids == [topic.pk for topic in topics] and second["next_cursor"] is None
    assert set(first["results"][0]) == described("Topic")
    detail = body(client.get(reverse("api:topic-detail", kwargs={"pk": topics[0].pk})))
    assert detail["name"] == "موضوع 0" and detail["url"].endswith(topics[0].get_absolute_url())
    missing = client.get(reverse("api:topic-detail", kwargs={"pk": 999999}))
    assert missing.status_code == 404


def test_a_new_topic_joins_the_cached_list(client, django_capture_on_commit_callbacks):
    Topic.for_name("الطقس")
    assert len(body(client.get(reverse("api:topic-list")))["results"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Topic.for_name("الأمطار")
    assert len(body(client.get(reverse("api:topic-list")))["results"]) == 2


def test_a_story_file_lists_published_pieces_in_order(client):
    section = make_section()
    story_file = StoryFile.objects.create(title_ar="ملف الكهرباء")
    old = make_article("الحلقة الأولى", section=section, ago=timedelta(days=2))
    new = make_article("الحلقة الثانية", section=section)
    draft = make_article("مسودة", section=section, published=False)
    for position, article in enumerate([new, old, draft], start=1):
        StoryFileEntry.objects.create(story_file=story_file, article=article, position=position)
    listed = body(client.get(reverse("api:file-list")))["results"]
    assert [f["title"] for f in listed] == ["ملف الكهرباء"]
    assert set(listed[0]) == described("StoryFile")
    detail = body(client.get(reverse("api:file-detail", kwargs={"pk": story_file.pk})))
    assert [a["title"] for a in detail["articles"]] == ["الحلقة الثانية", "الحلقة الأولى"]
    assert set(detail) == described("StoryFileWithArticles")


def test_bad_parameters_are_json_400(client):
    response = client.get(reverse("api:file-list"), {"limit": "كثير"})
    assert response.status_code == 400 and "error" in body(response)
    response = client.get(reverse("api:topic-list"), {"cursor": "%%%"})
    assert response.status_code == 400


def test_live_entries_newest_first_without_removed_ones(client, django_capture_on_commit_callbacks):
    from live import services as live

    article = make_article("تغطية العاصفة")
    draft = make_article("مسودة حية", published=False)
    with django_capture_on_commit_callbacks(execute=True):
        coverage = live.start_coverage(article=article)
        first = live.post_entry(coverage=coverage, body="<p>بدأت العاصفة</p>")
        gone = live.post_entry(coverage=coverage, body="<p>خطأ</p>")
        live.remove_entry(entry=gone)
        latest = live.post_entry(coverage=coverage, body="<p>اشتدت الرياح</p>", is_breaking=True)
        live.start_coverage(article=draft)
    url = reverse("api:live-entries", kwargs={"pk": article.pk})
    data = body(client.get(url))
    assert data["live"] is True
    assert [e["id"] for e in data["results"]] == [latest.pk, first.pk]
    assert data["results"][0]["is_breaking"] and "اشتدت الرياح" in data["results"][0]["body_html"]
    assert set(data["results"][0]) == described("LiveEntry")
    with django_capture_on_commit_callbacks(execute=True):
        newer = live.post_entry(coverage=coverage, body="<p>تحديث جديد</p>")
    assert body(client.get(url))["results"][0]["id"] == newer.pk  # the cached answer refreshed
    assert client.get(reverse("api:live-entries", kwargs={"pk": draft.pk})).status_code == 404
