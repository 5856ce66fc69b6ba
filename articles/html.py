"""Allow-list sanitising of rich text with nh3 (ammonia): what the editor and importers store."""

import re
from html import unescape as html_unescape

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote",
    "ul", "ol", "li", "a", "figure", "figcaption", "img", "hr", "span", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "dir"},
    "img": {"src", "alt", "width", "height", "loading"},
    "p": {"dir"},
    "h2": {"dir"},
    "h3": {"dir"},
    "h4": {"dir"},
    "blockquote": {"dir", "cite"},
    "figure": {"dir"},
    "figcaption": {"dir"},
    "span": {"dir"},
    "li": {"dir"},
    "ol": {"start", "dir"},
    "ul": {"dir"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# An image pasted without a text alternative (nh3's output: lower-case tags, quoted values).
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")


_LINK_ADDRESS = re.compile(r"""<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*)\s*:")


def refused_link_addresses(html: str) -> list[str]:
    """The links' addresses the sanitiser would empty (``javascript:``, ``data:``…): a link
    saved as ``href=""`` silently pointed at the page itself."""
    refused = []
    for match in _LINK_ADDRESS.finditer(html or ""):
        address = next(group for group in match.groups() if group is not None)
        # as a browser reads it: entities decoded («java&#x09;script:»), then the tabs and
        # line breaks it skips inside a scheme
        decoded = re.sub(r"[\t\n\r]", "", html_unescape(address))
        scheme = _SCHEME.match(decoded)
        if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
            refused.append(address)
    return refused


_EMPTY_LINK = re.compile(
    r"""<a\b[^>]*?\shref\s*=\s*(?:"\s*"|'\s*')[^>]*>(.*?)</a\s*>""", re.I | re.S
)


def empty_link_texts(html: str) -> list[str]:
    """The texts of links with an empty address: the editor's link box turns a refused
    address (``javascript:…``) into ``href=""``, a link to the page itself."""
    texts = (
        " ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in _EMPTY_LINK.findall(html or "")
    )
    return [html_unescape(text) for text in texts]


_IMAGE_SOURCE = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def foreign_image_sources(html: str) -> list[str]:
    """The images' addresses that are not this site's (a path, or the media storage's
    address): the pages' security policy blocks them (a broken image), and a feed reader
    showing one tells that other site who reads. Checked as the browser reads them (entities
    decoded)."""
    from django.conf import settings

    media = settings.MEDIA_URL if "://" in settings.MEDIA_URL else None
    foreign = []
    for match in _IMAGE_SOURCE.finditer(html or ""):
        source = html_unescape(next(group for group in match.groups() if group is not None))
        source = source.strip()
        # a path or a relative address is this site's; a scheme or «//» names another
        ours = not (_SCHEME.match(source) or source.startswith("//")) or (
            media is not None and source.startswith(media)
        )
        if not ours:
            foreign.append(source)
    return foreign


def validate_rich_text_links(html: str) -> None:
    """Refuse, in Arabic and naming it, a link whose address would be dropped on save or
    is empty, and an image from another site."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    foreign = foreign_image_sources(html)
    if foreign:
        raise ValidationError(
            _(
                "The image %(address)s is not on this site: upload it to the media library "
                "and insert it from there (readers' browsers would not show it)."
            )
            % {"address": foreign[0][:80] or '""'},
            code="image_foreign",
        )
    empty = empty_link_texts(html)
    if empty:
        raise ValidationError(
            _(
                "The link on “%(text)s” has no address (the editor empties one it does not "
                "allow, such as javascript:): write one starting with https://, or remove "
                "the link."
            )
            % {"text": empty[0][:80]},
            code="link_empty",
        )
    refused = refused_link_addresses(html)
    if refused:
        raise ValidationError(
            _(
                "The link address %(address)s is not allowed: use an address starting with "
                "https://, http:// or mailto:, or a path on this site."
            )
            % {"address": refused[0][:80]},
            code="link_scheme",
        )


def sanitize_html(html: str) -> str:
    """Keep structure and links; drop scripts, event handlers, styles, iframes, javascript: URLs.
    An image without ``alt`` gets an empty one (WCAG 1.1.1: screen readers pass it over
    instead of reading out its address); the editor's own text is kept where there is one."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _IMAGE_WITHOUT_ALT.sub('<img alt=""', cleaned)
