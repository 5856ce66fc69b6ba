"""In real Chromium: an editor chooses several images at once for a gallery; the form comes
back with each kept (the file input itself empty, as browsers make it) to write its alt
text, passes axe, and the save that gives each its alt text adds them in order."""

import io

import pytest
from PIL import Image

from embeds.models import Gallery
from tests.browser.accessibility import axe_violations
from tests.browser.desk import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), color).save(buffer, "JPEG")
    return buffer.getvalue()


COLORS = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (200, 200, 40)]


def choose(page, names):
    """The gallery form's «أضف صورًا» given these files at once, each a JPEG of its colour."""
    page.set_input_files(
        "#id_new_images",
        files=[
            {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(color)}
            for name, color in zip(names, COLORS, strict=False)
        ],
    )


def test_many_images_at_once_become_a_gallery(live_server, page, screenshot_dir):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/ar/admin/embeds/gallery/add/")

    page.fill("#id_title", "بالصور: سوق الجمعة")
    names = ["باب.jpg", "سوق.jpg", "مئذنة.jpg", "نافورة.jpg"]
    choose(page, names)
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert not Gallery.objects.exists()
    errors = page.locator(".field-new_images .errorlist").inner_text()
    assert "اكتب النص البديل لكل صورة جديدة" in errors, page.content()[:3000]
    rows = page.locator(".kept-gallery-image")
    assert rows.count() == 4
    assert [rows.nth(n).locator("bdi").inner_text() for n in range(4)] == names
    assert page.locator("#id_new_images").evaluate("input => input.files.length") == 0
    # The kept copies are shown, so the editor sees what each alt text describes (they load
    # lazily, from the desk's /kept-uploads/: waited for, a broken one never completes).
    page.wait_for_function(
        "() => [...document.querySelectorAll('.kept-gallery-image img')]"
        ".every(image => image.complete && image.naturalWidth > 0)"
    )
    assert axe_violations(page) == []
    page.screenshot(path=screenshot_dir / "admin-gallery-kept-images.png", full_page=True)

    for n, alt in enumerate(["باب الجامع", "سوق مسقوف", "مئذنة الجامع"]):
        page.fill(f"#id_new_image-{n}-alt", alt)
    page.fill("#id_new_image-0-caption", "الباب الشرقي")
    page.check("#id_new_image-3-drop")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() >= 1, page.content()[:3000]
    assert "أُضيفت 3 صور إلى المعرض" in page.locator(".messagelist").inner_text()
    gallery = Gallery.objects.get()
    assert [(i.alt_text, i.caption) for i in gallery.items.all()] == [
        ("باب الجامع", "الباب الشرقي"),
        ("سوق مسقوف", ""),
        ("مئذنة الجامع", ""),
    ]
    assert page.locator(".kept-gallery-image").count() == 0
    assert axe_violations(page) == []
    # The gallery's rows fit the form at 1280 px: the credit and «delete» columns were past
    # the left edge, reached by scrolling the table sideways.
    table = page.locator(".inline-group .tabular table").first
    widths = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths


def test_each_chosen_image_gets_its_row_at_once_and_one_save_adds_them(live_server, page):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/ar/admin/embeds/gallery/add/")
    sent = []  # what the page sends while the rows are made: nothing, and nowhere else
    page.on(
        "request",
        lambda request: (
            sent.append(request.url)
            if request.method != "GET" or not request.url.startswith(live_server.url)
            else None
        ),
    )

    page.fill("#id_title", "بالصور: الميناء")
    names = ["رصيف.jpg", "سفينة.jpg", "منارة.jpg"]
    choose(page, names)
    rows = page.locator(".chosen-gallery-image")
    assert rows.count() == 3
    assert [rows.nth(n).locator("bdi").inner_text() for n in range(3)] == names
    page.wait_for_function(
        """() => [...document.querySelectorAll('.chosen-gallery-image img')]
                 .every(image => image.complete && image.naturalWidth > 0)"""
    )
    assert sent == []  # the thumbnails are read in the browser: nothing is sent
    assert page.get_by_label("النص البديل (مطلوب)").count() == 3
    assert axe_violations(page) == []
    for n, alt in enumerate(["رصيف الميناء", "سفينة شحن", "منارة قديمة"]):
        page.fill(f"#id_new_images-{n}-alt", alt)
    page.fill("#id_new_images-2-credit", "عدسة الوكالة")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert "أُضيفت 3 صور إلى المعرض" in page.locator(".messagelist").inner_text()
    gallery = Gallery.objects.get()
    assert [(i.alt_text, i.credit) for i in gallery.items.all()] == [
        ("رصيف الميناء", ""),
        ("سفينة شحن", ""),
        ("منارة قديمة", "عدسة الوكالة"),
    ]
    assert page.locator(".chosen-gallery-image, .kept-gallery-image").count() == 0
