"""Bring archive items into the newsroom: one transaction per item (or per batch),
idempotent, reported.

The archive's modules, by job: reading the sources (wxr.py, legacy.py and media.py turn files
into plain ArchiveItems and image bytes); importing (here: ArchiveImporter matches or creates
sections, authors and topics, creates or updates the article and its bylines, new articles in
bulk (batches.py), and keeps the counts (outcomes.py)); the comments (comments.py), the
images (images.py), the embeds and galleries (rich_media.py) and the old addresses
(redirects.py), each a part of ArchiveImporter; the COPY bulk loader is articles/bulk.py,
shared with the demo's generated newsrooms.
"""

import logging
from pathlib import Path

import django_comments
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import max_thread_level_for_content_type

from archive.batches import BatchImport
from archive.comments import CommentsImport
from archive.images import ImagesImport
from archive.items import ArchiveItem, ArchivePage, Failed, Skipped
from archive.media import MediaSource
from archive.models import ImportedArticle
from archive.outcomes import EDITED_HERE, SKIP_REASONS, UNCHANGED, ImportStats, item_checksum
from archive.redirects import RedirectsImport
from archive.rich_media import RichMediaImport
from articles.models import Article, Author, Byline, Section, Topic, topic_key, unique_slug
from articles.text import normalize_arabic, unicode_slug
from pages.models import Page

logger = logging.getLogger(__name__)


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


class ArchiveImporter(BatchImport, CommentsImport, ImagesImport, RedirectsImport, RichMediaImport):
    """One import run: ``handle`` or ``handle_batch`` for the reader's entries, then
    ``finish_reader`` (featured images met before their attachment, the galleries' images),
    then ``stats``."""

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
        article.body_ar = self._body_with_rich_media(item, self._body_with_local_images(item))
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


def no_commit_wait() -> None:
    """For this connection, don't wait for each commit to reach the disk (an fsync per item).

    A crash may lose the last few items' commits, never consistency; the import is
    idempotent, so running it again brings them in. Used by the import_archive command.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
