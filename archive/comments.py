"""Readers' comments of the old site, imported under their articles: threaded as
comments-xtd threads them, through ``django_comments.get_model()``, each remembered by its
source so a second run adds only what is new (``ImportedComment``).

``CommentsImport`` is the part of ``archive.importer.ArchiveImporter`` that does it.
"""

import functools
import hashlib
import ipaddress

from django.conf import settings

from archive.items import ArchiveItem
from archive.models import ImportedComment
from articles.bulk import copy_rows, insert_inherited, reserve_ids
from articles.models import Article


class CommentsImport:
    """Comments of new articles in bulk (ids from the sequence, threads computed here), and
    the comments an updated article gained, one by one through the model's own ``save()``.
    Uses the importer's ``comment_model``, ``content_type``, ``max_thread_level``,
    ``_pk_attnames`` and ``stats``."""

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
