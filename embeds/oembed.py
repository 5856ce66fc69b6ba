"""The oEmbed client: which provider a link belongs to, its player's address, and the
provider's answer reduced to plain text fields.

Endpoints, token, timeout and size cap come from settings (NEWSROOM_OEMBED_*), so tests
answer from loopback. The provider's ``html`` is never kept: the player's address is built
from the link itself, on a host of NEWSROOM_EMBED_PLAYER_HOSTS (the CSP's frame-src).
"""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

import nh3
from django.conf import settings

USER_AGENT = "newsroom-embeds/1"
TEXT_LIMIT = 300


class OembedError(Exception):
    """Why a link became a card: ``code`` is one of ``embeds.models.Embed.Reason``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Provider:
    key: str  # also the key of its endpoint in NEWSROOM_OEMBED_ENDPOINTS
    name: str
    kind: str  # video, post, audio
    player_url: str
    needs_token: bool = False
    has_oembed: bool = True


YOUTUBE_ID = r"(?P<id>[A-Za-z0-9_-]{11})"
PATTERNS = (
    ("youtube", re.compile(r"^(?:www\.|m\.)?youtube\.com$"), re.compile(
        rf"^/(?:watch/?$|(?:shorts|embed|live)/{YOUTUBE_ID})"
    )),
    ("youtube", re.compile(r"^youtu\.be$"), re.compile(rf"^/{YOUTUBE_ID}/?$")),
    ("x", re.compile(r"^(?:www\.|mobile\.)?(?:x|twitter)\.com$"),
     re.compile(r"^/(?P<user>\w{1,15})/status/(?P<id>\d{1,25})/?$")),
    ("vimeo", re.compile(r"^(?:www\.)?vimeo\.com$"), re.compile(r"^/(?P<id>\d{1,12})/?$")),
    ("soundcloud", re.compile(r"^(?:www\.|m\.)?soundcloud\.com$"),
     re.compile(r"^/[\w-]{1,100}/[\w-]{1,200}/?$")),
    ("facebook_video", re.compile(r"^(?:www\.|m\.)?facebook\.com$"),
     re.compile(r"^/(?:[\w.-]{1,100}/videos/[\w.-]*/?\d{1,25}/?|watch/?)$")),
    ("facebook", re.compile(r"^(?:www\.|m\.)?facebook\.com$"),
     re.compile(r"^/(?:[\w.-]{1,100}/posts/[\w.-]{1,100}|permalink\.php|photo(?:\.php)?)/?$")),
    ("instagram", re.compile(r"^(?:www\.)?instagram\.com$"),
     re.compile(r"^/(?P<type>p|reel|tv)/(?P<id>[\w-]{1,50})/?$")),
    ("telegram", re.compile(r"^(?:www\.)?(?:t\.me|telegram\.me)$"),
     re.compile(r"^/(?P<channel>[A-Za-z]\w{3,31})/(?P<id>\d{1,12})/?$")),
)  # fmt: skip
NAMES = {
    "youtube": "YouTube", "x": "X", "vimeo": "Vimeo", "soundcloud": "SoundCloud",
    "facebook": "Facebook", "facebook_video": "Facebook", "instagram": "Instagram",
    "telegram": "Telegram",
}  # fmt: skip


def provider_for(url: str) -> Provider | None:
    """The provider whose link ``url`` is (with its player's address), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    for key, host_pattern, path_pattern in PATTERNS:
        if not host_pattern.match(host):
            continue
        match = path_pattern.match(parts.path)
        if not match:
            continue
        found = {name: value for name, value in match.groupdict().items() if value}
        if key == "youtube" and "id" not in found:
            query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
            if not re.fullmatch(YOUTUBE_ID, query.get("v", "")):
                continue
            found["id"] = query["v"]
        if key == "facebook_video" and parts.path.startswith("/watch"):
            if not re.fullmatch(r"v=\d{1,25}.*", parts.query):
                continue
        return Provider(key, NAMES[key], *_player(key, url, found))
    return None


def _player(key: str, url: str, found: dict) -> tuple:
    """(kind, player address, needs a token, has oEmbed) for a provider's link."""
    quoted = quote(url, safe="")
    return {
        "youtube": lambda: ("video", f"https://www.youtube-nocookie.com/embed/{found['id']}"),
        "x": lambda: ("post", f"https://platform.twitter.com/embed/Tweet.html?id={found['id']}"),
        "vimeo": lambda: ("video", f"https://player.vimeo.com/video/{found['id']}"),
        "soundcloud": lambda: ("audio", f"https://w.soundcloud.com/player/?url={quoted}"),
        "facebook": lambda: (
            "post",
            f"https://www.facebook.com/plugins/post.php?href={quoted}",
            True,
        ),
        "facebook_video": lambda: (
            "video",
            f"https://www.facebook.com/plugins/video.php?href={quoted}",
            True,
        ),
        "instagram": lambda: (
            "post",
            f"https://www.instagram.com/{found['type']}/{found['id']}/embed/",
            True,
        ),
        "telegram": lambda: (
            "post",
            f"https://t.me/{found['channel']}/{found['id']}?embed=1",
            False,
            False,
        ),
    }[key]()


def plain_text(value, limit: int = TEXT_LIMIT) -> str:
    """Text from a provider's field: tags and script bodies dropped, entities decoded."""
    if not isinstance(value, str):
        return ""
    text = html.unescape(nh3.clean(value, tags=set()))
    return " ".join(text.split())[:limit]


def fetch(url: str, *, max_bytes: int, accept_json: bool = True) -> bytes:
    """GET ``url`` (http or https only) within the timeout; refuse an answer over
    ``max_bytes``. Raises OembedError with the reason."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise OembedError("scheme")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if accept_json:
        request.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=settings.NEWSROOM_OEMBED_TIMEOUT) as answer:
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise OembedError("too_large")
            body = answer.read(max_bytes + 1)
    except OembedError:
        raise
    except urllib.error.HTTPError as exc:
        raise OembedError("not_found" if exc.code in (401, 403, 404, 410) else "error") from exc
    except TimeoutError as exc:
        raise OembedError("timeout") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise OembedError("timeout") from exc
        raise OembedError("unreachable") from exc
    except (OSError, ValueError) as exc:
        raise OembedError("unreachable") from exc
    if len(body) > max_bytes:
        raise OembedError("too_large")
    return body


def ask(provider: Provider, url: str) -> dict:
    """The provider's oEmbed answer for ``url`` as plain fields: title, author_name,
    thumbnail_url. The answer's html (markup and scripts) is read for its text only for X,
    whose answer has no title; it is never kept."""
    if not provider.has_oembed:
        raise OembedError("no_oembed")
    params = {"url": url, "format": "json"}
    if provider.needs_token:
        token = settings.NEWSROOM_OEMBED_FACEBOOK_TOKEN
        if not token:
            raise OembedError("no_token")
        params["access_token"] = token
        params["omitscript"] = "true"
    if provider.key == "x":
        params["omit_script"] = "1"
    endpoint = settings.NEWSROOM_OEMBED_ENDPOINTS.get(provider.key, "")
    separator = "&" if "?" in endpoint else "?"
    query = endpoint + separator + urlencode(params)
    body = fetch(query, max_bytes=settings.NEWSROOM_OEMBED_MAX_BYTES)
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise OembedError("invalid") from exc
    if not isinstance(answer, dict):
        raise OembedError("invalid")
    title = plain_text(answer.get("title"))
    if not title and provider.key == "x":
        title = plain_text(answer.get("html"))
    thumbnail = answer.get("thumbnail_url")
    if not isinstance(thumbnail, str) or urlsplit(thumbnail).scheme not in ("http", "https"):
        thumbnail = ""
    return {
        "title": title,
        "author_name": plain_text(answer.get("author_name"), 150),
        "thumbnail_url": thumbnail[:1000],
    }
