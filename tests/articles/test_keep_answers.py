"""``manage.py keep_answers``: every published article's answer kept ahead of its readers."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0  # no clocks to skew in a test
    settings.NEWSROOM_PAGE_CACHE_ENABLED = True
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = True


def keep(**options) -> str:
    """The command's report; what it wrote to stderr is in a failing assertion's message."""
    out, err = StringIO(), StringIO()
    try:
        call_command("keep_answers", stdout=out, stderr=err, **options)
    except CommandError as error:
        raise CommandError(f"{error} {err.getvalue()}") from error
    return out.getvalue() + err.getvalue()


def test_every_published_article_is_a_hit_for_its_first_reader():
    section = make_section("محليات")
    arabic = make_article("خبر بالعربية وحدها", section=section)
    both = make_article("خبر باللغتين", section=section, title_en="News in both languages")
    draft = make_article("مسودة لم تنشر", section=section, published=False)
    out = keep(origin="http://testserver")
    assert "kept 3 answers, 0 already kept, 0 not kept" in out, out
    reader = Client()
    for article, language in ((arabic, "ar"), (both, "ar"), (both, "en")):
        with translation.override(language):
            path = article.get_absolute_url()
        answer = reader.get(path)
        assert answer["X-Page-Cache"] == "hit", path
    assert draft.get_absolute_url()  # never asked for: not published
    again = keep(origin="http://testserver")
    assert "kept 0 answers, 3 already kept" in again, again


def test_answers_are_kept_for_the_address_readers_use(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example"]
    article = make_article("خبر لعنوان الموقع")
    keep(origin="https://news.example")
    path = article.get_absolute_url()
    assert Client().get(path, secure=True, HTTP_HOST="news.example")["X-Page-Cache"] == "hit"
    assert Client().get(path)["X-Page-Cache"] == "miss"  # another host: another answer


def test_shards_share_the_articles_out():
    section = make_section("محليات")
    for number in range(4):
        make_article(f"خبر رقم {number}", section=section)
    first = keep(origin="http://testserver", shard="0/2")
    second = keep(origin="http://testserver", shard="1/2")
    assert "kept 2 answers" in first and "kept 2 answers" in second, (first, second)


@pytest.mark.parametrize("origin", ["", "testserver", "ftp://testserver"])
def test_an_origin_that_is_not_an_address_is_refused(origin, settings):
    settings.NEWSROOM_SITE_URL = ""
    with pytest.raises(CommandError, match="--origin"):
        keep(origin=origin)


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"shard": "abc"}, "--shard must be I/N"),
        ({"shard": "0/0"}, "--shard must be I/N"),
        ({"shard": "5/2"}, "--shard must be I/N"),
        ({"limit": -1}, "--limit must be"),
        ({"jobs": 0}, "--jobs 1 or more"),
    ],
)
def test_a_share_limit_or_job_count_that_means_nothing_is_refused(options, said):
    with pytest.raises(CommandError, match=said):
        keep(origin="http://testserver", **options)


def test_a_host_the_site_does_not_serve_is_refused():
    with pytest.raises(CommandError, match="not one of the site's hosts"):
        keep(origin="https://elsewhere.example")


def test_nothing_to_keep_with_the_page_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    with pytest.raises(CommandError, match="page cache is off"):
        keep(origin="http://testserver")
