"""Which cached pages depend on what, and the receivers that refresh exactly those pages.

Tags (see newsroom/pagecache.py):

- ``article:<id>``: the article's own content and bylines. Carried by its page and by every
  list page that shows its card.
- ``comments:<id>``: the approved comments under article ``<id>``; only its page shows them.
- ``section:<id>`` / ``author:<id>``: the section's or author's own fields (name, slug…),
  carried by every page that shows them.
- ``section-list:<id>`` / ``author-list:<id>``: which articles the section's or author's pages
  list, in what order. Bumped when an article enters or leaves the list (publish, unpublish,
  move, re-date, delete), not when a listed article is merely edited.
- ``home``: which articles and section blocks the home page shows.
- ``feeds``: the feeds; bumped by any change to a live article (feeds carry titles and
  summaries of recent articles, a cheap and safe superset). ``most-read``: reserved for a
  most-read block, bumped by whoever recomputes the ranking.

Receivers are the one place every write passes, the admin included; they only bump cache
versions (now and again on commit, see ``pagecache.bump``), never touch the database beyond
reading the previous row of the object being saved.

Scheduled publication needs no write at the moment an article goes live, so list pages expire
at the next scheduled publication time (``next_scheduled_publication``).
"""

from __future__ import annotations

import time

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from newsroom.pagecache import bump, page_cache

SCHEDULE_KEY = "articles:scheduled"
UNKNOWN_SCHEDULE_SECONDS = 60  # when the schedule is not in the cache: expire list pages soon


# What a page shows -> its tags ------------------------------------------------------------


def card_tags(articles) -> set[str]:
    tags = set()
    for article in articles:
        tags.add(f"article:{article.pk}")
        tags.add(f"section:{article.section_id}")
        tags.update(f"author:{author.pk}" for author in article.ordered_authors)
    return tags


def article_page_tags(article) -> set[str]:
    return card_tags([article]) | {f"comments:{article.pk}"}


def section_page_tags(section, articles) -> set[str]:
    return {f"section:{section.pk}", f"section-list:{section.pk}"} | card_tags(articles)


def author_page_tags(author, articles) -> set[str]:
    return {f"author:{author.pk}", f"author-list:{author.pk}"} | card_tags(articles)


def home_page_tags(articles, sections) -> set[str]:
    return {"home"} | {f"section:{section.pk}" for section in sections} | card_tags(articles)


# Scheduled publication --------------------------------------------------------------------


def refresh_schedule() -> None:
    """Remember the upcoming publication times (one query, on writes only)."""
    from articles.models import Article

    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)[:200]
    )
    page_cache().set(SCHEDULE_KEY, [moment.timestamp() for moment in upcoming], timeout=None)


def next_scheduled_publication() -> float:
    """When the next scheduled article goes live (a Unix time), as far as list pages care."""
    now = time.time()
    schedule = page_cache().get(SCHEDULE_KEY)
    if schedule is None:
        return now + UNKNOWN_SCHEDULE_SECONDS
    return next((moment for moment in schedule if moment > now), float("inf"))


# Receivers --------------------------------------------------------------------------------

LISTED_FIELDS = ("status", "published_at", "section_id")


def _remember_previous(sender, instance, raw=False, **kwargs):
    """Keep the listing-relevant fields the row had before this save."""
    instance._previous_listing = None
    if raw or instance.pk is None:
        return
    instance._previous_listing = (
        sender._base_manager.filter(pk=instance.pk).values(*LISTED_FIELDS).first()
    )


def _listing_tags(article_fields: dict, author_ids) -> set[str]:
    tags = {"home", "feeds", f"section-list:{article_fields['section_id']}"}
    tags.update(f"author-list:{author_id}" for author_id in author_ids)
    return tags


def article_saved(sender, instance, raw=False, created=False, **kwargs):
    from articles.models import Article

    if raw:
        return
    tags = {f"article:{instance.pk}"}
    now_fields = {field: getattr(instance, field) for field in LISTED_FIELDS}
    before = getattr(instance, "_previous_listing", None)
    is_live = now_fields["status"] == Article.Status.PUBLISHED
    was_live = before is not None and before["status"] == Article.Status.PUBLISHED
    if is_live or was_live:
        tags.add("feeds")
        author_ids = list(instance.bylines.values_list("author_id", flat=True))
        if before != now_fields:  # entered, left or moved within a list
            if is_live:
                tags |= _listing_tags(now_fields, author_ids)
            if was_live:
                tags |= _listing_tags(before, author_ids)
    bump(*tags)
    refresh_schedule()


def article_deleted(sender, instance, **kwargs):
    bump(f"article:{instance.pk}", "home", "feeds", f"section-list:{instance.section_id}")
    refresh_schedule()


def byline_changed(sender, instance, raw=False, **kwargs):
    """A byline added or removed: the article's pages, and the author's list if it is live."""
    from articles.models import Article

    if raw:
        return
    tags = [f"article:{instance.article_id}"]
    live = Article.objects.filter(pk=instance.article_id, status=Article.Status.PUBLISHED)
    if live.exists():
        tags.append(f"author-list:{instance.author_id}")
    bump(*tags)


def section_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(f"section:{instance.pk}", f"section-list:{instance.pk}", "home")


def author_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(f"author:{instance.pk}")


def comment_changed(sender, instance, raw=False, **kwargs):
    """A comment shown (or no longer shown) under an article refreshes that article's page."""
    if raw:
        return
    from articles.models import Article

    content_type = instance.content_type
    if (content_type.app_label, content_type.model) != (
        Article._meta.app_label,
        Article._meta.model_name,
    ):
        return
    visible = instance.is_public and not instance.is_removed
    before = getattr(instance, "_previous_visible", None)
    if visible or before or kwargs.get("signal") is post_delete:
        bump(f"comments:{instance.object_pk}")


def _remember_comment_visibility(sender, instance, raw=False, **kwargs):
    instance._previous_visible = None
    if raw or instance.pk is None:
        return
    row = sender._base_manager.filter(pk=instance.pk).values("is_public", "is_removed").first()
    instance._previous_visible = bool(row and row["is_public"] and not row["is_removed"])


def connect_receivers():
    from django.apps import apps

    from articles.models import Article, Author, Byline, Section

    uid = "articles.cache"
    pre_save.connect(_remember_previous, sender=Article, dispatch_uid=f"{uid}.pre_article")
    post_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=f"{uid}.article_del")
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(byline_changed, sender=Byline, dispatch_uid=f"{uid}.byline_{name}")
        signal.connect(section_changed, sender=Section, dispatch_uid=f"{uid}.section_{name}")
        signal.connect(author_changed, sender=Author, dispatch_uid=f"{uid}.author_{name}")
    if apps.is_installed("django_comments"):
        import django_comments

        comment_model = django_comments.get_model()
        pre_save.connect(
            _remember_comment_visibility, sender=comment_model, dispatch_uid=f"{uid}.pre_comment"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                comment_changed, sender=comment_model, dispatch_uid=f"{uid}.comment_{signal!r}"
            )
