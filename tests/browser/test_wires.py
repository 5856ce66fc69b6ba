"""The desk's intake in Chromium: an editor finds a wire in «الوكالات» (polled from a loopback
agency), takes it into a draft with one click, plans a pitch into an assignment, and reads the
day's budget and the week calendar; axe-core (WCAG 2.2 AA) on the queue, budget and calendar."""

import pytest

from articles.models import Article, Author
from desk.models import Assignment
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations
from tests.factories import make_author, make_section
from tests.wires.conftest import Agency
from wires.models import Feed, Pitch
from wires.services import poll_due_feeds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency():
    server = Agency()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_an_editors_morning(live_server, page, agency, screenshot_dir):
    editor = make_staff("المحررون", username="nour")
    editor.first_name, editor.last_name = "نور", "الهدى"
    editor.save()
    section = make_section("محليات")
    Feed.objects.create(
        name="أنباء",
        url=agency.base + "/newsml",
        format="newsml-g2",
        agency=make_author("وكالة أنباء المدن", kind=Author.Kind.AGENCY),
        section=section,
    )
    poll_due_feeds()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", "nour")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    page.wait_for_load_state()

    # The queue: the wire is there, marked new; the search folds Arabic spelling.
    page.goto(live_server.url + "/ar/admin/wires/wireitem/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "أخبار الوكالات"
    assert page.locator(".wires-new").count() == 1
    page.fill("#searchbar", "حمله تلقيح")
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    row = page.locator("#result_list tbody tr")
    assert row.count() == 1 and "حملة تلقيح" in row.inner_text()
    page.screenshot(path=screenshot_dir / "wires-queue.png", full_page=True)
    assert axe_violations(page) == []

    # «خذ الخبر»: one click, a sourced draft.
    with page.expect_navigation():
        page.get_by_role("button", name="خذ الخبر: وزارة الصحة تطلق حملة تلقيح").click()
    assert "/ar/admin/articles/article/" in page.url
    assert page.locator(".messagelist .success").count() == 1
    assert page.input_value("#id_title_ar") == "وزارة الصحة تطلق حملة تلقيح في المدارس الابتدائية"
    assert page.input_value("#id_source") == "وكالة أنباء المدن"
    draft = Article.objects.get()
    assert draft.status == "draft" and [a.name for a in draft.authors.all()] == [
        "وكالة أنباء المدن"
    ]

    # A pitch for today, approved into an assignment.
    page.goto(live_server.url + "/ar/admin/wires/pitch/add/")
    page.fill("#id_headline", "جولة في أسواق الخضار قبل العيد")
    page.select_option("#id_section", str(section.pk))
    page.select_option("#id_writer", str(editor.pk))
    page.click(".datetimeshortcuts a:first-child")  # today
    page.fill("#id_expected_at_1", "15:00:00")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="اعتمد وكلّف: جولة في أسواق الخضار قبل العيد").click()
    pitch = Pitch.objects.get()
    assert pitch.status == "approved" and pitch.article_id
    assert Assignment.objects.get(article_id=pitch.article_id).writer == editor

    page.goto(live_server.url + "/ar/admin/wires/pitch/budget/")
    assert "جولة في أسواق الخضار قبل العيد" in page.locator("#wires-pitches + table").inner_text()
    assert page.locator("#wires-assignments + table").count() == 1
    page.screenshot(path=screenshot_dir / "wires-budget.png", full_page=True)
    assert axe_violations(page) == []

    page.goto(live_server.url + "/ar/admin/wires/pitch/calendar/")
    calendar = page.locator("table.wires-calendar")
    assert calendar.locator("thead th").count() == 7
    assert "جولة في أسواق الخضار قبل العيد" in calendar.inner_text()
    page.screenshot(path=screenshot_dir / "wires-calendar.png", full_page=True)
    assert axe_violations(page) == []
    assert errors == []
