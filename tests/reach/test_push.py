"""Breaking-news web push through the outbox, against a loopback push service that verifies
our VAPID signature and decrypts every message with the browser's keys."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from reach import outbox, push
from reach.models import Channel, Delivery, PushMessage, PushSubscription
from tests.counters.concurrency import in_threads
from tests.factories import make_article, make_section
from tests.reach.conftest import SITE
from tests.reach.push_service import start_push_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service(settings, tmp_path):
    settings.LOCAL_DIR = tmp_path / "local"  # a VAPID key of this test's own
    settings.NEWSROOM_VAPID_PRIVATE_KEY = ""
    settings.NEWSROOM_PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_PUSH_ALLOW_HTTP = True
    settings.NEWSROOM_SITE_URL = SITE
    settings.NEWSROOM_VAPID_SUBJECT = "mailto:desk@example.sy"
    service, server = start_push_service(push.application_server_key())
    yield service
    server.shutdown()
    server.server_close()


@pytest.fixture
def push_channel():
    return Channel.objects.create(
        name="تنبيهات المتصفح", kind=Channel.Kind.WEB_PUSH, min_interval_seconds=0
    )


def subscribe(service, *, breaking=True, sections=()):
    browser = service.browser()
    info = browser.info()
    row = PushSubscription.objects.create(
        endpoint=info["endpoint"],
        p256dh=info["keys"]["p256dh"],
        auth=info["keys"]["auth"],
        breaking=breaking,
    )
    row.sections.set(sections)
    return browser


def publish(**fields):
    fields.setdefault("ago", timedelta(0))  # news: published after the channel was made
    article = make_article(fields.pop("title", "زلزال يضرب الساحل"), **fields)
    outbox.reconcile(article.pk)
    return article


def test_a_breaking_article_reaches_every_subscribed_browser_once(push_service, push_channel):
    browsers = [subscribe(push_service) for _ in range(3)]
    sport = make_section("رياضة")
    subscribe(push_service, breaking=False, sections=[sport])  # wants sport only
    article = publish(is_breaking=True, lead="شعر به سكان اللاذقية وطرطوس.")
    report = outbox.send_due()
    assert report.sent == 1 + 3  # the delivery (fanned out), then three alerts
    tokens = sorted(token for token, _payload, _headers in push_service.received)
    assert tokens == sorted(b.endpoint.rsplit("/", 1)[-1] for b in browsers)
    _token, payload, headers = push_service.received[0]
    assert payload["title"] == "عاجل: زلزال يضرب الساحل"
    assert payload["body"] == "شعر به سكان اللاذقية وطرطوس."
    assert payload["url"] == f"{SITE}/a/{article.pk}"
    assert payload["icon"].startswith(f"{SITE}/static/reach/icon-192")
    assert headers["urgency"] == "high" and int(headers["ttl"]) > 0, headers
    assert push_service.refused == []
    # Again: nothing more is owed or sent.
    outbox.reconcile(article.pk)
    outbox.send_due()
    assert len(push_service.received) == 3
    assert PushMessage.objects.filter(status="sent").count() == 3


def test_a_headline_typed_with_its_breaking_label_is_not_told_twice(push_service, push_channel):
    subscribe(push_service)
    publish(title="عاجل | زلزال يضرب الساحل", is_breaking=True)
    outbox.send_due()
    [(_token, payload, _headers)] = push_service.received
    assert payload["title"] == "عاجل: زلزال يضرب الساحل"  # not «عاجل: عاجل | زلزال…»


def test_a_section_reader_gets_its_news_and_nothing_else(push_service, push_channel):
    sport, economy = make_section("رياضة"), make_section("اقتصاد")
    browser = subscribe(push_service, breaking=False, sections=[sport])
    subscribe(push_service)  # breaking only
    publish(title="الفريق يفوز بالكأس", section=sport)
    publish(title="الليرة تتحسن", section=economy)
    outbox.send_due()
    assert [(t, p["title"]) for t, p, _h in push_service.received] == [
        (browser.endpoint.rsplit("/", 1)[-1], "الفريق يفوز بالكأس")
    ]
    assert Delivery.objects.filter(channel=push_channel).count() == 1  # nobody wanted the other


def test_a_correction_pushes_nothing_again(push_service, push_channel):
    subscribe(push_service)
    article = publish(is_breaking=True)
    outbox.send_due()
    article.title_ar = "زلزال بقوة خمس درجات يضرب الساحل"
    article.save()
    outbox.reconcile(article.pk)
    outbox.send_due()
    assert len(push_service.received) == 1
    assert Delivery.objects.get(action="edit").status == "sent"


def test_gone_browsers_are_pruned_and_busy_services_retried(push_service, push_channel):
    gone, busy, fine = (subscribe(push_service) for _ in range(3))
    push_service.answers[gone.endpoint.rsplit("/", 1)[-1]] = 410
    push_service.answers[busy.endpoint.rsplit("/", 1)[-1]] = 429
    publish(is_breaking=True)
    outbox.send_due()
    assert not PushSubscription.objects.filter(endpoint=gone.endpoint).exists()
    waiting = PushMessage.objects.get(subscription__endpoint=busy.endpoint)
    assert (waiting.status, waiting.error) == ("pending", "429")
    assert [t for t, _p, _h in push_service.received] == [fine.endpoint.rsplit("/", 1)[-1]]
    del push_service.answers[busy.endpoint.rsplit("/", 1)[-1]]
    PushMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=waiting.claimed_at)
    outbox.send_due()
    assert len(push_service.received) == 2


def test_an_endpoint_at_an_unknown_host_is_never_called(push_service, push_channel, settings):
    subscribe(push_service)
    settings.NEWSROOM_PUSH_SERVICE_HOSTS = ["fcm.googleapis.com"]
    publish(is_breaking=True)
    outbox.send_due()
    assert push_service.received == [] and push_service.refused == []
    assert PushMessage.objects.get().status == "failed"


@pytest.mark.django_db(transaction=True)
def test_two_runners_racing_push_each_browser_once(push_service, push_channel):
    for _ in range(60):
        subscribe(push_service)
    article = make_article("عاجل للسباق", is_breaking=True, ago=timedelta(0))  # owed at commit
    assert Delivery.objects.filter(article_id=article.pk).count() == 1
    reports = in_threads(2, lambda index: outbox.send_due())
    sent = sum(report.sent for report in reports)
    # On a loaded machine a connection to the loopback service may fail now and then: such an
    # alert is put back for later (counted as retrying), never lost nor sent twice. Those are
    # made due at once and sent by a later pass, as the job's next run would.
    for _attempt in range(3):
        if not PushMessage.objects.exclude(status=Delivery.Status.SENT).exists():
            break
        PushMessage.objects.filter(status=Delivery.Status.PENDING).update(
            next_attempt_at=timezone.now()
        )
        sent += outbox.send_due().sent
    assert sent == 1 + 60
    tokens = [token for token, _payload, _headers in push_service.received]
    assert len(tokens) == 60 and len(set(tokens)) == 60


class TestSubscribing:
    def post(self, client, name, data):
        return client.post(f"/ar/alerts/{name}/", json.dumps(data), content_type="application/json")

    def test_subscribe_choose_sections_and_unsubscribe(self, push_service, client):
        section = make_section("رياضة")
        info = push_service.browser().info()
        answer = self.post(
            client, "subscribe", {**info, "breaking": False, "sections": [section.pk]}
        )
        assert answer.status_code == 201
        row = PushSubscription.objects.get()
        assert (row.endpoint, row.breaking) == (info["endpoint"], False)
        assert list(row.sections.all()) == [section]
        # The same browser again updates its row.
        assert self.post(client, "subscribe", {**info, "breaking": True}).status_code == 201
        assert PushSubscription.objects.get().breaking is True
        assert self.post(client, "unsubscribe", {"endpoint": info["endpoint"]}).status_code == 200
        assert not PushSubscription.objects.exists()

    @pytest.mark.parametrize(
        ("change", "words"),
        [
            ({"endpoint": "https://evil.example.com/push/1"}, "خدمة التنبيهات"),
            ({"endpoint": "http://10.0.0.1/internal"}, "خدمة التنبيهات"),
            ({"keys": {"p256dh": "<script>", "auth": "x"}}, "مفاتيح"),
            ({"breaking": False, "sections": []}, "قسمًا واحدًا"),
            ({"sections": ["1; DROP TABLE"]}, "الأقسام"),
        ],
    )
    def test_bad_requests_get_a_clear_arabic_error(self, push_service, client, change, words):
        info = push_service.browser().info()
        answer = self.post(client, "subscribe", {**info, **change})
        assert answer.status_code == 400
        assert words in answer.json()["error"]
        assert not PushSubscription.objects.exists()

    def test_garbage_is_a_400_not_a_500(self, push_service, client):
        answer = client.post("/ar/alerts/subscribe/", b"\xff{", content_type="application/json")
        assert answer.status_code == 400
        assert (
            Client(enforce_csrf_checks=True)
            .post("/ar/alerts/subscribe/", b"{}", content_type="application/json")
            .status_code
            == 403
        )  # a page's token is needed

    def test_the_endpoints_opened_by_hand_lead_to_the_alerts_page(self, client):
        for name in ("subscribe", "unsubscribe"):
            answer = client.get(f"/ar/alerts/{name}/")  # was a blank 405
            assert answer.status_code == 302 and answer["Location"] == "/ar/alerts/"
            assert client.put(f"/ar/alerts/{name}/").status_code == 405

    def test_the_page_asks_nothing_until_clicked(self, push_service, client):
        page = client.get("/ar/alerts/").content.decode()
        assert "نبّهني بالأخبار العاجلة" in page
        assert f'data-key="{push.application_server_key()}"' in page
        assert "reach/push.js" in page


def test_service_worker_and_manifest(client, settings):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    assert b"showNotification" in worker.content
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"].startswith("application/manifest+json")
    data = manifest.json()
    assert (data["lang"], data["dir"], data["name"]) == ("ar", "rtl", settings.SITE_NAME)
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    home = client.get("/ar/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in home


def test_the_vapid_key_is_made_once_and_kept(settings, tmp_path):
    settings.LOCAL_DIR = tmp_path
    settings.NEWSROOM_VAPID_PRIVATE_KEY = ""
    first = push.application_server_key()
    assert (tmp_path / "vapid_private.pem").stat().st_mode & 0o777 == 0o600
    assert push.application_server_key() == first and len(first) == 87


def test_a_breaking_only_push_channel_ignores_section_readers(push_service, push_channel):
    push_channel.breaking_only = True
    push_channel.save()
    sport = make_section("رياضة")
    subscribe(push_service, breaking=False, sections=[sport])
    publish(title="الفريق يفوز بالكأس", section=sport)
    outbox.send_due()
    assert push_service.received == []
    assert not Delivery.objects.exists()


def test_the_vapid_signature_is_made_once_per_push_service_and_each_message_has_its_own_key(
    push_service, push_channel
):
    for _ in range(3):
        subscribe(push_service)
    publish(is_breaking=True)
    outbox.send_due()
    headers = [h for _t, _p, h in push_service.received]
    assert len(headers) == 3 and push_service.refused == []
    assert len({h["authorization"] for h in headers}) == 1  # signed once, verified each time
    # A new ECDH key (and salt) per message: the encrypted bodies' headers all differ.
    assert len(set(push_service.bodies)) == 3
