"""Agency feeds read into plain items: RSS 2.0 and Atom (feedparser), NewsML-G2 (lxml) and
ninjs (JSON). XML is first read by defusedxml, which refuses entity declarations (billion
laughs, external entities) before any other parser sees the bytes."""

from __future__ import annotations

import calendar
import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import defusedxml.ElementTree
import feedparser
from defusedxml import DefusedXmlException
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree


class FeedError(Exception):
    """A feed that cannot be read; the message is for the desk (Arabic)."""


class ParsedItems(list):
    """A feed's items, and how many of its entries were left out for want of an identifier
    or a headline (``untitled``): the desk says so on the feed, which otherwise looked
    healthy while stories went missing."""

    untitled = 0


@dataclass
class ParsedItem:
    guid: str
    headline: str
    body: str = ""
    lang: str = ""
    link: str = ""
    version: int = 0
    published_at: datetime | None = None
    updated_at: datetime | None = None
    withdrawn: bool = False
    content_hash: str = field(default="", init=False)

    def __post_init__(self):
        self.guid = self.guid.strip()[:500]
        self.headline = " ".join(self.headline.split())[:500]
        self.link = self.link if self.link.startswith(("http://", "https://")) else ""
        self.content_hash = hashlib.sha256(
            f"{self.headline}\x00{self.body}\x00{self.withdrawn}".encode()
        ).hexdigest()


def screen_xml(data: bytes) -> None:
    """Refuse XML that declares entities or a DTD (billion laughs, external entities)."""
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, defusedxml.ElementTree.ParseError) as error:
        if data.lstrip()[:100].lower().startswith((b"<!doctype html", b"<html")):
            raise FeedError(not_a_feed()) from error
        if isinstance(error, DefusedXmlException):
            raise FeedError(_("The feed declares XML entities or a DTD: refused.")) from error
        raise FeedError(_("The feed is not well-formed XML.")) from error


def not_a_feed() -> str:
    """A web page where the feed should be (the agency's home page pasted for its feed)."""
    return _(
        "The address answers with a page that is not an RSS or Atom feed: use the address of "
        "the agency's feed itself."
    )


def _struct_time(value) -> datetime | None:
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC) if value else None


