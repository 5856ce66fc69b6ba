"""An article whose body has a provider's link alone on a paragraph: the link becomes an embed
once the save is committed, and the reader's page shows the click-to-load facade (our copy of
the thumbnail, title, provider, «تشغيل»), with nothing from the provider's host but the link
and the player's address, which only the click uses."""

import re

import pytest

from embeds.cache import resolving_links
from embeds.models import Embed
from tests.factories import make_article

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
BODY = (
    "<p>قال الوزير في مؤتمره:</p>"
    f"<p>{YOUTUBE}</p>"
    '<p><a href="https://x.com/MoH/status/1790000000000000000">'
    "https://x.com/MoH/status/1790000000000000000</a></p>"
    "<p>https://www.facebook.com/ministry/posts/pfbid02abc</p>"
    "<p>وتابع الحديث عن https://vimeo.com/76979871 في نص الفقرة.</p>"
)


def publish(django_capture_on_commit_callbacks, **fields):
    with resolving_links(), django_capture_on_commit_callbacks(execute=True):
        return make_article("مؤتمر وزير الصحة", body_ar=BODY, **fields)


def test_links_become_facades_on_the_article_page(
    client, providers, django_capture_on_commit_callbacks
):
    article = publish(django_capture_on_commit_callbacks)
    assert Embed.objects.count() == 3  # the link inside a sentence stays a link
    html = client.get(article.get_absolute_url()).content.decode()
    youtube = Embed.objects.get(url=YOUTUBE)
    facade = re.search(r'<figure class="embed embed-video".*?</figure>', html, re.S).group(0)
    assert 'data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in facade
    assert f'href="{YOUTUBE}"' in facade  # without JavaScript: a plain link
    assert f'src="/media/{youtube.thumbnail.renditions[0]["jpg"]}"' in facade
    assert "مؤتمر صحفي لوزير الصحة" in facade and "YouTube" in facade
    assert ">تشغيل<" in facade and "hidden" in facade  # shown by embeds.js
    assert 'src="/static/js/embeds.js"' in html
    # Nothing on the page loads from a provider before the click: no frame, no script,
    # no image but ours.
    assert "<iframe" not in html
    for tag in re.findall(r"<(?:img|script|link|source)[^>]*>", html):
        for address in re.findall(r'(?:src|href|srcset)="(https?://[^/"]+)', tag):
            assert address == "http://testserver", tag
    # The X post became a facade too; Facebook without a token a link card with no player.
    assert "بيان عن اللقاحات" in html
    posts = r'<figure class="embed embed-post(?! embed-card)[^"]*".*?</figure>'
    post = re.search(posts, html, re.S)
    assert post and ">اعرض المنشور<" in post.group(0) and "تشغيل" not in post.group(0)
    card = re.search(r'<figure class="embed embed-post embed-card[^"]*".*?</figure>', html, re.S)
    assert card and "data-player" not in card.group(0) and "تشغيل" not in card.group(0)
    assert "وتابع الحديث عن https://vimeo.com/76979871 في نص الفقرة." in html


def test_the_csp_frames_only_the_players(client, providers, django_capture_on_commit_callbacks):
    article = publish(django_capture_on_commit_callbacks)
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]+)", policy).group(1).split()
    assert "https://www.youtube-nocookie.com" in frame_src
    assert "https://t.me" in frame_src
    assert "https://www.youtube.com" not in frame_src and "'self'" not in frame_src
    assert "script-src 'self'" in policy


def test_an_edited_card_shows_on_the_cached_page(
    client, providers, settings, django_capture_on_commit_callbacks
):
    article = publish(django_capture_on_commit_callbacks)
    url = article.get_absolute_url()
    assert "بيان عن اللقاحات" in client.get(url).content.decode()
    client.get(url)  # kept in the page cache
    embed = Embed.objects.get(provider="X")
    embed.title = "بيان وزارة الصحة عن حملة اللقاح"
    with django_capture_on_commit_callbacks(execute=True):
        embed.save()
    assert "بيان وزارة الصحة عن حملة اللقاح" in client.get(url).content.decode()


def test_a_link_added_later_becomes_an_embed_on_the_cached_page(
    client, providers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("خبر", body_ar="<p>نص أول.</p>")
    url = article.get_absolute_url()
    client.get(url)
    with resolving_links(), django_capture_on_commit_callbacks(execute=True):
        article.body_ar = f"<p>نص أول.</p><p>{YOUTUBE}</p>"
        article.save()
    assert "data-player" in client.get(url).content.decode()


def test_the_facade_is_not_built_for_a_body_without_links(client, django_assert_num_queries):
    article = make_article("خبر بلا روابط")
    from embeds.templatetags.embeds_tags import with_embeds

    with django_assert_num_queries(0):
        assert with_embeds(article.body_html) == article.body_html


def test_a_video_embed_carries_video_object_json_ld(
    client, providers, django_capture_on_commit_callbacks
):
    import json

    article = publish(django_capture_on_commit_callbacks)
    html = client.get(article.get_absolute_url()).content.decode()
    blocks = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    videos = [block for block in blocks if block.get("@type") == "VideoObject"]
    assert len(videos) == 1  # the X post is not a video
    video = videos[0]
    assert video["name"] == "مؤتمر صحفي لوزير الصحة"
    assert video["embedUrl"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert video["thumbnailUrl"].startswith("http://testserver/media/renditions/")
    assert video["url"] == YOUTUBE


def test_saves_outside_a_request_leave_links_until_the_command(
    client, providers, django_capture_on_commit_callbacks
):
    """An import's saves ask no provider; `resolve_embeds` does it afterwards, once."""
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("خبر مستورد", body_ar=BODY)
    assert not Embed.objects.exists() and providers.seen == []
    url = article.get_absolute_url()
    assert "data-player" not in client.get(url).content.decode()
    call_command("resolve_embeds", verbosity=0)
    assert Embed.objects.count() == 3
    assert "data-player" in client.get(url).content.decode()
    asked = len(providers.seen)
    call_command("resolve_embeds", verbosity=0)
    assert len(providers.seen) == asked  # a second run asks nobody
    card = Embed.objects.get(status="card")
    assert card.reason == "no_token"
    from django.test import override_settings

    with override_settings(NEWSROOM_OEMBED_FACEBOOK_TOKEN="1|t"):
        call_command("resolve_embeds", "--cards", verbosity=0)
    card.refresh_from_db()
    assert card.status == "ok"
