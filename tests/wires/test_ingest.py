"""Agency feeds polled from a loopback agency: the four formats, conditional GET, each item
stored once with two runners racing, updates and withdrawals flagging the drafts taken
(a withdrawal blocks publishing until cleared), refused XML and bodies, a dead feed."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, Author
from articles.services import set_status
from desk.models import Note
from tests.articles.desk_helpers import make_staff
from wires.models import Feed, TakenWire, WireItem
from wires.parsers import FeedError, parse
from wires.services import clear_flags, ingest, poll_due_feeds, poll_feed, purge_wires, take_wire

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title>
<item><guid>bomb-1</guid><title>&lol4;</title></item></channel></rss>"""


def headlines(feed):
    return sorted(feed.items.values_list("headline", flat=True))


@pytest.mark.parametrize(
    ("path", "format", "expected"),
    [
        ("/rss", "rss", ["ارتفاع إنتاج القمح في السهل الشرقي هذا الموسم",
                         "افتتاح جسر جديد فوق نهر العاصي يربط قريتين"]),
        ("/atom", "atom", ["معرض للكتاب المستعمل يفتح أبوابه في الساحة القديمة"]),
        ("/newsml", "newsml-g2", ["وزارة الصحة تطلق حملة تلقيح في المدارس الابتدائية"]),
        ("/ninjs", "ninjs", ["انطلاق مهرجان الزيتون السنوي في البلدة الجبلية",
                             "تأجيل مباراة الديربي بسبب الأحوال الجوية"]),
    ],
)  # fmt: skip
def test_each_format_is_read_into_the_queue(agency, make_feed, path, format, expected):
    feed = make_feed(path, format)
    assert poll_feed(feed.pk)["new"] == len(expected)
    assert headlines(feed) == sorted(expected)
    item = feed.items.first()
    assert item.body.startswith("<p>") and item.status == WireItem.Status.USABLE
    assert item.lang.startswith("ar")
    feed.refresh_from_db()
    assert feed.last_success_at and not feed.last_error and feed.etag


def test_newsml_and_ninjs_details(agency, make_feed):
    news = make_feed("/newsml", "newsml-g2")
    poll_feed(news.pk)
    item = news.items.get()
    assert item.guid == "urn:newsml:anbaa:20261207:7001" and item.version == 1
    assert item.link == "http://127.0.0.1/anbaa/7001"
    assert "أربع محافظات" in item.body and item.body.count("<p>") == 2
    assert item.published_at.isoformat() == "2026-12-07T07:00:00+00:00"
    ninjs = make_feed("/ninjs", "ninjs")
    poll_feed(ninjs.pk)
    postponed = ninjs.items.get(guid="urn:ninjs:sanad:89")
    assert postponed.body.count("<p>") == 2
    assert ninjs.items.get(guid="urn:ninjs:sanad:88").link == "http://127.0.0.1/sanad/88"


def test_conditional_get_answers_304_and_nothing_changes(agency, make_feed):
    feed = make_feed()
    poll_feed(feed.pk)
    counts = poll_feed(feed.pk, force=True)
    assert counts == {"not_modified": 1}
    assert agency.requests[-1][1] == Feed.objects.get(pk=feed.pk).etag
    assert agency.requests[-1][2] is not None  # If-Modified-Since sent too
    assert feed.items.count() == 2
    # Not due yet: no request at all.
    before = len(agency.requests)
    assert poll_feed(feed.pk) is None
    assert len(agency.requests) == before


