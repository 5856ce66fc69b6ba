"""Two app servers, one redis-server: a page kept by one is served by the other, and a change
made anywhere (here a third process, as the desk) is seen by both at once.

Requests carry the same Host header, as behind a load balancer (pages are kept per host)."""

import time

import pytest

from .conftest import call as plain_call
from .conftest import make_article

pytestmark = pytest.mark.cluster


def call(base: str, path: str):
    return plain_call(base, path, headers={"Host": "localhost"})


def kept(base: str, path: str, timeout: float = 15) -> str:
    """GET until the page comes from the page cache (pages are kept from 2 s after a change)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = call(base, path)
        assert answer.status == 200
        if answer.headers.get("X-Page-Cache") == "hit":
            return answer.text
        time.sleep(0.1)
    raise AssertionError(f"{path} never came from the page cache on {base}")


def test_invalidation_reaches_every_app_server(cluster):
    app1, app2 = (app.url for app in cluster.app_servers)
    article = make_article(cluster, "عنوان أول للخبر")
    cluster.replica.catch_up()
    assert "عنوان أول للخبر" in kept(app1, article["url"])
    # app2 never rendered it: the page app1 kept in Redis is its page too.
    second = call(app2, article["url"])
    assert second.headers.get("X-Page-Cache") == "hit"
    assert "عنوان أول للخبر" in second.text

    cluster.shell(
        "from articles.models import Article\n"
        f"a = Article.objects.get(pk={article['id']})\n"
        "a.title_ar = 'عنوان مصحح للخبر'\n"
        "a.save()\n"
        "print('{}')\n"
    )
    cluster.replica.catch_up()
    for base in (app1, app2):
        answer = call(base, article["url"])
        assert answer.status == 200
        if base == app1:  # the first request after the change: the kept page is gone
            assert answer.headers.get("X-Page-Cache") != "hit"
        # app2 may be served the page app1 just rendered (kept when that render ended more
        # than 2 s after the change, as on a loaded machine), never the old one.
        assert "عنوان مصحح للخبر" in answer.text
        assert "عنوان أول للخبر" not in answer.text
    # And the corrected page is kept again, for both.
    assert "عنوان مصحح للخبر" in kept(app2, article["url"])
    assert "عنوان مصحح للخبر" in kept(app1, article["url"])
