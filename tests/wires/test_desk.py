"""The intake in the desk: the «الوكالات» queue (folding search, filters, new marks, «خذ الخبر»),
the article form refusing to publish a withdrawn wire's draft, pitches approved into assigned
drafts, the day's budget and the week calendar."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author
from desk.models import Assignment
from tests.articles.desk_helpers import make_staff, open_form, save
from tests.factories import make_section
from wires.models import Feed, Pitch, TakenWire, WireItem
from wires.services import poll_due_feeds

pytestmark = pytest.mark.django_db
QUEUE = "admin:wires_wireitem_changelist"


@pytest.fixture
def wires(agency, make_feed):
    make_feed("/rss", "rss")
    make_feed("/newsml", "newsml-g2", name="أنباء")
    poll_due_feeds()
    return WireItem.objects.all()


def test_the_queue_lists_marks_searches_and_filters(client, wires):
    client.force_login(make_staff("كتّاب الأخبار", username="writer"))
    page = client.get(reverse(QUEUE))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>" in html and html.count("wires-new") == 3, html
    assert html.count('class="button wires-take"') == 3, html
    assert "الوكالات" in html
    found = client.get(reverse(QUEUE), {"q": "الصحه"}).content.decode()
    assert "وزارة الصحة" in found and "جسر جديد" not in found
    feed = wires.get(guid="wafa-2026-0001").feed
    by_agency = client.get(reverse(QUEUE), {"feed__section__id__exact": feed.section_id})
    assert by_agency.status_code == 200 and "جسر جديد" in by_agency.content.decode()
    WireItem.objects.update(received_at=timezone.now() - timedelta(days=3))
    old = client.get(reverse(QUEUE)).content.decode()
    assert "wires-new" not in old
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = client.get(reverse(QUEUE), {"received_at__gte": midnight.isoformat()})
    assert today.status_code == 200 and "جسر جديد" not in today.content.decode()


def test_take_the_story_from_the_queue(client, wires):
    writer = make_staff("كتّاب الأخبار", username="writer")
    client.force_login(writer)
    item = wires.get(guid="wafa-2026-0002")
    url = reverse("admin:wires_wireitem_take", args=[item.pk])
    # Opened by hand, the address leads to the queue (it was a bare 405), taking nothing.
    assert client.get(url).url == reverse("admin:wires_wireitem_changelist")
    assert not Article.objects.exists()
    response = client.post(url)
    draft = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[draft.pk])
    assert draft.source == "وكالة الأنباء التجريبية" and draft.status == "draft"
    assert client.post(url).url == response.url  # a second click: the same draft
    assert Article.objects.count() == 1
    queue = client.get(reverse(QUEUE)).content.decode()
    assert "أُخذ:" in queue and queue.count('class="button wires-take"') == 2
    form = client.get(response.url).content.decode()
    assert "ارتفاع إنتاج القمح" in form


def test_a_headline_longer_than_a_title_is_said_to_be_cut(client, wires):
    client.force_login(make_staff("المحررون", username="editor"))
    item = wires.get(guid="wafa-2026-0002")
    WireItem.objects.filter(pk=item.pk).update(headline="خبر " * 120)  # 480 characters
    response = client.post(reverse("admin:wires_wireitem_take", args=[item.pk]), follow=True)
    assert "عنوان الوكالة أطول مما يتسع له العنوان (250 حرفًا)" in response.content.decode()
    assert len(Article.objects.get().title_ar) == 250


def test_people_outside_the_desk_see_no_queue(client, wires, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(reader)
    assert client.get(reverse(QUEUE)).status_code == 403
    item = wires.first()
    assert client.post(reverse("admin:wires_wireitem_take", args=[item.pk])).status_code == 403


def test_the_article_form_refuses_to_publish_a_withdrawn_wire(client, wires):
    editor = make_staff("المحررون", username="editor")
    client.force_login(editor)
    item = wires.get(guid="urn:newsml:anbaa:20261207:7001")
    client.post(reverse("admin:wires_wireitem_take", args=[item.pk]))
    draft = Article.objects.get()
    TakenWire.objects.filter(article=draft).update(flag=TakenWire.Flag.WITHDRAWN)
    data = open_form(client, draft)
    response = save(client, draft, data, status="published")
    assert response.status_code == 200
    assert "سحبت الوكالة الخبر" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).status == "draft"
    changelist = reverse("admin:wires_takenwire_changelist")
    taken = TakenWire.objects.get(article=draft)
    client.post(changelist, {"action": "clear_selected", "_selected_action": [taken.pk]})
    assert TakenWire.objects.get(pk=taken.pk).flag == ""
    response = save(client, draft, open_form(client, draft), status="published")
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).status == "published"


@pytest.mark.parametrize(
    ("flag", "said"),
    [
        (TakenWire.Flag.UPDATED, "حدّثت الوكالة الخبر الذي أُخذت منه هذه المسودة"),
        (TakenWire.Flag.WITHDRAWN, "سحبت الوكالة الخبر الذي أُخذت منه هذه المسودة: لا تنشرها."),
    ],
)
def test_the_drafts_form_says_what_the_agency_did_since(client, wires, flag, said):
    """Only the «drafts taken» list said so; the form where the editor works showed nothing."""
    client.force_login(make_staff("المحررون", username="editor"))
    item = wires.get(guid="wafa-2026-0002")
    draft_url = client.post(reverse("admin:wires_wireitem_take", args=[item.pk])).url
    assert "الذي أُخذت منه هذه المسودة" not in client.get(draft_url).content.decode()
    TakenWire.objects.update(flag=flag)
    form = client.get(draft_url).content.decode()
    assert said in form
    assert reverse("admin:wires_wireitem_change", args=[item.pk]) in form


def test_an_item_updated_while_new_is_marked_updated(client, wires):
    client.force_login(make_staff("المحررون", username="editor"))
    WireItem.objects.filter(guid="wafa-2026-0002").update(changed_at=timezone.now())
    html = client.get(reverse(QUEUE)).content.decode()
    assert html.count("wires-new") == 2 and html.count('<span class="wires-badge">') == 1


def pitch_data(section, expected, **changes):
    return {
        "headline": "مؤتمر صحفي لوزير الاقتصاد",
        "section": section.pk,
        "expected_at_0": expected.strftime("%Y-%m-%d"),
        "expected_at_1": expected.strftime("%H:%M:%S"),
        "priority": 1,
        "status": "proposed",
        **changes,
    }


def test_an_editor_is_not_offered_approved_in_the_pitch_form(client):
    """«معتمد» chosen in the form saved as «مقترح», with a success message."""
    client.force_login(make_staff("المحررون", username="editor"))
    add = reverse("admin:wires_pitch_add")
    form = client.get(add).content.decode()
    assert 'value="approved"' not in form and "اضغط «اعتمد» في القائمة" in form
    section = make_section("اقتصاد")
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(add, pitch_data(section, tomorrow, status="approved"))
    assert response.status_code == 200 and not Pitch.objects.exists()
    assert "انتق خياراً صحيحاً. approved ليس أحد الخيارات المتاحة." in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31"])
def test_a_pitch_is_dated_on_a_day_the_budget_shows(client, day):
    client.force_login(make_staff("المحررون", username="editor"))
    section = make_section("اقتصاد")
    data = pitch_data(section, timezone.localtime(), expected_at_0=day)
    response = client.post(reverse("admin:wires_pitch_add"), data)
    assert response.status_code == 200 and "لا تعرض خطة اليوم غيرها" in response.content.decode()
    assert not Pitch.objects.exists()


def test_a_pitch_is_approved_into_an_assigned_draft(client):
    writer = make_staff("كتّاب الأخبار", username="writer")
    editor = make_staff("المحررون", username="editor")
    section = make_section("اقتصاد")
    expected = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0)
    client.force_login(writer)
    response = client.post(
        reverse("admin:wires_pitch_add"),
        {
            "headline": "أسعار الخبز بعد رفع الدعم",
            "section": section.pk,
            "writer": writer.pk,
            "expected_at_0": timezone.localtime(expected).strftime("%Y-%m-%d"),
            "expected_at_1": timezone.localtime(expected).strftime("%H:%M:%S"),
            "priority": 1,
            "status": "approved",  # not a field a writer has: ignored
            "notes": "جولة على ثلاثة أفران",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pitch = Pitch.objects.get()
    assert pitch.status == "proposed" and pitch.created_by == writer
    approve = reverse("admin:wires_pitch_approve", args=[pitch.pk])
    assert client.post(approve).status_code == 403  # writers pitch, editors approve
    assert client.get(approve).url == reverse("admin:wires_pitch_changelist")  # was a bare 405
    # ... and are not offered a button that only answers «الدخول مرفوض».
    listed = client.get(reverse("admin:wires_pitch_changelist")).content.decode()
    assert "أسعار الخبز بعد رفع الدعم" in listed and approve not in listed
    client.force_login(editor)
    assert approve in client.get(reverse("admin:wires_pitch_changelist")).content.decode()
    response = client.post(approve)
    pitch.refresh_from_db()
    assert pitch.status == "approved" and pitch.article.title_ar == "أسعار الخبز بعد رفع الدعم"
    assert response.url == reverse("admin:articles_article_change", args=[pitch.article_id])
    assignment = Assignment.objects.get(article=pitch.article)
    assert assignment.writer == writer and assignment.editor == editor
    assert assignment.due_at == expected
    assert client.post(approve).url == response.url  # approving twice: the same draft
    assert Article.objects.count() == 1


def test_budget_and_calendar(client):
    editor = make_staff("المحررون", username="editor")
    client.force_login(editor)
    section = make_section("رياضة")
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    Pitch.objects.create(headline="مقابلة مع مدرب المنتخب", section=section, expected_at=noon)
    Pitch.objects.create(
        headline="مقترح مرفوض", section=section, expected_at=noon, status="rejected"
    )
    Article.objects.create(
        title_ar="نتائج الدوري المجدولة",
        section=section,
        status=Article.Status.SCHEDULED,
        published_at=noon + timedelta(days=1),
    )
    budget = client.get(reverse("admin:wires_pitch_budget"))
    html = budget.content.decode()
    assert budget.status_code == 200 and html.count("<h1>") == 1
    assert "مقابلة مع مدرب المنتخب" in html and "مقترح مرفوض" not in html
    assert "نتائج الدوري المجدولة" not in html
    tomorrow = (noon + timedelta(days=1)).date().isoformat()
    html = client.get(reverse("admin:wires_pitch_budget"), {"day": tomorrow}).content.decode()
    assert "نتائج الدوري المجدولة" in html
    bad = client.get(reverse("admin:wires_pitch_budget"), {"day": "2026-13-45"})
    assert bad.status_code == 200 and "هذا ليس تاريخاً" in bad.content.decode()
    for name in ("budget", "calendar"):  # Python's first and last days: a week either side
        for day in ("9999-12-31", "0001-01-01"):
            key = "day" if name == "budget" else "week"
            edge = client.get(reverse(f"admin:wires_pitch_{name}"), {key: day})
            assert edge.status_code == 200 and "خارج المدى" in edge.content.decode(), (name, day)
    calendar = client.get(reverse("admin:wires_pitch_calendar"))
    html = calendar.content.decode()
    table = html[
        html.index('class="wires-calendar"') : html.index("</table>", html.index("wires-calendar"))
    ]
    assert calendar.status_code == 200 and table.count('<th scope="col"') == 7
    assert "السبت" in html and "مقابلة مع مدرب المنتخب" in html
    changelist = client.get(reverse("admin:wires_pitch_changelist")).content.decode()
    assert "تقويم الأسبوع" in changelist and "خطة اليوم" in changelist


def test_feed_health_shows_on_the_desk(client, agency, make_feed, django_user_model):
    make_feed("/dead", name="متوقفة")
    make_feed("/atom", "atom", name="حية")
    poll_due_feeds()
    client.force_login(django_user_model.objects.create_superuser("chief", password="x"))
    html = client.get(reverse("admin:wires_feed_changelist")).content.decode()
    assert "متعثّرة" in html and "سليمة" in html and "لم تُجب الوكالة" in html


def test_a_feed_needs_an_agency_and_a_sane_interval(client, django_user_model):
    from tests.factories import make_author

    client.force_login(django_user_model.objects.create_superuser("chief", password="x"))
    person = make_author("كاتب عادي")
    response = client.post(
        reverse("admin:wires_feed_add"),
        {
            "name": "موجز",
            "url": "http://127.0.0.1:9/feed",
            "format": "rss",
            "agency": person.pk,
            "section": make_section("عالم").pk,
            "poll_seconds": 5,
            "is_active": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ثلاثين ثانية" in html and "errorlist" in html


def test_a_feed_address_must_be_http(client, django_user_model):
    """An ftp:// address was accepted, then failed every poll with «(InvalidSchema)»."""
    from tests.factories import make_author

    client.force_login(django_user_model.objects.create_superuser("chief", password="x"))
    agency = make_author("وكالة", kind=Author.Kind.AGENCY)
    data = {
        "name": "موجز",
        "url": "ftp://127.0.0.1/feed.xml",
        "format": "rss",
        "agency": agency.pk,
        "section": make_section("عالم").pk,
        "poll_seconds": 300,
        "is_active": "on",
    }
    response = client.post(reverse("admin:wires_feed_add"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "اكتب عنوان الموجز بدءًا بـ https://" in html
    assert 'value="ftp://127.0.0.1/feed.xml"' in html  # kept to be corrected
    assert not Feed.objects.exists()


def test_an_items_page_shows_the_agency_text_sanitised(client, agency, make_feed):
    feed = make_feed()
    item = WireItem.objects.create(
        feed=feed,
        guid="evil-1",
        headline="خبر فيه <b>وسم</b>",
        body='<p>نص سليم</p><script>alert(1)</script><img src=x onerror="alert(2)">',
        link="http://127.0.0.1/evil",
    )
    client.force_login(make_staff("كتّاب الأخبار", username="writer"))
    html = client.get(reverse("admin:wires_wireitem_change", args=[item.pk])).content.decode()
    assert "<p>نص سليم</p>" in html and "alert(" not in html
    assert "&lt;b&gt;وسم&lt;/b&gt;" in html


def test_approving_a_pitch_without_a_writer_says_the_draft_has_none(client):
    editor = make_staff("المحررون", username="editor")
    client.force_login(editor)
    pitch = Pitch.objects.create(
        headline="مقترح بلا كاتب", section=make_section("رياضة"), expected_at=timezone.now()
    )
    response = client.post(reverse("admin:wires_pitch_approve", args=[pitch.pk]), follow=True)
    html = response.content.decode()
    assert "مسودة بلا كاتب بعد" in html and "مكلَّف بها كاتبها" not in html
