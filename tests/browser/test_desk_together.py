"""Two editors in two Chromium contexts on one article: the second sees «يحرّره الآن …»,
takes over and saves; the first's stale save is refused in Arabic with everything typed kept.
The lock notice, the refused form and the dashboard pass axe-core (WCAG 2.2 AA)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from counters.models import ArticleViewDay, ArticleViewHour
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def editor(username, first, last):
    user = make_staff("المحررون", username=username)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def sign_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    return context, page, errors


def test_two_editors_one_article_nothing_lost(live_server, browser, screenshot_dir):
    editor("salma", "سلمى", "الحسن")
    editor("omar", "عمر", "الخطيب")
    article = make_article("خبر يحرّره اثنان", is_breaking=True)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for back in range(0, 40, 3):
        ArticleViewHour.objects.create(
            article=article, hour=hour - timedelta(hours=back), views=10 + back
        )
    for back in range(0, 30, 2):
        ArticleViewDay.objects.create(
            article=article, day=timezone.localdate() - timedelta(days=back), views=5 + back
        )
    url = f"{live_server.url}/ar/admin/articles/article/{article.pk}/change/"
    context_a, first, errors_a = sign_in(browser, live_server, "salma")
    context_b, second, errors_b = sign_in(browser, live_server, "omar")
    try:
        first.goto(url)
        assert first.locator(".desk-lock").count() == 0
        # The form shows the views per day as a chart, with its table.
        assert first.locator("figure.desk-chart svg > title").count() == 1

        second.goto(url)
        notice = second.locator(".desk-lock")
        assert "يحرّره الآن سلمى الحسن، منذ" in notice.inner_text()
        second.screenshot(path=screenshot_dir / "desk-lock.png", full_page=True)
        assert axe_violations(second) == []

        # She types while he takes over and saves his version.
        first.fill("#id_title_ar", "عنوان كتبته سلمى")
        first.fill("#id_lead_ar", "مقدمة كتبتها سلمى ولن تضيع")
        with second.expect_navigation():
            second.click(".desk-takeover button")
        assert second.locator(".desk-lock").count() == 0
        second.fill("#id_title_ar", "عنوان كتبه عمر")
        with second.expect_navigation():
            second.click("input[name=_save]")
        assert second.locator(".messagelist .success").count() == 1

        with first.expect_navigation():
            first.click("input[name=_save]")
        errors = first.locator(".errornote, ul.errorlist.nonfield").all_inner_texts()
        assert any("حفظ عمر الخطيب هذا المقال في" in text for text in errors), errors
        assert first.input_value("#id_title_ar") == "عنوان كتبته سلمى"
        assert first.input_value("#id_lead_ar") == "مقدمة كتبتها سلمى ولن تضيع"
        assert first.locator(".desk-conflict a[href*='compare']").count() == 1
        first.screenshot(path=screenshot_dir / "desk-refused.png", full_page=True)
        assert axe_violations(first) == []
        assert Article.objects.get(pk=article.pk).title_ar == "عنوان كتبه عمر"

        # Having compared, she saves hers over his, deliberately.
        first.check("#id_desk_overwrite")
        with first.expect_navigation():
            first.click("input[name=_save]")
        assert first.locator(".messagelist .success").count() == 1
        assert Article.objects.get(pk=article.pk).title_ar == "عنوان كتبته سلمى"

        # The dashboard: figures, the hourly chart (SVG with a title) and its table.
        first.goto(live_server.url + "/ar/admin/")
        assert first.locator(".desk-dashboard").count() == 1
        assert (
            "المشاهدات ساعةً بساعة"
            in first.locator("#desk-views-per-hour svg > title").text_content()
        )
        first.screenshot(path=screenshot_dir / "desk-dashboard.png", full_page=True)
        assert axe_violations(first) == []

        # The ticker on the public site.
        first.goto(live_server.url + "/ar/")
        assert "عنوان كتبته سلمى" in first.locator(".breaking-ticker").inner_text()
        assert axe_violations(first) == []
        assert errors_a == [] and errors_b == []
    finally:
        context_a.close()
        context_b.close()


def test_taking_over_after_typing_keeps_what_was_typed(live_server, browser):
    """He opened a locked article, typed, then pressed «تولَّ التحرير»: its own little form
    reloaded the saved text over his."""
    from desk.models import EditLock

    editor("salma", "سلمى", "الحسن")
    omar = editor("omar", "عمر", "الخطيب")
    article = make_article("خبر قبل التولي")
    url = f"{live_server.url}/ar/admin/articles/article/{article.pk}/change/"
    context_a, first, errors_a = sign_in(browser, live_server, "salma")
    context_b, second, errors_b = sign_in(browser, live_server, "omar")
    try:
        first.goto(url)
        second.goto(url)
        assert second.locator(".desk-lock").count() == 1
        second.fill("#id_title_ar", "عنوان كتبه عمر قبل التولي")
        with second.expect_navigation():
            second.click(".desk-takeover button")
        assert second.input_value("#id_title_ar") == "عنوان كتبه عمر قبل التولي"
        assert second.locator(".desk-lock").count() == 0
        assert Article.objects.get(pk=article.pk).title_ar == "عنوان كتبه عمر قبل التولي"
        assert EditLock.objects.get(article=article).user == omar
        assert errors_a == [] and errors_b == []
    finally:
        context_a.close()
        context_b.close()


@pytest.mark.parametrize("live", [False, True])
def test_the_live_panel_keeps_clear_of_the_form_and_its_buttons(live_server, browser, live):
    """Not live, the panel sits below the form: placed after the floated form, its box ran
    4,550 px behind it (red edges and bars above every section). Live, it sits above the
    form, clear of the history and «view on site» buttons, which were pulled up onto it."""
    from live import services

    editor("salma", "سلمى", "الحسن")
    article = make_article("خبر مباشر" if live else "خبر بلا تغطية")
    if live:
        services.start_coverage(article=article)
    context, page, errors = sign_in(browser, live_server, "salma")
    try:
        page.goto(f"{live_server.url}/ar/admin/articles/article/{article.pk}/change/")
        panel = page.locator("#live-desk").bounding_box()
        if live:
            above, below = panel, page.locator("#content-main .object-tools").bounding_box()
        else:
            above, below = page.locator("#article_form").bounding_box(), panel
            assert panel["height"] < 1000, panel
        assert below["y"] >= above["y"] + above["height"] - 1, (above, below)
        assert errors == []
    finally:
        context.close()
