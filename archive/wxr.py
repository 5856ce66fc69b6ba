"""Read WordPress export files (WXR) as a stream of ArchiveItems.

Why not ``iterparse`` over the whole document: one malformed item (an unescaped ``&``, a
broken tag, a truncated file) stops an XML parser for the rest of the file, and an export
of tens of thousands of posts must not lose everything after one bad post. So the file is
read in 1 MiB blocks and cut into ``<item>…</item>`` pieces by a small scanner that skips
CDATA sections; each piece is parsed on its own (with the namespaces of the ``<rss>`` tag)
and dropped. Memory stays that of one item plus one block, whatever the file's size, and
a broken item is reported with its line number while the run goes on.
"""

import html
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from archive.items import ArchiveComment, ArchiveItem, ArchivePage, Failed, Skipped
from archive.media import uploads_path
from archive.paths import key_for_url, normalize_path, post_id_path
from articles.models import topic_key

BLOCK_SIZE = 1 << 20
MAX_ITEM_BYTES = 64 << 20
ITEM_OPEN = re.compile(rb"<item[\s>]")
CDATA_OPEN, CDATA_CLOSE, ITEM_CLOSE = b"<![CDATA[", b"]]>", b"</item>"
# Namespace declarations, single- or double-quoted, anywhere in the export's header.
XMLNS = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*(["'])(.*?)\2""")
NO_DATE = "0000-00-00 00:00:00"
WXR_VERSION = re.compile(r"^\d+\.\d+$")  # what WordPress's importer accepts
DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
PUBLISHED_STATUSES = {"publish", "future"}
# WordPress statuses beyond publish/draft, kept for the workflow (services maps them).
WORKFLOW_STATUSES = {"pending": "review", "future": "future", "private": "private"}
# WordPress's default category: its posts "have no category", so they get no section of it.
DEFAULT_CATEGORY_SLUGS = {"uncategorized", "%d8%ba%d9%8a%d8%b1-%d9%85%d8%b5%d9%86%d9%81"}
DEFAULT_CATEGORY_NAMES = {"uncategorized", "غير مصنف", "بدون تصنيف"}


def looks_like_wxr(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return b"<rss" in head and b"wordpress.org/export" in head


class WXRReader:
    """Iterate over one export: ``for entry in WXRReader(path): …``.

    Yields ArchiveItem, Skipped or Failed. Attachments are remembered (id → file) so that
    featured images can be found; ``attachments`` holds them once the file is read.
    ``bytes_read`` and ``size`` feed a progress display.
    """

    def __init__(self, path, *, view_meta_keys=None, time_zone=None, category_as_topic=()):
        self.path = Path(path)
        self.name = self.path.name
        self.size = self.path.stat().st_size
        self.bytes_read = 0
        self.view_meta_keys = list(view_meta_keys or settings.NEWSROOM_ARCHIVE_VIEW_META_KEYS)
        # Categories the editor maps to topics rather than sections ("*": every category).
        self.category_as_topic = {topic_key(name) for name in category_as_topic}
        self.time_zone = ZoneInfo(time_zone or settings.TIME_ZONE)
        self.attachments: dict[str, dict] = {}
        self.source = ""
        self.authors: dict[str, str] = {}
        self._roles: dict[str, str] = {}
        self._wrap_open = b"<wxr>"
        # Set once read: "" for a whole export, else why the file cannot be trusted whole
        # (not an export at all, or cut off); the command then exits with a non-zero status.
        self.fatal = ""
        self._tag_names: dict[str, str] = {}  # "{uri}local" -> "wp:local", once per tag

    # The scanner -------------------------------------------------------------------------

    def _pieces(self):
        """Yield ("header", bytes, 1), then ("item" | "broken", bytes, line) for each item."""
        with open(self.path, "rb") as stream:
            buf, line, eof, header_done = b"", 1, False, False

            def read_more():
                nonlocal buf, eof
                block = stream.read(BLOCK_SIZE)
                self.bytes_read += len(block)
                eof = not block
                buf += block

            read_more()
            while True:
                start = ITEM_OPEN.search(buf)
                if start is None:
                    if eof:
                        if not header_done:
                            yield "header", buf, 1
                        return
                    if header_done:  # between items: keep only what could start "<item"
                        line += buf.count(b"\n", 0, max(0, len(buf) - 6))
                        buf = buf[-6:]
                    read_more()
                    continue
                if not header_done:
                    header_done = True
                    yield "header", buf[: start.start()], 1
                line += buf.count(b"\n", 0, start.start())
                buf = buf[start.start() :]
                pos, end = len(b"<item"), None
                while end is None:
                    cdata = buf.find(CDATA_OPEN, pos)
                    close = buf.find(ITEM_CLOSE, pos)
                    if cdata != -1 and (close == -1 or cdata < close):
                        cdata_end = buf.find(CDATA_CLOSE, cdata + len(CDATA_OPEN))
                        if cdata_end != -1:
                            pos = cdata_end + len(CDATA_CLOSE)
                            continue
                    elif close != -1:
                        end = close + len(ITEM_CLOSE)
                        break
                    if eof or len(buf) > MAX_ITEM_BYTES:
                        # Truncated file or a never-closed CDATA: report, resume at the next
                        # plain "</item>" if there is one.
                        close = buf.find(ITEM_CLOSE, len(b"<item"))
                        if eof and close == -1:
                            self.fatal = _("the file is cut off")
                        yield "broken", b"", line
                        if close == -1:
                            return
                        end = close + len(ITEM_CLOSE)
                        line += buf.count(b"\n", 0, end)
                        buf = buf[end:]
                        end = -1
                        break
                    read_more()
                if end == -1:
                    continue
                yield "item", buf[:end], line
                line += buf.count(b"\n", 0, end)
                buf = buf[end:]

    # Parsing -----------------------------------------------------------------------------

    def __iter__(self):
        line = 1
        for kind, data, line in self._pieces():
            position = f"{self.name}:{line}"
            if kind == "header":
                failure = self._read_header(data)
                if failure:
                    self.fatal = failure
                    yield Failed(f"{self.name}:1", failure)
                    return
                continue
            if kind == "broken":
                yield Failed(position, _("unterminated <item> (truncated file or unclosed CDATA)"))
                continue
            try:
                element = ET.fromstring(self._wrap_open + data + b"</wxr>")[0]
            except ET.ParseError as exc:
                row, column = exc.position
                reason = str(exc).split(":")[0]
                yield Failed(
                    f"{self.name}:{line + row - 1}",
                    _("malformed XML in the item (%(reason)s, column %(column)s)")
                    % {"reason": reason, "column": column},
                )
                continue
            try:
                entry = self._item(element, position)
            except (ValueError, KeyError) as exc:
                entry = Failed(position, str(exc))
            if entry is not None:
                yield entry
        if not self.fatal and not self._ends_whole():
            self.fatal = _("the file is cut off")
            yield Failed(
                f"{self.name}:{line}",
                _(
                    "the export is cut off: it does not end with </rss>; items after this "
                    "point are missing"
                ),
            )

    def _ends_whole(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(max(0, self.size - 256))
            return handle.read().rstrip().endswith(b"</rss>")

    def _read_header(self, data: bytes) -> str:
        declarations = {}
        for prefix, _quote, uri in XMLNS.findall(data):  # <rss>, <channel> or deeper
            declarations.setdefault(prefix, uri)
        if not any(b"wordpress.org/export" in uri for uri in declarations.values()):
            return _("not a WordPress export (no wp namespace on <rss>)")
        for prefix, uri in declarations.items():
            self._roles[uri.decode()] = _role(uri.decode(), prefix.decode())
        self._wrap_open = (
            b"<wxr "
            + b" ".join(b'xmlns:%s="%s"' % (prefix, uri) for prefix, uri in declarations.items())
            + b">"
        )
        text = data if b"</rss>" in data else data + b"</channel></rss>"
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            return _("malformed export header (%(error)s)") % {"error": exc}
        channel = root.find("channel")
        if channel is None:
            return _("not a WordPress export (no <channel>)")
        fields = self._fields(channel)
        version = fields.get("wp:wxr_version", "").strip()
        if not WXR_VERSION.match(version):
            # WordPress's own importer refuses such a file ("missing/invalid WXR version
            # number"): so do we, saying why and what to check, rather than guess.
            return (
                _(
                    "the export has no valid <wp:wxr_version> element (found %(found)r), so it "
                    "is not read: WordPress's own importer refuses such a file too. Export it "
                    "again from WordPress (Tools → Export), or, if you know it is a whole "
                    "WordPress export, add <wp:wxr_version>1.2</wp:wxr_version> inside <channel>."
                )
                % {"found": version}
                if version
                else _(
                    "the export has no <wp:wxr_version> element, so it is not read: WordPress's "
                    "own importer refuses such a file too. Export it again from WordPress "
                    "(Tools → Export), or, if you know it is a whole WordPress export, add "
                    "<wp:wxr_version>1.2</wp:wxr_version> inside <channel>."
                )
            )
        base = fields.get("wp:base_blog_url") or fields.get("wp:base_site_url") or ""
        base = base or fields.get("link", "")
        self.source = base.strip().rstrip("/") or f"wxr:{self.name}"
        for child in channel:
            if self._tag(child) == "wp:author":
                author = self._fields(child)
                login = author.get("wp:author_login", "").strip()
                name = author.get("wp:author_display_name", "").strip() or login
                if login:
                    self.authors[login] = html.unescape(name)
        return ""

    def _tag(self, element) -> str:
        """``wp:post_id`` whatever the prefix the file binds to the WordPress namespace (or a
        default namespace, or a redefinition inside the item): read by namespace URI."""
        tag = element.tag
        name = self._tag_names.get(tag)
        if name is None:
            name = self._tag_names[tag] = self._tag_name(tag)
        return name

    def _tag_name(self, tag: str) -> str:
        if tag.startswith("{"):
            uri, local = tag[1:].split("}", 1)
            role = self._roles.get(uri)
            if role is None:
                role = self._roles[uri] = _role(uri, uri)
            return f"{role}:{local}" if role else local
        return tag

    def _fields(self, element) -> dict[str, str]:
        """First text of each simple child (later repeats ignored)."""
        fields: dict[str, str] = {}
        for child in element:
            fields.setdefault(self._tag(child), child.text or "")
        return fields

    def _item(self, element, position):
        fields = self._fields(element)
        post_id = fields.get("wp:post_id", "").strip()
        if not post_id.isdigit():
            return Failed(position, _("no valid wp:post_id (%(id)r)") % {"id": post_id})
        post_type = fields.get("wp:post_type", "post").strip() or "post"
        status = fields.get("wp:status", "").strip()
        meta = self._meta(element)
        if post_type == "attachment":
            self.attachments[post_id] = {
                "file": meta.get("_wp_attached_file")
                or uploads_path(fields.get("wp:attachment_url", "")),
                "url": fields.get("wp:attachment_url", "").strip(),
                "alt": meta.get("_wp_attachment_image_alt", ""),
                "caption": strip_tags(fields.get("excerpt:encoded", "")).strip(),
                "title": _plain(fields.get("title", "")),
                "parent": fields.get("wp:post_parent", "").strip(),
                "order": _number(fields.get("wp:menu_order", "")),
            }
            return Skipped(position, _("attachment (used for featured images)"))
        if post_type == "page" and status not in SKIPPED_STATUSES:
            return self._page(fields, post_id, position, status)
        if post_type != "post":
            return Skipped(position, _("%(type)s (only posts are imported)") % {"type": post_type})
        if status in SKIPPED_STATUSES:
            return Skipped(position, _("status “%(status)s”") % {"status": status})
        is_published = status in PUBLISHED_STATUSES
        workflow = WORKFLOW_STATUSES.get(status, "")
        published_at = self._post_date(fields)
        warnings = []
        if published_at is None and is_published:
            is_published, workflow = False, "review"
            warnings.append(_("published post without a date: imported for review"))

        title = _plain(fields.get("title", ""))
        galleries: list[dict] = []
        body = autop(fields.get("content:encoded", ""), galleries=galleries)
        if not title:
            title = _first_words(strip_tags(body)) or ""
        if not title:
            return Failed(position, _("no title and no text"))
        slug = unicodedata.normalize("NFC", unquote(fields.get("wp:post_name", "").strip()))

        authors, section, section_path, tags, author_paths, topics = [], "", "", [], {}, []
        topic_paths = {}
        login = fields.get("dc:creator", "").strip()
        for child in element:
            if self._tag(child) != "category":
                continue
            domain, name = child.get("domain", ""), _plain(child.text or "")
            nicename = (child.get("nicename") or "").strip()
            if not name:
                continue
            if domain == "category":
                if _is_default_category(name, nicename):
                    continue
                if self._category_is_topic(name):
                    tags.append(name)
                    topics.append(name)
                    if nicename:
                        topic_paths[name] = normalize_path(f"/category/{nicename}")
                elif section:  # the first category is the section, the others topics
                    tags.append(name)
                    topics.append(name)
                else:
                    section = name
                    section_path = normalize_path(f"/category/{nicename}") if nicename else ""
            elif domain == "post_tag":
                tags.append(name)
                topics.append(name)
                if nicename:
                    topic_paths[name] = normalize_path(f"/tag/{nicename}")
            elif domain == "post_format":  # a format kept as a label
                tags.append(name)
            elif domain == "author":  # Co-Authors Plus
                authors.append(name)
                if nicename:
                    author_paths[name] = normalize_path(f"/author/{nicename}")
        if not authors and login:
            name = self.authors.get(login, login)
            authors.append(name)
            author_paths[name] = normalize_path(f"/author/{login}")
        comments, pingbacks = self._comments(element, position)

        item = ArchiveItem(
            source=self.source,
            source_id=post_id,
            position=position,
            title=title,
            body_html=body,
            lead=_plain(fields.get("excerpt:encoded", "")),
            published_at=published_at,
            is_published=is_published,
            authors=authors,
            section=section,
            tags=tags,
            topics=topics,
            topic_paths=topic_paths,
            views=self._views(meta),
            slug=slug,
            legacy_paths=self._legacy_paths(fields, post_id, slug, is_published),
            comments=comments,
            warnings=warnings,
            workflow=workflow,
            pinned=fields.get("wp:is_sticky", "").strip() == "1",
            pingbacks=pingbacks,
            section_path=section_path,
            author_paths=author_paths,
            galleries=galleries,
        )
        thumbnail = meta.get("_thumbnail_id", "").strip()
        if thumbnail:
            self.resolve_thumbnail(item, thumbnail)
        return item

    def resolve_thumbnail(self, item: ArchiveItem, thumbnail_id: str) -> bool:
        attachment = self.attachments.get(thumbnail_id)
        if attachment is None:
            item.thumbnail_id = thumbnail_id
            return False
        item.image_file = attachment["file"]
        item.image_url = attachment["url"]
        item.image_alt = attachment["alt"]
        item.image_caption = attachment["caption"]
        item.thumbnail_id = ""
        return True

    def _meta(self, element) -> dict[str, str]:
        meta = {}
        for child in element:
            if self._tag(child) == "wp:postmeta":
                fields = self._fields(child)
                meta.setdefault(fields.get("wp:meta_key", ""), fields.get("wp:meta_value", ""))
        return meta

    def _views(self, meta) -> int:
        for key in self.view_meta_keys:
            value = re.sub(r"[,\s]", "", meta.get(key, ""))
            if value.isdigit():
                return int(value)
        return 0

    def _date(self, value: str, tz) -> datetime | None:
        value = (value or "").strip()
        if not value or value == NO_DATE:
            return None
        try:
            if not DATE.match(value):
                raise ValueError(value)
            return datetime.fromisoformat(value).replace(tzinfo=tz)
        except ValueError:
            raise ValueError(_("unreadable date %(value)r") % {"value": value}) from None

    def _post_date(self, fields) -> datetime | None:
        date = self._date(fields.get("wp:post_date_gmt", ""), UTC)
        if date is None:
            date = self._date(fields.get("wp:post_date", ""), self.time_zone)
        if date is None and fields.get("pubDate", "").strip():
            try:
                date = parsedate_to_datetime(fields["pubDate"].strip())
            except (TypeError, ValueError):
                raise ValueError(
                    _("unreadable date %(value)r") % {"value": fields["pubDate"]}
                ) from None
        return date

    def _legacy_paths(self, fields, post_id, slug, is_published) -> list[str]:
        paths = [post_id_path(post_id)]
        for url in (fields.get("link", ""), fields.get("guid", "")):
            key = key_for_url(url.strip())
            if key and key != "/":
                paths.append(key)
        local = self._date(fields.get("wp:post_date", ""), self.time_zone)
        if slug and local and is_published:  # the usual permalink structures
            paths.append(normalize_path(f"/{local:%Y/%m}/{slug}/"))
            paths.append(normalize_path(f"/{local:%Y/%m/%d}/{slug}/"))
        return list(dict.fromkeys(paths))

    def _category_is_topic(self, name: str) -> bool:
        return "*" in self.category_as_topic or topic_key(name) in self.category_as_topic

    def _page(self, fields, post_id, position, status):
        """A WordPress page: a static page here (published or a draft)."""
        title = _plain(fields.get("title", ""))
        body = autop(fields.get("content:encoded", ""))
        if not title:
            return Failed(position, _("no title and no text"))
        slug = unicodedata.normalize("NFC", unquote(fields.get("wp:post_name", "").strip()))
        return ArchivePage(
            source=self.source,
            source_id=post_id,
            position=position,
            title=title[:200],
            body_html=body,
            slug=slug,
            is_published=status in PUBLISHED_STATUSES,
        )

    def _comments(self, element, position) -> tuple[list[ArchiveComment], int]:
        """The item's comments, and how many pingbacks and trackbacks were left behind."""
        comments, pingbacks = [], 0
        for child in element:
            if self._tag(child) != "wp:comment":
                continue
            fields = self._fields(child)
            approved = fields.get("wp:comment_approved", "").strip()
            kind = fields.get("wp:comment_type", "").strip()
            comment_id = fields.get("wp:comment_id", "").strip()
            if kind in ("pingback", "trackback"):
                pingbacks += 1
                continue
            if approved not in ("0", "1") or kind not in ("", "comment") or not comment_id:
                continue  # spam and trash stay behind
            date = self._date(fields.get("wp:comment_date_gmt", ""), UTC) or self._date(
                fields.get("wp:comment_date", ""), self.time_zone
            )
            if date is None:
                raise ValueError(_("comment %(id)s has no date") % {"id": comment_id})
            parent = fields.get("wp:comment_parent", "").strip()
            comments.append(
                ArchiveComment(
                    source_id=comment_id,
                    parent_id="" if parent in ("", "0") else parent,
                    name=_plain(fields.get("wp:comment_author", ""))[:50],
                    email=fields.get("wp:comment_author_email", "").strip()[:254],
                    url=fields.get("wp:comment_author_url", "").strip()[:200],
                    ip=fields.get("wp:comment_author_IP", "").strip(),
                    submitted_at=date,
                    text=html.unescape(strip_tags(fields.get("wp:comment_content", ""))).strip(),
                    is_public=approved == "1",
                )
            )
        return comments, pingbacks


def _is_default_category(name: str, nicename: str) -> bool:
    return nicename.lower() in DEFAULT_CATEGORY_SLUGS or name.casefold() in DEFAULT_CATEGORY_NAMES


def _role(uri: str, prefix: str) -> str:
    if "purl.org/rss/1.0/modules/content" in uri:
        return "content"
    if "purl.org/dc/elements" in uri:
        return "dc"
    if "wordpress.org/export" in uri:
        return "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
    return prefix


def _plain(text: str) -> str:
    text = text or ""
    if "<" in text or "&" in text:  # most titles and names have neither
        text = html.unescape(strip_tags(text))
    return " ".join(text.split())


def _first_words(text: str, count: int = 10) -> str:
    return " ".join(text.split()[:count])


def _number(text: str) -> int:
    text = (text or "").strip()
    return int(text) if text.lstrip("-").isdigit() else 0


# WordPress content: its stored form has no <p> (wpautop adds them on display) -------------

CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
CAPTION_PARTS = re.compile(r"^\s*((?:<a\b[^>]*>)?\s*<img\b[^>]*>\s*(?:</a>)?)(.*)$", re.DOTALL)
SHORTCODES = re.compile(
    r"\[/?(?:gallery|video|audio|playlist|wp_caption|vc_\w+|et_pb_\w+)\b[^\]]*\]",
    re.IGNORECASE,
)
# A shortcode's attributes: name="value", name='value' or name=value.
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
# Gutenberg's block delimiters (<!-- wp:paragraph {...} --> … <!-- /wp:paragraph -->).
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.DOTALL)
EMBED_SHORTCODE = re.compile(r"\[embed\b[^\]]*\]\s*(\S+?)\s*\[/embed\]", re.IGNORECASE)
# Gutenberg's embed block keeps the URL as the text of its wrapper.
EMBED_BLOCK = re.compile(
    r"<figure\b[^>]*\bwp-block-embed\b[^>]*>\s*<div[^>]*wp-block-embed__wrapper[^>]*>\s*"
    r"(\S+?)\s*</div>(.*?)</figure>",
    re.DOTALL | re.IGNORECASE,
)
# An embed block saved without its markup: only the comment, which holds the URL.
EMBED_BLOCK_EMPTY = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[\w-]+)?\s+(\{.*?\})\s*/-->", re.DOTALL | re.IGNORECASE
)
# Gutenberg galleries, both markups: the 5.0–5.8 one (ids in the block's JSON, a <ul> of
# images) and the 5.9+ one (a wp:image block per photo, its id in that block's JSON).
GALLERY_BLOCK = re.compile(
    r"<!--\s*wp:gallery\b\s*(\{.*?\})?\s*-->(.*?)<!--\s*/wp:gallery\s*-->",
    re.DOTALL | re.IGNORECASE,
)
GALLERY_SHORTCODE = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
FIGCAPTION = re.compile(r"<figcaption\b([^>]*)>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)
# [video src=…], [video mp4=…][/video], [audio mp3=…] (the closing tag is optional).
MEDIA_SHORTCODE = re.compile(
    r"\[(?P<kind>video|audio)\b(?P<attributes>[^\]]*)\]"
    r"(?:(?P<inner>(?:(?!\[(?:video|audio)\b).)*?)\[/(?P=kind)\])?",
    re.DOTALL | re.IGNORECASE,
)
MEDIA_BLOCK = re.compile(
    r"<figure\b[^>]*\bwp-block-(?P<kind>video|audio)\b[^>]*>(?P<inner>.*?)</figure>",
    re.DOTALL | re.IGNORECASE,
)
MEDIA_SOURCES = {
    "video": ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv"),
    "audio": ("src", "mp3", "m4a", "ogg", "wav", "wma"),
}
BARE_URL = re.compile(r"^https?://\S+$")
# WordPress auto-embeds a URL alone on its line, even inside a paragraph: made its own block.
URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
BLOCK_START = re.compile(
    r"^<(?:p|h[1-6]|ul|ol|li|blockquote|figure|div|table|hr|pre|img|iframe)\b", re.IGNORECASE
)
# Where a gallery stands in an imported body until the importer has made it
# (archive.rich_media puts ``[gallery <id>]`` there, the code the desk's galleries use).
GALLERY_PLACEHOLDER = re.compile(r"<p>\[archive-gallery (?P<index>\d+)\]</p>")


def attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes, names lower-cased; curly or encoded quotes read as quotes."""
    text = html.unescape(text or "").replace("“", '"').replace("”", '"').replace("″", '"')
    return {
        match.group(1).lower(): next(g for g in match.groups()[1:] if g is not None).strip()
        for match in ATTRIBUTE.finditer(text)
    }


def _caption(match) -> str:
    parts = CAPTION_PARTS.match(match.group(2))
    if not parts:
        return match.group(2)
    image, caption = parts.group(1).strip(), parts.group(2).strip()
    caption = caption or html.escape(attributes(match.group(1)).get("caption", ""), quote=False)
    if not caption:
        return f"<figure>{image}</figure>"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _link(url: str) -> str:
    url = html.escape(html.unescape(url), quote=True)
    return f'<p><a href="{url}">{url}</a></p>'


def _embed_block(match) -> str:
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", match.group(2), re.DOTALL)
    caption_html = f"<p>{caption.group(1).strip()}</p>" if caption else ""
    return f"\n\n{_link(match.group(1))}{caption_html}\n\n"


def _empty_embed_block(match) -> str:
    try:
        url = json.loads(match.group(1)).get("url", "")
    except (ValueError, AttributeError):
        return ""
    return f"\n\n{_link(url)}\n\n" if isinstance(url, str) and BARE_URL.match(url) else ""


def media_card(kind: str, url: str, caption: str = "") -> str:
    """A video or audio of the old site: its provider's link (which becomes an embed, like a
    link the editor pastes), or, for a file, a captioned link card (uploading video and audio
    is out of scope: docs/media.md). The label is in the site's language, as the body is."""
    from embeds.oembed import provider_for

    url = html.unescape(url).strip()
    if not BARE_URL.match(url):
        return ""
    if provider_for(url):
        return f"\n\n{_link(url)}" + (f"<p>{caption}</p>" if caption else "") + "\n\n"
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Video") if kind == "video" else _("Audio recording")
    name = unquote(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]) or url
    href = html.escape(url, quote=True)
    text = f"{label}: {caption}" if caption else label
    return (
        f'\n\n<figure><p><a href="{href}">{html.escape(name, quote=False)}</a></p>'
        f"<figcaption>{text}</figcaption></figure>\n\n"
    )


