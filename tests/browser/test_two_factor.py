"""Two-factor sign-in in real Chromium, as a new editor meets it: the password leads only to
enrolment; the QR code is drawn inline (no outside request, no CSP violation); the key typed
into an "app" (django-otp's TOTP here) gives the code; then every sign-in asks for a code after
the password; a recovery code works once."""

import time

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP

from accounts.models import DeskSession
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-desk-12345"


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.NEWSROOM_REQUIRE_2FA = True


@pytest.fixture
def clock():
    """The test's clock (time_machine, ticking, for the live server's thread too): the back-off
    django-otp makes after a wrong code passes by moving it on, not by sleeping."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def app_code(secret: str, at: float) -> str:
    """What an authenticator app shows for the key typed from the page, at time ``at``."""
    from base64 import b32decode

    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = at
    return f"{totp.token():06d}"


def submit(page, selector="input[type=submit].default"):
    with page.expect_navigation():
        page.click(selector)


def password_step(page, base):
    page.goto(base + "/ar/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    submit(page, "input[type=submit]")


def sign_out(page):
    submit(page, "#logout-form button")


def test_editor_enrols_then_signs_in_with_app_code_and_recovery_code(
    live_server, page, screenshot_dir, clock
):
    make_staff("المحررون", username="editor")
    base = live_server.url
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(message.text),
    )
    page.on(
        "request",
        lambda request: (
            request.url.startswith((base, "data:")) or problems.append(f"outside {request.url}")
        ),
    )

    # 1. The password alone reaches enrolment and nothing else.
    password_step(page, base)
    assert "/account/two-factor/set-up/" in page.url
    page.goto(base + "/ar/admin/articles/article/")
    assert "/account/two-factor/set-up/" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "إعداد التحقق بخطوتين"
    qr = page.locator("figure.qr svg")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] >= 150
    assert qr.get_attribute("aria-label") == "رمز QR لتطبيق المصادقة"
    assert axe_violations(page) == []  # WCAG 2.2 AA (axe-core), as the rest of the desk
    page.screenshot(path=str(screenshot_dir / "enrol.png"), full_page=True)

    # 2. A wrong code: an Arabic message, still not enrolled.
    page.fill("#id_code", "000000" if app_code(page.inner_text("code.secret"), time.time())
              != "000000" else "111111")  # fmt: skip
    submit(page)
    assert "الرمز غير مطابق" in page.inner_text(".errornote")

    # 3. The key into the "app", its code into the page: ten recovery codes, shown once.
    # (After a wrong code django-otp makes the next try wait a second: the clock moves on.)
    page.fill("#id_code", "123")
    submit(page)
    assert "اكتب الأرقام الستة" in page.inner_text(".errornote")
    clock.shift(1.1)
    secret = page.inner_text("code.secret")
    page.fill("#id_code", app_code(secret, time.time()))
    submit(page)
    assert "/recovery-codes/" in page.url
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(len(c) == 9 and c[4] == "-" for c in codes)
    page.screenshot(path=str(screenshot_dir / "recovery-codes.png"), full_page=True)
    assert axe_violations(page) == []
    submit(page, "text=حفظتُها: متابعة")
    assert page.url.endswith("/ar/admin/articles/article/")  # where the editor was going
    assert page.locator("#user-tools").is_visible()

    # 4. Next sign-in: the code after the password (the app's next code, 30 s later).
    sign_out(page)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=31), tick=True):
        password_step(page, base)
        assert "/account/code/" in page.url
        page.goto(base + "/ar/admin/articles/article/")
        assert "/account/code/" in page.url  # still refused without the code
        page.screenshot(path=str(screenshot_dir / "code.png"), full_page=True)
        assert axe_violations(page) == []
        page.fill("#id_code", app_code(secret, time.time()))
        submit(page)
        assert page.url.endswith("/ar/admin/articles/article/"), page.url
        sign_out(page)

    # 5. A recovery code instead: it works once.
    password_step(page, base)
    page.fill("#id_code", codes[0])
    submit(page)
    assert page.url.endswith("/ar/admin/"), page.url
    assert "رمز استرداد" in page.inner_text("ul.messagelist")
    sign_out(page)
    password_step(page, base)
    page.fill("#id_code", codes[0])
    submit(page)
    assert "/account/code/" in page.url
    assert "الرمز خاطئ" in page.inner_text(".errornote")

    # The sessions page lists the browser, with the second factor it passed.
    clock.shift(1.1)  # the back-off after a wrong code
    page.fill("#id_code", codes[1])
    submit(page)
    page.goto(base + "/ar/admin/account/sessions/")
    assert "HeadlessChrome" not in page.inner_text("table.session-list")  # named in words
    assert "هذه الجلسة" in page.inner_text("table.session-list")
    assert DeskSession.objects.filter(verified_with="static", ended_at=None).count() == 1
    page.screenshot(path=str(screenshot_dir / "sessions.png"), full_page=True)
    assert axe_violations(page) == []
    page.goto(base + "/ar/admin/account/two-factor/")
    assert "بقيت 8 رموز استرداد" in page.inner_text("#content")  # two of ten used
    assert axe_violations(page) == []
    assert problems == []
