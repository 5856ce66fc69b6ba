"""The editorial desk in real Chromium: an editor writes an Arabic article with the rich-text
editor, publishes it and reads it on the site. The admin form is captured, right to left."""

import pytest

from articles.models import Article, Topic
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations
from tests.browser.desk import sign_in
from tests.factories import make_author, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "مجلس المحافظة يقرّ خطة لترميم أسواق دمشق القديمة"
PARAGRAPH = "أقرّ مجلس محافظة دمشق خطة لترميم الأسواق القديمة تبدأ في الربيع المقبل."


def test_editor_writes_and_publishes_in_arabic(live_server, page, screenshot_dir):
    section = make_section("محليات")
    make_author("سلمى الحسن")
    make_staff("المحررون", username="editor")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def record_failure(response):
        if response.status >= 400 and "favicon" not in response.url:
            errors.append(f"{response.status} {response.url}")

    page.on("response", record_failure)
    # No CDN: every asset of the desk (editor, jQuery UI for the language tabs) is ours.
    page.on(
        "request",
        lambda request: (
            request.url.startswith((live_server.url, "data:"))
            or errors.append(f"outside request {request.url}")
        ),
    )

    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/ar/admin/articles/article/add/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#bylines-group").is_visible()
    # The editor's menu speaks Arabic too (it writes English labels: static/js/admin_desk.js).
    menu = page.locator(".field-body_ar .prose-menubar").first
    menu.locator('button[title="عريض"]').wait_for()
    titles = menu.locator(".prose-menubar__button").evaluate_all(
        "buttons => buttons.map(b => b.title)"
    )
    assert {"عريض", "مائل", "تراجع", "إدراج رابط", "قائمة مرقّمة"} <= set(titles), titles
    assert not [title for title in titles if title.isascii()], titles
    options = menu.locator(".prose-menubar__option").evaluate_all(
        "options => options.map(o => o.textContent)"
    )
    assert options == ["عنوان فرعي 2", "عنوان فرعي 3", "عنوان فرعي 4", "فقرة"], options
    assert menu.locator('button[title="عريض"]').inner_text() == "format_bold"  # the icon
    # The language tabs are named, not coded ("AR", "EN"): static/js/admin_desk.js.
    tabs = page.locator(".ui-tabs-nav a").evaluate_all("links => links.map(a => a.textContent)")
    assert {"العربية", "الإنجليزية"} <= set(tabs), tabs
    switch = page.locator("#modeltranslation-main-switch option").all_inner_texts()
    assert switch == ["العربية", "الإنجليزية"], switch

    page.fill("#id_title_ar", TITLE)
    page.select_option("#id_section", str(section.pk))
    editor = page.locator(".field-body_ar [contenteditable=true]").first
    editor.click()
    page.keyboard.type(PARAGRAPH)
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("تفاصيل إضافية")
    assert editor.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.select_option("#id_status", "published")
    page.screenshot(path=screenshot_dir / "admin-article-form-rtl.png", full_page=True)

    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:2000]
    article = Article.objects.get(title_ar=TITLE)
    assert article.is_published()
    assert PARAGRAPH in article.body_ar
    assert "<strong>تفاصيل إضافية</strong>" in article.body_ar

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("h1.article-title").inner_text() == TITLE
    assert PARAGRAPH in page.locator(".article-body").inner_text()
    assert page.locator(".preview-banner").count() == 0
    page.goto(live_server.url + "/ar/")
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    page.screenshot(path=screenshot_dir / "home-after-publishing.png")
    assert (screenshot_dir / "admin-article-form-rtl.png").stat().st_size > 20_000
    assert not errors, errors


def test_a_form_too_large_to_send_says_so_and_keeps_everything(live_server, page, settings):
    """Django refuses a form whose text passes DATA_UPLOAD_MAX_MEMORY_SIZE unread («طلب غير
    صالح», everything typed lost): the desk says so before sending, on the page that holds it."""
    make_section("محليات")
    sign_in(page, live_server)
    page.goto(live_server.url + "/ar/admin/articles/article/add/")
    page.fill("#id_title_ar", TITLE)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # The English lead (its tab not shown: a few megabytes of text laid out on screen would
    # keep Chromium busy for longer than the test waits) alone passes the limit.
    page.evaluate("n => { document.querySelector('#id_lead_en').value = 'a'.repeat(n); }", limit)
    sent = []
    page.on("request", lambda req: sent.append(req.url) if req.method == "POST" else None)
    page.click("input[name=_save]")
    alert = page.get_by_role("alert").filter(has_text="أكبر من أن يُرسَل")
    alert.wait_for()
    assert "ميغابايت" in alert.inner_text()
    assert sent == [] and page.url.endswith("/add/")
    assert page.input_value("#id_title_ar") == TITLE
    assert len(page.evaluate("() => document.querySelector('#id_lead_en').value")) == limit
    # Back under the limit, the same form goes.
    page.evaluate("() => { document.querySelector('#id_lead_en').value = 'A short lead'; }")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert sent and "add" in sent[-1]