def _media_shortcode(match) -> str:
    kind = match.group("kind").lower()
    found = attributes(match.group("attributes"))
    url = next((found[key] for key in MEDIA_SOURCES[kind] if found.get(key)), "")
    inner = (match.group("inner") or "").strip()
    if not url and BARE_URL.match(inner):
        url = inner
    return media_card(kind, url, html.escape(found.get("caption", ""), quote=False))


def _media_block(match) -> str:
    kind, inner = match.group("kind").lower(), match.group("inner")
    source = re.search(r"""\bsrc=["']([^"']+)["']""", inner)
    caption = FIGCAPTION.search(inner)
    return media_card(
        kind, source.group(1) if source else "", caption.group(2).strip() if caption else ""
    )


def _image_reference(tag: str) -> dict:
    found = attributes(tag[4:-1].rstrip("/"))
    image_id = found.get("data-id", "")
    if not image_id.isdigit():
        wp_image = re.search(r"\bwp-image-(\d+)\b", found.get("class", ""))
        image_id = wp_image.group(1) if wp_image else ""
    return {"id": image_id, "src": found.get("src", ""), "alt": found.get("alt", "")}


def gallery_block(attrs: str, inner: str) -> dict:
    """A Gutenberg gallery: its photos in order (attachment id, address, alt text and caption
    as the block shows them) and its own caption."""
    try:
        settings_ = json.loads(attrs) if attrs else {}
    except ValueError:
        settings_ = {}
    ids = [str(i) for i in settings_.get("ids", []) if str(i).isdigit()]
    caption = ""
    for found in FIGCAPTION.finditer(inner):
        if "blocks-gallery-caption" in found.group(1):
            caption = _plain(found.group(2))
    images = list(IMG.finditer(inner))
    references = []
    for index, image in enumerate(images):
        end = images[index + 1].start() if index + 1 < len(images) else len(inner)
        reference = _image_reference(image.group(0))
        own = FIGCAPTION.search(inner, image.end(), end)
        if own and "blocks-gallery-caption" not in own.group(1):
            reference["caption"] = _plain(own.group(2))
        if not reference["id"] and index < len(ids):
            reference["id"] = ids[index]
        references.append(reference)
    if not references:
        references = [{"id": i} for i in ids]
    return {"images": references, "caption": caption}


