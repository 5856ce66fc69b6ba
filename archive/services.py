"""Bring archive items into the newsroom: one transaction per item, idempotent, reported.

The readers (wxr.py, legacy.py) turn files into plain ArchiveItems; ArchiveImporter
matches or creates sections and authors, creates or updates the article, its bylines,
comments (through django_comments.get_model(), threaded like comments-xtd does it), old
addresses and featured image, and keeps the counts for the summary.
"""

import functools
import hashlib
import html
import io
import ipaddress
import json
import logging
import re
from collections import Counter
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

import django_comments
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import F, FileField, JSONField, Value
from django.db.models.fields import AutoFieldMixin
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_comments_xtd.models import max_thread_level_for_content_type

from archive.items import ArchiveItem, ArchivePage, Failed, Skipped
from archive.media import UPLOADS_MARKER, MediaMissing, MediaSource, uploads_path
from archive.models import ImportedArticle, ImportedComment, LegacyPath
from articles import cache as page_tags
from articles.models import (
    LIVE_STATUSES,
    Article,
    Author,
    Byline,
    MediaImage,
    Section,
    Topic,
    topic_key,
    unique_slug,
)
from articles.text import normalize_arabic, unicode_slug
from caching import tags as tag
from caching.pagecache import bump
from pages.models import Page
from uploads.images import reencode_image, validate_image_file

logger = logging.getLogger(__name__)

# An <img> of the body and its address (quoted either way): the part to rewrite.
BODY_IMAGE = re.compile(
    r"(?P<before><img\b[^>]*?\bsrc=(?P<quote>[\"']))(?P<src>[^\"']*)(?P<after>(?P=quote))",
    re.IGNORECASE,
)

UNCHANGED, EDITED_HERE = "unchanged", "edited here"
SKIP_REASONS = {
    UNCHANGED: gettext_lazy("unchanged since the last run"),
    EDITED_HERE: gettext_lazy("edited in the newsroom since it was imported: kept as edited"),
}


def name_key(name: str) -> str:
    return " ".join(normalize_arabic(name).split())


def is_team_name(name: str, team_names=None) -> bool:
    """«فريق ماسة» is a team: the name is, or starts with, one of NEWSROOM_TEAM_BYLINES."""
    key = name_key(name).casefold()
    for team in team_names if team_names is not None else settings.NEWSROOM_TEAM_BYLINES:
        team = name_key(team).casefold()
        if team and (key == team or key.startswith(team + " ")):
            return True
    return False


