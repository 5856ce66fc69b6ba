"""Allow-list sanitising of rich text with nh3 (ammonia): what the editor and importers store."""

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


def sanitize_html(html: str) -> str:
    """Keep structure and links; drop scripts, event handlers, styles, iframes, javascript: URLs."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
