"""`make serve`'s stack for real: nginx in front of gunicorn, DEBUG off, on a free loopback port.

Runs deploy/serve.sh against its own database (the ``stack`` fixture in tests/deploy/conftest.py)
and checks what only the real stack shows: nginx's microcache answers HIT for anonymous pages
and is bypassed with a session cookie, static files are fingerprinted, gzipped and immutable
for a year.
"""

import urllib.request

from tests.deploy.conftest import manage_shell


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_anonymous_pages_come_from_the_microcache(stack):
    statuses = [fetch(stack + "/ar/")[1].get("X-Cache") for _ in range(3)]
    assert statuses[0] == "MISS"
    assert {"HIT", "STALE", "UPDATING"} & set(statuses[1:])
    status, headers, body = fetch(stack + "/ar/")
    assert status == 200
    assert '<html lang="ar" dir="rtl">' in body.decode()
    assert "public" in headers["Cache-Control"]
    assert headers["ETag"]


def test_a_session_cookie_bypasses_every_cache(stack):
    fetch(stack + "/ar/")
    _, headers, _ = fetch(stack + "/ar/", {"Cookie": "sessionid=someone"})
    assert headers["X-Cache"] == "BYPASS"
    assert "private" in headers["Cache-Control"]
    assert "X-Page-Cache" not in headers


