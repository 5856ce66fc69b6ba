"""Breaking-news alerts in Chromium: the control passes axe, nothing is asked before the
click, the service worker registers under the site's CSP, the subscription reaches the
server, and a push delivered through DevTools shows the Arabic alert that opens the article.

Chromium's own push service is Google's (never called from here: only loopback): the page's
``PushManager.subscribe`` is replaced, through DevTools, by one returning a subscription at
the tests' loopback push service, so everything else runs as in a reader's browser."""

import base64
import json
from datetime import timedelta

import pytest

from reach import outbox, push
from reach.models import Channel, PushSubscription
from tests.browser.accessibility import axe_violations
from tests.factories import make_article
from tests.reach.push_service import start_push_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_SUBSCRIBE = """
window.__subscribeCalls = 0;
PushManager.prototype.subscribe = async function (options) {
  window.__subscribeCalls += 1;
  const key = new Uint8Array(options.applicationServerKey);
  window.__subscribeKey = btoa(String.fromCharCode(...key));
  const info = %s;
  window.__subscription = {
    endpoint: info.endpoint,
    toJSON: () => info,
    unsubscribe: async () => { window.__subscription = null; return true; },
  };
  return window.__subscription;
};
PushManager.prototype.getSubscription = async function () { return window.__subscription || null; };
"""


@pytest.fixture
def push_service(settings, tmp_path):
    settings.LOCAL_DIR = tmp_path / "local"
    settings.NEWSROOM_VAPID_PRIVATE_KEY = ""
    settings.NEWSROOM_PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_PUSH_ALLOW_HTTP = True
    service, server = start_push_service(push.application_server_key())
    yield service
    server.shutdown()
    server.server_close()


def test_subscribe_in_the_browser_then_a_push_shows_the_arabic_alert(
    live_server, browser, push_service, settings, screenshot_dir
):
    settings.NEWSROOM_SITE_URL = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp_errors = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text))
    browser_keys = push_service.browser()
    page.add_init_script(FAKE_SUBSCRIBE % json.dumps(browser_keys.info()))
    devtools = context.new_cdp_session(page)
    registrations = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")

    page.goto(live_server.url + "/ar/")
    with page.expect_navigation():
        page.get_by_role("link", name="تنبيهات الأخبار العاجلة").click()
    assert page.locator("h1").inner_text() == "تنبيهات الأخبار العاجلة"
    assert axe_violations(page) == []
    # Nothing asked or registered on page load.
    assert page.evaluate("Notification.permission") == "default"
    assert page.evaluate("navigator.serviceWorker.getRegistration('/')") is None

    context.grant_permissions(["notifications"], origin=live_server.url)
    page.get_by_role("button", name="نبّهني بالأخبار العاجلة").click()
    status = page.locator("#push-status")
    status.filter(has_text="سينبّهك").wait_for()
    assert page.evaluate("window.__subscribeCalls") == 1
    sent_key = page.evaluate("window.__subscribeKey")
    assert push.b64url(base64.b64decode(sent_key)) == push.application_server_key()
    row = PushSubscription.objects.get()
    assert row.endpoint == browser_keys.endpoint and row.breaking
    assert page.get_by_role("button", name="أوقف التنبيهات").is_visible()
    assert axe_violations(page) == []
    page.screenshot(path=screenshot_dir / "subscribed.png", full_page=True)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server.url + "/"

    # The article is published: the outbox pushes it to the loopback service, which decrypts
    # it; DevTools then hands that very payload to the browser's service worker.
    Channel.objects.create(name="تنبيهات", kind=Channel.Kind.WEB_PUSH, min_interval_seconds=0)
    article = make_article(
        "انقطاع الكهرباء عن دمشق", is_breaking=True, lead="تفاصيل أولية.", ago=timedelta(0)
    )
    outbox.send_due()
    ((_token, payload, _headers),) = push_service.received
    registration = next(r for r in registrations if r["scopeURL"] == live_server.url + "/")
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload, ensure_ascii=False),
        },
    )
    shown = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            for (let i = 0; i < 50; i++) {
                const found = await registration.getNotifications();
                if (found.length) {
                    return found.map(n => ({title: n.title, body: n.body, dir: n.dir,
                                            lang: n.lang, url: n.data.url}));
                }
                await new Promise(resolve => setTimeout(resolve, 100));
            }
            return [];
        }"""
    )
    assert shown == [
        {
            "title": "عاجل: انقطاع الكهرباء عن دمشق",
            "body": "تفاصيل أولية.",
            "dir": "rtl",
            "lang": "ar",
            "url": f"{live_server.url}/a/{article.pk}",
        }
    ]

    # Stopping the alerts from the same place forgets the browser.
    page.get_by_role("button", name="أوقف التنبيهات").click()
    status.filter(has_text="أُوقفت").wait_for()
    assert not PushSubscription.objects.exists()
    assert csp_errors == []
    context.close()
