"""Views counted through two app servers add up exactly, and the dedup window holds across
them (a reader counted on one server is a duplicate on the other)."""

import json

import pytest

from .conftest import call, make_article, post_comment

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


PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/131.0 Mobile"


def test_four_readers_on_four_addresses_through_nginx_are_four_views(cluster):
    """Through the cluster's nginx (gunicorn behind it sees no socket address), one browser
    build on four machines is four readers, whichever app server answers each."""
    base = cluster.nginx.url
    article = make_article(cluster, "خبر يقرؤه أربعة قراء")

    def view(address: str) -> dict:
        answer = call(
            base, f"/api/views/{article['id']}/", method="POST", body=b"", source=address,
            headers={"Origin": base, "Referer": base + article["url"], "User-Agent": PHONE},
        )  # fmt: skip
        assert answer.status == 200, answer.text[:300]
        return json.loads(answer.body)

    answers = [view(f"127.0.0.{n}") for n in (71, 72, 73, 74)]
    assert [answer["counted"] for answer in answers] == [True] * 4
    again = view("127.0.0.71")
    assert again["counted"] is False and int(again["views"]) == 4


def test_the_comment_limit_holds_per_address_through_nginx(cluster):
    base = cluster.nginx.url
    article = make_article(cluster, "خبر يعلق عليه القراء")
    statuses = [
        post_comment(base, article, f"تعليق {n}", source="127.0.0.81",
                     email=f"busy{n}@example.org").status
        for n in range(6)
    ]  # fmt: skip
    assert statuses[:5] == [302] * 5 and statuses[5] == 429, statuses
    other = post_comment(
        base, article, "تعليق قارئ آخر", source="127.0.0.82", email="other@example.org"
    )
    assert other.status == 302
    stored = cluster.shell(
        "import json\nfrom comments.models import ReaderComment\n"
        f"print(json.dumps(sorted(ReaderComment.objects.filter(object_pk='{article['id']}')"
        ".values_list('ip_address', flat=True))))"
    )
    assert stored == ["127.0.0.81"] * 5 + ["127.0.0.82"]
