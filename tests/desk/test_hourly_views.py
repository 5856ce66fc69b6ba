"""The view counter also keeps views per hour (for the desk's 48-hour chart), in the same
statement, and forgets them after NEWSROOM_VIEW_HOURS_KEPT hours."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from counters.models import ArticleViewHour
from counters.readers import purge_readers
from counters.services import record_view, record_views
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def hourly(article):
    return dict(
        ArticleViewHour.objects.filter(article=article)
        .values("hour")
        .annotate(n=Sum("views"))
        .values_list("hour", "n")
    )


def test_a_counted_view_is_kept_in_its_hour():
    article = make_article()
    now = timezone.now().replace(minute=20)
    assert record_view(article_id=article.pk, reader=b"r1" * 8, now=now).counted
    assert record_view(article_id=article.pk, reader=b"r1" * 8, now=now).counted is False
    assert record_view(article_id=article.pk, reader=b"r2" * 8, now=now).counted
    assert hourly(article) == {now.replace(minute=0, second=0, microsecond=0): 2}


def test_a_batch_keeps_its_hour_too():
    one, two = make_article(), make_article()
    now = timezone.now()
    record_views([(one.pk, b"a" * 16), (one.pk, b"b" * 16), (two.pk, b"a" * 16)], now=now)
    hour = now.replace(minute=0, second=0, microsecond=0)
    assert hourly(one) == {hour: 2} and hourly(two) == {hour: 1}


def test_old_hours_are_forgotten(settings):
    article = make_article()
    now = timezone.now()
    old = now - timedelta(hours=settings.NEWSROOM_VIEW_HOURS_KEPT + 1)
    ArticleViewHour.objects.create(article=article, hour=old, views=3)
    ArticleViewHour.objects.create(article=article, hour=now, views=4)
    purge_readers(now=now)
    assert list(ArticleViewHour.objects.values_list("views", flat=True)) == [4]
