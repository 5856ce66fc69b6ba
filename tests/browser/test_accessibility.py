"""WCAG 2.2 AA in Chromium (axe-core): the public pages and the desk have no serious or
critical violation, in Arabic (right to left) and on the English side."""

import pytest
from django.utils import translation

from articles.models import MediaImage, Topic
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations, pages_violations
from tests.browser.desk import sign_in_as
from tests.factories import image_upload, make_article, make_author, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom():
    section = make_section("محليات")
    author = make_author("سلمى الحسن")
    topic = Topic.for_name("المياه")
    article = make_article(
        "إعادة تأهيل شبكة المياه في حي الميدان",
        section=section,
        authors=[author],
        lead_ar="تنتهي الأعمال خلال شهرين.",
        image=image_upload(),
        image_alt_ar="عمال يمدون أنابيب",
        source="الماسة السورية",
        is_breaking=True,  # the «عاجل» ticker is on every public page checked
        # a single-choice autocomplete with a value: select2 shows its «×» (clear) button
        social_image=MediaImage.objects.create(
            image=image_upload("social.jpg"), alt_text_ar="صورة للمشاركة"
        ),
    )
    article.topics.add(topic)
    for n in range(3):
        make_article(f"خبر محلي رقم {n}", section=section, authors=[author]).topics.add(topic)
    return {"section": section, "author": author, "topic": topic, "article": article}


def public_pages(objects):
    pages = []
    for language in ("ar", "en"):
        with translation.override(language):
            pages += [
                f"/{language}/",
                objects["section"].get_absolute_url(),
                objects["author"].get_absolute_url(),
                objects["topic"].get_absolute_url(),
                objects["article"].get_absolute_url(),
                f"/{language}/search/?q=المياه",
                f"/{language}/search/?q=%3F",  # an error shown at the field
                # The date archive: the month's calendar, the year's months.
                f"/{language}/archive/{objects['article'].published_at:%Y/%m}/",
                f"/{language}/archive/{objects['article'].published_at:%Y}/",
                # pages with a link inside a sentence (axe's link-in-text-block)
                f"/{language}/newsletter/confirm/not-a-token/",
                f"/{language}/no-such-page/",
            ]
    return [*pages, "/api/v1/docs/"]


def test_public_pages_pass_axe(live_server, page, newsroom):
    failures = {}
    for path in public_pages(newsroom):
        page.goto(live_server.url + path)
        found = axe_violations(page)
        if found:
            failures[path] = found
    assert failures == {}, "\n".join(
        f"{path}: {line}" for path, lines in failures.items() for line in lines
    )


def test_comment_form_with_errors_passes_axe(live_server, page, newsroom):
    page.goto(live_server.url + newsroom["article"].get_absolute_url())
    page.locator(
        "#comments form button[type=submit], #comments form input[type=submit]"
    ).first.click()
    page.wait_for_load_state()
    assert axe_violations(page) == []


def test_desk_pages_pass_axe(live_server, page, newsroom):
    make_staff("المحررون", username="editor")
    page.goto(live_server.url + "/ar/admin/login/")
    assert axe_violations(page) == []
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    paths = (
        "/ar/admin/",
        "/ar/admin/articles/article/",
        f"/ar/admin/articles/article/{newsroom['article'].pk}/change/",
        "/ar/admin/articles/topic/",
        f"/ar/admin/articles/topic/{newsroom['topic'].pk}/delete/",  # links inside sentences
        "/ar/admin/comments/readercomment/",
    )
    assert pages_violations(page, live_server.url, paths) == ""
    # The language tabs still switch once their links are no longer focusable themselves.
    # Switching shows the panel already on the page: never a copy of the page fetched into it
    # (jQuery UI fetches a tab whose link it does not take for a fragment of this page: the
    # editor's typing was lost on save).
    fetched = []
    page.on("request", lambda request: fetched.append(request.url)
            if request.resource_type in ("xhr", "fetch") else None)  # fmt: skip
    page.goto(live_server.url + f"/ar/admin/articles/article/{newsroom['article'].pk}/change/")
    page.fill("#id_title_ar", "عنوان كتبه المحرر للتو")
    page.locator('li[aria-controls="tab_id_title_en"]').click()
    assert page.locator("#id_title_en").is_visible()
    assert not page.locator("#id_title_ar").is_visible()
    page.locator('li[aria-controls="tab_id_title_en"]').press("ArrowLeft")
    page.locator("#modeltranslation-main-switch").select_option(index=1)
    page.wait_for_load_state("networkidle")
    assert [url for url in fetched if url.split("?")[0].endswith("/change/")] == []
    assert page.locator("#id_title_ar").count() == 1 and page.locator("#header").count() == 1
    assert page.locator("#id_title_ar").input_value() == "عنوان كتبه المحرر للتو"


