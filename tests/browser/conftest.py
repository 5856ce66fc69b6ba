"""Real-browser tests: Debian's chromium driven by Playwright for Python.

When /usr/bin/chromium is missing every browser test is skipped with the reason printed
(and `make test` prints a loud banner); they never pass silently.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body (fixtures making data) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(request):
    folder = OUTPUT_DIR / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
