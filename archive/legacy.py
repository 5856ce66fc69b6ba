"""Read the old site's saved article pages (the text form of shared/seed/legacy-article-page.txt).

A saved page holds: the body as paragraphs; a bullet block (byline(s), date, views,
section); the title; the body again as one paragraph; «المصدر : …»; then the comment
form's text («اكتب تعليق»…). The reader keeps the first body, drops its repetition and
the form, and reads the bullets by what they look like (a date, a number, names).
"""

import hashlib
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

from archive.items import ArchiveItem, Failed
from archive.paths import key_for_url
from articles.text import fold_digits, normalize_arabic, strip_invisible

SOURCE = "page"
BULLET = re.compile(r"^\s*(?:[•●▪◦·]\s*|[-*]\s+)(.*\S)\s*$")
DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
NUMBER = re.compile(r"^\d[\d,٬.]*$")
SOURCE_LINE = re.compile(r"^(?:المصدر|Source)\s*[:：]\s*(.+)$", re.IGNORECASE)
URL_LINE = re.compile(r"^(?:URL|الرابط)\s*[:：]\s*(\S+)$", re.IGNORECASE)
AUTHOR_SPLIT = re.compile(r"\s*[،,]\s*")


def looks_like_page(path: Path) -> bool:
    return path.suffix.lower() in {".txt", ".text"}


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", normalize_arabic(text)).strip()


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Blank-line separated paragraphs as (first line number, text with \\n inside)."""
    paragraphs, current, start = [], [], 0
    for number, line in [*lines, (0, "")]:
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            paragraphs.append((start, "\n".join(current)))
            current = []
    return paragraphs


class LegacyPageReader:
    """Iterate over one saved page or a folder of them (``*.txt``, recursively, sorted)."""

    def __init__(self, path, *, time_zone=None):
        self.path = Path(path)
        self.name = self.path.name
        self.files = (
            sorted(p for p in self.path.rglob("*") if p.is_file() and looks_like_page(p))
            if self.path.is_dir()
            else [self.path]
        )
        self.size = sum(p.stat().st_size for p in self.files)
        self.bytes_read = 0
        self.time_zone = ZoneInfo(time_zone or settings.TIME_ZONE)
        self.stop_lines = {_collapse(s) for s in settings.NEWSROOM_ARCHIVE_PAGE_STOP_LINES}
        self.source = SOURCE
        self.attachments = {}

    def __iter__(self):
        for file in self.files:
            name = str(file.relative_to(self.path.parent))
            try:
                text = file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                yield Failed(f"{name}:1", _("unreadable file (%(error)s)") % {"error": exc})
                continue
            finally:
                self.bytes_read += file.stat().st_size
            yield self.parse(text, name)

    def parse(self, text: str, name: str = "page"):
        lines = [(n, strip_invisible(line)) for n, line in enumerate(text.splitlines(), 1)]
        first = next((i for i, (_number, line) in enumerate(lines) if BULLET.match(line)), None)
        if first is None:
            return Failed(f"{name}:1", _("no bullet block (byline, date, views, section) found"))
        last = first
        while last + 1 < len(lines) and (
            BULLET.match(lines[last + 1][1]) or not lines[last + 1][1].strip()
        ):
            last += 1
        bullets = [
            BULLET.match(line).group(1) for _number, line in lines[first : last + 1] if line.strip()
        ]
        position = f"{name}:{lines[first][0]}"

        date_index = next(
            (i for i, bullet in enumerate(bullets) if DATE.match(fold_digits(bullet))), None
        )
        if date_index is None:
            return Failed(position, _("no date (YYYY-MM-DD) in the bullet block"))
        published_at = self._date(fold_digits(bullets[date_index]))
        if published_at is None:
            return Failed(position, _("unreadable date %(value)r") % {"value": bullets[date_index]})
        authors = [
            name
            for bullet in bullets[:date_index]
            for name in AUTHOR_SPLIT.split(bullet.strip())
            if name
        ]
        views, section = 0, ""
        for bullet in bullets[date_index + 1 :]:
            digits = fold_digits(bullet)
            if NUMBER.match(digits):
                views = int(re.sub(r"\D", "", digits))
            elif not section:
                section = bullet.strip()

        before = _paragraphs(lines[:first])
        after, source_name, legacy_paths = [], "", []
        for number, paragraph in _paragraphs(lines[last + 1 :]):
            if _collapse(paragraph) in self.stop_lines:
                break  # the comment form and whatever follows it
            if match := SOURCE_LINE.match(paragraph):
                source_name = match.group(1).strip()
            elif match := URL_LINE.match(paragraph):
                if key := key_for_url(match.group(1)):
                    legacy_paths.append(key)
            else:
                after.append((number, paragraph))
        if not after:
            return Failed(position, _("no title after the bullet block"))
        title = re.sub(r"\s+", " ", after[0][1]).strip()
        body = []
        for _number, paragraph in before:  # a paragraph cut after a comma goes on in the next
            if body and body[-1].rstrip().endswith(("،", ",")):
                body[-1] = body[-1].rstrip() + " " + paragraph
            else:
                body.append(paragraph)
        seen = _collapse(" ".join(body))
        for _number, paragraph in after[1:]:
            if seen and _collapse(paragraph) in seen:
                continue  # the page repeats the body as one paragraph under the title
            body.append(paragraph)
            seen += " " + _collapse(paragraph)
        date_key = published_at.date().isoformat()
        source_id = hashlib.sha256(f"{_collapse(title)}|{date_key}".encode()).hexdigest()[:40]
        return ArchiveItem(
            source=SOURCE,
            source_id=source_id,
            position=f"{name}:{after[0][0]}",
            title=title,
            body_html="\n".join(
                "<p>" + "<br>".join(escape(line) for line in p.split("\n")) + "</p>" for p in body
            ),
            published_at=published_at,
            is_published=True,
            authors=authors,
            section=section,
            source_name=source_name,
            views=views,
            legacy_paths=legacy_paths,
        )

    def _date(self, text: str) -> datetime | None:
        match = DATE.match(text)
        year, month, day = (
            match.group(1, 2, 3) if match.group(1) else reversed(match.group(4, 5, 6))
        )
        try:
            return datetime(int(year), int(month), int(day), tzinfo=self.time_zone)
        except ValueError:
            return None
