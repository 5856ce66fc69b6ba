"""The home page drawn from the editors' live layout: de-duplication and backfill order, timed
placements with the clock moved, drafts never shown to readers, publishing and restoring, and a
constant number of queries whatever the number of blocks."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from frontpage import services
from frontpage.layout import assemble
from frontpage.models import Block, Layout
from tests.factories import make_article, make_author, make_section
from tests.frontpage.conftest import build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = True
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = True


def home(client=None) -> str:
    return (client or Client()).get(reverse("articles:home")).content.decode()


def titles(shown) -> list[list[str]]:
    return [[article.title for article in item.articles] for item in shown]


@pytest.fixture
def stories():
    """Five stories of one section, s1 the newest."""
    section = make_section("سياسة")
    made = {
        f"s{n}": make_article(f"قصة {n}", section=section, ago=timedelta(hours=n))
        for n in range(1, 6)
    }
    return {"section": section, **made}


def test_backfill_order_and_de_duplication(draft, stories):
    section = stories["section"]
    build(
        draft,
        {"kind": "lead", "size": 1},
        {"kind": "section", "section": section, "size": 3, "slots": [
            {"article": stories["s1"], "position": 2},
        ]},
        {"kind": "section", "section": section, "size": 2, "deduplicate": False},
        {"kind": "section", "section": section, "size": 2},
    )  # fmt: skip
    assert titles(assemble(draft.pk)) == [
        ["قصة 2"],  # the latest, but s1 is hand-picked below: it is shown there
        ["قصة 3", "قصة 1", "قصة 4"],  # the pick keeps its place, the rule fills around it
        ["قصة 1", "قصة 2"],  # opted out of de-duplication: its rule as it is
        ["قصة 5"],  # everything else is shown above
    ]


def test_unpublished_or_expired_pick_falls_back_to_the_rule(draft, stories):
    hidden = make_article("مسودة مختارة", section=stories["section"], published=False)
    now = timezone.now()
    build(
        draft,
        {"kind": "picked", "size": 2, "slots": [
            hidden,
            {"article": stories["s5"], "ends_at": now - timedelta(minutes=1)},
            {"article": stories["s4"], "starts_at": now + timedelta(minutes=1)},
        ]},
    )  # fmt: skip
    assert titles(assemble(draft.pk)) == [["قصة 1", "قصة 2"]]
    # Its third slot in a block of two: the last place.
    assert titles(assemble(draft.pk, now=now + timedelta(minutes=2))) == [["قصة 1", "قصة 4"]]


def test_a_block_without_backfill_shows_its_picks_only(draft, stories):
    build(draft, {"kind": "picked", "size": 3, "backfill": False, "slots": [stories["s3"]]})
    assert titles(assemble(draft.pk)) == [["قصة 3"]]


def test_rules_of_each_kind(draft, stories):
    from articles.models import StoryFile, StoryFileEntry, Topic

    topic = Topic.objects.create(name_ar="الانتخابات")
    stories["s4"].topics.add(topic)
    story_file = StoryFile.objects.create(title_ar="ملف الزلزال")
    StoryFileEntry.objects.create(story_file=story_file, article=stories["s5"], position=1)
    StoryFileEntry.objects.create(story_file=story_file, article=stories["s2"], position=2)
    writer = make_author("كاتب الرأي")
    make_article("مقال رأي", authors=[writer], ago=timedelta(days=2))
    build(
        draft,
        {"kind": "topic", "topic": topic, "size": 3},
        {"kind": "story_file", "story_file": story_file, "size": 3},
        {"kind": "opinion", "author": writer, "size": 2},
        {"kind": "links", "size": 2, "slots": [{"label_ar": "من نحن", "url": "/ar/page/about/"}]},
        {"kind": "most_read", "size": 5},
    )
    shown = assemble(draft.pk)
    assert titles(shown) == [["قصة 4"], ["قصة 5", "قصة 2"], ["مقال رأي"], [], []]
    assert shown[3].links == [("من نحن", "/ar/page/about/")]
    content = home_after_publish(draft)
    assert "ملف الزلزال" in content and "من نحن" in content


def home_after_publish(draft) -> str:
    services.publish(draft=draft)
    return home()


def test_draft_is_never_shown_to_readers(draft, stories):
    build(draft, {"kind": "picked", "title_ar": "عنوان المسودة", "size": 1})
    content = home()
    assert "عنوان المسودة" not in content
    assert "قصة 1" in content  # today's automatic page while no layout is live
    assert Client().get(reverse("frontpage:preview")).status_code == 404


def test_publishing_replaces_the_cached_page_at_once(draft, stories):
    client = Client()
    assert "البداية المختارة" not in home(client)
    assert client.get(reverse("articles:home"))["X-Page-Cache"] == "hit"
    build(draft, {"kind": "picked", "title_ar": "البداية المختارة", "size": 2})
    assert client.get(reverse("articles:home"))["X-Page-Cache"] == "hit"  # a draft: no change
    services.publish(draft=draft)
    response = client.get(reverse("articles:home"))
    assert response["X-Page-Cache"] == "miss"
    assert "البداية المختارة" in response.content.decode()
    assert client.get(reverse("articles:home"))["X-Page-Cache"] == "hit"


def test_publishing_leaves_other_pages_cached(draft, stories):
    client = Client()
    story_page = stories["s1"].get_absolute_url()
    client.get(story_page)
    assert client.get(story_page)["X-Page-Cache"] == "hit"
    build(draft, {"kind": "picked", "size": 2})
    services.publish(draft=draft)
    assert client.get(story_page)["X-Page-Cache"] == "hit"


def test_timed_placement_starts_and_ends_with_the_clock(draft, stories):
    """A story held in the first slot from 10:00 to 18:00: nobody awake, no job; the cached
    page changes at exactly those times."""
    start = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    end = start + timedelta(hours=8)
    build(
        draft,
        {"kind": "picked", "size": 1, "slots": [
            {"article": stories["s5"], "starts_at": start, "ends_at": end},
        ]},
    )  # fmt: skip
    services.publish(draft=draft)
    client = Client()

    def first_story():
        response = client.get(reverse("articles:home"))
        content = response.content.decode()
        match = re.search(r'class="card-title">.*?dir="auto">([^<]+)<', content, re.S)
        return match.group(1), response["X-Page-Cache"]

    with time_machine.travel(start - timedelta(seconds=1), tick=False):
        assert first_story() == ("قصة 1", "miss")
        assert first_story() == ("قصة 1", "hit")
    with time_machine.travel(start, tick=False):
        assert first_story() == ("قصة 5", "miss")
        assert first_story() == ("قصة 5", "hit")
    with time_machine.travel(end - timedelta(seconds=1), tick=False):  # "most read": re-rendered
        assert first_story() == ("قصة 5", "miss")
        assert first_story() == ("قصة 5", "hit")
    with time_machine.travel(end, tick=False):
        assert first_story() == ("قصة 1", "miss")


def test_restore_from_history(draft, stories):
    build(draft, {"kind": "picked", "title_ar": "الطبعة الأولى", "size": 1})
    first = services.publish(draft=draft)
    draft.blocks.all().delete()
    build(draft, {"kind": "picked", "title_ar": "الطبعة الثانية", "size": 1})
    services.publish(draft=draft)
    first.refresh_from_db()
    assert first.status == Layout.Status.HISTORY
    assert "الطبعة الثانية" in home()
    version = Layout.objects.get(pk=draft.pk).version
    restored = services.restore(layout=first)
    assert restored.pk == draft.pk and restored.version == version + 1
    assert [block.title for block in restored.blocks.all()] == ["الطبعة الأولى"]
    assert "الطبعة الثانية" in home()  # restored into the draft: not live until published
    services.publish(draft=restored)
    assert "الطبعة الأولى" in home()
    statuses = sorted(Layout.objects.values_list("status", flat=True))
    assert statuses == ["draft", "history", "history", "live"]


def test_a_draft_is_made_from_the_live_layout():
    assert not Layout.objects.exists()
    draft = services.current_draft()
    build(draft, {"kind": "picked", "size": 3})
    services.publish(draft=draft)
    draft.delete()
    again = services.current_draft()
    assert again.is_draft and [b.kind for b in again.blocks.all()] == ["picked"]


def test_stale_version_is_refused_in_arabic(draft):
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import translation

    seen = draft.version
    draft.mark_saved()  # another editor saved
    with translation.override("ar"), transaction.atomic(), pytest.raises(ValidationError) as e:
        draft.check_version(seen)
    assert "محرر آخر" in e.value.messages[0]
    with transaction.atomic():
        draft.check_version(seen + 1)


def _layout_of(n_blocks: int, section, topic):
    draft = services.current_draft()
    kinds = [
        {"kind": "lead", "size": 1},
        {"kind": "section", "section": section, "size": 4},
        {"kind": "topic", "topic": topic, "size": 3},
    ]
    picked = list(Article.objects.all()[:3])
    build(
        draft,
        *[
            {**kinds[n % 3], "slots": [picked[n % 3]]} if n % 2 else kinds[n % 3]
            for n in range(n_blocks)
        ],
    )
    services.publish(draft=draft)
    Block.objects.filter(layout=draft).delete()


@pytest.mark.parametrize("n_blocks", [3, 12])
def test_queries_stay_constant_whatever_the_number_of_blocks(
    stories, settings, django_assert_num_queries, n_blocks
):
    from articles.models import Topic

    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
    topic = Topic.objects.create(name_ar="الاقتصاد")
    for _ in range(30):
        make_article(section=stories["section"]).topics.add(topic)
    _layout_of(n_blocks, stories["section"], topic)
    client = Client()
    client.get(reverse("articles:home"))  # warm: "most read", live states, the layout's state
    # The blocks, their slots, the picks' published check, latest, sections' and topics'
    # candidates, the chosen articles and their bylines; the sections menu, the footer's
    # static pages and the breaking-news ticker.
    with django_assert_num_queries(11):
        content = client.get(reverse("articles:home")).content.decode()
    assert content.count('class="card"') >= n_blocks


def test_a_live_coverage_starting_refreshes_a_live_coverage_block(draft, stories):
    from live import services as live_services

    build(draft, {"kind": "live", "title_ar": "مباشر الآن", "size": 2})
    services.publish(draft=draft)
    client = Client()
    assert "مباشر الآن" not in home(client)  # no coverage yet: the block is not drawn
    assert client.get(reverse("articles:home"))["X-Page-Cache"] == "hit"
    live_services.start_coverage(article=stories["s3"])
    response = client.get(reverse("articles:home"))
    assert response["X-Page-Cache"] == "miss"
    assert "مباشر الآن" in response.content.decode()


def test_tomorrow_mornings_front_page_goes_live_on_time_with_nobody_awake(draft, stories):
    """Tonight: a story scheduled for 07:00 is placed in the lead from 07:00, the layout is
    published. At 07:00 readers get it, from no job and no cache purge."""
    seven = timezone.now().replace(microsecond=0) + timedelta(hours=9)
    scoop = make_article("سبق الصباح", section=stories["section"], ago=timedelta(0))
    Article.objects.filter(pk=scoop.pk).update(status="scheduled", published_at=seven)
    scoop.refresh_from_db()
    scoop.save()  # as the desk saves it: the schedule is remembered (articles/cache.py)
    build(draft, {"kind": "lead", "size": 1, "slots": [{"article": scoop, "starts_at": seven}]})
    services.publish(draft=draft)
    client = Client()
    with time_machine.travel(seven - timedelta(minutes=1), tick=False):
        assert "سبق الصباح" not in home(client)
        assert client.get(reverse("articles:home"))["X-Page-Cache"] == "hit"
    with time_machine.travel(seven, tick=False):
        response = client.get(reverse("articles:home"))
        assert "سبق الصباح" in response.content.decode()
        assert response["X-Page-Cache"] == "miss"


def test_a_block_missing_its_choice_names_the_field(draft):
    """It said «كتلة من هذا النوع تحتاج إلى اختياره»: choose what?"""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    block = Block(layout=draft, kind=Block.Kind.SECTION, size=3, position=1)
    with translation.override("ar"), pytest.raises(ValidationError) as refused:
        block.full_clean()
    assert refused.value.message_dict["section"] == [
        "كتلة من نوع «القسم» تحتاج إلى اختيار الحقل «القسم»."
    ]
