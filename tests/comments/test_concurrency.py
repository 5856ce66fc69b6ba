"""Twenty identical comments at the same instant store one: the database decides."""

import threading

import pytest
from django.db import connections
from django.test import Client

from comments.models import ReaderComment
from tests.comments.conftest import form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

POSTERS = 20


def test_twenty_identical_posts_at_once_store_one(settings):
    settings.NEWSROOM_COMMENTS_MAX_PER_IP = 0  # rate limits off: the race is the point
    settings.NEWSROOM_COMMENTS_MAX_PER_EMAIL = 0
    article = make_article("خبر يتسابق عليه المعلقون")
    data = form_data(article, comment="تعليق يرسل عشرين مرة في اللحظة نفسها")
    barrier = threading.Barrier(POSTERS)
    statuses, errors = [], []

    def poster():
        try:
            client = Client()
            barrier.wait(timeout=30)
            statuses.append(client.post("/ar/comments/post/", data).status_code)
        except Exception as exc:  # collected, asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=poster) for _ in range(POSTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert statuses == [302] * POSTERS  # every poster gets an answer, none a 500
    assert ReaderComment.objects.count() == 1
