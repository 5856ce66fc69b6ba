"""Several runners at once (threads with their own connections, and whole processes): each
article is posted exactly once, edits find their post, and no version is owed twice."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article
from reach import outbox
from reach.models import Channel, Delivery
from tests.counters.concurrency import child_process_env, in_threads
from tests.factories import make_article, make_section
from tests.reach.conftest import SITE, TOKEN

pytestmark = pytest.mark.django_db(transaction=True)
NEWS = timedelta(0)  # published after the channels were made: owed to them
BASE_DIR = Path(__file__).resolve().parents[2]


def posts_per_article(api) -> dict[str, int]:
    counts = {}
    for call in api.called("sendMessage") + api.called("sendPhoto"):
        text = call.params.get("text") or call.params.get("caption")
        link = text.rsplit("\n", 1)[-1]
        counts[link] = counts.get(link, 0) + 1
    return counts


def test_two_runners_racing_post_each_article_exactly_once(bot_api):
    Channel.objects.create(name="أ", chat="@channel_one", min_interval_seconds=0)
    Channel.objects.create(name="ب", chat="@channel_two", min_interval_seconds=0)
    section = make_section()
    articles = [make_article(f"خبر السباق {n}", section=section, ago=NEWS) for n in range(8)]
    assert Delivery.objects.count() == 16  # made after each commit (transactional test)
    bot_api.delay = 0.03  # each call takes a moment: the runners overlap

    def runner(index):
        sent = 0
        for _pass in range(3):
            sent += outbox.send_due().sent
        return sent

    sent = in_threads(2, runner)
    assert sum(sent) == 16 and all(sent), sent  # both worked, and together sent each once
    for chat in ("@channel_one", "@channel_two"):
        links = [
            call.params["text"].rsplit("\n", 1)[-1]
            for call in bot_api.called("sendMessage")
            if call.params["chat_id"] == chat
        ]
        assert sorted(links) == sorted(f"{SITE}/a/{article.pk}" for article in articles)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_runners_racing_over_posts_and_edits_keep_the_order(bot_api):
    Channel.objects.create(name="أ", chat="@channel_one", min_interval_seconds=0)
    articles = [make_article(f"خبر {n}", ago=NEWS) for n in range(5)]
    for article in articles:  # corrected before anything went out
        article.title_ar += " (معدّل)"
        article.save()
    bot_api.delay = 0.02
    in_threads(3, lambda index: [outbox.send_due() for _pass in range(3)])
    assert len(bot_api.called("sendMessage")) == 5
    edits = bot_api.called("editMessageText")
    assert len(edits) == 5
    for (chat, _id), message in bot_api.messages.items():
        assert chat == "@channel_one" and "(معدّل)" in message["text"]


def test_reconciling_the_same_change_at_once_owes_it_once(bot_api):
    Channel.objects.create(name="أ", chat="@channel_one")
    article = make_article("خبر", published=False)
    Article.objects.filter(pk=article.pk).update(
        status="published", published_at=article.created_at
    )
    made = in_threads(4, lambda index: len(outbox.reconcile(article.pk)))
    assert sum(made) == 1
    assert list(Delivery.objects.values_list("version", "action")) == [(1, "post")]


def test_two_run_jobs_processes_post_each_article_once(bot_api):
    Channel.objects.create(name="أ", chat="@channel_one", min_interval_seconds=0)
    articles = [make_article(f"خبر العمليتين {n}", ago=NEWS) for n in range(6)]
    bot_api.delay = 0.05
    env = child_process_env() | {
        "NEWSROOM_TELEGRAM_API_URL": bot_api.url,
        "NEWSROOM_TELEGRAM_BOT_TOKEN": TOKEN,
        "NEWSROOM_SITE_URL": SITE,
    }
    command = [sys.executable, "manage.py", "run_jobs", "--every", "0.05", "--for", "3"]
    connection.close()  # the children use the same test database
    runners = [
        subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    for runner in runners:
        _out, err = runner.communicate(timeout=120)
        assert runner.returncode == 0, err
    assert posts_per_article(bot_api) == {f"{SITE}/a/{article.pk}": 1 for article in articles}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