def test_static_files_are_fingerprinted_gzipped_and_immutable(stack):
    _, _, body = fetch(stack + "/ar/")
    import re

    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, "the stylesheet link is not fingerprinted"
    status, headers, _ = fetch(stack + css.group(1), {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers.get("Content-Encoding") == "gzip"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch_once(url, headers=None):
    """Like fetch, but a redirect is the answer (not followed)."""
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_the_bare_domain_follows_each_readers_language_through_nginx(stack):
    """«/» opens the language the reader chose (the switch's cookie): nginx never hands one
    reader's answer to the next."""
    for _ in range(2):
        for cookie, expected in ((None, "/ar/"), ("django_language=en", "/en/")):
            status, headers = fetch_once(stack + "/", {"Cookie": cookie} if cookie else {})
            assert (status, headers["Location"]) == (302, expected), cookie
            assert headers.get("X-Cache") in (None, "MISS", "BYPASS"), headers


def test_a_renamed_article_old_address_answers_301_through_nginx(stack):
    import time
    import uuid

    old, new = f"serve-old-{uuid.uuid4().hex[:8]}", f"serve-new-{uuid.uuid4().hex[:8]}"
    pk = manage_shell(
        "from django.utils import timezone\n"
        "from articles.models import Article, Byline, Author, Section\n"
        "section, _ = Section.objects.get_or_create(slug='serve-t', defaults={'name_ar': 'قسم'})\n"
        "author, _ = Author.objects.get_or_create(slug='serve-t', defaults={'name_ar': 'كاتب'})\n"
        f"a = Article.objects.create(title_ar='خبر قبل', slug='{old}', section=section,\n"
        "    body_ar='<p>نص</p>', status='published', published_at=timezone.now())\n"
        "Byline.objects.create(article=a, author=author, position=0)\n"
        "print(a.pk)"
    )
    statuses = [fetch(f"{stack}/ar/news/{old}/")[1].get("X-Cache") for _ in range(3)]
    assert {"HIT", "STALE", "UPDATING"} & set(statuses[1:])  # the old page was in the microcache
    manage_shell(
        "from articles.models import Article\n"
        f"a = Article.objects.get(pk={pk}); a.title_ar = 'خبر بعد'; a.slug = '{new}'; a.save()"
    )
    deadline = time.monotonic() + 10  # the microcache keeps a page NEWSROOM_EDGE_CACHE_SECONDS
    while True:
        status, headers = fetch_once(f"{stack}/ar/news/{old}/")
        if status == 301 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == 301
    assert headers["Location"] == f"/ar/news/{new}/"
    assert "max-age=0" in headers["Cache-Control"]  # browsers ask again each time
    status, _, body = fetch(f"{stack}/ar/news/{new}/")
    assert status == 200 and "خبر بعد" in body.decode()
    status, headers = fetch_once(f"{stack}/en/news/{old}/")
    assert (status, headers["Location"]) == (301, f"/en/news/{new}/")
    # A shared link's query goes with it, through nginx's cache key as well.
    status, headers = fetch_once(f"{stack}/ar/news/{old}/?utm_source=telegram&page=2")
    assert (status, headers["Location"]) == (301, f"/ar/news/{new}/?utm_source=telegram&page=2")


def test_an_unpublished_article_answers_410_through_nginx(stack):
    import time
    import uuid

    slug = f"serve-down-{uuid.uuid4().hex[:8]}"
    pk = manage_shell(
        "from django.utils import timezone\n"
        "from articles.models import Article, Byline, Author, Section\n"
        "section, _ = Section.objects.get_or_create(slug='serve-t', defaults={'name_ar': 'قسم'})\n"
        "author, _ = Author.objects.get_or_create(slug='serve-t', defaults={'name_ar': 'كاتب'})\n"
        f"a = Article.objects.create(title_ar='خبر سيُسحب', slug='{slug}', section=section,\n"
        "    body_ar='<p>نص</p>', status='published', published_at=timezone.now())\n"
        "Byline.objects.create(article=a, author=author, position=0)\n"
        "print(a.pk)"
    )
    statuses = [fetch(f"{stack}/ar/news/{slug}/")[1].get("X-Cache") for _ in range(3)]
    assert {"HIT", "STALE", "UPDATING"} & set(statuses[1:])  # the page was in the microcache
    manage_shell(
        "from articles.models import Article\n"
        f"a = Article.objects.get(pk={pk}); a.status = 'unpublished'; a.save()"
    )
    deadline = time.monotonic() + 10  # the microcache keeps a page NEWSROOM_EDGE_CACHE_SECONDS
    while True:
        status, headers = fetch_once(f"{stack}/ar/news/{slug}/")
        if status == 410 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == 410
    assert "max-age=0" in headers["Cache-Control"]  # browsers ask again each time
    assert fetch_once(f"{stack}/en/news/{slug}/")[0] == 410
    manage_shell(
        "from articles.models import Article\n"
        f"a = Article.objects.get(pk={pk}); a.status = 'published'; a.save()"
    )
    deadline = time.monotonic() + 10  # and the 410 is not kept longer than a page
    while True:
        status, _ = fetch_once(f"{stack}/ar/news/{slug}/")
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == 200


def test_an_archive_articles_kept_answer_outlives_the_news_and_shows_it_through_nginx(stack):
    """A kept answer draws the «عاجل» ticker at each hit (caching/fragments.py): a breaking
    story elsewhere shows on an old article's page while Django still serves that page's
    kept answer (X-Page-Cache: hit), not a render of the article. Each request carries a
    shared link's own ``utm_source``: nginx keeps each address apart (a miss there), Django's
    page cache does not (the page is made of no such parameter)."""
    import itertools
    import time
    import uuid

    slug, headline = f"serve-old-{uuid.uuid4().hex[:8]}", f"حريق في الميناء {uuid.uuid4().hex[:6]}"
    setup = (
        "from django.utils import timezone\n"
        "from articles.models import Article, Byline, Author, Section\n"
        "author, _ = Author.objects.get_or_create(slug='serve-t', defaults={'name_ar': 'كاتب'})\n"
        "def made(title, slug, section, **fields):\n"
        "    s, _ = Section.objects.get_or_create(slug=section, defaults={'name_ar': section})\n"
        "    a = Article.objects.create(title_ar=title, slug=slug, section=s,\n"
        "        body_ar='<p>نص</p>', status='published', published_at=timezone.now(), **fields)\n"
        "    Byline.objects.create(article=a, author=author, position=0)\n"
        "    return a\n"
    )
    # Both sections first: a new section changes the menu every page shows.
    manage_shell(
        setup + "Section.objects.get_or_create(slug='serve-news', defaults={'name_ar': 'عاجل'})\n"
        f"made('خبر من الأرشيف', '{slug}', 'serve-archive')"
    )
    shared = (f"?utm_source=telegram-{n}" for n in itertools.count())

    def django_answer(path):
        _, headers, body = fetch(f"{stack}{path}{next(shared)}")
        assert headers.get("X-Cache") == "MISS"  # a new address to nginx: Django answered
        return headers.get("X-Page-Cache"), body.decode()

    def until(want, path, seconds=10):
        deadline = time.monotonic() + seconds
        while not want(*(answer := django_answer(path))) and time.monotonic() < deadline:
            time.sleep(0.2)  # a page rendered just after a change is not kept (the skew margin)
        return answer

    assert until(lambda state, body: state == "hit", f"/ar/news/{slug}/")[0] == "hit"
    pk = manage_shell(
        setup + f"print(made('{headline}', '{slug}-news', 'serve-news', is_breaking=True).pk)"
    )
    try:
        # The news is on the site (and past the skew margin: the home's answer is kept).
        home = until(lambda state, body: state == "hit" and headline in body, "/ar/")
        assert headline in home[1]
        state, body = django_answer(f"/ar/news/{slug}/")
        assert headline in body and "خبر من الأرشيف" in body
        assert state == "hit", "the old article's kept answer should have drawn the news"
    finally:
        manage_shell(
            "from articles.models import Article\n"
            f"a = Article.objects.get(pk={pk}); a.is_breaking = False; a.save()"
        )


def test_a_browser_revalidates_a_gzipped_page_with_its_weak_etag_through_nginx(stack):
    """nginx's gzip turns our ETag weak (W/"…"); the browser sends that back and gets a 304
    (nginx compares it with Django's answer weakly, as Django's page cache now does too:
    tests/caching/test_kept_answers.py). Each request carries its own ``utm_source``, so
    nginx passes it on to Django (whose page is made of no such parameter)."""
    import itertools
    import time
    import urllib.error

    gzip = {"Accept-Encoding": "gzip"}
    deadline = time.monotonic() + 10  # a page rendered just after another test's change is
    for n in itertools.count():  # not kept (the skew margin): until the home is a hit
        _, headers, _ = fetch(f"{stack}/ar/?utm_source=weak-{n}", gzip)
        if headers.get("X-Page-Cache") == "hit" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert headers["X-Cache"] == "MISS" and headers.get("X-Page-Cache") == "hit"
    etag = headers["ETag"]
    assert etag.startswith('W/"'), etag
    try:
        fetch(f"{stack}/ar/?utm_source=weak-again", {**gzip, "If-None-Match": etag})
    except urllib.error.HTTPError as answer:
        assert answer.code == 304
    else:
        raise AssertionError("a weak ETag sent back should be answered 304")
