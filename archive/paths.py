"""Old addresses in one canonical form, so an import and a request compare equal.

WordPress writes Arabic slugs percent-encoded (``%d8%a7…``, any hex case); browsers send
them encoded too, and Django hands views the decoded path. Both sides are decoded here,
NFC-normalised and stripped of the trailing slash. Post ids become ``/?p=123``.
"""

import re
import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

_POST_ID_KEYS = ("p", "page_id")
_DIGITS = re.compile(r"^\d{1,18}$")


def normalize_path(path: str) -> str:
    """``/2017/04/%D8%A7/`` and ``/2017/04/ا`` give the same key; "" when not a path."""
    path = unicodedata.normalize("NFC", unquote(path or "").strip())
    if not path.startswith("/"):
        path = "/" + path
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


def post_id_path(post_id) -> str:
    return f"/?p={int(post_id)}"


def key_for_url(url: str) -> str:
    """The lookup key of a full or site-relative URL (its query kept only for ``?p=``)."""
    parts = urlsplit(url or "")
    if parts.path in ("", "/"):
        query = parse_qs(parts.query)
        for key in _POST_ID_KEYS:
            value = (query.get(key) or [""])[0]
            if _DIGITS.match(value):
                return post_id_path(value)
        return ""
    return normalize_path(parts.path)


def key_for_request(request) -> str:
    if request.path_info == "/":
        for key in _POST_ID_KEYS:
            value = request.GET.get(key, "")
            if _DIGITS.match(value):
                return post_id_path(value)
        return ""
    return normalize_path(request.path_info)
