"""Old addresses answer 301 to the new article; normal pages pay no query for it."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import LegacyPath
from archive.paths import key_for_url, normalize_path
from tests.archive.wxr_factory import item, wxr
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SLUG = "انشقاق-في-صفوف-داعش"


@pytest.fixture
def imported(run_import, tmp_path):
    path = tmp_path / "export.xml"
    encoded = quote(SLUG).lower()
    path.write_text(
        wxr(
            item(123, "انشقاق في صفوف داعش", slug=encoded, link="https://old.example.com/?p=123"),
            item(
                124,
                "خبر بعنوان إنكليزي",
                slug="english-slug",
                link="https://old.example.com/archives/124",
                date="2019-01-31 23:30:00",
            ),
            item(125, "مسودة", status="draft", slug="draft-slug"),
        ),
        encoding="utf-8",
    )
    run_import(path)
    return path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=123", f"/ar/news/{quote(SLUG)}/"),
        (f"/2017/04/{quote(SLUG).lower()}/", f"/ar/news/{quote(SLUG)}/"),  # lower-case hex
        (f"/2017/04/{quote(SLUG)}/", f"/ar/news/{quote(SLUG)}/"),  # upper-case hex
        (f"/2017/04/{quote(SLUG)}", f"/ar/news/{quote(SLUG)}/"),  # no trailing slash
        ("/archives/124/", "/ar/news/english-slug/"),  # the <link> as WordPress had it
        ("/2019/01/english-slug/", "/ar/news/english-slug/"),  # date permalink, local date
        ("/?page_id=124", "/ar/news/english-slug/"),
    ],
)
def test_old_addresses_redirect_permanently(client, imported, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_unknown_old_address_is_still_404(client, imported):
    assert client.get("/2017/04/no-such-post/").status_code == 404
    assert client.get("/?p=999").status_code == 302  # the bare root as before: to /ar/


def test_drafts_keep_their_post_id_path_but_no_date_path(imported):
    paths = set(LegacyPath.objects.filter(article__title_ar="مسودة").values_list("path", flat=True))
    assert paths == {"/?p=125"}


def test_normal_pages_cost_no_redirect_query(client, imported):
    article = make_article("خبر جديد")
    for url in ("/ar/", article.get_absolute_url(), "/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code in (200, 302)
        assert not any("archive_legacypath" in q["sql"] for q in queries.captured_queries), url


def test_404_costs_one_lookup(client, imported):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/no/such/page/").status_code == 404
    assert sum("archive_legacypath" in q["sql"] for q in queries.captured_queries) == 1


def test_path_keys():
    assert normalize_path("/2017/04/%D8%A7/") == normalize_path("/2017/04/%d8%a7") == "/2017/04/ا"
    assert key_for_url("https://old.example.com/?p=12&foo=1") == "/?p=12"
    assert key_for_url("https://old.example.com/") == ""
    assert key_for_url("https://old.example.com//a//b/") == "/a/b"
