import time

import pytest
from django.core.cache import cache

from comments.forms import CommentForm
from comments.models import ReaderComment
from tests.factories import make_article


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (LocMem) cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return make_article("خبر للتعليق", body_ar="<p>نص الخبر.</p>")


def form_data(article, *, age=60, **fields):
    """What the browser posts: a signed timestamp ``age`` seconds old and the reader's fields."""
    form = CommentForm(article)
    timestamp = int(time.time()) - age
    data = {
        "content_type": "articles.article",
        "object_pk": str(article.pk),
        "timestamp": str(timestamp),
        "security_hash": form.initial_security_hash(timestamp),
        "name": "سلمى",
        "email": "salma@example.com",
        "comment": "تعليق مفيد على الخبر.",
        "reply_to": "0",
        "honeypot": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def publish_comment(article, *, email="old@example.com", name="قارئ قديم", text=None, **fields):
    """A published comment, as if approved earlier (makes ``email`` a known address)."""
    return ReaderComment.objects.create(
        content_object=article,
        site_id=1,
        user_name=name,
        user_email=email,
        comment=text or f"تعليق منشور {ReaderComment.objects.count() + 1}",
        **{"is_public": True, **fields},
    )