def test_a_plain_form_is_weighed_as_sent(live_server, page, settings):
    """A form without files sends an Arabic letter as six characters («%D8%A8»): 3 MB of
    Arabic text passes a 5 MB limit at two bytes a letter, and was refused unread."""
    sign_in(page, live_server)
    page.goto(live_server.url + "/ar/admin/wires/pitch/add/")
    assert page.evaluate("() => document.querySelector('#pitch_form').enctype").endswith(
        "urlencoded"
    )
    letters = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 6 + 10_000  # ~3 MB of UTF-8, ~5 MB sent
    page.evaluate(
        "n => { const notes = document.querySelector('#id_notes');"
        " notes.style.display = 'none'; notes.value = 'ب'.repeat(n); }",
        letters,
    )
    sent = []
    page.on("request", lambda req: sent.append(req.url) if req.method == "POST" else None)
    page.click("input[name=_save]")
    page.get_by_role("alert").filter(has_text="أكبر من أن يُرسَل").wait_for()
    assert sent == [] and page.url.endswith("/add/")


@pytest.mark.parametrize("width", [768, 1024])
def test_the_article_form_fits_a_tablet(live_server, browser, width):
    """At 768 px the side menu stayed open, took two fifths of the width, and cut the text
    editor and the body at the left edge; at 1024 px it squeezed the outbox's list."""
    from desk.models import Note
    from tests.browser.desk import sign_in_as
    from tests.factories import make_article

    editor = make_staff("المحررون", username="editor")
    article = make_article(TITLE, body_ar=f"<p>{PARAGRAPH * 4}</p>")
    Note.objects.create(article=article, author=editor, text="تحقق من الأرقام مع المصدر " * 3)
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        sign_in_as(page, live_server, "editor")
        page.goto(f"{live_server.url}/ar/admin/articles/article/{article.pk}/change/")
        page.wait_for_selector(".ProseMirror", state="attached")
        outside = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth, found = [];
                for (const el of document.querySelectorAll('#content *')) {
                    const box = el.getBoundingClientRect();
                    if (!box.width || el.closest('[hidden], .hidden')) continue;
                    // a wide table inside a box that scrolls sideways is reached there
                    const scrolls = (box) => ['auto', 'scroll'].includes(
                        getComputedStyle(box).overflowX);
                    let scroller = el.parentElement;
                    while (scroller && !scrolls(scroller)) scroller = scroller.parentElement;
                    if (scroller && scroller.id !== 'content') {
                        const own = scroller.getBoundingClientRect();
                        if (own.left >= -1 && own.right <= width + 1) continue;
                    }
                    if (box.left < -1 || box.right > width + 1)
                        found.push(`${el.tagName.toLowerCase()}.${el.className}`);
                }
                return found.slice(0, 10);
            }"""
        )
        assert outside == [], outside
        assert page.locator("#nav-sidebar").is_hidden()
        notes = page.locator("#desk_notes-group table")
        widths = notes.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
        assert widths[0] <= widths[1] + 1, widths  # the notes fit, each shown once
        assert page.locator("#desk_notes-group").inner_text().count("تحقق من الأرقام") == 3
    finally:
        context.close()


def test_a_topic_typed_but_not_chosen_is_not_dropped_without_a_word(live_server, page):
    """Typed in the topics' autocomplete and not chosen from its list, a topic vanished from
    the box when the list closed (a click on «حفظ» only closes it), and the article was saved
    without it: the desk says what was typed and not added, under the field, until a choice."""
    section = make_section("محليات")
    Topic.objects.create(name_ar="أسواق دمشق", slug="أسواق-دمشق")
    sign_in(page, live_server)
    page.goto(live_server.url + "/ar/admin/articles/article/add/")
    page.fill("#id_title_ar", TITLE)
    page.select_option("#id_section", str(section.pk))
    page.locator(".field-body_ar [contenteditable=true]").first.click()
    page.keyboard.type(PARAGRAPH)
    page.click(".field-topics .select2-selection")
    search = page.locator(".field-topics .select2-search__field")
    search.fill("أسواق دمشق")
    sent = []
    page.on("request", lambda req: sent.append(req.url) if req.method == "POST" else None)
    page.click("input[name=_save]")  # closes the list: the box empties, nothing is sent
    note = page.locator(".field-topics .unpicked-choice")
    note.wait_for()
    assert note.get_attribute("role") == "alert"
    assert "«أسواق دمشق»" in note.inner_text() and "لم يُضَف" in note.inner_text()
    assert "الموضوعات" in note.inner_text() or "المواضيع" in note.inner_text(), note.inner_text()
    assert sent == [] and page.url.endswith("/add/")
    assert page.input_value("#id_title_ar") == TITLE
    assert axe_violations(page) == []  # the form with its note, WCAG 2.2 AA
    # Chosen from the list, the note goes, and the topic is saved with the article.
    page.click(".field-topics .select2-selection")
    search.fill("أسواق")
    page.locator(".select2-results__option", has_text="أسواق دمشق").click()
    note.wait_for(state="detached")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:2000]
    article = Article.objects.get(title_ar=TITLE)
    assert [topic.name_ar for topic in article.topics.all()] == ["أسواق دمشق"]