_VOLATILE = ("position", "warnings", "image_url")  # not part of what the item says
_LATER_FIELDS = {
    "workflow", "pinned", "pingbacks", "section_path", "author_paths", "topics", "topic_paths",
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

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def items(self) -> int:
        return self.created + self.updated + self.skipped_total + len(self.failed) + self.pages


class ArchiveImporter:
    def __init__(
        self, *, dry_run: bool = False, uploads: Path | None = None, fetch_media: bool = False
    ):
        self.dry_run = dry_run
        self.media = MediaSource(uploads, fetch=fetch_media)
        self.body_images: dict[str, str] = {}  # old address -> new, in this run
        self.stats = ImportStats()
        self.sections = {name_key(s.name_ar or ""): s for s in Section.objects.all()}
        self.authors = {name_key(a.name_ar or ""): a for a in Author.objects.all()}
        self.topics: dict[str, Topic] = {}  # by folded name, filled as the run meets them
        self.comment_model = django_comments.get_model()
        self.content_type = ContentType.objects.get_for_model(Article)
        self.max_thread_level = max_thread_level_for_content_type(self.content_type)
        self.deferred_images: list[tuple[int, ArchiveItem]] = []
        self._new_keys: list[tuple[dict, str]] = []
        self._stored_files: list[str] = []
        self._batch_keys: list[tuple[dict, str]] = []
        self._batch_files: list[str] = []
        self._slug_families: set[str] = set()
        self.owner_paths: dict[str, bool] = {}  # old section/author addresses recorded
        # The comments model is several tables (multi-table inheritance): each has the id.
        model, self._pk_attnames = self.comment_model, []
        while model is not None:
            self._pk_attnames.append(model._meta.pk.attname)
            model = next(iter(model._meta.parents), None)

    # Entry point ---------------------------------------------------------------------------

    def handle(self, entry) -> str:
        """Import one entry from a reader; returns "created", "updated", "skipped" or "failed"."""
        if isinstance(entry, Skipped):
            self.stats.skipped[entry.reason] += 1
            return "skipped"
        if isinstance(entry, Failed):
            self.stats.failed.append(entry)
            return "failed"
        if isinstance(entry, ArchivePage):
            return self._import_page(entry)
        self._new_keys, self._stored_files = [], []
        try:
            with transaction.atomic():
                outcome, article = self._import(entry)
                if self.dry_run:
                    transaction.set_rollback(True)
        except Exception as exc:  # whatever breaks one item is reported; the run goes on
            self._forget_item()
            self.stats.failed.append(Failed(entry.position, f"{type(exc).__name__}: {exc}"))
            return "failed"
        if self.dry_run:
            self._forget_item()
        if entry.thumbnail_id and self.media.available and not article.image:
            self.deferred_images.append((article.pk, entry))  # its attachment comes later
        if outcome in ("created", "updated"):
            setattr(self.stats, outcome, getattr(self.stats, outcome) + 1)
            self.stats.warnings.extend(Failed(entry.position, w) for w in entry.warnings)
        else:
            self.stats.skipped[str(SKIP_REASONS[outcome])] += 1
            outcome = "skipped"
        return outcome

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
        stats_before = (self.stats.comments, self.stats.legacy_paths, self.stats.images)
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
            self.stats.comments, self.stats.legacy_paths, self.stats.images = stats_before
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

    def _create_batch_comments(self, new, articles) -> None:
        threads = [
            (article, item, [c for c in _parents_first(item.comments) if c.text])
            for (_index, item, _checksum), article in zip(new, articles, strict=True)
        ]
        total = sum(len(comments) for _article, _item, comments in threads)
        if not total:
            return
        ids = iter(self._comment_ids(total))
        objects, records = [], []
        for article, item, comments in threads:
            if comments:
                nodes = self._thread_nodes(comments, [next(ids) for _ in comments])
                objects.extend(self._comment_rows(article, item, nodes))
                records.extend(self._comment_records(article, item, nodes))
        insert_inherited(self.comment_model, objects)
        copy_rows(ImportedComment, records)
        self.stats.comments += len(objects)

    def finish_reader(self, reader) -> None:
        """Featured images whose attachment came after the post in the export."""
        for article_pk, item in self.deferred_images:
            if not hasattr(reader, "resolve_thumbnail"):
                break
            if not reader.resolve_thumbnail(item, item.thumbnail_id):
                self.stats.image_problems.append(
                    Failed(
                        item.position,
                        _("featured image %(id)s is not in the export") % {"id": item.thumbnail_id},
                    )
                )
                continue
            self._stored_files = []
            try:
                with transaction.atomic():
                    article = Article.objects.filter(pk=article_pk).first()
                    if article is not None and self._attach_image(article, item):
                        ImportedArticle.objects.filter(article=article).update(
                            imported_at=timezone.now()
                        )
                    if self.dry_run:
                        transaction.set_rollback(True)
            except (DatabaseError, ValidationError, ValueError, OSError) as exc:
                self._forget_item()
                self.stats.image_problems.append(Failed(item.position, str(exc)))
        self.deferred_images = []

    def _forget_item(self) -> None:
        """After a rollback: drop cached rows that no longer exist and files written."""
        for cache, key in self._new_keys:
            cache.pop(key, None)
        self._new_keys = []
        for name in self._stored_files:
            default_storage.delete(name)
        self._stored_files = []

    # One item ------------------------------------------------------------------------------

    def _import(self, item: ArchiveItem):
        checksum = item_checksum(item)
        record = (
            ImportedArticle.objects.select_related("article")
            .filter(source=item.source, source_id=item.source_id)
            .first()
        )
        if record is None:
            article = Article(slug=unique_slug(Article, item.slug or item.title))
            self._fill(article, item)
            article.view_count = item.views
            article.save()
            self._set_bylines(article, item, replace=False)
            self._add_topics(article, item)
            self._record_paths(article, item)
            self._import_comments(article, item, new_article=True)
            if self._wants_image(item):
                self._attach_image(article, item)
            ImportedArticle.objects.create(  # last: its time marks the article as imported
                source=item.source,
                source_id=item.source_id,
                article=article,
                checksum=checksum,
                imported_views=item.views,
                tags=item.tags,
                position=item.position[:300],
            )
            return "created", article

        article = record.article
        if record.checksum == checksum:
            if self._wants_image(item) and not article.image:
                if self._attach_image(article, item):  # a first run without --uploads
                    record.save()
                    return "updated", article
            return UNCHANGED, article
        if article.updated_at > record.imported_at:
            return EDITED_HERE, article
        self._fill(article, item)
        article.save()
        delta = item.views - record.imported_views
        if delta:
            Article.objects.filter(pk=article.pk).update(
                view_count=Greatest(F("view_count") + delta, Value(0))
            )
        self._set_bylines(article, item, replace=True)
        self._add_topics(article, item)
        self._record_paths(article, item)
        self._import_comments(article, item, new_article=False)
        if self._wants_image(item) and not article.image:
            self._attach_image(article, item)
        record.checksum, record.imported_views, record.tags = checksum, item.views, item.tags
        record.position = item.position[:300]
        record.save()
        return "updated", article

    def _fill(self, article: Article, item: ArchiveItem) -> None:
        title = item.title
        if len(title) > 250:
            title = title[:249] + "…"
            warning = _("title shortened to 250 characters")
            if warning not in item.warnings:  # a batch redone item by item fills it twice
                item.warnings.append(warning)
        article.title_ar = title
        article.body_ar = self._body_with_local_images(item)
        article.lead_ar = item.lead
        article.source = item.source_name[:150]
        article.section = self._section(item.section or settings.NEWSROOM_ARCHIVE_DEFAULT_SECTION)
        article.status = self._status(item)
        article.published_at = item.published_at
        article.pin_order = 1 if item.pinned else None  # WordPress's sticky posts

    @staticmethod
    def _status(item: ArchiveItem) -> str:
        """WordPress's status in the newsroom's workflow."""
        if item.workflow == "review":  # pending review, or published without a date
            return Article.Status.REVIEW
        if item.workflow == "private":  # published for the site's own users only
            return Article.Status.UNPUBLISHED
        if item.workflow == "future" and item.published_at and item.published_at > timezone.now():
            return Article.Status.SCHEDULED
        return Article.Status.PUBLISHED if item.is_published else Article.Status.DRAFT

    def _section(self, name: str) -> Section:
        key = name_key(name)
        section = self.sections.get(key)
        if section is None:
            # Out of the menu until an editor places it there.
            section = Section.objects.create(name_ar=name.strip()[:100], in_navigation=False)
            self.sections[key] = section
            self._new_keys.append((self.sections, key))
        return section

    def _author(self, name: str) -> Author:
        key = name_key(name)
        author = self.authors.get(key)
        if author is None:
            kind = Author.Kind.TEAM if is_team_name(name) else Author.Kind.PERSON
            author = Author.objects.create(name_ar=name.strip()[:150], kind=kind)
            self.authors[key] = author
            self._new_keys.append((self.authors, key))
        return author

    def _topics(self, names) -> list[Topic]:
        """The topics named (one per folded name: «الأسد» and «الاسد» are one), made when
        missing, without repeats."""
        found = {}
        for name in names:
            key = topic_key(name)
            if not key:
                continue
            topic = self.topics.get(key)
            if topic is None:
                topic = Topic.for_name(name[:100])
                self.topics[key] = topic
                self._new_keys.append((self.topics, key))
            found[topic.pk] = topic
        return list(found.values())

    def _add_topics(self, article: Article, item: ArchiveItem) -> None:
        """Topics read for the item are added; those an editor added here are kept."""
        topics = self._topics(item.topics)
        if topics:
            article.topics.add(*topics)

    def _import_page(self, page: ArchivePage) -> str:
        """A static page, keyed on its address: a page already there (imported before, or
        written here) is left as it is."""
        slug = page.slug or unicode_slug(page.title, fallback="page")
        if Page.objects.filter(slug=slug).exists():
            self.stats.skipped[str(SKIP_REASONS[UNCHANGED])] += 1
            return "skipped"
        try:
            with transaction.atomic():
                Page.objects.create(
                    title_ar=page.title,
                    body_ar=page.body_html,
                    slug=slug,
                    is_published=page.is_published,
                    show_in_footer=False,  # an editor chooses what the footer links to
                )
                if self.dry_run:
                    transaction.set_rollback(True)
        except Exception as exc:  # reported; the run goes on
            self.stats.failed.append(Failed(page.position, f"{type(exc).__name__}: {exc}"))
            return "failed"
        self.stats.pages += 1
        return "created"

    def _set_bylines(self, article: Article, item: ArchiveItem, *, replace: bool) -> None:
        found = (self._author(name) for name in item.authors if name.strip())
        authors = list({author.pk: author for author in found}.values())
        if replace:
            current = list(article.bylines.order_by("position").values_list("author_id", flat=True))
            if current == [a.pk for a in authors]:
                return
            article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author=author, position=position)
            for position, author in enumerate(authors)
        )

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

    # Comments ------------------------------------------------------------------------------

    def _import_comments(self, article: Article, item: ArchiveItem, *, new_article: bool) -> None:
        if not item.comments:
            return
        if new_article:
            self._import_new_threads(article, item)
            return
        # source id -> (comment pk, level, parent source id)
        done: dict[str, tuple[int, int, str]] = {}
        if not new_article:
            known = dict(
                ImportedComment.objects.filter(article=article).values_list(
                    "source_id", "comment_id"
                )
            )
            levels = dict(
                self.comment_model.objects.filter(pk__in=known.values()).values_list("pk", "level")
            )
            parents = {c.source_id: c.parent_id for c in item.comments}
            for source_id, pk in known.items():
                done[source_id] = (pk, levels.get(pk, 0), parents.get(source_id, ""))
        records = []
        for comment in _parents_first(item.comments):
            if comment.source_id in done or not comment.text:
                continue
            parent_pk, parent_source = 0, comment.parent_id
            while parent_source in done:
                pk, level, grandparent = done[parent_source]
                if level < self.max_thread_level:
                    parent_pk = pk
                    break
                parent_source = grandparent  # deeper than the site allows: attach higher up
            obj = self.comment_model(
                **self._comment_fields(article, item, comment), parent_id=parent_pk
            )
            obj.save()
            done[comment.source_id] = (obj.pk, obj.level, parent_source if parent_pk else "")
            records.append(
                ImportedComment(
                    source=item.source,
                    source_id=comment.source_id,
                    article=article,
                    comment_id=obj.pk,
                )
            )
        ImportedComment.objects.bulk_create(records)
        self.stats.comments += len(records)

    def _comment_fields(self, article: Article, item: ArchiveItem, comment) -> dict:
        """What every imported comment stores, however it is threaded and written."""
        return {
            "content_type_id": self.content_type.pk,
            "object_pk": str(article.pk),
            "site_id": settings.SITE_ID,
            "user_name": comment.name,
            "user_email": comment.email,
            "user_url": comment.url,
            "ip_address": _valid_ip(comment.ip),
            "submit_date": comment.submitted_at,
            "comment": comment.text,
            "is_public": comment.is_public,
            "is_removed": False,
            **legacy_fingerprint(self.comment_model, item.source, comment.source_id),
        }

    def _import_new_threads(self, article: Article, item: ArchiveItem) -> None:
        """All comments of a new article at once, threaded as comments-xtd threads them.

        XtdComment.save() computes a reply's thread, level and order with several queries,
        saves every comment twice, and its pre_save receiver (publish_or_unpublish_on_pre_save)
        scans the unindexed parent_id column on the second save. For a thread built from
        scratch all of that is known in advance: ids come from the sequence in one query,
        ``order`` is the thread's pre-order with replies in date order (what
        _calculate_thread_data produces for comments added in date order), ``nested_count``
        the number of replies below. Each comment is then one INSERT per table; the
        receiver, a no-op for rows without replies yet, is disconnected meanwhile.
        tests/archive/test_comments.py checks the result against XtdComment.save().
        """
        comments = [c for c in _parents_first(item.comments) if c.text]
        if not comments:
            return
        nodes = self._thread_nodes(comments, self._comment_ids(len(comments)))
        objects = self._comment_rows(article, item, nodes)
        insert_inherited(self.comment_model, objects)
        copy_rows(ImportedComment, self._comment_records(article, item, nodes))
        self.stats.comments += len(objects)

    def _comment_ids(self, count: int) -> list[int]:
        """Ids for ``count`` new comments, from the comments' sequence in one query."""
        root = self.comment_model
        while root._meta.parents:
            root = next(iter(root._meta.parents))
        return reserve_ids(root, count)

    def _thread_nodes(self, comments, ids) -> dict[str, dict]:
        """source id -> pk, parent, thread, level, order and nested count of each comment."""
        nodes: dict[str, dict] = {}
        roots = []
        for comment, pk in zip(comments, ids, strict=True):
            parent_source = comment.parent_id
            while parent_source in nodes and nodes[parent_source]["level"] >= self.max_thread_level:
                parent_source = nodes[parent_source]["parent"]  # too deep: attach higher up
            parent = nodes.get(parent_source)
            node = {"comment": comment, "pk": pk, "children": []}
            if parent is None:
                node.update(parent="", level=0, thread=pk, parent_pk=pk)
                roots.append(node)
            else:
                node.update(
                    parent=parent_source,
                    level=parent["level"] + 1,
                    thread=parent["thread"],
                    parent_pk=parent["pk"],
                )
                parent["children"].append(node)
            nodes[comment.source_id] = node
        for thread in roots:
            order = 0
            stack = [thread]
            while stack:  # pre-order, replies in date order
                node = stack.pop()
                order += 1
                node["order"] = order
                stack.extend(reversed(node["children"]))
        for node in reversed(list(nodes.values())):  # replies come after their parents
            node["nested"] = sum(1 + child["nested"] for child in node["children"])
        return nodes

    def _comment_rows(self, article, item, nodes) -> list[dict]:
        """One row (field attname -> value) per comment, for insert_inherited."""
        return [
            {
                **self._comment_fields(article, item, node["comment"]),
                "parent_id": node["parent_pk"],
                "thread_id": node["thread"],
                "level": node["level"],
                "order": node["order"],
                "nested_count": node["nested"],
                **dict.fromkeys(self._pk_attnames, node["pk"]),
            }
            for node in nodes.values()
        ]

    def _comment_records(self, article, item, nodes) -> list[dict]:
        return [
            {
                "source": item.source,
                "source_id": source_id,
                "article_id": article.pk,
                "comment_id": node["pk"],
            }
            for source_id, node in nodes.items()
        ]

    # Images --------------------------------------------------------------------------------

    def _wants_image(self, item: ArchiveItem) -> bool:
        """Whether this run looks for the item's featured image (it has one, and a source)."""
        return bool(item.image_file or item.image_url) and self.media.available

    def _attach_image(self, article: Article, item: ArchiveItem) -> bool:
        if not self.media.available:
            return False
        try:
            name, data = self.media.read(item.image_file, item.image_url)
        except MediaMissing as missing:
            self.stats.image_problems.append(
                Failed(item.position, _("featured image %(why)s") % {"why": missing})
            )
            return False
        upload = File(io.BytesIO(data), name=name)
        try:
            validate_image_file(upload)
        except ValidationError as exc:
            self.stats.image_problems.append(
                Failed(
                    item.position,
                    _("featured image %(file)s refused: %(reason)s")
                    % {"file": item.image_file or item.image_url, "reason": exc.messages[0]},
                )
            )
            return False
        if self.dry_run:
            self.stats.images += 1
            return True
        article.image.save(name, upload, save=False)
        self._stored_files.append(article.image.name)
        article.image_alt_ar = (item.image_alt or article.title_ar)[:300]
        article.image_caption_ar = item.image_caption[:300]
        article.save()
        self._stored_files.extend(
            name
            for rendition in article.image_renditions
            for key, name in rendition.items()
            if key in ("webp", "jpg")
        )
        self.stats.images += 1
        return True

    def _body_with_local_images(self, item: ArchiveItem) -> str:
        """The body with each image of the old site's uploads stored here (through the media
        storage, EXIF stripped, in the media library) and its address rewritten; an image
        that cannot be had keeps its old address and is reported."""
        body = item.body_html
        if not self.media.available or UPLOADS_MARKER not in body:
            return body

        def localise(match):
            old = html.unescape(match.group("src"))
            if UPLOADS_MARKER not in old:
                return match.group(0)
            new = self.body_images.get(old) or self._store_body_image(item, old)
            if not new:
                return match.group(0)
            self.body_images[old] = new
            return f"{match.group('before')}{html.escape(new)}{match.group('after')}"

        return BODY_IMAGE.sub(localise, body)

    def _store_body_image(self, item: ArchiveItem, url: str) -> str:
        """The new address of the image at ``url`` (stored now, or by an earlier run); ''."""
        relative = uploads_path(url)
        try:
            name, data = self.media.read(relative, url)
            upload = File(io.BytesIO(data), name=name)
            validate_image_file(upload)
        except (MediaMissing, ValidationError) as problem:
            reason = problem.messages[0] if isinstance(problem, ValidationError) else problem
            self.stats.image_problems.append(
                Failed(item.position, _("image in the body %(why)s") % {"why": reason})
            )
            return ""
        self.stats.body_images += 1
        stored_as = f"library/imported/{relative or name}"
        known = MediaImage.objects.filter(image=stored_as).first()
        if known is not None:
            return known.image.url
        if self.dry_run:
            return url
        image = MediaImage(alt_text_ar=(item.title or name)[:300])
        clean = ContentFile(reencode_image(upload))  # no EXIF, nothing appended
        image.image.name = default_storage.save(stored_as, clean)
        image.save()
        self._stored_files.append(image.image.name)
        self._stored_files.extend(
            name
            for rendition in image.renditions
            for key, name in rendition.items()
            if key in ("webp", "jpg")
        )
        return image.image.url


