import pytest

from live import services
from tests.factories import make_article, make_author, make_section


@pytest.fixture
def live_article():
    """A published article with a live coverage and two entries."""
    section = make_section("أخبار محلية")
    article = make_article("تغطية مباشرة: العاصفة الثلجية في دمشق", section=section)
    coverage = services.start_coverage(article=article)
    first = services.post_entry(coverage=coverage, body="بدأ تساقط الثلوج على المرتفعات.")
    second = services.post_entry(
        coverage=coverage, body="إغلاق طريق دمشق بيروت أمام الشاحنات.", author=make_author("رنا")
    )
    return {"article": article, "coverage": coverage, "first": first, "second": second}


def updates_url(article, after=None, rev=None):
    from django.urls import reverse

    url = reverse("live:updates", args=[article.pk])
    if after is not None:
        url += f"?after={after}"
    if rev is not None:
        url += f"{'&' if after is not None else '?'}rev={rev}"
    return url
