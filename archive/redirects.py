"""The old site's addresses, remembered so that they answer with a 301 to the new page
(archive/middleware.py): each article's old paths, and the old addresses of its section,
authors and topics (``LegacyPath``).

``RedirectsImport`` is the part of ``archive.importer.ArchiveImporter`` that records them.
"""

from archive.items import ArchiveItem
from archive.models import LegacyPath
from articles.bulk import copy_rows
from articles.models import Article


class RedirectsImport:
    """Uses the importer's ``owner_paths`` (addresses already recorded in this run),
    ``_author``, ``_topics``, ``_new_keys`` and ``stats``."""

    def _record_batch_paths(self, new, articles) -> None:
        wanted: dict[str, Article] = {}
        for (_index, item, _checksum), article in zip(new, articles, strict=True):
            for path in item.legacy_paths:
                if path and len(path) <= 500:
                    wanted.setdefault(path, article)
        if not wanted:
            return
        taken = set(LegacyPath.objects.filter(path__in=wanted).values_list("path", flat=True))
        rows = [{"path": p, "article_id": a.pk} for p, a in wanted.items() if p not in taken]
        copy_rows(LegacyPath, rows)  # none taken: a path met twice in a batch is kept once
        self.stats.legacy_paths += len(rows)

    def _owner_paths(self, article: Article, item: ArchiveItem) -> list[tuple[str, str, object]]:
        """The old /category/… address of the article's section, /author/… of its authors,
        /tag/… of its topics."""
        pairs = []
        if item.section_path and item.section:
            pairs.append((item.section_path, "section", article.section))
        for name, path in item.author_paths.items():
            if name.strip():
                pairs.append((path, "author", self._author(name)))
        for name, path in item.topic_paths.items():
            pairs.extend((path, "topic", topic) for topic in self._topics([name]))
        return pairs

    def _record_owner_paths(self, pairs) -> None:
        wanted = {}
        for path, kind, owner in pairs:
            if path and len(path) <= 500 and path not in self.owner_paths:
                wanted.setdefault(path, (kind, owner))
        if not wanted:
            return
        taken = set(LegacyPath.objects.filter(path__in=wanted).values_list("path", flat=True))
        rows = [LegacyPath(path=p, **{k: o}) for p, (k, o) in wanted.items() if p not in taken]
        LegacyPath.objects.bulk_create(rows, ignore_conflicts=True)
        for path in wanted:
            self.owner_paths[path] = True
            self._new_keys.append((self.owner_paths, path))
        self.stats.legacy_paths += len(rows)

    def _record_paths(self, article: Article, item: ArchiveItem) -> None:
        self._record_owner_paths(self._owner_paths(article, item))
        paths = [p for p in item.legacy_paths if p and len(p) <= 500]
        if not paths:
            return
        taken = set(LegacyPath.objects.filter(path__in=paths).values_list("path", flat=True))
        new = [LegacyPath(path=p, article=article) for p in paths if p not in taken]
        LegacyPath.objects.bulk_create(new, ignore_conflicts=True)
        self.stats.legacy_paths += len(new)
