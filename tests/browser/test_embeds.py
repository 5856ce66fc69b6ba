"""Embeds and focal points in real Chromium. The reader's browser asks nothing of YouTube or X
until the reader presses «تشغيل»: every request is watched (page.on("request")), and those for
other hosts are answered by the test itself (Playwright's routing, so nothing leaves this
machine); after the click the player's frame loads from youtube-nocookie.com, allowed by the
CSP's frame-src. Keyboard only, axe clean, right to left on a phone. The card on the home page
shows the mark the editor's focal point keeps."""

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from articles.models import MediaImage
from embeds.cache import resolving_links
from tests.articles.test_focal_point import marked_upload
from tests.browser.accessibility import axe_violations
from tests.embeds.conftest import provider_server, providers  # noqa: F401  (fixtures)
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
X_POST = "https://x.com/MoH/status/1790000000000000000"
PLAYER = "<!doctype html><meta charset=utf-8><title>player</title><p id=player>مشغّل الاختبار</p>"


def watch(context, outside, csp_errors):
    """Record every request for a host outside loopback; answer a player's from here."""

    def route(route):
        outside.append(route.request.url)
        if urlsplit(route.request.url).hostname == "www.youtube-nocookie.com":
            return route.fulfill(status=200, content_type="text/html", body=PLAYER)
        return route.abort()

    context.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1", "localhost"), route)


def test_nothing_is_asked_of_a_provider_before_the_click(live_server, browser, providers):  # noqa: F811
    with resolving_links():
        article = make_article(
            "مؤتمر وزير الصحة",
            body_ar=f"<p>قال الوزير:</p><p>{YOUTUBE}</p><p>{X_POST}</p><p>وانتهى المؤتمر.</p>",
        )
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    outside, csp_errors, requests = [], [], []
    watch(context, outside, csp_errors)
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text),
    )
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.wait_for_load_state("networkidle")
        facade = page.locator("figure.embed-video")
        play = facade.get_by_role("button", name="تشغيل")
        assert play.is_visible()
        assert facade.locator("img.embed-thumb").evaluate("i => i.complete && i.naturalWidth > 0")
        assert page.locator("figure.embed-post .embed-title").inner_text() == "بيان عن اللقاحات"
        assert outside == []
        assert {urlsplit(url).hostname for url in requests} == {"localhost"}, requests
        assert page.locator("iframe").count() == 0
        # Right to left on a phone: each embed within the text's column; the button on the right.
        body = page.locator(".article-body").bounding_box()
        for figure in page.locator("figure.embed").all():
            box = figure.bounding_box()
            assert (
                body["x"] - 1 <= box["x"]
                and box["x"] + box["width"] <= body["x"] + body["width"] + 1
            )
            assert box["width"] > 300
        box, button = facade.bounding_box(), play.bounding_box()
        assert button["x"] + button["width"] > box["x"] + box["width"] / 2
        # «تشغيل» never covers a title (without a picture it sat on the post's title).
        for figure in page.locator("figure.embed").all():
            if figure.locator(".embed-play:visible").count():
                a = figure.locator(".embed-title").bounding_box()
                b = figure.locator(".embed-play").bounding_box()
                apart = (
                    a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                    or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
                )  # fmt: skip
                assert apart, (figure.get_attribute("class"), a, b)
        assert axe_violations(page) == []

        # Keyboard only: tab to the button and press Enter.
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('embed-play')"):
                break
        assert page.evaluate("document.activeElement.textContent").startswith("تشغيل")
        page.keyboard.press("Enter")
        frame = page.locator("figure.embed-video iframe")
        frame.wait_for()
        assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        assert frame.get_attribute("title") == "مؤتمر صحفي لوزير الصحة"
        player = page.frame_locator("figure.embed-video iframe").locator("#player")
        assert player.inner_text() == "مشغّل الاختبار"
        assert outside == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
        assert page.evaluate("document.activeElement.tagName") == "IFRAME"
        assert csp_errors == []
        assert axe_violations(page) == []
    finally:
        context.close()


def test_without_javascript_an_embed_is_a_plain_link(live_server, browser, providers):  # noqa: F811
    with resolving_links():
        article = make_article("خبر", body_ar=f"<p>{YOUTUBE}</p>")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    outside = []
    watch(context, outside, [])
    try:
        page.goto(live_server.url + article.get_absolute_url())
        assert not page.get_by_role("button", name="تشغيل").is_visible()
        link = page.locator("figure.embed a.embed-link")
        assert link.get_attribute("href") == YOUTUBE
        assert outside == []
    finally:
        context.close()


def test_the_home_card_shows_the_focal_point(live_server, page):
    # A portrait with a red mark near its bottom: the 16:9 card shows a band of it.
    library = MediaImage.objects.create(
        image=marked_upload((900, 1600), (450, 1450)), alt_text_ar="صورة طولية"
    )
    make_article("خبر بصورة طولية", library_image=library, is_featured=False)

    def card_shows_mark():
        page.goto(live_server.url + "/")
        image = page.locator(".card img, .lead-story img").first
        image.evaluate("i => i.decode()")
        shot = Image.open(io.BytesIO(image.screenshot())).convert("RGB")
        data = shot.tobytes()
        return image, any(
            data[i] > 200 and data[i + 1] < 60 and data[i + 2] < 60 for i in range(0, len(data), 3)
        )

    image, shown = card_shows_mark()
    assert not shown  # from the centre, the mark is cropped away
    library.focal_x, library.focal_y = 50, 91
    library.save()
    image, shown = card_shows_mark()
    assert image.evaluate("i => getComputedStyle(i).objectPosition") == "50% 90%"
    assert shown


