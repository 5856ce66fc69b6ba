"""Views counted through two app servers add up exactly, and the dedup window holds across
them (a reader counted on one server is a duplicate on the other)."""

import json

import pytest

from .conftest import call, make_article

pytestmark = pytest.mark.cluster
READERS = 24


def beacon(base: str, article: dict, reader: int) -> dict:
    answer = call(
        base,
        f"/api/views/{article['id']}/",
        method="POST",
        body=b"",
        headers={
            "Origin": base,
            "Referer": base + article["url"],
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
            f"Gecko) Chrome/130.0 Safari/537.36 reader/{reader}",
        },
    )
    assert answer.status == 200, answer.text[:300]
    return json.loads(answer.body)


def stored_total(base: str, article: dict) -> int:
    """The total the endpoint reads from the primary, asked by an already counted reader."""
    answer = beacon(base, article, 0)
    assert not answer["counted"]
    return int(answer["views"])


def test_views_add_up_across_app_servers(cluster):
    app1, app2 = (app.url for app in cluster.app_servers)
    article = make_article(cluster, "خبر يقرؤه الجميع")
    cluster.replica.catch_up()
    answers = [beacon((app1, app2)[n % 2], article, n) for n in range(READERS)]
    assert all(answer["counted"] for answer in answers), answers
    assert stored_total(app1, article) == stored_total(app2, article) == READERS
    # The same readers again, each on the other server: all duplicates, nothing added.
    again = [beacon((app2, app1)[n % 2], article, n) for n in range(READERS)]
    assert not any(answer["counted"] for answer in again), again
    assert stored_total(app1, article) == stored_total(app2, article) == READERS
