"""Many new articles at once: a batch of a run written with a few COPYs per table, in one
transaction, so that a run killed midway leaves no half-imported article and the next run
carries on where it stopped.

``BatchImport`` is the part of ``archive.importer.ArchiveImporter`` that does it; items the
batch cannot write together go through the importer's one-by-one path.
"""

import logging

from django.db import transaction
from django.db.models import F, FileField
from django.utils import timezone

from archive.items import ArchiveItem, ArchivePage, Failed, Skipped
from archive.models import ImportedArticle
from archive.outcomes import SKIP_REASONS, UNCHANGED, item_checksum
from articles import cache as page_tags
from articles.bulk import copy_instances, copy_rows
from articles.models import LIVE_STATUSES, Article, Byline
from articles.text import unicode_slug
from caching import tags as tag
from caching.pagecache import bump

logger = logging.getLogger(__name__)


class BatchImport:
    """Uses the importer's ``handle`` (the one-by-one path), ``_fill``, ``_author``,
    ``_topics`` and the other parts' ``_record_batch_paths``, ``_create_batch_comments`` and
    ``_attach_image``."""

    def handle_batch(self, entries) -> list[str]:
        """Import many entries in one transaction; returns their outcomes, in order.

        New articles are written together (a few multi-row INSERTs per table for the whole
        batch); records already imported are looked up in one query, and unchanged ones cost
        nothing more. Changed items and any batch whose bulk write fails go one by one, each
        in its own savepoint inside the batch transaction: a broken item is reported and
        rolled back alone. A batch is committed whole or not at all, so a run killed midway
        leaves no half-imported article and the next run carries on where it stopped.
        """
        outcomes: list[str | None] = [None] * len(entries)
        items: list[tuple[int, ArchiveItem, str]] = []
        for index, entry in enumerate(entries):
            if isinstance(entry, (Skipped, Failed, ArchivePage)):
                outcomes[index] = self.handle(entry)
            else:
                items.append((index, entry, item_checksum(entry)))
                self.stats.pingbacks += entry.pingbacks
        if not items:
            return outcomes
        known = self._known_records(item for _index, item, _sum in items)
        new, one_by_one, seen = [], [], set()
        for index, item, checksum in items:
            key = (item.source, item.source_id)
            record = known.get(key)
            if key in seen:
                one_by_one.append((index, item))  # the same post twice in one batch
            elif record is None:
                new.append((index, item, checksum))
            elif record["checksum"] == checksum and not (
                self._wants_image(item) and not record["image"]
            ):
                self.stats.skipped[str(SKIP_REASONS[UNCHANGED])] += 1
                outcomes[index] = "skipped"
                if item.thumbnail_id and self.media.available and not record["image"]:
                    self.deferred_images.append((record["article_id"], item))
            else:
                one_by_one.append((index, item))
            seen.add(key)
        if not new and not one_by_one:
            return outcomes
        self._batch_keys, self._batch_files = [], []
        try:
            with transaction.atomic():
                if new:
                    self._create_batch(new, outcomes, one_by_one)
                for index, item in sorted(one_by_one, key=lambda pair: pair[0]):
                    outcomes[index] = self._handle_in_savepoint(item)
                if self.dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            self._forget_batch()
            raise
        if self.dry_run:
            self._forget_batch()
        return outcomes

    def _known_records(self, items) -> dict[tuple[str, str], dict]:
        ids_by_source: dict[str, list[str]] = {}
        for item in items:
            ids_by_source.setdefault(item.source, []).append(item.source_id)
        known = {}
        for source, ids in ids_by_source.items():
            rows = ImportedArticle.objects.filter(source=source, source_id__in=ids).values(
                "source_id", "checksum", "article_id", image=F("article__image")
            )
            known.update(((source, row["source_id"]), row) for row in rows)
        return known

    def _handle_in_savepoint(self, item: ArchiveItem) -> str:
        """One item the slow, careful way, inside the batch transaction (a savepoint)."""
        outcome = self.handle(item)
        self._batch_keys.extend(self._new_keys)
        self._batch_files.extend(self._stored_files)
        self._new_keys, self._stored_files = [], []
        return outcome

    def _forget_batch(self) -> None:
        self._new_keys, self._stored_files = self._batch_keys, self._batch_files
        self._forget_item()
        self._batch_keys, self._batch_files = [], []

    def _create_batch(self, new, outcomes, one_by_one) -> None:
        """All new articles of a batch at once; on any error, each on its own instead."""
        counted = ("comments", "legacy_paths", "images", "embeds", "galleries")
        stats_before = [getattr(self.stats, name) for name in counted]
        problems_before = len(self.stats.image_problems)
        deferred_before = len(self.deferred_images)
        keys_before = len(self._batch_keys)
        try:
            with transaction.atomic():
                self._new_keys, self._stored_files = [], []
                self._bulk_create(new)
                self._batch_keys.extend(self._new_keys)
                self._batch_files.extend(self._stored_files)
                self._new_keys, self._stored_files = [], []
        except Exception:  # one bad item spoils the bulk write: redo the batch item by item
            logger.warning(
                "Bulk write of a batch failed; importing its items one by one.", exc_info=True
            )
            self._forget_item()
            del self._batch_keys[keys_before:]
            for name, value in zip(counted, stats_before, strict=True):
                setattr(self.stats, name, value)
            del self.stats.image_problems[problems_before:]
            del self.deferred_images[deferred_before:]
            one_by_one.extend((index, item) for index, item, _checksum in new)
            return
        for index, item, _checksum in new:
            outcomes[index] = "created"
            self.stats.created += 1
            self.stats.warnings.extend(Failed(item.position, w) for w in item.warnings)

    def _bulk_create(self, new) -> None:
        articles = []
        slugs = self._batch_slugs([item for _index, item, _checksum in new])
        for (_index, item, _checksum), slug in zip(new, slugs, strict=True):
            article = Article(slug=slug)
            self._fill(article, item)
            article.fill_derived_fields()
            article.view_count = item.views
            articles.append(article)
        copy_instances(Article, articles)
        bylines, authors_of = [], {}
        for (_index, item, _checksum), article in zip(new, articles, strict=True):
            found = (self._author(name) for name in item.authors if name.strip())
            authors = list({author.pk: author for author in found}.values())
            authors_of[article.pk] = authors
            bylines.extend(
                {"article_id": article.pk, "author_id": author.pk, "position": position}
                for position, author in enumerate(authors)
            )
        copy_rows(Byline, bylines)
        topics_of = {
            article.pk: self._topics(item.topics)
            for (_index, item, _checksum), article in zip(new, articles, strict=True)
        }
        copy_rows(
            Article.topics.through,
            [
                {"article_id": pk, "topic_id": topic.pk}
                for pk, topics in topics_of.items()
                for topic in topics
            ],
        )
        now, tracked = timezone.now(), Article.history.model.tracked_fields
        files = [field for field in tracked if isinstance(field, FileField)]
        plain = [field for field in tracked if not isinstance(field, FileField)]
        copy_rows(  # what simple_history's post_save receiver writes for each new article
            Article.history.model,
            [
                {
                    **{field.attname: field.value_to_string(article) for field in files},
                    **{field.attname: getattr(article, field.attname) for field in plain},
                    "history_date": now,
                    "history_type": "+",
                    "history_change_reason": None,
                    "history_user_id": None,
                    # What articles.models.article_relations records for a version.
                    "relations": {
                        "topics": sorted(topic.name for topic in topics_of[article.pk]),
                        "bylines": [author.name for author in authors_of[article.pk]],
                    },
                }
                for article in articles
            ],
        )
        self._record_batch_paths(new, articles)
        self._record_owner_paths(
            pair
            for (_index, item, _checksum), article in zip(new, articles, strict=True)
            for pair in self._owner_paths(article, item)
        )
        self._create_batch_comments(new, articles)
        for (_index, item, _checksum), article in zip(new, articles, strict=True):
            if self._wants_image(item):
                self._attach_image(article, item)
            elif item.thumbnail_id and self.media.available:
                self.deferred_images.append((article.pk, item))
        imported_at = timezone.now()  # last: this time marks the articles as imported
        copy_rows(
            ImportedArticle,
            [
                {
                    "source": item.source,
                    "source_id": item.source_id,
                    "article_id": article.pk,
                    "checksum": checksum,
                    "imported_views": item.views,
                    "tags": item.tags,
                    "position": item.position[:300],
                    "imported_at": imported_at,
                }
                for (_index, item, checksum), article in zip(new, articles, strict=True)
            ],
        )
        batch_created(
            articles,
            {pk: [a.pk for a in found] for pk, found in authors_of.items()},
            {pk: [t.pk for t in found] for pk, found in topics_of.items()},
        )

    def _batch_slugs(self, items) -> list[str]:
        """unique_slug() for many articles: one query, plus one per slug already taken."""
        bases = [unicode_slug(item.slug or item.title, fallback="article") for item in items]
        taken = set(Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
        used, slugs = set(), []
        for base in bases:
            slug = base
            if slug in taken or slug in used:
                if base not in self._slug_families:
                    self._slug_families.add(base)
                    taken.update(
                        Article.objects.filter(slug__startswith=base).values_list("slug", flat=True)
                    )
                n = 2
                while slug in taken or slug in used:
                    slug, n = f"{base}-{n}", n + 1
            used.add(slug)
            slugs.append(slug)
        self._slug_families.clear()
        return slugs


def batch_created(articles, author_ids: dict[int, list[int]], topic_ids=None) -> None:
    """Invalidate, once for a whole batch of new articles, the pages that may now list them
    (what articles.cache.article_saved does for each saved article, less the tags of the new
    articles themselves: no cached page carries those yet). The "most read" blocks are left
    to follow on their own (NEWSROOM_MOST_READ_SECONDS): an import is not news."""
    live = [a for a in articles if a.status in LIVE_STATUSES]
    if not live:
        return
    tags = {tag.home(), tag.live_content()}
    for article in live:
        tags.add(tag.section_list(article.section_id))
        tags.update(tag.author_list(pk) for pk in author_ids.get(article.pk, ()))
        tags.update(tag.topic_list(pk) for pk in (topic_ids or {}).get(article.pk, ()))
    bump(*tags)
    transaction.on_commit(page_tags.refresh_schedule)
