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
import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from django.conf import settings
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
        body = autop(fields.get("content:encoded", ""))
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


# WordPress content: its stored form has no <p> (wpautop adds them on display) -------------

CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
CAPTION_PARTS = re.compile(r"^\s*((?:<a\b[^>]*>)?\s*<img\b[^>]*>\s*(?:</a>)?)(.*)$", re.DOTALL)
SHORTCODES = re.compile(
    r"\[/?(?:gallery|video|audio|playlist|wp_caption|vc_\w+|et_pb_\w+)\b[^\]]*\]",
    re.IGNORECASE,
)
# Gutenberg's block delimiters (<!-- wp:paragraph {...} --> … <!-- /wp:paragraph -->).
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.DOTALL)
EMBED_SHORTCODE = re.compile(r"\[embed\b[^\]]*\]\s*(\S+?)\s*\[/embed\]", re.IGNORECASE)
# Gutenberg's embed block keeps the URL as the text of its wrapper.
EMBED_BLOCK = re.compile(
    r"<figure\b[^>]*\bwp-block-embed\b[^>]*>\s*<div[^>]*wp-block-embed__wrapper[^>]*>\s*"
    r"(\S+?)\s*</div>(.*?)</figure>",
    re.DOTALL | re.IGNORECASE,
)
BARE_URL = re.compile(r"^https?://\S+$")
BLOCK_START = re.compile(
    r"^<(?:p|h[1-6]|ul|ol|li|blockquote|figure|div|table|hr|pre|img|iframe)\b", re.IGNORECASE
)


def _caption(match) -> str:
    parts = CAPTION_PARTS.match(match.group(1))
    if not parts:
        return match.group(1)
    image, caption = parts.group(1).strip(), parts.group(2).strip()
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _link(url: str) -> str:
    url = html.escape(html.unescape(url), quote=True)
    return f'<p><a href="{url}">{url}</a></p>'


def _embed_block(match) -> str:
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", match.group(2), re.DOTALL)
    caption_html = f"<p>{caption.group(1).strip()}</p>" if caption else ""
    return f"\n\n{_link(match.group(1))}{caption_html}\n\n"


def autop(content: str) -> str:
    """Blank-line paragraphs to <p>, single newlines to <br>, [caption] to <figure>.

    Gutenberg's block comments go; embeds ([embed], embed blocks, a URL alone on its line,
    which WordPress turns into a player) are kept as links: no third-party player here.
    """
    content = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    content = BLOCK_COMMENT.sub("", content)
    content = EMBED_BLOCK.sub(_embed_block, content)
    content = EMBED_SHORTCODE.sub(lambda m: f"\n\n{_link(m.group(1))}\n\n", content)
    content = SHORTCODES.sub("", CAPTION.sub(_caption, content))
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