def _in_thread(target, results, barrier):
    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # reported by the test
            results.append(error)
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_two_runners_store_each_item_once(agency, make_feed):
    feeds = [make_feed("/rss", "rss"), make_feed("/ninjs", "ninjs", name="سند")]
    items = parse("rss", agency.documents["/rss"])
    results, barrier = [], threading.Barrier(2)
    # Two runners ingest the same items at the same moment: the unique pair decides.
    threads = [_in_thread(lambda: ingest(feed=feeds[0], items=items), results, barrier)]
    threads.append(_in_thread(lambda: ingest(feed=feeds[0], items=items), results, barrier))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["new"] for r in results) == 2
    assert WireItem.objects.filter(feed=feeds[0]).count() == 2
    # Two run_jobs-style passes over all feeds at once: still each item once.
    results, barrier = [], threading.Barrier(2)
    threads = [
        _in_thread(lambda: call_command("poll_wires", "--all", verbosity=0), results, barrier)
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [r for r in results if isinstance(r, Exception)], results
    assert WireItem.objects.filter(feed=feeds[1]).count() == 2
    assert WireItem.objects.count() == 4


def test_the_periodic_job_polls_wires(agency, make_feed, settings):
    from ops.jobs import run_due

    feed = make_feed()
    settings.NEWSROOM_PERIODIC_JOBS = {"poll_wires": 60}
    assert run_due() == ["poll_wires"]
    assert feed.items.count() == 2
    assert run_due() == []  # once per period


def test_an_update_changes_the_entry_and_flags_the_draft(agency, make_feed):
    editor = make_staff("المحررون", username="rana")
    feed = make_feed()
    poll_feed(feed.pk)
    item = feed.items.get(guid="wafa-2026-0001")
    draft, made = take_wire(item_id=item.pk, user=editor)
    assert made
    agency.documents["/rss"] = agency.documents["/rss"].replace(
        "بطول مئة وعشرين متراً".encode(), "بطول مئة وخمسين متراً، بعد تصحيح الوكالة".encode()
    )
    counts = poll_feed(feed.pk, force=True)
    assert counts["updated"] == 1 and counts["new"] == 0
    item.refresh_from_db()
    assert "مئة وخمسين" in item.body and item.changed_at is not None
    taken = TakenWire.objects.get(article=draft)
    assert taken.flag == TakenWire.Flag.UPDATED
    # An update warns, it does not block.
    assert set_status(articles=Article.objects.filter(pk=draft.pk), status="published",
                      user=editor) == (1, [])  # fmt: skip


NEWSML_WITHDRAWN = (
    ('version="1"', 'version="2"'),
    ('qcode="stat:usable"', 'qcode="stat:canceled"'),
)


def test_a_withdrawal_blocks_publishing_until_cleared(agency, make_feed, client):
    editor = make_staff("المحررون", username="hadi")
    feed = make_feed("/newsml", "newsml-g2")
    poll_feed(feed.pk)
    item = feed.items.get()
    draft, _made = take_wire(item_id=item.pk, user=editor)
    document = agency.documents["/newsml"].decode()
    for old, new in NEWSML_WITHDRAWN:
        document = document.replace(old, new)
    agency.documents["/newsml"] = document.encode()
    assert poll_feed(feed.pk, force=True)["withdrawn"] == 1
    item.refresh_from_db()
    assert item.status == WireItem.Status.WITHDRAWN
    assert TakenWire.objects.get(article=draft).flag == TakenWire.Flag.WITHDRAWN

    draft = Article.objects.get(pk=draft.pk)
    draft.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError) as refused:
        draft.full_clean(exclude=["slug"])
    assert "سحبت الوكالة" in str(refused.value)
    moved, refused_list = set_status(
        articles=Article.objects.filter(pk=draft.pk), status="published", user=editor
    )
    assert moved == 0 and [a.pk for a in refused_list] == [draft.pk]
    # A withdrawn item cannot be taken again, or anew.
    other = WireItem.objects.create(feed=feed, guid="x", headline="خبر مسحوب", status="withdrawn")
    with pytest.raises(ValidationError):
        take_wire(item_id=other.pk, user=editor)

    assert clear_flags(taken=TakenWire.objects.filter(article=draft), user=editor) == 1
    assert set_status(
        articles=Article.objects.filter(pk=draft.pk), status="published", user=editor
    ) == (1, [])


def test_taking_a_wire_makes_a_sourced_draft_once(agency, make_feed):
    writer = make_staff("كتّاب الأخبار", username="layla")
    feed = make_feed("/atom", "atom")
    poll_feed(feed.pk)
    item = feed.items.get()
    draft, made = take_wire(item_id=item.pk, user=writer)
    assert made and draft.status == Article.Status.DRAFT
    assert draft.title_ar == "معرض للكتاب المستعمل يفتح أبوابه في الساحة القديمة"
    assert "بأسعار رمزية" in draft.body_ar
    assert draft.source == "وكالة الأنباء التجريبية" and draft.section == feed.section
    assert [a.kind for a in draft.authors.all()] == [Author.Kind.AGENCY]
    assert "http://127.0.0.1/mashreq/501" in Note.objects.get(article=draft).text
    assert draft.created_by == writer
    again, made = take_wire(item_id=item.pk, user=writer)
    assert again == draft and not made
    assert Article.objects.count() == 1


def test_billion_laughs_is_refused(agency, make_feed):
    with pytest.raises(FeedError):
        parse("rss", BILLION_LAUGHS)
    with pytest.raises(FeedError):
        parse("newsml-g2", BILLION_LAUGHS)
    agency.documents["/rss"] = BILLION_LAUGHS
    feed = make_feed()
    assert poll_feed(feed.pk) == {"error": 1}
    feed.refresh_from_db()
    assert "كيانات" in feed.last_error and feed.items.count() == 0


def test_a_web_page_at_the_feeds_address_is_not_a_healthy_feed(agency, make_feed):
    """The agency's home page pasted for its feed was listed «سليمة» with nothing in it."""
    agency.documents["/rss"] = (
        b"<html><head><title>Agency</title></head><body><p>Welcome</p></body></html>"
    )
    agency.documents["/home"] = b"<!DOCTYPE html><html><body><p>Welcome<br></body></html>"
    for feed in (make_feed(), make_feed("/home", name="الصفحة الرئيسية")):  # XML or not
        assert poll_feed(feed.pk) == {"error": 1}
        feed.refresh_from_db()
        assert "ليست موجز RSS أو Atom" in feed.last_error and not feed.is_healthy
    # An RSS feed with no items yet is a feed, and healthy.
    agency.documents["/empty"] = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    )
    empty = make_feed("/empty", name="موجز فارغ")
    assert poll_feed(empty.pk) == {"left_out": 0}  # no error
    empty.refresh_from_db()
    assert empty.is_healthy and not empty.last_error


