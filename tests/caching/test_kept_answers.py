"""Answers kept as recipes (caching/fragments.py, caching/pagecache.py): an article's answer
in the page cache names the parts every page shows (the ticker, "most read") and the comment
form's signature instead of copying them, draws them again at each hit, and so lasts until
the article itself changes."""

import re
import time

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from caching import pagecache
from comments.models import ReaderComment
from comments.templatetags import comments_tags
from tests.comments.conftest import publish_comment
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0  # no clocks to skew in a test
    settings.NEWSROOM_PAGE_CACHE_ENABLED = True
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = True
    settings.NEWSROOM_COMMENTS_MIN_SECONDS = 0


def stored_entry(path: str) -> dict:
    """The page cache's entry for the Arabic page at ``path``, as a reader's request keys it."""
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = "ar"
    return pagecache.page_cache().get(pagecache.page_key(request, ("page",)))


def signed(page: bytes) -> dict[str, str]:
    html = page.decode()
    start = html.index('id="comment-form"')
    return dict(HIDDEN.findall(html[start : html.index("</form>", start)]))


def test_an_articles_answer_is_kept_as_a_recipe_and_drawn_at_each_hit(client):
    article = make_article("خبر يبقى جوابه")
    path = article.get_absolute_url()
    first = client.get(path)
    assert first["X-Page-Cache"] == "miss"
    entry = stored_entry(path)
    assert "content" not in entry, "the answer should be kept as a recipe, not as bytes"
    drawn = [item[0] for item in entry["recipe"] if not isinstance(item, str)]
    assert drawn.count("fragment") == 3, drawn  # the ticker and the two "most read" lists
    assert drawn.count("comment-form") == 1, drawn
    literal = "".join(item for item in entry["recipe"] if isinstance(item, str))
    assert "خبر يبقى جوابه" in literal  # the article itself is literal HTML
    assert 'name="security_hash"' not in literal  # the signed form is drawn
    second = client.get(path)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_breaking_story_leaves_the_archives_answers_kept_and_shows_in_them(
    client, django_capture_on_commit_callbacks
):
    # Sections made first (a new one changes every page's menu); the news in another one
    # (an article page's related links follow its own section).
    section, news = make_section("محليات"), make_section("عاجل")
    old = make_article("خبر قديم من الأرشيف", section=section)
    path = old.get_absolute_url()
    assert client.get(path)["X-Page-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        make_article("زلزال يضرب الساحل", is_breaking=True, section=news)
    answer = client.get(path)
    assert answer["X-Page-Cache"] == "hit"  # the ticker alone was rendered again
    assert "زلزال يضرب الساحل" in answer.content.decode()
    other = make_article("خبر آخر من الأرشيف", section=section)
    client.get(other.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        make_article("حريق في الميناء", is_breaking=True, section=news)
    kept = client.get(other.get_absolute_url())
    assert kept["X-Page-Cache"] == "hit", "another article's answer should outlive the news"
    assert "حريق في الميناء" in kept.content.decode()


def test_editing_the_article_or_approving_a_comment_still_ends_its_answer(
    client, django_capture_on_commit_callbacks
):
    article = make_article("خبر سيتغير")
    path = article.get_absolute_url()
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        article.title_ar = "خبر تغير عنوانه"
        article.save()
    changed = client.get(path)
    assert changed["X-Page-Cache"] == "miss"
    assert "خبر تغير عنوانه" in changed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_comment(article, text="تعليق وافق عليه المشرف")
    commented = client.get(path)
    assert commented["X-Page-Cache"] == "miss"
    assert "تعليق وافق عليه المشرف" in commented.content.decode()


def test_an_old_answers_form_is_signed_again_and_posts(client, monkeypatch):
    # A form signed longer ago than SIGNATURE_KEPT_SECONDS (here 1 s) is signed again.
    monkeypatch.setattr(comments_tags, "SIGNATURE_KEPT_SECONDS", 1)
    article = make_article("خبر للتعليق عليه بعد حين")
    path = article.get_absolute_url()
    first = client.get(path)
    assert client.get(path).content == first.content  # young: as it was signed
    time.sleep(1.1)
    kept = client.get(path)
    assert kept["X-Page-Cache"] == "hit"
    fields, before = signed(kept.content), signed(first.content)
    assert int(fields["timestamp"]) > int(before["timestamp"])
    assert fields["security_hash"] != before["security_hash"]
    assert kept["ETag"] == first["ETag"], "a new signature alone is not a new page"
    assert kept.content.replace(fields["timestamp"].encode(), b"").replace(
        fields["security_hash"].encode(), b""
    ) == first.content.replace(before["timestamp"].encode(), b"").replace(
        before["security_hash"].encode(), b""
    )
    fields.update(name="سلمى", email="salma@example.com", comment="تعليق من جواب محفوظ")
    response = Client().post(reverse("comments:post"), fields)
    assert response.status_code == 302, response.content.decode()[:500]
    assert ReaderComment.objects.get(comment="تعليق من جواب محفوظ").object_pk == str(article.pk)


def test_a_kept_answer_lasts_its_own_lifetime_and_a_plain_page_its_own(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_KEPT_ANSWER_SECONDS = 7200
    article = make_article("خبر طويل العمر")
    path = article.get_absolute_url()
    client.get(path)
    lasts = stored_entry(path)["expires_at"] - time.time()
    assert 7000 < lasts <= 7200
    with translation.override("ar"):
        feed = reverse("discovery:feed")  # a page not kept whole: its bytes, for a minute
    assert client.get(feed)["X-Page-Cache"] == "miss"
    entry = stored_entry(feed)
    assert "recipe" not in entry
    assert 0 < entry["expires_at"] - time.time() <= 60


def test_a_stale_shared_part_is_drawn_again_alone_at_the_hit(client, settings):
    """ "Most read" ends every NEWSROOM_MOST_READ_SECONDS: a kept answer's hit then renders
    those lists again (their owner's redraw), not the article around them."""
    from caching.fragments import _kept_here_by_cache

    settings.NEWSROOM_MOST_READ_SECONDS = 1
    article = make_article("خبر ينقصه جزء")
    path = article.get_absolute_url()
    client.get(path)
    time.sleep(1.1)  # "most read" has ended
    kept = client.get(path)
    assert kept["X-Page-Cache"] == "hit"
    entry = stored_entry(path)
    for drawer, payload in (item for item in entry["recipe"] if not isinstance(item, str)):
        if drawer == "fragment":  # the ticker and both lists: gone, from every process too
            pagecache.page_cache().delete("fragment:" + payload[0])
    _kept_here_by_cache.clear()
    again = client.get(path)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == kept.content
    for _drawer, payload in (item for item in entry["recipe"] if not isinstance(item, str)):
        if payload[0].startswith("breaking-ticker"):  # drawn again, kept for the next
            assert pagecache.page_cache().get("fragment:" + payload[0]) is not None


def test_a_piece_nothing_can_draw_makes_a_miss_that_keeps_the_answer_again(client):
    article = make_article("خبر بقطعة لا ترسم")
    path = article.get_absolute_url()
    client.get(path)
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = "ar"
    key = pagecache.page_key(request, ("page",))
    entry = pagecache.page_cache().get(key)
    entry["recipe"] = [*entry["recipe"], ("no-such-drawer", None)]
    pagecache.page_cache().set(key, entry, timeout=60)
    assert client.get(path)["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"


def test_a_part_that_changes_a_drawn_fragment_is_kept_as_it_was_shown(rf):
    """A drawn fragment is found by markers around it, never by searching for its HTML: a
    part that cuts a marker (here, by upper-casing the fragment) is kept literally, and no
    marker is ever shown."""
    from caching.fragments import KeptPage, cached_fragment

    def shared(request):
        return cached_fragment("test-shared", lambda: ("<p>shared</p>", {"test-shared"})).html

    def changed(request):
        return shared(request).upper()

    request = rf.get("/")
    kept = KeptPage({"0": "<main>", "1": "\n", "end": "</main>"}, {"a": shared, "b": shared},
                    drawn=frozenset({"a", "b"}))  # fmt: skip
    assert kept.render(request=request) == "<main><p>shared</p>\n<p>shared</p></main>"
    drawn = ("fragment", ("test-shared", None))  # no redraw: a stale one makes a miss
    assert kept.recipe == ["<main>", drawn, "\n", drawn, "</main>"]
    cut = KeptPage({"0": "<main>", "end": "</main>"}, {"a": changed}, drawn=frozenset({"a"}))
    shown = cut.render(request=request)
    assert shown == "<main><P>SHARED</P></main>" and "<!--" not in shown
    assert cut.recipe is None


def test_revalidation_with_a_weak_etag_or_a_star_and_a_steady_last_modified(client):
    """nginx's gzip makes our ETags weak (W/"…"), and browsers send them back so: If-None-Match
    compares weakly (RFC 9110). A kept answer whose drawn pieces did not change keeps the
    time it was kept as Last-Modified."""
    article = make_article("خبر يعاد التحقق منه")
    path = article.get_absolute_url()
    first = client.get(path)
    hit = client.get(path)
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Last-Modified"] == first["Last-Modified"]
    for sent in (hit["ETag"], "W/" + hit["ETag"], f'"other", W/{hit["ETag"]}', "*"):
        assert client.get(path, HTTP_IF_NONE_MATCH=sent).status_code == 304, sent
    assert client.get(path, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
