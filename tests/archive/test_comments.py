"""Imported threads must be exactly what django-comments-xtd itself would have built."""

import random
from datetime import UTC, datetime, timedelta

import django_comments
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from archive.importer import ArchiveImporter
from archive.items import ArchiveComment, ArchiveItem
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def random_tree(size=30, seed=3):
    rng = random.Random(seed)
    start = datetime(2017, 4, 28, tzinfo=UTC)
    comments = []
    for n in range(1, size + 1):
        parent = str(rng.randint(1, n - 1)) if n > 1 and rng.random() < 0.7 else ""
        comments.append(
            ArchiveComment(
                source_id=str(n),
                parent_id=parent,
                name=f"قارئ {n}",
                email="",
                url="",
                ip="not an ip",
                submitted_at=start + timedelta(minutes=n),
                text=f"تعليق {n}",
                is_public=n % 4 != 0,
            )
        )
    return comments


def shape(article, by_text):
    """Per comment: level, order, replies below, parent's and thread's comment numbers."""
    model = django_comments.get_model()
    rows = {c.pk: c for c in model.objects.filter(object_pk=str(article.pk))}
    return {
        by_text(c.comment): (
            c.level,
            c.order,
            c.nested_count,
            by_text(rows[c.parent_id].comment),
            by_text(rows[c.thread_id].comment),
        )
        for c in rows.values()
    }


def test_imported_threads_match_xtdcomment_save():
    comments = random_tree()
    item = ArchiveItem(
        source="https://old.example.com",
        source_id="1",
        position="t:1",
        title="خبر بتعليقات كثيرة",
        body_html="<p>نص</p>",
        published_at=datetime(2017, 4, 27, tzinfo=UTC),
        is_published=True,
        comments=comments,
    )
    importer = ArchiveImporter()
    assert importer.handle(item) == "created", importer.stats.failed
    imported = Article.objects.get(import_record__source_id="1")

    # The same comments, saved one by one through XtdComment.save() in date order.
    model = django_comments.get_model()
    reference = make_article()
    content_type = ContentType.objects.get_for_model(Article)
    saved = {}
    for comment in comments:
        parent = comment.parent_id
        while parent and saved[parent].level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            parent = next(k for k, v in saved.items() if v.pk == saved[parent].parent_id)
        obj = model(
            content_type=content_type,
            object_pk=str(reference.pk),
            site_id=settings.SITE_ID,
            user_name=comment.name,
            comment=comment.text,
            submit_date=comment.submitted_at,
            is_public=comment.is_public,
            parent_id=saved[parent].pk if parent else 0,
        )
        obj.save()
        saved[comment.source_id] = obj
        for other in saved.values():
            other.refresh_from_db()

    def number(text):
        return int(text.split()[-1])

    assert shape(imported, number) == shape(reference, number)
    assert max(v[0] for v in shape(imported, number).values()) == 2  # the tree was deep


def test_publishing_receiver_is_connected_again_after_an_import():
    item = ArchiveItem(
        source="s",
        source_id="9",
        position="t:1",
        title="خبر",
        body_html="<p>نص</p>",
        published_at=datetime(2017, 4, 27, tzinfo=UTC),
        is_published=True,
        comments=[
            *random_tree(size=3, seed=1)[:1],
            ArchiveComment("2", "1", "ب", "", "", "", datetime(2017, 5, 1, tzinfo=UTC), "رد", True),
        ],
    )
    ArchiveImporter().handle(item)
    model = django_comments.get_model()
    first = model.objects.get(comment="تعليق 1")
    first.is_public = False
    first.save()  # comments-xtd hides the replies of an unpublished comment
    assert model.objects.get(comment="رد").is_public is False