def test_oversized_bodies_are_refused(agency, make_feed, settings):
    settings.NEWSROOM_WIRES_MAX_BYTES = 50_000
    declared = make_feed()
    agency.documents["/rss"] = agency.documents["/rss"] + b"<!--" + b"x" * 60_000 + b"-->"
    assert poll_feed(declared.pk) == {"error": 1}
    endless = make_feed("/endless", name="بلا نهاية")
    started = time.monotonic()
    assert poll_feed(endless.pk) == {"error": 1}
    assert time.monotonic() - started < 5
    for feed in (declared, endless):
        feed.refresh_from_db()
        assert "أكبر من" in feed.last_error and not feed.items.exists()


def test_a_dead_feed_times_out_and_the_others_are_polled(agency, make_feed):
    dead = make_feed("/dead", name="متوقفة")
    alive = make_feed("/atom", "atom", name="حية")
    started = time.monotonic()
    counts = poll_due_feeds()
    assert time.monotonic() - started < 3
    assert counts["error"] == 1 and counts["new"] == 1 and counts["feeds"] == 2
    dead.refresh_from_db()
    assert "لم تُجب" in dead.last_error and dead.last_error_at and not dead.is_healthy
    alive.refresh_from_db()
    assert alive.is_healthy


def test_retention_purges_old_untaken_items(agency, make_feed, settings):
    settings.NEWSROOM_WIRES_KEEP_DAYS = 7
    editor = make_staff("المحررون", username="sami")
    feed = make_feed()
    poll_feed(feed.pk)
    old = timezone.now() - timedelta(days=8)
    WireItem.objects.update(received_at=old)
    kept = feed.items.first()
    take_wire(item_id=kept.pk, user=editor)
    assert purge_wires(dry_run=True) == 1
    call_command("purge_wires", verbosity=0)
    assert list(WireItem.objects.all()) == [kept]


def test_search_folds_arabic_spelling(agency, make_feed):
    feed = make_feed("/newsml", "newsml-g2")
    poll_feed(feed.pk)
    make_feed("/ninjs", "ninjs", name="سند")
    poll_due_feeds()
    found = WireItem.objects.search("الصحه تطلق")  # taa marbuta typed as haa
    assert [item.guid for item in found] == ["urn:newsml:anbaa:20261207:7001"]
    assert WireItem.objects.search("انطلاق مهرجان").count() == 1  # hamza-less alef
    assert WireItem.objects.search("ستين منتجا").count() == 1  # body text


def test_a_feed_nobody_answers_says_why_in_arabic(make_feed, agency):
    """It said «تعذّر الوصول إلى الموجز: ConnectionError»."""
    import socket

    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    feed = make_feed("/rss")
    Feed.objects.filter(pk=feed.pk).update(url=f"http://127.0.0.1:{port}/rss")
    poll_due_feeds()
    feed.refresh_from_db()
    assert feed.last_error == "تعذّر الوصول إلى الموجز: رفض خادمه الاتصال أو لم يُعثر عليه"


def test_ninjs_body_text_is_plain_text():
    """ninjs's body_text is text: «<b>» in it was made bold in the draft."""
    from wires.parsers import parse_ninjs

    data = '{"uri": "urn:x:1", "headline": "خبر", "body_text": "سعر <b>الخبز</b> & الرز\\n\\nفقرة"}'
    (item,) = parse_ninjs(data.encode())
    assert item.body == "<p>سعر &lt;b&gt;الخبز&lt;/b&gt; &amp; الرز</p><p>فقرة</p>"


def test_entries_left_out_are_said_on_the_feed(agency, make_feed, client):
    """An RSS item without a title was dropped while the feed showed «سليمة»."""
    from django.urls import reverse

    from tests.articles.desk_helpers import make_staff

    agency.documents["/untitled"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        b"<item><guid>a-1</guid><title>\xd8\xae\xd8\xa8\xd8\xb1</title></item>"
        b"<item><guid>a-2</guid><description>no title</description></item>"
        b"<item><title>no guid nor link</title></item>"
        b"</channel></rss>"
    )
    feed = make_feed("/untitled")
    counts = poll_feed(feed.pk)
    feed.refresh_from_db()
    assert counts["new"] == 1 and counts["left_out"] == 2 and feed.last_left_out == 2
    client.force_login(make_staff("المحررون", username="editor"))
    page = client.get(reverse("admin:wires_feed_changelist")).content.decode()
    assert "قُرئ، لكن تُركت مادتان بلا معرّف أو عنوان" in page