def test_desk_lists_and_django_widgets_pass_axe(live_server, page, newsroom, django_user_model):
    """Controls Django's admin draws without a name: a list's editable cells (the sections'
    order and menu), the date and time pair (a pitch's expected time), the permission picker's
    search icon (a group). Each one is named by its column and row, or its field and part."""
    django_user_model.objects.create_superuser("chief", password="pw-desk-12345")
    sign_in_as(page, live_server, "chief")
    paths = (
        "/ar/admin/articles/section/",
        "/ar/admin/wires/pitch/add/",
        "/ar/admin/auth/group/add/",
    )
    assert pages_violations(page, live_server.url, paths) == ""
    page.goto(live_server.url + "/ar/admin/articles/section/")
    order = page.locator("#result_list input[name$='-order']").first
    assert order.get_attribute("aria-label") == "الترتيب: محليات"
    page.goto(live_server.url + "/ar/admin/wires/pitch/add/")
    labels = [page.locator(f"#id_expected_at_{n}").get_attribute("aria-label") for n in (0, 1)]
    assert labels[0].endswith("التاريخ") and labels[1].endswith("الوقت"), labels
    # Django's yes/no icons in a list say so in Arabic, not "True" and "False".
    from digests.models import Subscriber

    Subscriber.objects.create(email="reader@example.com", daily=True, breaking=False)
    page.goto(live_server.url + "/ar/admin/digests/subscriber/")
    alts = page.locator("#result_list img").evaluate_all("images => images.map(i => i.alt)")
    assert sorted(alts) == ["لا", "نعم"], alts
    # A digest's page lists its articles as links big enough to hit (target-size, serious).
    from digests.models import Digest

    articles = [make_article(f"خبر النشرة {n}") for n in range(3)]
    digest = Digest.objects.create(
        key="daily:test", kind="daily", subject="أخبار اليوم",
        article_ids=[a.pk for a in articles], text="نص", html="<p>نص</p>",
    )  # fmt: skip
    digest_page = f"/ar/admin/digests/digest/{digest.pk}/change/"
    assert pages_violations(page, live_server.url, (digest_page,)) == ""
    page.goto(live_server.url + "/ar/admin/wires/pitch/add/")
    # Arabic-Indic digits typed become the ones Django's date and time fields read.
    page.locator("#id_expected_at_0").fill("٢٠٢٦-١٢-٠٨")
    page.locator("#id_expected_at_1").press_sequentially("١٠:٣٠")
    assert page.input_value("#id_expected_at_0") == "2026-12-08"
    assert page.input_value("#id_expected_at_1") == "10:30"


def test_topic_autocomplete_finds_any_spelling_and_saves(live_server, page, newsroom):
    """The desk's topic box: typing «الاسد» offers «الأسد»; the article is saved with it."""
    Topic.for_name("الأسد")
    make_staff("المحررون", username="editor")
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    article = newsroom["article"]
    page.goto(live_server.url + f"/ar/admin/articles/article/{article.pk}/change/")
    page.locator(".field-topics .select2-search__field").click()
    page.keyboard.type("الاسد")
    option = page.locator(".select2-results__option", has_text="الأسد")
    option.wait_for()
    option.click()
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    assert set(article.topics.values_list("name_ar", flat=True)) == {"المياه", "الأسد"}


def test_desk_together_pages_pass_axe(live_server, page, newsroom):
    """The dashboard with its chart, the article form locked by another editor, and the form
    after a refused (stale) save."""
    from datetime import timedelta

    from django.utils import timezone

    from counters.models import ArticleViewHour
    from desk.models import EditLock

    article = newsroom["article"]
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for back in range(0, 48, 2):
        ArticleViewHour.objects.create(
            article=article, hour=hour - timedelta(hours=back), views=back
        )
    other = make_staff("المحررون", username="other")
    make_staff("المحررون", username="editor")
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    page.goto(live_server.url + "/ar/admin/")
    assert page.locator("#desk-views-per-hour").count() == 1
    assert axe_violations(page) == []

    url = f"{live_server.url}/ar/admin/articles/article/{article.pk}/change/"
    EditLock.objects.create(article=article, user=other)
    page.goto(url)
    assert page.locator(".desk-lock").count() == 1
    assert axe_violations(page) == []

    EditLock.objects.all().delete()
    page.goto(url)
    article.refresh_from_db()
    article.lead_ar = "تعديل من محرر آخر"
    article.save()
    page.fill("#id_title_ar", "عنوان لن يضيع")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".desk-conflict").count() == 1
    assert page.input_value("#id_title_ar") == "عنوان لن يضيع"
    assert axe_violations(page) == []


def test_the_desks_confirmation_pages_pass_axe(live_server, page, newsroom, django_user_model):
    """The pages added this session that ask before an irreversible action: merging topics
    (which one is kept) and restoring a past front page over unpublished draft edits."""
    from frontpage import services
    from frontpage.models import Layout
    from tests.frontpage.conftest import build

    django_user_model.objects.create_superuser("chief", password="pw-desk-12345")
    Topic.for_name("مياه الشرب")
    draft = build(services.current_draft(), {"kind": "picked", "title_ar": "الأولى", "size": 1})
    past = services.publish(draft=draft)
    services.publish(draft=draft)
    draft.blocks.update(title_ar="تعديل لم يُنشر")
    sign_in_as(page, live_server, "chief")

    page.goto(live_server.url + "/ar/admin/articles/topic/")
    boxes = page.locator("input.action-select")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.select_option("select[name=action]", "merge_selected")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    assert "أي موضوع يبقى؟" in page.content()
    merge = axe_violations(page)

    past = Layout.objects.get(pk=past.pk)
    page.goto(live_server.url + f"/ar/admin/frontpage/layout/{past.pk}/change/")
    with page.expect_navigation():
        page.get_by_role("button", name="أعده إلى المسودة").click()
    assert "في المسودة تعديلات لم تُنشر بعد" in page.content()
    restore = axe_violations(page)
    assert (merge, restore) == ([], [])
