"""Screenshots of the demo newsroom for the README, taken in Chromium (``make screenshots``).

Serves the demo newsroom (``make run``'s database, loaded by the Makefile first) with
runserver on a free loopback port, then drives Debian's chromium through Playwright: the home
page and an article on a desktop, the article on a phone, and the desk (article list and an
article's form) signed in as the demo admin. Writes docs/screenshots/*.png. Exits non-zero,
saying which part failed.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT = BASE_DIR / "docs" / "screenshots"
CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {seconds} s")


def admin_login() -> tuple[str, str]:
    username = os.environ.get("NEWSROOM_ADMIN_USER", "admin")
    password = os.environ.get("NEWSROOM_ADMIN_PASSWORD")
    if not password:
        password = (BASE_DIR / ".local" / "admin_password").read_text().strip()
    return username, password


def shoot(origin: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        reader = browser.new_context(viewport=DESKTOP, locale="ar")
        page = reader.new_page()
        page.goto(f"{origin}/ar/", wait_until="networkidle")
        made.append(OUT / "home-desktop.png")
        page.screenshot(path=made[-1])
        article = page.locator("main a[href*='/news/']").first.get_attribute("href")
        page.goto(origin + article, wait_until="networkidle")
        made.append(OUT / "article-desktop.png")
        page.screenshot(path=made[-1])
        phone = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, locale="ar"
        ).new_page()
        phone.goto(origin + article, wait_until="networkidle")
        made.append(OUT / "article-phone.png")
        phone.screenshot(path=made[-1])

        desk = browser.new_context(viewport=DESKTOP, locale="ar").new_page()
        username, password = admin_login()
        desk.goto(f"{origin}/ar/admin/login/")
        desk.fill("input[name=username]", username)
        desk.fill("input[name=password]", password)
        desk.click("input[type=submit], button[type=submit]")
        desk.wait_for_load_state("networkidle")
        desk.goto(f"{origin}/ar/admin/articles/article/", wait_until="networkidle")
        if "/login/" in desk.url:
            raise RuntimeError("the desk did not accept the demo admin's login")
        if "/account/" in desk.url:
            raise RuntimeError(
                "the demo admin has set up two-factor sign-in: "
                f"manage.py reset_two_factor {username}, then try again"
            )
        made.append(OUT / "desk-articles.png")
        desk.screenshot(path=made[-1])
        desk.locator("#result_list tbody th a").first.click()
        desk.wait_for_load_state("networkidle")
        made.append(OUT / "desk-article-form.png")
        desk.screenshot(path=made[-1])
        browser.close()
    return made


def main() -> int:
    if not CHROMIUM.exists():
        print(f"FAILED: chromium: not found at {CHROMIUM} (apt-get install chromium)")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        # The demo admin signs in with its password alone: the pictures are of the desk, not of
        # two-factor enrolment (docs/two-factor.md).
        env={**os.environ, "NEWSROOM_RATE_LIMIT_ENABLED": "0", "NEWSROOM_REQUIRE_2FA": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"{origin}/health/")
        made = shoot(origin)
    except Exception as error:  # report which part failed, then exit non-zero
        print(f"FAILED: screenshots: {type(error).__name__}: {error}")
        return 1
    finally:
        server.terminate()
        server.wait(10)
    for path in made:
        print(f"{path.relative_to(BASE_DIR)}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
