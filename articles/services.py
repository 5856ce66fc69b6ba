"""Editorial operations with side effects over several models: workflow moves and their record.

Every status change goes through here, so each one is recorded (who, when) and the embargo
and the publish permission are checked on the server whatever the path (form, bulk action).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, StatusChange, Topic, TopicRedirect

PUBLISH_PERMISSION = "articles.publish_article"


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


@transaction.atomic
def save_article(*, article: Article, user, change: bool) -> Article:
    """Save an article edited in the desk; record its status change, if any."""
    previous = getattr(article, "_loaded_status", None) if change else None
    if change and previous is None:  # e.g. an instance rebuilt from a version being restored
        previous = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
    if article.status != (previous or Article.Status.DRAFT) and not can_publish(user):
        if article.status not in Article.WRITER_STATUSES:
            raise PermissionDenied("Only editors publish, schedule or unpublish.")
    if not change and article.created_by_id is None and user is not None:
        article.created_by = user
    article.save()
    if previous != article.status:
        StatusChange.objects.create(
            article=article, from_status=previous or "", to_status=article.status, changed_by=user
        )
    article._loaded_status = article.status
    return article


@transaction.atomic
def set_status(*, articles, status: str, user) -> tuple[int, list[Article]]:
    """Move many articles to ``status``; return how many moved and those the rules refused."""
    if status not in Article.WRITER_STATUSES and not can_publish(user):
        raise PermissionDenied("Only editors publish, schedule or unpublish.")
    now = timezone.now()
    moved, refused = 0, []
    for article in articles.select_for_update():
        old = article.status
        if old == status:
            continue
        article.status = status
        if status == Article.Status.PUBLISHED and (
            article.published_at is None or article.published_at > now
        ):
            article.published_at = now
        try:
            article.full_clean(exclude=["slug"])
        except ValidationError:
            refused.append(article)
            continue
        article.save()
        StatusChange.objects.create(
            article=article, from_status=old, to_status=status, changed_by=user
        )
        moved += 1
    return moved, refused


@transaction.atomic
def merge_topics(*, kept: Topic, merged) -> int:
    """Fold the ``merged`` topics into ``kept``: their articles gain ``kept``, their addresses
    (and addresses already redirected to them) answer 301 to ``kept``, then they are deleted.
    Returns how many topics were merged."""
    merged = [topic for topic in merged if topic.pk != kept.pk]
    if not merged:
        return 0
    through = Article.topics.through
    ids = [topic.pk for topic in merged]
    already = set(through.objects.filter(topic=kept).values_list("article_id", flat=True))
    moving = set(through.objects.filter(topic_id__in=ids).values_list("article_id", flat=True))
    kept.articles.add(*(moving - already))  # through the relation: caches are refreshed
    TopicRedirect.objects.filter(topic_id__in=ids).update(topic=kept)
    TopicRedirect.objects.bulk_create(
        [TopicRedirect(slug=topic.slug, topic=kept) for topic in merged], ignore_conflicts=True
    )
    for topic in merged:
        topic.articles.clear()
        topic.delete()
    return len(merged)
