"""What the readers of each archive format hand the importer: plain data, no database."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArchiveComment:
    source_id: str
    parent_id: str  # "" for a top-level comment
    name: str
    email: str
    url: str
    ip: str
    submitted_at: datetime
    text: str
    is_public: bool


@dataclass
class ArchiveItem:
    """One article as read from a source; ``source``+``source_id`` identify it for re-runs."""

    source: str
    source_id: str
    position: str
    title: str
    body_html: str
    published_at: datetime | None
    is_published: bool
    lead: str = ""
    authors: list[str] = field(default_factory=list)
    section: str = ""
    tags: list[str] = field(default_factory=list)
    source_name: str = ""
    views: int = 0
    slug: str = ""
    legacy_paths: list[str] = field(default_factory=list)
    comments: list[ArchiveComment] = field(default_factory=list)
    image_file: str = ""  # relative to the uploads folder
    image_url: str = ""  # its address on the old site (for --fetch-media)
    image_alt: str = ""
    image_caption: str = ""
    thumbnail_id: str = ""  # a WordPress attachment not yet seen in the stream
    warnings: list[str] = field(default_factory=list)
    # Added later: left out of the checksum while they hold their default, so that items
    # imported before them are not all seen as changed (outcomes.item_checksum).
    workflow: str = ""  # "review", "future" or "private" when not plainly published/draft
    pinned: bool = False  # a WordPress sticky post
    pingbacks: int = 0  # pingbacks and trackbacks left behind
    section_path: str = ""  # the old /category/<nicename> address of ``section``
    author_paths: dict[str, str] = field(default_factory=dict)  # name -> /author/<login>
    topics: list[str] = field(default_factory=list)  # post tags, further or mapped categories
    topic_paths: dict[str, str] = field(default_factory=dict)  # name -> /tag/<nicename>
    # The body's galleries, in the order of their ``<p>[archive-gallery N]</p>`` places:
    # {"images": [{"id", "src", "alt", "caption"}…], "caption", "attached": a bare [gallery]}.
    galleries: list[dict] = field(default_factory=list)


@dataclass
class Skipped:
    position: str
    reason: str


@dataclass
class Failed:
    position: str
    reason: str


@dataclass
class ArchivePage:
    """A static page of the old site (a WordPress ``page``): becomes a pages.Page."""

    source: str
    source_id: str
    position: str
    title: str
    body_html: str
    slug: str = ""
    is_published: bool = True
