"""What a run says about each item: created, updated, skipped (and why) or failed, with its
counts for the summary (``ImportStats``); and the checksum that tells an unchanged item from
a changed one on the next run (``item_checksum``).
"""

import hashlib
import json
from collections import Counter
from dataclasses import MISSING, dataclass, field, fields

from django.utils.translation import gettext_lazy

from archive.items import ArchiveItem, Failed

UNCHANGED, EDITED_HERE = "unchanged", "edited here"
SKIP_REASONS = {
    UNCHANGED: gettext_lazy("unchanged since the last run"),
    EDITED_HERE: gettext_lazy("edited in the newsroom since it was imported: kept as edited"),
}


_VOLATILE = ("position", "warnings", "image_url")  # not part of what the item says
_LATER_FIELDS = {
    "workflow", "pinned", "pingbacks", "section_path", "author_paths", "topics", "topic_paths",
    "galleries",
}  # fmt: skip
_CHECKED_FIELDS = [
    f.name for f in fields(ArchiveItem) if f.name not in _VOLATILE and f.name not in _LATER_FIELDS
]
_LATER_DEFAULTS = {
    f.name: f.default if f.default_factory is MISSING else f.default_factory()
    for f in fields(ArchiveItem)
    if f.name in _LATER_FIELDS
}


def item_checksum(item: ArchiveItem) -> str:
    """A digest of everything read for the item (what ``asdict`` gives, without its deep
    copy: the same JSON text, so checksums stored by earlier versions still match)."""
    data = {name: getattr(item, name) for name in _CHECKED_FIELDS}
    for name, default in _LATER_DEFAULTS.items():
        if getattr(item, name) != default:
            data[name] = getattr(item, name)
    data["comments"] = [vars(comment) for comment in item.comments]
    text = json.dumps(data, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ImportStats:
    created: int = 0
    updated: int = 0
    skipped: Counter = field(default_factory=Counter)
    failed: list[Failed] = field(default_factory=list)
    comments: int = 0
    images: int = 0
    body_images: int = 0  # images of the bodies stored here (or found stored by a past run)
    image_problems: list[Failed] = field(default_factory=list)
    warnings: list[Failed] = field(default_factory=list)
    legacy_paths: int = 0
    pingbacks: int = 0
    pages: int = 0  # static pages made from the old site's pages
    embeds: int = 0  # provider links that became embeds (pending cards until resolved)
    galleries: int = 0  # galleries made
    gallery_images: int = 0  # images put in galleries
    gallery_problems: list[Failed] = field(default_factory=list)
    gallery_images_waiting: int = 0  # images of galleries not looked for (no --uploads)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def items(self) -> int:
        return self.created + self.updated + self.skipped_total + len(self.failed) + self.pages
