"""The oEmbed client and the embeds it makes, against a loopback provider server: each
provider's answer shape, hostile markup, slow, dead, missing, broken and oversized answers."""

import pytest
from django.utils import translation
from PIL import Image

from articles.models import MediaImage
from embeds import oembed, services
from embeds.models import Embed
from tests.embeds.conftest import dead_address, thumbnail_jpeg

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "key", "kind", "player"),
    [
        (YOUTUBE, "youtube", "video", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "video",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "video",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://x.com/MoH/status/1790000000000000000", "x", "post",
         "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000"),
        ("https://twitter.com/MoH/status/17", "x", "post",
         "https://platform.twitter.com/embed/Tweet.html?id=17"),
        ("https://vimeo.com/76979871", "vimeo", "video", "https://player.vimeo.com/video/76979871"),
        ("https://soundcloud.com/radio/episode-12", "soundcloud", "audio",
         "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fradio%2Fepisode-12"),
        ("https://www.facebook.com/ministry/posts/pfbid02abc", "facebook", "post",
         "https://www.facebook.com/plugins/post.php?href="
         "https%3A%2F%2Fwww.facebook.com%2Fministry%2Fposts%2Fpfbid02abc"),
        ("https://www.facebook.com/ministry/videos/123456/", "facebook_video", "video",
         "https://www.facebook.com/plugins/video.php?href="
         "https%3A%2F%2Fwww.facebook.com%2Fministry%2Fvideos%2F123456%2F"),
        ("https://www.instagram.com/p/C1a2b3/", "instagram", "post",
         "https://www.instagram.com/p/C1a2b3/embed/"),
        ("https://t.me/newschannel/4521", "telegram", "post", "https://t.me/newschannel/4521?embed=1"),
    ],
)  # fmt: skip
def test_each_provider_is_known_by_its_links(url, key, kind, player):
    provider = oembed.provider_for(url)
    assert (provider.key, provider.kind, provider.player_url) == (key, kind, player)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/@channel",
        "javascript://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://vimeo.com/76979871",
        "https://x.com/MoH",
        "https://evil.com.youtube.com.example/watch?v=dQw4w9WgXcQ",
        "https://t.me/newschannel",
    ],
)
def test_other_links_are_not_embeds(url):
    assert oembed.provider_for(url) is None


def test_youtube_answer_becomes_an_embed_with_our_own_thumbnail(providers, settings):
    embed = services.resolve(YOUTUBE)
    assert embed.status == Embed.Status.OK and embed.reason == ""
    assert (embed.provider, embed.kind) == ("YouTube", "video")
    assert embed.title == "مؤتمر صحفي لوزير الصحة"
    assert embed.author_name == "قناة الأخبار"
    assert embed.player_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    path, query = providers.seen[0]
    assert path == "/youtube" and query["url"] == YOUTUBE and query["format"] == "json"
    # The thumbnail is a library image of ours: re-encoded without EXIF, with renditions.
    thumbnail = embed.thumbnail
    assert isinstance(thumbnail, MediaImage) and thumbnail.renditions
    with Image.open(thumbnail.image.path) as image:
        assert not image.getexif()
    assert b"SecretCamera" in thumbnail_jpeg()  # what the provider served had EXIF
    with open(thumbnail.image.path, "rb") as stored:
        assert b"SecretCamera" not in stored.read()
    assert thumbnail.alt_text == embed.title
    # A second resolve asks nobody.
    asked = len(providers.seen)
    assert services.resolve(YOUTUBE).pk == embed.pk
    assert len(providers.seen) == asked


@pytest.mark.parametrize(
    ("url", "title", "author", "kind"),
    [
        ("https://x.com/MoH/status/1790000000000000000", "بيان عن اللقاحات", "وزارة الصحة", "post"),
        ("https://vimeo.com/76979871", "فيلم وثائقي", "مخرج", "video"),
        ("https://soundcloud.com/radio/episode-12", "حلقة البودكاست", "إذاعة", "audio"),
    ],
)
def test_each_answer_shape(providers, url, title, author, kind):
    embed = services.resolve(url)
    assert (embed.status, embed.title, embed.author_name, embed.kind) == ("ok", title, author, kind)
    for field in ("title", "author_name", "player_url"):
        assert "<" not in getattr(embed, field) and "script" not in getattr(embed, field)


def test_hostile_markup_in_an_answer_is_never_kept(providers, settings):
    settings.NEWSROOM_OEMBED_ENDPOINTS = {
        **settings.NEWSROOM_OEMBED_ENDPOINTS,
        "youtube": f"{providers.base}/hostile",
    }
    embed = services.resolve(YOUTUBE)
    assert embed.status == "ok"
    assert embed.title == "عنوان المقطع"
    assert embed.author_name == "قناة"
    # The "thumbnail" was HTML: refused by the image pipeline, no library image made.
    assert embed.thumbnail is None and not MediaImage.objects.exists()
    stored = str(Embed.objects.filter(pk=embed.pk).values().get())
    assert "script" not in stored and "onerror" not in stored and "alert" not in stored


