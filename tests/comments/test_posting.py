"""Posting through the article page: errors keep the text, success lands at the comment."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from comments.models import ReaderComment
from tests.comments.conftest import form_data, publish_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def post_url(lang="ar"):
    with translation.override(lang):
        return reverse("comments:post")


def test_article_page_shows_the_form_with_required_marks(client, article):
    content = client.get(article.get_absolute_url()).content.decode()
    form = content[content.index('id="comment-form"') :]
    for label in ("الاسم", "البريد الإلكتروني", "التعليق"):
        assert f'{label} <span class="required-mark">(*)</span>' in form
    for name in ("name", "email", "comment"):  # and to screen readers
        assert re.search(rf'<[^>]*name="{name}"[^>]*aria-required="true"', form), name
    # an address reads left to right; a name in either script
    assert re.search(r'<input[^>]*name="email"[^>]*dir="ltr"', form)
    assert re.search(r'<input[^>]*name="name"[^>]*dir="auto"', form)
    positions = [
        content.index("اكتب تعليق"),
        content.index("كل الحقول التي عليها علامة (*) مطلوبة"),
        content.index('id="comment-form"'),
    ]
    assert positions == sorted(positions)
    assert "<script>" not in content.replace('<script src="', "")  # no inline script


def test_english_page_has_english_labels(client, article):
    with translation.override("en"):
        url = article.get_absolute_url()
    content = client.get(url).content.decode()
    assert "Write a comment" in content and "All fields marked with (*) are required" in content
    assert 'Name <span class="required-mark">(*)</span>' in content


def test_known_address_is_published_and_lands_at_the_comment(client, article):
    publish_comment(article, email="salma@example.com", text="تعليق سابق")
    response = client.post(post_url(), form_data(article, comment="تعليق جديد منشور"))
    comment = ReaderComment.objects.get(comment="تعليق جديد منشور")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert comment.is_public and comment.level == 0
    page = client.get(response["Location"]).content.decode()
    assert "شكرًا لك: نُشر تعليقك." in page
    assert f'id="c{comment.pk}"' in page and "تعليق جديد منشور" in page
    assert "salma@example.com" not in page  # the email is never shown


def test_first_comment_of_a_new_address_waits_for_moderation(client, article):
    response = client.post(post_url(), form_data(article, comment="أول تعليق لي"))
    comment = ReaderComment.objects.get()
    assert response["Location"] == f"{article.get_absolute_url()}#comment-status"
    assert not comment.is_public and comment.hold_reason == "first"
    page = client.get(response["Location"]).content.decode()
    assert "بانتظار المراجعة" in page
    assert "أول تعليق لي" not in page


@pytest.mark.parametrize("field", ["name", "email", "comment"])
def test_missing_field_brings_the_form_back_with_the_text_kept(client, article, field):
    data = form_data(article, name="رامي <b>", email="rami@example.com", comment="نص طويل كتبته")
    data[field] = ""
    response = client.post(post_url(), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert {"name": "الرجاء كتابة اسمك.", "email": "الرجاء كتابة بريدك الإلكتروني.",
            "comment": "الرجاء كتابة تعليقك."}[field] in content  # fmt: skip
    kept = {"name": 'value="رامي &lt;b&gt;"', "email": 'value="rami@example.com"',
            "comment": "نص طويل كتبته</textarea>"}  # fmt: skip
    for name, html in kept.items():
        if name != field:
            assert html in content
    assert 'action="/ar/comments/post/#comment-form"' in content
    assert ReaderComment.objects.count() == 0


def test_a_form_open_for_hours_says_so_keeps_the_text_and_then_posts(client, article, settings):
    """A page kept in a browser (a 304 keeps its old form) may send a signature hours old:
    the reader is told why, not asked to correct fields none of which is marked, and the
    form comes back signed afresh, so sending it again posts."""
    data = form_data(article, email="rami@example.com", comment="نص كتبته قبل ساعات")
    response = client.post(post_url(), form_data(article, age=3 * 3600, **{
        key: data[key] for key in ("email", "comment")}))  # fmt: skip
    content = response.content.decode()
    assert response.status_code == 400
    assert "بقي النموذج مفتوحًا وقتًا طويلًا" in content
    assert "نص كتبته قبل ساعات</textarea>" in content
    again = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', content))
    again.update(name="رامي", email="rami@example.com", comment="نص كتبته قبل ساعات")
    settings.NEWSROOM_COMMENTS_MIN_SECONDS = 0  # the reader reads it over before sending
    assert client.post(post_url(), again).status_code == 302
    assert ReaderComment.objects.filter(comment="نص كتبته قبل ساعات").count() == 1


def test_errors_in_english_on_english_pages(client, article):
    response = client.post(post_url("en"), form_data(article, comment=""))
    assert "Please write your comment." in response.content.decode()


def test_html_and_script_are_shown_as_text(client, article):
    publish_comment(article, email="x@example.com")
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(post_url(), form_data(article, name=evil[:50], email="x@example.com", comment=evil))
    content = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert '<script>alert("x")' not in content and "<img src=x" not in content


@pytest.mark.parametrize(
    "target",
    [
        {"object_pk": "999999"},
        {"object_pk": "abc"},
        {"object_pk": "1" * 40},
        {"content_type": "auth.user"},
        {"content_type": "nonsense"},
    ],
)
def test_unknown_target_is_refused_clearly_with_text_kept(client, article, target):
    response = client.post(post_url(), {**form_data(article), **target})
    content = response.content.decode()
    assert response.status_code == 404
    assert "لا يقبل هذا الخبر تعليقات" in content
    assert "تعليق مفيد على الخبر." in content


@pytest.mark.parametrize("kind", ["draft", "future"])
def test_unpublished_article_is_refused(client, kind):
    article = make_article(
        published=kind != "draft", ago=-timedelta(days=1) if kind == "future" else timedelta(0)
    )
    response = client.post(post_url(), form_data(article))
    assert response.status_code == 404
    assert ReaderComment.objects.count() == 0


def test_closed_article_refuses_with_text_kept(client, article):
    article.comments_enabled = False
    article.save()
    assert "أُغلق التعليق على هذا الخبر." in client.get(article.get_absolute_url()).content.decode()
    response = client.post(post_url(), form_data(article))
    content = response.content.decode()
    assert response.status_code == 403
    assert "أُغلق التعليق على هذا الخبر." in content and "تعليق مفيد على الخبر." in content
    assert ReaderComment.objects.count() == 0


def test_comments_close_after_n_days(client, settings):
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = 7
    old = make_article(ago=timedelta(days=8))
    fresh = make_article(ago=timedelta(days=6))
    assert 'id="comment-form"' not in client.get(old.get_absolute_url()).content.decode()
    assert client.post(post_url(), form_data(old)).status_code == 403
    assert client.post(post_url(), form_data(fresh)).status_code == 302
    assert ReaderComment.objects.count() == 1


def test_tampered_form_is_refused_with_text_kept(client, article):
    data = form_data(article)
    data["security_hash"] = "0" * 40
    response = client.post(post_url(), data)
    assert response.status_code == 400
    assert "تعليق مفيد على الخبر." in response.content.decode()


@pytest.mark.parametrize(
    "garbage",
    [
        {"reply_to": "x"},
        {"reply_to": "99999999999999999999999"},
        {"timestamp": "soon"},
        {"timestamp": "9" * 30},
        {"followup": "maybe"},
        {"comment": "\x00" * 10},
        {"name": "ا" * 10000},
        {"email": "@" * 300},
    ],
)
def test_garbage_never_gives_a_500(client, article, garbage):
    response = client.post(post_url(), {**form_data(article), **garbage})
    assert response.status_code in (302, 400, 404)


def test_get_posts_nothing(client, article):
    """A GET (even with a whole form in its query) posts nothing: it leads back to the site."""
    response = client.get(post_url(), form_data(article))
    assert response.status_code == 302 and ReaderComment.objects.count() == 0


def test_rate_limit_per_ip_keeps_the_text(client, article, settings):
    settings.NEWSROOM_COMMENTS_MAX_PER_IP = 2
    for n in range(2):
        data = form_data(article, email=f"r{n}@example.com", comment=f"تعليق {n}")
        assert client.post(post_url(), data).status_code == 302
    response = client.post(post_url(), form_data(article, email="r9@example.com", comment="الثالث"))
    assert response.status_code == 429
    assert "الرجاء الانتظار" in response.content.decode()
    assert "الثالث</textarea>" in response.content.decode()
    other_ip = client.post(
        post_url(), form_data(article, email="r8@example.com"), REMOTE_ADDR="10.0.0.9"
    )
    assert other_ip.status_code == 302


def test_rate_limit_per_email(client, article, settings):
    settings.NEWSROOM_COMMENTS_MAX_PER_EMAIL = 1
    assert client.post(post_url(), form_data(article, comment="واحد")).status_code == 302
    response = client.post(post_url(), form_data(article, comment="اثنان"), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


def test_the_same_comment_twice_is_stored_once(client, article):
    first = client.post(post_url(), form_data(article))
    second = client.post(post_url(), form_data(article, comment="  تعليق   مفيد على الخبر. "))
    assert first.status_code == second.status_code == 302
    assert ReaderComment.objects.count() == 1
    assert "وصلنا هذا التعليق من قبل." in client.get(second["Location"]).content.decode()


def test_replies_form_threads_and_reply_link(client, article):
    root = publish_comment(article, email="salma@example.com")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="?reply={root.pk}#comment-form"' in page
    replying = client.get(article.get_absolute_url() + f"?reply={root.pk}").content.decode()
    assert f'name="reply_to" value="{root.pk}"' in replying
    response = client.post(post_url(), form_data(article, reply_to=str(root.pk), comment="رد"))
    reply = ReaderComment.objects.get(comment="رد")
    assert (reply.level, reply.parent_id, reply.thread_id) == (1, root.pk, root.pk)
    assert response["Location"].endswith(f"#c{reply.pk}")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'class="comment level-1" id="c{reply.pk}"' in page


def test_reply_too_deep_is_refused_clearly(client, article):
    root = publish_comment(article)
    child = publish_comment(article, email="b@example.com", parent_id=root.pk)
    leaf = publish_comment(article, email="c@example.com", parent_id=child.pk)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"?reply={leaf.pk}" not in page
    response = client.post(post_url(), form_data(article, reply_to=str(leaf.pk)))
    assert response.status_code == 400
    assert "لا يمكن أن تتعمق الردود" in response.content.decode()


@pytest.mark.parametrize(("order", "first"), [("newest", "الثاني"), ("oldest", "الأول")])
def test_newest_or_oldest_first(client, article, settings, order, first):
    settings.NEWSROOM_COMMENTS_ORDER = order
    publish_comment(article, text="التعليق الأول")
    publish_comment(article, text="التعليق الثاني")
    content = client.get(article.get_absolute_url()).content.decode()
    other = "الأول" if first == "الثاني" else "الثاني"
    assert content.index(f"التعليق {first}") < content.index(f"التعليق {other}")


def test_comment_count_on_article_page_and_in_lists(client, article):
    for n in range(3):
        publish_comment(article, email=f"n{n}@example.com")
    hidden = publish_comment(article, email="h@example.com")
    ReaderComment.objects.filter(pk=hidden.pk).update(is_public=False)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="#comments">3 تعليقات</a>' in page
    home = client.get("/ar/").content.decode()
    assert "3 تعليقات" in home
    section = client.get(article.section.get_absolute_url()).content.decode()
    assert "3 تعليقات" in section
    # The list's heading gives the number once, not «التعليقات (3 تعليقات)».
    assert 'التعليقات <span class="comment-count">(3)</span></h2>' in page


def test_no_comments_are_not_counted_twice_in_the_heading(client):
    """«التعليقات (لا تعليقات)» above «لا تعليقات بعد.»."""
    page = client.get(make_article("خبر بلا تعليقات").get_absolute_url()).content.decode()
    heading = page.split('id="comment-list-heading">')[1].split("</h2>")[0]
    assert heading == "التعليقات"


def test_csrf_failure_keeps_the_text_and_offers_the_form_again(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(), form_data(article, comment="نص لا أريد أن أفقده <i>"))
    content = response.content.decode()
    assert response.status_code == 403
    assert "انتهت صلاحية الجلسة" in content
    assert "نص لا أريد أن أفقده &lt;i&gt;</textarea>" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert 'value="سلمى"' in content
    # The page's form goes through: sent from our own page, a browser says so (Origin), and
    # the page carries a fresh token for readers with a session (caching/csrf.py).
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    data = form_data(article, comment="نص لا أريد أن أفقده <i>", csrfmiddlewaretoken=token)
    again = client.post(post_url(), data, HTTP_ORIGIN="http://testserver")
    assert again.status_code == 302
    assert ReaderComment.objects.get().comment == "نص لا أريد أن أفقده <i>"


def test_csrf_failure_elsewhere_is_a_clear_page(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ar/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "انتهت صلاحية الجلسة" in response.content.decode()


def test_the_library_api_cannot_bypass_our_checks(client, article):
    assert client.post("/ar/comments/api/comment/", form_data(article)).status_code == 404
    assert ReaderComment.objects.count() == 0


def test_library_reply_url_opens_our_form_replying(client, article):
    root = publish_comment(article)
    response = client.get(f"/ar/comments/reply/{root.pk}/")
    assert response["Location"] == f"{article.get_absolute_url()}?reply={root.pk}#comment-form"
    assert client.get("/ar/comments/reply/999999/").status_code == 404
    # A held or removed comment is as absent as a missing one: its number tells nothing.
    held = publish_comment(article, email="h@example.com", is_public=False)
    removed = publish_comment(article, email="r@example.com", is_removed=True)
    for comment in (held, removed):
        assert client.get(f"/ar/comments/reply/{comment.pk}/").status_code == 404


def test_the_posting_address_opened_again_leads_back_to_the_site(client, article):
    """A form returned with an error sits at the posting address: a reload, a new tab or the
    language switch there was a blank 405, and the switch led to /en/comments/post/."""
    response = client.post(post_url(), form_data(article, comment=""))
    assert response.status_code == 400
    content = response.content.decode()
    with translation.override("en"):
        english = article.get_absolute_url()
    assert f'href="{english}" hreflang="en"' in content
    assert 'href="/en/comments/post/"' not in content
    assert client.get(post_url())["Location"] == "/ar/"
    back = client.get(post_url(), HTTP_REFERER=f"http://testserver{article.get_absolute_url()}")
    assert back.status_code == 302 and back["Location"].endswith(article.get_absolute_url())
    elsewhere = client.get(post_url(), HTTP_REFERER="https://evil.example/")
    assert elsewhere["Location"] == "/ar/"


def test_a_not_found_page_switches_to_the_other_language(client):
    for path, other in (("/ar/no-such-page/", "/en/no-such-page/"), ("/en/nope/", "/ar/nope/")):
        response = client.get(path)
        assert response.status_code == 404
        assert f'href="{other}"' in response.content.decode(), path


@pytest.mark.parametrize(
    "path", ["sent/", "liked/", "approved/", "flagged/", "like/1/", "flag/1/", "approve/1/"]
)
def test_the_librarys_other_pages_are_our_404(client, path):
    """They were bare English pages (or a 400 «Comment doesn't exist», or a sign-in redirect
    to an address that does not exist)."""
    response = client.get(f"/ar/comments/{path}")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_a_refused_post_switches_language_to_the_article_and_never_loops(client, article):
    """A refused post (an unknown article, a changed signature) is a page at the posting
    address too: its switch led back to that address, which sent the reader in a loop."""
    with translation.override("en"):
        english_article, english_home = article.get_absolute_url(), reverse("articles:home")
    tampered = client.post(post_url(), form_data(article, security_hash="0" * 40))
    assert tampered.status_code == 400
    assert f'href="{english_article}" hreflang="en"' in tampered.content.decode()
    unknown = client.post(post_url(), form_data(article, object_pk="99999"))
    assert unknown.status_code == 404
    assert f'href="{english_home}" hreflang="en"' in unknown.content.decode()
    for came_from in (post_url(), post_url("en")):
        back = client.get(post_url(), HTTP_REFERER=f"http://testserver{came_from}")
        assert back["Location"] == "/ar/", came_from
