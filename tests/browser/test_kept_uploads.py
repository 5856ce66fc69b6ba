"""In real Chromium: an image chosen on an article form that comes back with an error is
kept (the file input itself comes back empty, as browsers make it), shown by name, passes
axe, and the next save uses it without choosing it again."""

import io

import pytest
from PIL import Image

from articles.models import Article
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 700), (30, 90, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_image_chosen_before_an_error_is_kept_and_saved(live_server, page, screenshot_dir):
    article = make_article("خبر ينتظر صورته")
    make_staff("المحررون", username="editor")
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    url = f"{live_server.url}/ar/admin/articles/article/{article.pk}/change/"
    page.goto(url)

    page.set_input_files(
        "#id_image", files=[{"name": "ميناء.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.fill("#id_title_ar", "")  # the error elsewhere
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    notice = page.locator(".field-image .kept-upload")
    assert notice.is_visible(), page.content()[:2000]
    assert "الصورة التي اخترتها محفوظة: ميناء.jpg" in notice.inner_text()
    assert page.locator("#id_image").evaluate("input => input.files.length") == 0
    assert axe_violations(page) == []
    page.screenshot(path=screenshot_dir / "admin-article-kept-image.png", full_page=True)

    page.fill("#id_title_ar", "خبر بصورته")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:2000]
    article = Article.objects.get(pk=article.pk)
    assert article.title_ar == "خبر بصورته"
    assert article.image and article.image_renditions
    assert page.locator(".kept-upload").count() == 0