def test_a_javascript_thumbnail_is_ignored(providers, settings):
    settings.NEWSROOM_OEMBED_ENDPOINTS = {
        **settings.NEWSROOM_OEMBED_ENDPOINTS,
        "youtube": f"{providers.base}/javascript-thumb",
    }
    embed = services.resolve(YOUTUBE)
    assert embed.status == "ok" and embed.thumbnail is None


@pytest.mark.parametrize(
    ("route", "reason", "arabic"),
    [
        ("slow", "timeout", "لم يجب"),
        ("missing", "not_found", "حُذف"),
        ("broken", "error", "بخطأ"),
        ("big", "too_large", "أكبر"),
        ("invalid", "invalid", "oEmbed"),
        ("list", "invalid", "oEmbed"),
    ],
)
def test_a_failing_provider_gives_a_card_with_the_reason_in_arabic(
    providers, settings, route, reason, arabic
):
    settings.NEWSROOM_OEMBED_MAX_BYTES = 64 * 1024
    settings.NEWSROOM_OEMBED_ENDPOINTS = {
        **settings.NEWSROOM_OEMBED_ENDPOINTS,
        "youtube": f"{providers.base}/{route}",
    }
    embed = services.resolve(YOUTUBE)
    assert (embed.status, embed.reason, embed.player_url) == ("card", reason, "")
    assert embed.title == YOUTUBE  # the editor can give the card a better one
    with translation.override("ar"):
        assert arabic in embed.get_reason_display()


def test_a_dead_provider_gives_a_card(providers, settings):
    settings.NEWSROOM_OEMBED_ENDPOINTS = {**settings.NEWSROOM_OEMBED_ENDPOINTS, "x": dead_address()}
    embed = services.resolve("https://x.com/MoH/status/1")
    assert (embed.status, embed.reason) == ("card", "unreachable")


def test_asking_again_after_a_failure_gives_the_player(providers, settings):
    endpoints = dict(settings.NEWSROOM_OEMBED_ENDPOINTS)
    settings.NEWSROOM_OEMBED_ENDPOINTS = {**endpoints, "vimeo": f"{providers.base}/missing"}
    assert services.resolve("https://vimeo.com/76979871").status == "card"
    settings.NEWSROOM_OEMBED_ENDPOINTS = endpoints
    embed = services.resolve("https://vimeo.com/76979871", refresh=True)
    assert (embed.status, embed.reason, embed.title) == ("ok", "", "فيلم وثائقي")
    assert Embed.objects.count() == 1


def test_facebook_and_instagram_without_a_token_are_cards_asked_of_nobody(providers):
    for url in ("https://www.facebook.com/ministry/posts/pfbid02abc",
                "https://www.instagram.com/p/C1a2b3/"):  # fmt: skip
        embed = services.resolve(url)
        assert (embed.status, embed.reason) == ("card", "no_token")
        with translation.override("ar"):
            assert "NEWSROOM_OEMBED_FACEBOOK_TOKEN" in embed.get_reason_display()
    assert providers.seen == []


def test_facebook_with_a_token(providers, settings):
    settings.NEWSROOM_OEMBED_FACEBOOK_TOKEN = "123|abc"
    embed = services.resolve("https://www.facebook.com/ministry/videos/123456/")
    assert (embed.status, embed.kind, embed.author_name) == ("ok", "video", "صفحة الوزارة")
    path, query = providers.seen[0]
    assert path == "/facebook_video" and query["access_token"] == "123|abc"


def test_telegram_has_no_oembed_its_card_comes_from_the_address(providers):
    embed = services.resolve("https://t.me/newschannel/4521")
    assert embed.status == "ok"
    assert embed.player_url == "https://t.me/newschannel/4521?embed=1"
    assert "@newschannel" in embed.title and "4521" in embed.title
    assert providers.seen == []


def test_only_http_and_https_are_fetched():
    with pytest.raises(oembed.OembedError) as error:
        oembed.fetch("file:///etc/passwd", max_bytes=100)
    assert error.value.code == "scheme"


def test_links_alone_on_their_paragraph_are_embeds():
    body = (
        f"<p>{YOUTUBE}</p>"
        '<p dir="rtl"><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>'
        "<p>شاهد https://vimeo.com/1111 في النص</p>"
        '<p><a href="https://vimeo.com/2222">فيلم</a></p>'
        "<p>https://example.com/page</p>"
        "<p>https://t.me/newschannel/4521</p>"
    )
    assert services.embed_links(body) == [
        YOUTUBE,
        "https://vimeo.com/76979871",
        "https://t.me/newschannel/4521",
    ]
    assert services.embed_links("<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=30</p>") == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30"
    ]
