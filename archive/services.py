"""Bring archive items into the newsroom: one transaction per item, idempotent, reported.

The readers (wxr.py, legacy.py) turn files into plain ArchiveItems; ArchiveImporter
matches or creates sections and authors, creates or updates the article, its bylines,
comments (through django_comments.get_model(), threaded like comments-xtd does it), old
addresses and featured image, and keeps the counts for the summary.
"""

import hashlib
import ipaddress
import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import django_comments
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_comments_xtd.models import (
    max_thread_level_for_content_type,
    publish_or_unpublish_on_pre_save,
)

from archive.items import ArchiveItem, Failed, Skipped
from archive.models import ImportedArticle, ImportedComment, LegacyPath
from articles.models import Article, Author, Byline, Section, unique_slug
from articles.text import normalize_arabic
from newsroom.images import validate_image_file

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


def item_checksum(item: ArchiveItem) -> str:
    data = asdict(item)
    for volatile in ("position", "warnings"):
        data.pop(volatile)
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
    image_problems: list[Failed] = field(default_factory=list)
    warnings: list[Failed] = field(default_factory=list)
    legacy_paths: int = 0

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def items(self) -> int:
        return self.created + self.updated + self.skipped_total + len(self.failed)


class ArchiveImporter:
    def __init__(self, *, dry_run: bool = False, uploads: Path | None = None):
        self.dry_run = dry_run
        self.uploads = Path(uploads).resolve() if uploads else None
        self.stats = ImportStats()
        self.sections = {name_key(s.name_ar or ""): s for s in Section.objects.all()}
        self.authors = {name_key(a.name_ar or ""): a for a in Author.objects.all()}
        self.comment_model = django_comments.get_model()
        self.content_type = ContentType.objects.get_for_model(Article)
        self.max_thread_level = max_thread_level_for_content_type(self.content_type)
        self.deferred_images: list[tuple[int, ArchiveItem]] = []
        self._new_keys: list[tuple[dict, str]] = []
        self._stored_files: list[str] = []

    # Entry point ---------------------------------------------------------------------------

    def handle(self, entry) -> str:
        """Import one entry from a reader; returns "created", "updated", "skipped" or "failed"."""
        if isinstance(entry, Skipped):
            self.stats.skipped[entry.reason] += 1
            return "skipped"
        if isinstance(entry, Failed):
            self.stats.failed.append(entry)
            return "failed"
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
        if entry.thumbnail_id and self.uploads and not article.image:
            self.deferred_images.append((article.pk, entry))  # its attachment comes later
        if outcome in ("created", "updated"):
            setattr(self.stats, outcome, getattr(self.stats, outcome) + 1)
            self.stats.warnings.extend(Failed(entry.position, w) for w in entry.warnings)
        else:
            self.stats.skipped[str(SKIP_REASONS[outcome])] += 1
            outcome = "skipped"
        return outcome

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
            self._record_paths(article, item)
            self._import_comments(article, item, new_article=True)
            if item.image_file:
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
            if item.image_file and self.uploads and not article.image:
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
        self._record_paths(article, item)
        self._import_comments(article, item, new_article=False)
        if item.image_file and not article.image:
            self._attach_image(article, item)
        record.checksum, record.imported_views, record.tags = checksum, item.views, item.tags
        record.position = item.position[:300]
        record.save()
        return "updated", article

    def _fill(self, article: Article, item: ArchiveItem) -> None:
        title = item.title
        if len(title) > 250:
            title = title[:249] + "…"
            item.warnings.append(_("title shortened to 250 characters"))
        article.title_ar = title
        article.body_ar = item.body_html
        article.lead_ar = item.lead
        article.source = item.source_name[:150]
        article.section = self._section(item.section or settings.NEWSROOM_ARCHIVE_DEFAULT_SECTION)
        article.status = Article.Status.PUBLISHED if item.is_published else Article.Status.DRAFT
        article.published_at = item.published_at

    def _section(self, name: str) -> Section:
        key = name_key(name)
        section = self.sections.get(key)
        if section is None:
            section = Section.objects.create(name_ar=name.strip()[:100])
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

    def _record_paths(self, article: Article, item: ArchiveItem) -> None:
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
            "content_type": self.content_type,
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
        model, root = self.comment_model, self.comment_model
        while root._meta.parents:
            root = next(iter(root._meta.parents))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [root._meta.db_table, root._meta.pk.column, len(comments)],
            )
            ids = [row[0] for row in cursor.fetchall()]
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

            def visit(node):
                nonlocal order
                order += 1
                node["order"] = order
                node["nested"] = sum(1 + visit(child) for child in node["children"])
                return node["nested"]

            visit(thread)
        objects = []
        for node in nodes.values():
            comment = node["comment"]
            objects.append(
                model(
                    **self._comment_fields(article, item, comment),
                    pk=node["pk"],
                    parent_id=node["parent_pk"],
                    thread_id=node["thread"],
                    level=node["level"],
                    order=node["order"],
                    nested_count=node["nested"],
                )
            )
        with _without_nested_publishing(model):
            for obj in objects:
                models.Model.save(obj, force_insert=(root,))
        ImportedComment.objects.bulk_create(
            ImportedComment(
                source=item.source, source_id=source_id, article=article, comment_id=node["pk"]
            )
            for source_id, node in nodes.items()
        )
        self.stats.comments += len(objects)

    # Images --------------------------------------------------------------------------------

    def _attach_image(self, article: Article, item: ArchiveItem) -> bool:
        if self.uploads is None:
            return False
        path = (self.uploads / item.image_file.lstrip("/")).resolve()
        if not path.is_relative_to(self.uploads) or not path.is_file():
            self.stats.image_problems.append(
                Failed(
                    item.position,
                    _("featured image not found: %(file)s") % {"file": item.image_file},
                )
            )
            return False
        with open(path, "rb") as handle:
            upload = File(handle, name=path.name)
            try:
                validate_image_file(upload)
            except ValidationError as exc:
                self.stats.image_problems.append(
                    Failed(
                        item.position,
                        _("featured image %(file)s refused: %(reason)s")
                        % {"file": item.image_file, "reason": exc.messages[0]},
                    )
                )
                return False
            if self.dry_run:
                self.stats.images += 1
                return True
            article.image.save(path.name, upload, save=False)
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


@contextmanager
def _without_nested_publishing(model):
    label = model._meta.label
    pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=label)
    try:
        yield
    finally:
        pre_save.connect(publish_or_unpublish_on_pre_save, sender=label)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def legacy_fingerprint(model, source: str, source_id: str) -> dict:
    """The comments model's duplicate fingerprint for an imported comment, when it has one.

    Readers' duplicates are refused by a unique content fingerprint (comments/models.py);
    legacy comments are identified by their source instead, so two look-alike old comments
    both survive the move.
    """
    field_names = {field.name for field in model._meta.get_fields()}
    if "content_hash" not in field_names:
        return {}
    digest = hashlib.sha256(f"{source}\x00{source_id}".encode()).hexdigest()
    return {"content_hash": f"legacy:{digest[:57]}"}
