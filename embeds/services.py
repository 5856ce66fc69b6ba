"""Turning links into embeds: the one place that asks providers (embeds.oembed) and copies
thumbnails into the media library through the site's image pipeline."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import MediaImage
from embeds import oembed
from embeds.models import Embed, Gallery, GalleryItem
from uploads.images import reencode_image, validate_image_file

# A paragraph holding nothing but one link (as typed, or as the editor's autolink made it):
# WordPress's rule for auto-embeds.
URL = r"https?://[^\s<>\"']{4,490}"
LINE = re.compile(
    rf"<p(?: dir=\"\w+\")?>\s*(?:<a href=\"(?P<href>{URL})\"[^>]*>(?P<text>[^<]*)</a>|"
    rf"(?P<bare>{URL}))\s*(?:<br>)?\s*</p>"
)

# A gallery placed in the body: ``[gallery <id>]`` alone on its paragraph (Gallery.shortcode).
GALLERY_LINE = re.compile(r"<p(?: dir=\"\w+\")?>\s*\[gallery (?P<id>\d{1,10})\]\s*</p>")
# Anything that looks like a gallery code, well formed or not («[gallery abc]», «[معرض 3]»
# is not one: only the code the desk gives).
GALLERY_CODE = re.compile(r"\[\s*gallery\b[^\]]{0,40}\]", re.I)


def link_of(match: re.Match) -> str | None:
    """The link a paragraph matched by LINE holds, or None (a link with other words)."""
    if match.group("bare"):
        return html.unescape(match.group("bare"))
    href, text = html.unescape(match.group("href")), html.unescape(match.group("text")).strip()
    return href if text in (href, "") or text.rstrip("/") == href.rstrip("/") else None


def embed_links(body: str) -> list[str]:
    """The provider links that stand alone on a paragraph of ``body``, in order."""
    links = []
    for match in LINE.finditer(body or ""):
        link = link_of(match)
        if link and oembed.provider_for(link) and link not in links:
            links.append(link)
    return links


def resolve(url: str, *, refresh: bool = False) -> Embed:
    """The embed for ``url``: asked of its provider the first time (or when ``refresh``),
    a link card with the reason when the provider cannot give one."""
    embed = Embed.objects.filter(url=url).first()
    if embed is not None and not refresh and not embed.pending:
        return embed
    provider = oembed.provider_for(url)
    if provider is None:
        raise ValueError(f"not a provider's link: {url}")
    embed = embed or Embed(url=url)
    embed.provider, embed.kind = provider.name, provider.kind
    embed.fetched_at = timezone.now()
    try:
        answer = oembed.ask(provider, url)
    except oembed.OembedError as exc:
        if exc.code == "no_oembed":  # Telegram: the card comes from the address itself
            channel, post = urlsplit(url).path.strip("/").split("/")
            embed.title = embed.title or _("Post %(post)s on the Telegram channel @%(channel)s") % {
                "post": post,
                "channel": channel,
            }
            embed.author_name = embed.author_name or f"@{channel}"
            embed.status, embed.reason, embed.player_url = Embed.Status.OK, "", provider.player_url
        else:
            embed.status, embed.reason, embed.player_url = Embed.Status.CARD, exc.code, ""
            embed.title = embed.title or url
        embed.save()
        return embed
    embed.title = answer["title"] or embed.title or url
    embed.author_name = answer["author_name"]
    embed.status, embed.reason, embed.player_url = Embed.Status.OK, "", provider.player_url
    if answer["thumbnail_url"]:
        embed.thumbnail = copy_thumbnail(answer["thumbnail_url"], embed) or embed.thumbnail
    embed.save()
    return embed


def asks_nobody(provider: oembed.Provider) -> bool:
    """Whether resolving a link of ``provider`` makes no request (Telegram has no oEmbed;
    Facebook and Instagram without the app token become cards at once)."""
    return not provider.has_oembed or (
        provider.needs_token and not settings.NEWSROOM_OEMBED_FACEBOOK_TOKEN
    )


def register(url: str) -> tuple[Embed | None, bool]:
    """The embed for ``url`` without asking its provider now (an import of thousands of posts
    must not wait on providers): a new one is a link card marked pending, which
    ``manage.py resolve_embeds`` (or the article's next save in the desk) asks about.
    Returns (embed, created); (None, False) when ``url`` is no provider's link."""
    embed = Embed.objects.filter(url=url).first()
    if embed is not None:
        return embed, False
    provider = oembed.provider_for(url)
    if provider is None:
        return None, False
    if asks_nobody(provider):
        return resolve(url), True
    embed = Embed.objects.create(
        url=url,
        provider=provider.name,
        kind=provider.kind,
        status=Embed.Status.CARD,
        reason=Embed.Reason.PENDING,
        title=url[:300],
    )
    return embed, True


def copy_thumbnail(url: str, embed: Embed) -> MediaImage | None:
    """The provider's thumbnail as our own library image (validated, re-encoded without
    EXIF, with renditions), or None when it cannot be had: readers never load it from the
    provider."""
    try:
        data = oembed.fetch(url, max_bytes=settings.NEWSROOM_IMAGE_MAX_BYTES, accept_json=False)
    except oembed.OembedError:
        return None
    upload = ContentFile(data, name="thumbnail")
    try:
        validate_image_file(upload)
        clean = reencode_image(upload)
    except (ValidationError, ValueError, OSError):
        return None
    from PIL import Image

    with Image.open(ContentFile(clean)) as image:
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[image.format]
    image = MediaImage(
        alt_text=(embed.title or embed.provider)[:300],
        credit=(embed.author_name or embed.provider)[:150],
    )
    image.image.save(f"embed-{embed.provider.lower()}.{extension}", ContentFile(clean), save=False)
    image.save()
    return image


def resolve_links(body: str) -> list[Embed]:
    """Every standalone provider link of ``body`` as an embed (new ones asked for now)."""
    return [resolve(link) for link in embed_links(body)]


@dataclass(frozen=True)
class NewImage:
    """An image to add to a gallery: the upload (already judged) and what the editor wrote."""

    upload: object
    alt_text: str
    caption: str = ""
    credit: str = ""


@transaction.atomic
def add_images(*, gallery: Gallery, images: list[NewImage], user=None) -> list[GalleryItem]:
    """Each image into the media library (re-encoded without EXIF, renditions, crops) and
    into ``gallery`` after its current items, in the order given."""
    if not images:
        return []
    last = gallery.items.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    items = []
    for offset, new in enumerate(images):
        if not new.alt_text.strip():
            raise ValueError("a gallery image needs its alt text")
        image = MediaImage(
            alt_text_ar=new.alt_text, caption_ar=new.caption, credit=new.credit, uploaded_by=user
        )
        image.image.save(new.upload.name, new.upload, save=False)
        image.save()
        items.append(
            GalleryItem.objects.create(
                gallery=gallery,
                image=image,
                position=start + offset,
                alt_text=new.alt_text,
                caption=new.caption,
                credit=new.credit,
            )
        )
    return items


def article_media(article) -> dict:
    """What an article shows besides its text, for the API: the embeds its body shows (in the
    body's order), the galleries placed in its body, its lead gallery, and their cache tags."""
    from embeds.cache import embed_tag, gallery_tag, lead_gallery_articles

    body = article.body or ""
    links = embed_links(body)
    found = {}
    if links:
        embeds = Embed.objects.filter(url__in=links).select_related("thumbnail")
        found = {embed.url: embed for embed in embeds}
    embeds = [found[link] for link in links if link in found]
    ids = [int(match.group("id")) for match in GALLERY_LINE.finditer(body)]
    by_id = {}
    if ids:
        galleries = Gallery.objects.filter(pk__in=ids).prefetch_related("items__image")
        by_id = {gallery.pk: gallery for gallery in galleries}
    lead = None
    if article.pk in lead_gallery_articles():
        lead = Gallery.objects.filter(lead_of=article).prefetch_related("items__image").first()
    in_body = [by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id]
    tags = {embed_tag(embed.pk) for embed in embeds}
    tags |= {gallery_tag(pk) for pk in ids} | ({gallery_tag(lead.pk)} if lead else set())
    return {"embeds": embeds, "galleries": in_body, "lead_gallery": lead, "tags": tags}


def gallery_code_problem(sender, article, body: str, **kwargs) -> str | None:
    """An article's body with a gallery code that shows nothing: malformed («[gallery abc]»
    was published as text), or naming no gallery («[gallery 999]» vanished); said in
    Arabic, the body kept to correct (articles.models.check_body)."""
    codes = GALLERY_CODE.findall(body)
    if not codes:
        return None
    numbers = [re.fullmatch(r"\[gallery (\d{1,10})\]", code) for code in codes]
    wanted = {int(number.group(1)) for number in numbers if number}
    found = set(Gallery.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    for code, number in zip(codes, numbers, strict=True):
        if number is None:
            return _(
                "%(code)s is not a gallery code: write [gallery <number>] alone on its "
                "paragraph, the number from the gallery's page in the desk."
            ) % {"code": code}
        if int(number.group(1)) not in found:
            return _("%(code)s names no gallery: check its number in the desk's galleries.") % {
                "code": code
            }
    if len(codes) > len(list(GALLERY_LINE.finditer(body))):
        return _("A gallery code must be alone on its paragraph to show the gallery.")
    return None