def _datetime(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_syndication(data: bytes) -> list[ParsedItem]:
    """RSS 2.0 or Atom, through feedparser."""
    screen_xml(data)
    # Sanitised with nh3 on the way into the queue (articles.html), like every body we store.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        raise FeedError(_("The feed could not be read as RSS or Atom."))
    if not parsed.version:  # well-formed, but no RSS or Atom: the agency's home page, say
        raise FeedError(not_a_feed())
    language = parsed.feed.get("language", "")
    items = ParsedItems()
    for entry in parsed.entries:
        guid = entry.get("id") or entry.get("link") or ""
        if not guid or not entry.get("title"):
            items.untitled += 1
            continue
        contents = entry.get("content") or []
        body = contents[0].get("value", "") if contents else entry.get("summary", "")
        items.append(
            ParsedItem(
                guid=guid,
                headline=entry.get("title", ""),
                body=body,
                lang=entry.get("language", "") or language,
                link=entry.get("link", ""),
                published_at=_struct_time(dict.get(entry, "published_parsed")),
                updated_at=_struct_time(dict.get(entry, "updated_parsed")),
            )
        )
    return items


G2 = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
NS = {"g2": G2, "h": XHTML}
WITHDRAWN_STATUSES = {"stat:canceled", "stat:withheld", "canceled", "withheld", "withdrawn"}


def _g2_body(item) -> str:
    for inline in item.iterfind("g2:contentSet/g2:inlineXML", NS):
        body = inline.find(".//h:body", NS)
        node = body if body is not None else inline
        return "".join(
            etree.tostring(child, encoding="unicode", method="html") for child in node
        ).replace(f' xmlns="{XHTML}"', "")
    for inline in item.iterfind("g2:contentSet/g2:inlineData", NS):
        return "".join(
            f"<p>{paragraph.strip()}</p>"
            for paragraph in (inline.text or "").split("\n\n")
            if paragraph.strip()
        )
    return ""


def parse_newsml_g2(data: bytes) -> list[ParsedItem]:
    """NewsML-G2: a newsMessage of newsItems, or one newsItem."""
    screen_xml(data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise FeedError(_("The feed is not well-formed XML.")) from error
    news_items = [root] if root.tag == f"{{{G2}}}newsItem" else root.iterfind(".//g2:newsItem", NS)
    items = ParsedItems()
    for item in news_items:
        headline = item.findtext("g2:contentMeta/g2:headline", "", NS)
        guid = item.get("guid", "")
        if not guid or not headline.strip():
            items.untitled += 1
            continue
        status = item.find("g2:itemMeta/g2:pubStatus", NS)
        language = item.find("g2:contentMeta/g2:language", NS)
        link = item.find("g2:itemMeta/g2:link", NS)
        try:
            version = int(item.get("version", "0"))
        except ValueError:
            version = 0
        items.append(
            ParsedItem(
                guid=guid,
                version=version,
                headline=headline,
                body=_g2_body(item),
                lang=(language.get("tag", "") if language is not None else "")
                or item.get("{http://www.w3.org/XML/1998/namespace}lang", ""),
                link=link.get("href", "") if link is not None else "",
                published_at=_datetime(item.findtext("g2:itemMeta/g2:firstCreated", "", NS)),
                updated_at=_datetime(item.findtext("g2:itemMeta/g2:versionCreated", "", NS)),
                withdrawn=status is not None and status.get("qcode", "") in WITHDRAWN_STATUSES,
            )
        )
    return items


def _ninjs_text(value) -> str:
    if isinstance(value, list):  # ninjs 2: [{"value": ..., "role": ...}]
        return next((v.get("value", "") for v in value if isinstance(v, dict)), "")
    return value if isinstance(value, str) else ""


def parse_ninjs(data: bytes) -> list[ParsedItem]:
    """ninjs (IPTC's JSON): a list of items, {"items": [...]}, or one item."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(_("The feed is not valid JSON.")) from error
    if isinstance(document, dict):
        document = document.get("items", [document])
    if not isinstance(document, list):
        raise FeedError(_("The feed is not a list of ninjs items."))
    items = ParsedItems()
    for entry in document:
        if not isinstance(entry, dict):
            items.untitled += 1
            continue
        guid = entry.get("uri") or entry.get("guid") or ""
        headline = entry.get("headline") or _ninjs_text(entry.get("headlines"))
        if not isinstance(guid, str) or not guid or not headline:
            items.untitled += 1
            continue
        body = entry.get("body_html") or _ninjs_text(entry.get("bodies"))
        if not body and isinstance(entry.get("body_text"), str):
            # ninjs's body_text is plain text: «<b>» in it is the characters, not bold
            body = "".join(
                f"<p>{html.escape(part.strip())}</p>"
                for part in entry["body_text"].split("\n\n")
                if part.strip()
            )
        links = entry.get("links") if isinstance(entry.get("links"), list) else []
        link = next(
            (r["href"] for r in links if isinstance(r, dict) and isinstance(r.get("href"), str)),
            "",
        )
        try:
            version = int(entry.get("version", 0))
        except (TypeError, ValueError):
            version = 0
        items.append(
            ParsedItem(
                guid=guid,
                version=version,
                headline=str(headline),
                body=str(body or ""),
                lang=str(entry.get("language", "")),
                link=link,
                published_at=_datetime(entry.get("firstcreated")),
                updated_at=_datetime(entry.get("versioncreated")),
                withdrawn=str(entry.get("pubstatus", "")).lower() in WITHDRAWN_STATUSES,
            )
        )
    return items


PARSERS = {
    "rss": parse_syndication,
    "atom": parse_syndication,
    "newsml-g2": parse_newsml_g2,
    "ninjs": parse_ninjs,
}


def parse(format: str, data: bytes) -> list[ParsedItem]:
    return PARSERS[format](data)