def _parents_first(comments):
    """Comments ordered so that each parent comes before its replies (cycles broken)."""
    by_id = {c.source_id: c for c in comments}
    ordered, placed = [], set()
    for comment in sorted(comments, key=lambda c: (c.submitted_at, c.source_id)):
        chain, seen = [], set()
        current = comment
        while current is not None and current.source_id not in placed | seen:
            chain.append(current)
            seen.add(current.source_id)
            current = by_id.get(current.parent_id)
        for link in reversed(chain):
            ordered.append(link)
            placed.add(link.source_id)
    return ordered


def no_commit_wait() -> None:
    """For this connection, don't wait for each commit to reach the disk (an fsync per item).

    A crash may lose the last few items' commits, never consistency; the import is
    idempotent, so running it again brings them in. Used by the import_archive command.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")


def copy_rows(model, rows: list[dict]) -> None:
    """Write ``rows`` (dicts of field attnames to values) into ``model``'s own table with one
    COPY: no model instances, no SQL compiled, no parameter quoted.

    Fields a row leaves out get their default; an auto id left out is left to its sequence;
    generated columns to PostgreSQL. JSON values are prepared by their field, the rest (str,
    int, bool, aware datetimes, None) are psycopg's to adapt. File fields give their name.
    """
    if not rows:
        return
    pk, given = model._meta.pk, rows[0].keys()
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
        and not (field is pk and isinstance(field, AutoFieldMixin) and pk.attname not in given)
    ]
    plan = [
        (
            field.attname,
            field.get_default(),
            field.get_db_prep_save if isinstance(field, (JSONField, FileField)) else None,
        )
        for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for attname, default, prepare in plan:
                    value = row.get(attname, default)
                    values.append(prepare(value, connection) if prepare else value)
                copy.write_row(values)


def reserve_ids(model, count: int) -> list[int]:
    """``count`` ids from the sequence of ``model``'s table, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_instances(model, objects: list) -> None:
    """``bulk_create`` by COPY: each object gets an id from the table's sequence, its
    fields' ``pre_save`` (auto_now times and the like) run as an insert's would, and every
    row goes in one COPY, with no SQL compiled and no value quoted into it. The objects are
    then saved ones (``_state.adding`` False), as after ``bulk_create``."""
    if not objects:
        return
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
    ]
    copy_rows(
        model, [{field.attname: field.pre_save(obj, True) for field in fields} for obj in objects]
    )
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def insert_inherited(model, rows: list[dict]) -> None:
    """Write ``rows`` (with their ids) into every table of ``model``'s inheritance chain, root
    table first: what ``save()`` does one row and table at a time, without its queries and
    signals (bulk_create refuses multi-table models)."""
    chain = [model]
    while chain[-1]._meta.parents:
        chain.append(next(iter(chain[-1]._meta.parents)))
    for table_model in reversed(chain):
        copy_rows(table_model, rows)


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


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@functools.cache
def _has_content_hash(model) -> bool:
    return any(field.name == "content_hash" for field in model._meta.get_fields())


def legacy_fingerprint(model, source: str, source_id: str) -> dict:
    """The comments model's duplicate fingerprint for an imported comment, when it has one.

    Readers' duplicates are refused by a unique content fingerprint (comments/models.py);
    legacy comments are identified by their source instead, so two look-alike old comments
    both survive the move.
    """
    if not _has_content_hash(model):
        return {}
    digest = hashlib.sha256(f"{source}\x00{source_id}".encode()).hexdigest()
    return {"content_hash": f"legacy:{digest[:57]}"}