def gallery_shortcode(text: str) -> dict:
    """``[gallery ids="3,1,2"]`` (or ``include=``): those attachments in that order;
    ``[gallery]`` alone: the images attached to the post, in their menu order."""
    found = attributes(text)
    ids = re.findall(r"\d+", found.get("ids", "") or found.get("include", ""))
    if not ids:
        return {"images": [], "attached": True, "caption": ""}
    return {"images": [{"id": i} for i in ids], "caption": ""}


def autop(content: str, galleries: list | None = None) -> str:
    """Blank-line paragraphs to <p>, single newlines to <br>, [caption] to <figure>.

    Gutenberg's block comments go. Embeds ([embed], embed blocks, a URL alone on its line,
    which WordPress turns into a player, a provider's link in [video] or [audio]) are kept
    as a link alone on its paragraph, which the import makes an embed (archive.rich_media);
    a video or audio file becomes a captioned link card. Galleries ([gallery], wp:gallery)
    are appended to ``galleries`` and stand as ``<p>[archive-gallery N]</p>`` in the text;
    without the list (static pages), they are left out.
    """

    def gallery(found: dict) -> str:
        if galleries is None:
            return ""
        galleries.append(found)
        return f"\n\n[archive-gallery {len(galleries) - 1}]\n\n"

    content = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    content = GALLERY_BLOCK.sub(lambda m: gallery(gallery_block(m.group(1), m.group(2))), content)
    content = EMBED_BLOCK_EMPTY.sub(_empty_embed_block, content)
    content = BLOCK_COMMENT.sub("", content)
    content = EMBED_BLOCK.sub(_embed_block, content)
    content = EMBED_SHORTCODE.sub(lambda m: f"\n\n{_link(m.group(1))}\n\n", content)
    content = MEDIA_BLOCK.sub(_media_block, content)
    content = MEDIA_SHORTCODE.sub(_media_shortcode, content)
    content = GALLERY_SHORTCODE.sub(lambda m: gallery(gallery_shortcode(m.group(1))), content)
    content = SHORTCODES.sub("", CAPTION.sub(_caption, content))
    content = URL_LINE.sub(lambda m: f"\n\n{m.group(1)}\n\n", content)
    blocks = []
    for chunk in re.split(r"\n\s*\n", content.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        if BARE_URL.match(chunk):
            blocks.append(_link(chunk))
        elif BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(blocks)
