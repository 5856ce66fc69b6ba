"""The view counter: counting, dedup, what is not counted, the endpoints, durability."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from articles import dates
from articles.models import Article
from counters import readers, services
from counters.models import ArticleViewDay, ViewReader, ViewSalt
from tests.counters.concurrency import (
    answered_then_killed,
    distinct_readers_add_exactly_n,
    in_threads,
)
from tests.factories import make_article

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Asia/Damascus"))


@pytest.fixture(autouse=True)
def _fresh_salts():
    readers._salts.clear()
    yield
    readers._salts.clear()


def stored(article):
    return sum(ArticleViewDay.objects.filter(article=article).values_list("views", flat=True))


def post(client, article_id, ua=BROWSER, **headers):
    return client.post(f"/api/views/{article_id}/", HTTP_USER_AGENT=ua, **headers)


@pytest.mark.django_db
class TestRecording:
    def test_a_view_adds_to_the_legacy_figure(self, client):
        article = make_article(view_count=7529)
        response = post(client, article.pk)
        assert response.status_code == 200
        assert response.json() == {"counted": True, "views": 7530, "reason": None}
        assert stored(article) == 1
        assert Article.objects.with_recorded_views().get(pk=article.pk).total_views == 7530
        assert Article.objects.get(pk=article.pk).view_count == 7529  # legacy figure kept
        assert "no-store" in response["Cache-Control"]

    def test_article_page_shows_the_total_in_arabic(self, client):
        article = make_article(view_count=7529)
        post(client, article.pk)
        content = client.get(article.get_absolute_url()).content.decode()
        assert "7530 مشاهدة" in content

    def test_the_english_page_groups_thousands(self, client):
        """«7529 views» beside an article text that writes «1,500 metres»."""
        from django.utils import translation

        article = make_article(view_count=7529, title_en="A story read often")
        with translation.override("en"):
            english = client.get(article.get_absolute_url()).content.decode()
        assert "7,529 views" in english and "7529" not in english.replace("7529 مشاهدة", "")

    def test_arabic_indic_digits_follow_the_setting(self, client, settings):
        settings.NEWSROOM_DIGITS = "arabic-indic"
        article = make_article(view_count=7529)
        content = client.get(article.get_absolute_url()).content.decode()
        assert "٧٥٢٩ مشاهدة" in content

    def test_no_ip_address_is_stored(self, client):
        article = make_article()
        post(client, article.pk, REMOTE_ADDR="203.0.113.77")
        row = ViewReader.objects.get()
        assert len(bytes(row.reader)) == 16
        assert b"203.0.113.77" not in bytes(row.reader)
        columns = {f.name for f in ViewReader._meta.get_fields()}
        assert columns == {"pk", "reader", "article_id", "seen_at"}

    def test_two_readers_behind_one_ip_with_different_browsers_both_count(self, client):
        article = make_article()
        assert post(client, article.pk, ua=BROWSER).json()["counted"]
        assert post(client, article.pk, ua=BROWSER + " Other").json()["counted"]
        assert stored(article) == 2

    def test_trusted_proxy_header_tells_readers_apart(self, client, settings):
        settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
        article = make_article()
        for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.1"):
            post(client, article.pk, HTTP_X_FORWARDED_FOR=f"10.0.0.9, {ip}")
        assert stored(article) == 2

    def test_forwarded_header_is_ignored_without_trusted_proxy(self, client):
        article = make_article()
        for ip in ("198.51.100.1", "198.51.100.2"):
            post(client, article.pk, HTTP_X_FORWARDED_FOR=ip)
        assert stored(article) == 1

    def test_views_spread_over_shards_and_sum_up(self, settings):
        settings.NEWSROOM_VIEW_SHARDS = 4
        article = make_article()
        for n in range(60):
            services.record_view(article_id=article.pk, reader=n.to_bytes(16, "big"))
        rows = ArticleViewDay.objects.filter(article=article)
        assert rows.count() > 1
        assert all(0 <= row.shard < 4 for row in rows)
        assert stored(article) == 60


@pytest.mark.django_db
class TestCost:
    @pytest.mark.django_db(transaction=True)  # in autocommit, as served: no test transaction
    def test_a_view_is_one_query_after_the_first(self, client, django_assert_num_queries):
        article = make_article()
        post(client, article.pk, ua=BROWSER + " warm")  # salt and PREPARE for this connection
        with django_assert_num_queries(1):
            assert post(client, article.pk).json()["counted"] is True
        with django_assert_num_queries(1):
            assert post(client, article.pk).json()["counted"] is False

    def test_ignored_requests_do_not_touch_the_database(self, client, django_assert_num_queries):
        article = make_article()
        with django_assert_num_queries(0):
            post(client, article.pk, ua="Googlebot/2.1")
            post(client, article.pk, HTTP_SEC_PURPOSE="prefetch")
            client.get(f"/api/views/{article.pk}/")
            client.post("/api/views/abc/")


@pytest.mark.django_db
class TestDedupWindow:
    def test_once_per_reader_per_window(self, client):
        with time_machine.travel(NOON, tick=False) as traveller:
            article = make_article(ago=timedelta(days=2))
            assert post(client, article.pk).json()["counted"] is True
            reply = post(client, article.pk).json()
            assert reply == {"counted": False, "views": 1, "reason": "duplicate"}
            traveller.shift(timedelta(minutes=29))
            assert post(client, article.pk).json()["counted"] is False
            traveller.shift(timedelta(minutes=2))
            assert post(client, article.pk).json()["counted"] is True
            traveller.shift(timedelta(minutes=10))
            assert post(client, article.pk).json()["counted"] is False
        assert stored(article) == 2

    def test_window_is_a_setting(self, client, settings):
        settings.NEWSROOM_VIEW_WINDOW_MINUTES = 5
        with time_machine.travel(NOON, tick=False) as traveller:
            article = make_article(ago=timedelta(days=2))
            post(client, article.pk)
            traveller.shift(timedelta(minutes=4))
            assert post(client, article.pk).json()["counted"] is False
            traveller.shift(timedelta(minutes=2))
            assert post(client, article.pk).json()["counted"] is True

    def test_window_is_per_article(self, client):
        first, second = make_article(), make_article()
        assert post(client, first.pk).json()["counted"]
        assert post(client, second.pk).json()["counted"]

    def test_salt_rotates_daily_and_old_salts_are_deleted(self):
        meta = {"REMOTE_ADDR": "203.0.113.5", "HTTP_USER_AGENT": BROWSER}
        today = NOON.date()
        first = readers.reader_hash(meta, today)
        assert readers.reader_hash(meta, today) == first
        second = readers.reader_hash(meta, today + timedelta(days=1))
        assert second != first
        assert list(ViewSalt.objects.values_list("day", flat=True)) == [today + timedelta(1)]

    def test_past_days_are_folded_into_one_row_without_losing_a_view(self, client):
        article = make_article(ago=timedelta(days=5))
        today = NOON.date()
        for day, shard, n in [(1, 0, 4), (1, 3, 5), (1, 7, 6), (2, 2, 1), (0, 1, 9), (0, 4, 2)]:
            ArticleViewDay.objects.create(
                article=article, day=today - timedelta(days=day), shard=shard, views=n
            )
        readers.compact_days(before=today)
        rows = sorted(
            ArticleViewDay.objects.filter(article=article).values_list("day", "shard", "views")
        )
        assert rows == [
            (today - timedelta(days=2), 0, 1),
            (today - timedelta(days=1), 0, 15),
            (today, 1, 9),
            (today, 4, 2),
        ]
        assert stored(article) == 27

    def test_the_first_view_of_a_day_folds_yesterday(self, client):
        with time_machine.travel(NOON, tick=False) as traveller:
            article = make_article(ago=timedelta(days=2))
            for n in range(6):
                post(client, article.pk, ua=f"{BROWSER} {n}")
            traveller.shift(timedelta(days=1))
            post(client, article.pk)
        yesterday = ArticleViewDay.objects.filter(article=article, day=NOON.date())
        assert list(yesterday.values_list("shard", "views")) == [(0, 6)]
        assert stored(article) == 7

    def test_purge_command_forgets_expired_rows(self, client):
        from django.core.management import call_command

        with time_machine.travel(NOON, tick=False) as traveller:
            article = make_article(ago=timedelta(days=2))
            post(client, article.pk)
            traveller.shift(timedelta(minutes=10))
            post(client, article.pk, ua=BROWSER + " 2")
            traveller.shift(timedelta(minutes=25))
            call_command("purge_view_readers", dry_run=True, verbosity=0)
            assert ViewReader.objects.count() == 2
            call_command("purge_view_readers", verbosity=0)
            assert ViewReader.objects.count() == 1


@pytest.mark.django_db
class TestNotCounted:
    @pytest.mark.parametrize(
        "ua",
        [
            "",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Twitterbot/1.0",
            "WhatsApp/2.23.20.0",
            "TelegramBot (like TwitterBot)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
            "curl/8.5.0",
            "python-requests/2.32.3",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        ],
    )
    def test_bots_and_link_previews(self, client, ua):
        article = make_article()
        response = post(client, article.pk, ua=ua)
        assert response.status_code == 200
        assert response.json() == {"counted": False, "reason": "bot"}
        assert stored(article) == 0

    @pytest.mark.parametrize(
        "ua",
        [
            BROWSER,
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 10; Cubot X30) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0 Mobile Safari/537.36",
        ],
    )
    def test_browsers_are_readers(self, client, ua):
        article = make_article()
        assert post(client, article.pk, ua=ua).json()["counted"] is True

    @pytest.mark.parametrize(
        "header",
        [
            {"HTTP_SEC_PURPOSE": "prefetch"},
            {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
            {"HTTP_PURPOSE": "prefetch"},
            {"HTTP_X_MOZ": "prefetch"},
            {"HTTP_X_PURPOSE": "preview"},
        ],
    )
    def test_prefetch_and_prerender(self, client, header):
        article = make_article()
        response = post(client, article.pk, **header)
        assert response.json() == {"counted": False, "reason": "prefetch"}
        assert stored(article) == 0

    @pytest.mark.parametrize("method", ["head", "get", "put", "delete", "patch"])
    def test_other_methods_are_refused(self, client, method):
        article = make_article()
        response = getattr(client, method)(f"/api/views/{article.pk}/", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 405
        assert response["Allow"] == "POST"
        assert stored(article) == 0

    def test_head_on_the_pixel_is_refused(self, client):
        article = make_article()
        response = client.head(f"/api/views/{article.pk}/pixel.gif", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 405
        assert stored(article) == 0

    def test_staff_previews(self, client, admin_user):
        article = make_article()
        client.force_login(admin_user)
        assert post(client, article.pk).json() == {"counted": False, "reason": "staff"}
        assert stored(article) == 0

    def test_logged_in_reader_who_is_not_staff_counts(self, client, django_user_model):
        article = make_article()
        client.force_login(django_user_model.objects.create_user("reader", password="x" * 12))
        assert post(client, article.pk).json()["counted"] is True

    @pytest.mark.parametrize(
        "fields", [{"published": False}, {"ago": -timedelta(hours=1)}], ids=["draft", "future"]
    )
    def test_unpublished_articles(self, client, fields):
        article = make_article(**fields)
        response = post(client, article.pk)
        assert response.status_code == 404
        assert response.json() == {"counted": False, "reason": "not-found"}
        assert stored(article) == 0
        assert ViewReader.objects.count() == 0

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_SEC_FETCH_SITE": "same-site"},
            {"HTTP_ORIGIN": "https://evil.example"},
        ],
    )
    def test_requests_from_other_sites(self, client, headers):
        article = make_article()
        response = post(client, article.pk, **headers)
        assert response.status_code == 403
        assert stored(article) == 0

    def test_same_origin_fetch_counts(self, client):
        article = make_article()
        response = post(
            client, article.pk, HTTP_SEC_FETCH_SITE="same-origin", HTTP_ORIGIN="http://testserver"
        )
        assert response.json()["counted"] is True

    def test_a_failing_database_counts_nothing_and_is_not_a_500(self, client, monkeypatch):
        article = make_article()

        def broken(**kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(services, "record_view", broken)
        response = post(client, article.pk)
        assert response.status_code == 503
        assert response.json() == {"counted": False, "reason": "unavailable"}
        assert stored(article) == 0


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        ("path", "status"),
        [
            ("/api/views/0/", 404),
            ("/api/views/99999999/", 404),
            ("/api/views/9223372036854775807/", 404),
            ("/api/views/9223372036854775808/", 404),
            ("/api/views/99999999999999999999999999999/", 404),
            ("/api/views/abc/", 400),
            ("/api/views/-1/", 400),
            ("/api/views/1.5/", 400),
            ("/api/views/1e3/", 400),
            ("/api/views/%D9%A1/", 400),  # Arabic-Indic one
            ("/api/views/%00/", 400),
            ("/api/views/ /", 400),
            ("/api/views/abc/pixel.gif", 400),
        ],
    )
    def test_never_a_500(self, client, path, status):
        response = client.post(path, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == status
        assert response.json()["counted"] is False
        assert ArticleViewDay.objects.count() == 0

    def test_a_body_is_ignored(self, client):
        article = make_article()
        response = client.post(
            f"/api/views/{article.pk}/",
            data='{"views": 1000000}',
            content_type="application/json",
            HTTP_USER_AGENT=BROWSER,
        )
        assert response.json()["views"] == 1
        assert stored(article) == 1


@pytest.mark.django_db
class TestPage:
    def test_article_page_wires_the_counter_without_inline_script(self, client):
        article = make_article()
        content = client.get(article.get_absolute_url()).content.decode()
        endpoint = reverse("record_view", args=[article.pk])
        assert endpoint == f"/api/views/{article.pk}/"
        assert f'data-view-url="{endpoint}"' in content
        assert 'src="/static/js/view-counter.js" defer' in content
        assert f'<noscript><img class="view-pixel" src="{endpoint}pixel.gif"' in content
        assert "<script>" not in content and " onload=" not in content

    def test_page_is_the_same_for_every_reader(self, newsroom_page):
        first = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.1")
        second = Client(HTTP_USER_AGENT="Safari", REMOTE_ADDR="198.51.100.2")
        assert first.get(newsroom_page).content == second.get(newsroom_page).content

    def test_rendering_the_page_counts_nothing(self, client):
        article = make_article()
        client.get(article.get_absolute_url())
        assert stored(article) == 0

    def test_staff_preview_of_a_draft_has_no_counter(self, client, admin_user):
        article = make_article(published=False)
        client.force_login(admin_user)
        content = client.get(article.get_absolute_url()).content.decode()
        assert "data-view-url" not in content
        assert "view-counter.js" not in content

    def test_pixel_counts_for_readers_without_javascript(self, client):
        article = make_article()
        response = client.get(f"/api/views/{article.pk}/pixel.gif", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/gif"
        assert response.content.startswith(b"GIF89a")
        assert stored(article) == 1
        response = client.get(f"/api/views/{article.pk}/pixel.gif", HTTP_USER_AGENT="Googlebot")
        assert stored(article) == 1

    def test_admin_shows_views_per_day(self, admin_client):
        article = make_article(view_count=100, ago=timedelta(days=3))
        today = readers.timezone.localdate()
        ArticleViewDay.objects.create(article=article, day=today, shard=0, views=7)
        ArticleViewDay.objects.create(article=article, day=today, shard=3, views=5)
        ArticleViewDay.objects.create(article=article, day=today - timedelta(1), shard=1, views=4)
        content = admin_client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        ).content.decode()
        assert 'class="desk-chart"' in content  # the desk's chart (desk/), with its table
        day = dates.format_date(today)  # «25 تشرين الثاني 2026», as on the site
        assert f'<th scope="row">{day}</th><td>12</td>' in content
        assert "رصيد المشاهدات الأولي" in content  # the stored figure is the starting one
        assert f"<title>{dates.format_date(today - timedelta(1))}: 4</title>" in content  # a bar
        assert "116" in content  # total: legacy 100 + 16 recorded
        changelist = admin_client.get(reverse("admin:articles_article_changelist"))
        assert changelist.status_code == 200
        assert "116" in changelist.content.decode()

    def test_admin_sorts_by_total_views(self, admin_client):
        legacy = make_article("قديم كثير القراءة", view_count=5000)  # total 5010
        busy = make_article("جديد كثير القراءة", view_count=0)  # total 900
        today = readers.timezone.localdate()
        ArticleViewDay.objects.create(article=legacy, day=today, shard=0, views=10)
        ArticleViewDay.objects.create(article=busy, day=today, shard=0, views=900)
        url = reverse("admin:articles_article_changelist")
        # thumbnail, title, section, authors, status, publication time, total_views
        column = 7
        content = admin_client.get(f"{url}?o=-{column}").content.decode()
        assert content.index(legacy.title) < content.index(busy.title)
        content = admin_client.get(f"{url}?o={column}").content.decode()
        assert content.index(busy.title) < content.index(legacy.title)


@pytest.fixture
def newsroom_page(db):
    return make_article().get_absolute_url()


@pytest.mark.django_db(transaction=True)
class TestConcurrency:
    def test_concurrent_distinct_views_add_exactly_n(self, settings):
        settings.NEWSROOM_VIEW_SHARDS = 2  # few shards: real contention on the same rows
        article = make_article(view_count=7529)
        sent = distinct_readers_add_exactly_n(
            lambda name: post(Client(), article.pk, ua=f"{BROWSER} {name}").json().get("counted")
        )
        assert stored(article) == sent
        total = Article.objects.with_recorded_views().get(pk=article.pk).total_views
        assert total == 7529 + sent

    def test_concurrent_repeats_of_one_reader_count_once(self):
        article = make_article()
        answers = in_threads(10, lambda _index: post(Client(), article.pk).json()["counted"])
        assert sorted(answers) == [False] * 9 + [True]
        assert stored(article) == 1

    @pytest.mark.parametrize("sync_commit", [True, False])
    def test_both_commit_modes_count_in_autocommit(self, client, settings, sync_commit):
        settings.NEWSROOM_VIEW_SYNC_COMMIT = sync_commit
        with connection.cursor() as cursor:  # production's default (the tests' is off)
            cursor.execute("SET synchronous_commit = on")
        article = make_article(view_count=10)
        assert post(client, article.pk).json()["views"] == 11
        assert stored(article) == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('synchronous_commit')")
            assert cursor.fetchone()[0] == "on"  # SET LOCAL did not leak into the session

    def test_a_lost_prepared_statement_is_prepared_again(self, client):
        """Lost to a pooler's DISCARD ALL, or to psycopg's DEALLOCATE ALL after a rollback on
        the connection: the view is still counted, once."""
        article = make_article()
        assert post(client, article.pk, ua=BROWSER + " 1").json()["counted"] is True
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE newsroom_record_view")
        assert post(client, article.pk, ua=BROWSER + " 2").json()["counted"] is True
        assert post(client, article.pk, ua=BROWSER + " 3").json()["counted"] is True
        assert stored(article) == 3

    def test_a_rollback_on_the_connection_loses_no_view(self, client):
        """psycopg deallocates a connection's prepared statements after a ROLLBACK there
        (settings.py: statements are prepared): the next view is counted all the same."""
        from django.db import transaction

        article = make_article()
        assert post(client, article.pk, ua=BROWSER + " 1").json()["counted"] is True
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] >= 1
        try:
            with transaction.atomic():
                make_article(title="rolled back")
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        assert post(client, article.pk, ua=BROWSER + " 2").json()["counted"] is True
        assert stored(article) == 2

    def test_a_worker_killed_right_after_answering_loses_nothing(self):
        """A separate process answers a view, then dies by SIGKILL before anything else."""
        article = make_article(view_count=7529)
        answer = answered_then_killed(
            "import django; django.setup()\n"
            "from django.test import Client\n"
            f"r = Client(HTTP_HOST='127.0.0.1').post('/api/views/{article.pk}/',"
            f" HTTP_USER_AGENT={BROWSER!r})\n"
            "sys.stdout.write(r.content.decode())\n"
        )
        assert '"counted": true' in answer
        assert '"views": 7530' in answer
        assert stored(article) == 1