def test_a_twelve_photo_gallery_by_keyboard_only(live_server, browser):
    from embeds.models import Gallery, GalleryItem
    from tests.factories import image_upload

    gallery = Gallery.objects.create(title="بالصور: معرض الكتاب")
    for n in range(12):
        image = MediaImage.objects.create(
            image=image_upload(f"book-{n}.jpg", size=(800, 600)), alt_text_ar=f"صورة {n}"
        )
        GalleryItem.objects.create(
            gallery=gallery, image=image, position=n, alt_text=f"جناح رقم {n + 1} في المعرض",
            caption=f"الجناح {n + 1}", credit="عدسة الوكالة",
        )  # fmt: skip
    article = make_article("معرض الكتاب", body_ar=f"<p>افتتح المعرض.</p><p>{gallery.shortcode}</p>")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.url + article.get_absolute_url())
        status = page.locator(".gallery-status")
        assert status.inner_text() == "1 من 12"
        # Lazy: the photos out of view are not loaded yet.
        loaded = page.locator(".gallery-item img").evaluate_all(
            "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length"
        )
        assert loaded < 12
        assert axe_violations(page) == []
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('gallery-next')"):
                break
        assert page.evaluate("document.activeElement.textContent") == "الصورة التالية"
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('.gallery-status').textContent === '3 من 12'"
        )
        third = page.locator(".gallery-item").nth(2)
        page.wait_for_function(
            """() => {
                const l = document.querySelector('.gallery-items').getBoundingClientRect();
                const r = document.querySelectorAll('.gallery-item')[2].getBoundingClientRect();
                return Math.abs(r.right - l.right) < 2; }"""
        )
        assert third.locator("img").evaluate("i => i.complete && i.naturalWidth > 0")
        # The list itself takes the arrow keys: in right to left, ArrowLeft is the next photo.
        page.locator(".gallery-items").focus()
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            "() => document.querySelector('.gallery-status').textContent === '4 من 12'"
        )
        # one step at a time: a key pressed while the list still scrolls to the last photo
        # counts from where the scroll is (on a loaded machine: «3 من 12», then a timeout)
        for shown in ("3 من 12", "2 من 12"):
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "shown => document.querySelector('.gallery-status').textContent === shown",
                arg=shown,
            )
        assert page.locator(".gallery-status").get_attribute("aria-live") == "polite"
        # End goes to the last photo; there «next» does nothing but keeps the focus (a
        # disabled button dropped it to the page's start)
        page.locator(".gallery-items").focus()
        page.keyboard.press("End")
        page.wait_for_function(
            "() => document.querySelector('.gallery-status').textContent === '12 من 12'"
        )
        next_button = page.locator(".gallery-next")
        # set when the scroll settles, which on a loaded machine comes after the status
        page.wait_for_function(
            "() => document.querySelector('.gallery-next').getAttribute('aria-disabled') === 'true'"
        )
        next_button.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.classList.contains('gallery-next')")
        assert page.locator(".gallery-status").inner_text() == "12 من 12"
        assert errors == []
        assert axe_violations(page) == []
    finally:
        context.close()


def paste(editor, text):
    """A real paste event into the rich-text editor, as from the clipboard."""
    editor.evaluate(
        """(el, text) => { const data = new DataTransfer(); data.setData('text/plain', text);
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                          cancelable: true})); }""",
        text,
    )


def test_an_editor_pastes_links_and_sets_a_focal_point(live_server, page, providers):  # noqa: F811
    from articles.models import Article
    from embeds.models import Embed
    from tests.articles.desk_helpers import make_staff
    from tests.factories import make_author, make_section

    section = make_section("محليات")
    make_author("سلمى الحسن")
    make_staff("المحررون", username="editor")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")

    page.goto(live_server.url + "/ar/admin/articles/article/add/")
    page.fill("#id_title_ar", "الوزير يعلن حملة التلقيح")
    page.select_option("#id_section", str(section.pk))
    editor = page.locator(".field-body_ar [contenteditable=true]").first
    editor.click()
    page.keyboard.type("أعلن الوزير الحملة في مؤتمر صحفي:")
    page.keyboard.press("Enter")
    paste(editor, YOUTUBE)
    page.keyboard.press("Enter")
    paste(editor, X_POST)
    page.keyboard.press("Enter")
    page.keyboard.type("وتبدأ الحملة الأحد.")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:2000]
    article = Article.objects.get(title_ar="الوزير يعلن حملة التلقيح")
    assert {embed.provider for embed in Embed.objects.all()} == {"YouTube", "X"}
    assert all(embed.status == "ok" for embed in Embed.objects.all())

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("figure.embed").count() == 2
    assert page.locator("figure.embed-video .embed-title").inner_text() == "مؤتمر صحفي لوزير الصحة"

    # The focal point: a click on the thumbnail's library image sets the two fields.
    thumbnail = Embed.objects.get(provider="YouTube").thumbnail
    page.goto(live_server.url + f"/ar/admin/articles/mediaimage/{thumbnail.pk}/change/")
    picture = page.locator("[data-focal-picker] img")
    box = picture.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.25)
    assert abs(int(page.input_value("#id_focal_x")) - 80) <= 1
    assert abs(int(page.input_value("#id_focal_y")) - 25) <= 1
    mark = page.locator(".focal-mark").bounding_box()
    assert abs(mark["x"] + mark["width"] / 2 - (box["x"] + box["width"] * 0.8)) < 3
    page.fill("#id_focal_y", "30")  # by keyboard: the mark follows
    page.click("input[name=_save]")
    page.wait_for_load_state()
    thumbnail.refresh_from_db()
    assert (abs(thumbnail.focal_x - 80) <= 1, thumbnail.focal_y) == (True, 30)
    assert set(thumbnail.crops) == {"16:9", "1:1", "4:5", "1.91:1"}
    assert errors == []
