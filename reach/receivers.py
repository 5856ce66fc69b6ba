"""After each commit that changes an article, its topics or its corrections (or deletes it),
the outbox is reconciled for that article: ``articles`` knows nothing of channels."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.models import Article, Correction


def _after_commit(article_id) -> None:
    from reach.outbox import reconcile_quietly

    if article_id is not None:
        transaction.on_commit(partial(reconcile_quietly, article_id))


def article_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _after_commit(instance.pk)


def correction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _after_commit(instance.article_id)


def topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _after_commit(instance.pk)
    else:  # a topic gained or lost articles (a merge): each of them
        for pk in pk_set or ():
            _after_commit(pk)


def connect_receivers() -> None:
    uid = "reach-outbox"
    post_save.connect(article_changed, sender=Article, dispatch_uid=f"{uid}-article")
    post_delete.connect(article_changed, sender=Article, dispatch_uid=f"{uid}-article-delete")
    post_save.connect(correction_changed, sender=Correction, dispatch_uid=f"{uid}-correction")
    post_delete.connect(
        correction_changed, sender=Correction, dispatch_uid=f"{uid}-correction-delete"
    )
    m2m_changed.connect(topics_changed, sender=Article.topics.through, dispatch_uid=f"{uid}-topics")
