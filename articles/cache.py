"""Which cached pages depend on what, and the receivers that refresh exactly those pages.

The tags' names and what each stands for are in caching/tags.py (the one module that spells
them). This module says which tags each page carries, and bumps them when content changes:
``article``, ``comments``, ``section``/``author``/``topic``/``story_file`` and their
``*_list`` tags, ``home``, ``section_menu`` and ``live_content``. The ``breaking`` ticker's
tag is bumped by desk/cache.py and the "most read" blocks' by counters/cache.py; both read
the row's state before the save through ``previous_listing()``.

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

from articles.models import LIVE_STATUSES
from caching import tags as tag
from caching.pagecache import bump, page_cache

SCHEDULE_KEY = "articles:scheduled"
UNKNOWN_SCHEDULE_SECONDS = 60  # when the schedule is not in the cache: expire list pages soon


# What a page shows -> its tags ------------------------------------------------------------


def card_tags(articles) -> set[str]:
    tags = set()
    for article in articles:
        tags.add(tag.article(article.pk))
        tags.add(tag.section(article.section_id))
        tags.update(tag.author(author.pk) for author in article.ordered_authors)
    return tags


EVERY_PAGE = tag.every_page()  # the header: sections menu, breaking-news ticker


def article_page_tags(article, related=(), story=None) -> set[str]:
    """The article's own fragment: the article (content, bylines, corrections, topic links),
    its comments, and the related links (title, section and date only: no bylines, so no
    author tags and no byline query). Not the header's menu and ticker: the page around the
    fragment adds those (``every_page()``)."""
    related_tags = {tag.article(item.pk) for item in related}
    related_tags |= {tag.section(item.section_id) for item in related}
    topic_tags = {tag.topic(topic.pk) for topic in article.topics.all()}
    if story:  # the file's name and the pieces before and after this one
        file_id = story["file"].pk
        related_tags |= {tag.story_file(file_id), tag.story_file_list(file_id)}
        related_tags |= {
            tag.article(piece.pk) for piece in (story["previous"], story["next"]) if piece
        }
    return card_tags([article]) | related_tags | topic_tags | {tag.comments(article.pk)}


def section_page_tags(section, articles) -> set[str]:
    tags = {tag.section(section.pk), tag.section_list(section.pk)}
    return tags | card_tags(articles) | EVERY_PAGE


def author_page_tags(author, articles) -> set[str]:
    return {tag.author(author.pk), tag.author_list(author.pk)} | card_tags(articles) | EVERY_PAGE


def topic_page_tags(topic, articles) -> set[str]:
    return {tag.topic(topic.pk), tag.topic_list(topic.pk)} | card_tags(articles) | EVERY_PAGE


def story_file_page_tags(story_file, articles) -> set[str]:
    tags = {tag.story_file(story_file.pk), tag.story_file_list(story_file.pk)}
    return tags | card_tags(articles) | EVERY_PAGE


def home_page_tags(articles, sections) -> set[str]:
    sections_shown = {tag.section(section.pk) for section in sections}
    return {tag.home()} | sections_shown | card_tags(articles) | EVERY_PAGE


def most_read_expires_at() -> float:
    """Pages with "most read" lists go stale when the lists may have changed (issue 4)."""
    from django.conf import settings

    return time.time() + settings.NEWSROOM_MOST_READ_SECONDS


# Scheduled publication --------------------------------------------------------------------


def refresh_schedule() -> None:
    """Remember the upcoming publication times (one query, on writes only)."""
    from articles.models import Article

    upcoming = (
        Article.objects.filter(status__in=LIVE_STATUSES, published_at__gt=timezone.now())
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
HOME_FIELDS = ("is_breaking", "is_featured", "pin_order")


def _remember_previous(sender, instance, raw=False, **kwargs):
    """Keep the listing-relevant fields the row had before this save."""
    instance._previous_listing = None  # read through previous_listing()
    if raw or instance.pk is None:
        return
    instance._previous_listing = (
        sender._base_manager.filter(pk=instance.pk).values(*LISTED_FIELDS, *HOME_FIELDS).first()
    )


def previous_listing(article) -> dict | None:
    """What the article's row held before the save being handled, for other apps' ``post_save``
    receivers (the "most read" blocks, the breaking-news ticker): its status, publication time
    and section, and the home page's flags (``is_breaking``, ``is_featured``, ``pin_order``).
    None for a new article or a raw save (loaddata)."""
    return getattr(article, "_previous_listing", None)


def archive_tags(published_at) -> set[str]:
    """The date archive pages (year, month, day) that list an article published then."""
    if published_at is None:
        return set()
    day = timezone.localtime(published_at).date()
    return {tag.archive_period(f"{day:%Y}"), tag.archive_period(f"{day:%Y-%m}"),
            tag.archive_period(f"{day:%Y-%m-%d}")}  # fmt: skip


def archive_page_tags(period_key: str, articles) -> set[str]:
    return {tag.archive_period(period_key)} | card_tags(articles) | EVERY_PAGE


def _listing_tags(article_fields: dict, author_ids, topic_ids=(), file_ids=()) -> set[str]:
    tags = {tag.home(), tag.live_content(), tag.section_list(article_fields["section_id"])}
    tags |= archive_tags(article_fields["published_at"])
    tags.update(tag.author_list(author_id) for author_id in author_ids)
    tags.update(tag.topic_list(topic_id) for topic_id in topic_ids)
    tags.update(tag.story_file_list(file_id) for file_id in file_ids)
    return tags


def article_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    tags = {tag.article(instance.pk)}
    now_fields = {field: getattr(instance, field) for field in LISTED_FIELDS}
    previous = previous_listing(instance)
    before = {field: previous[field] for field in LISTED_FIELDS} if previous else None
    is_live = now_fields["status"] in LIVE_STATUSES
    was_live = before is not None and before["status"] in LIVE_STATUSES
    home_flags = {field: getattr(instance, field) for field in HOME_FIELDS}
    if (is_live or was_live) and (
        previous is None or any(previous[field] != home_flags[field] for field in HOME_FIELDS)
    ):
        tags.add(tag.home())  # flagged, unflagged or re-pinned for the home page
    if is_live or was_live:
        tags.add(tag.live_content())
        if before != now_fields:  # entered, left or moved within a list
            author_ids = list(instance.bylines.values_list("author_id", flat=True))
            topic_ids = list(instance.topics.values_list("pk", flat=True))
            file_ids = list(instance.story_entries.values_list("story_file_id", flat=True))
            if is_live:
                tags |= _listing_tags(now_fields, author_ids, topic_ids, file_ids)
            if was_live:
                tags |= _listing_tags(before, author_ids, topic_ids, file_ids)
    bump(*tags)
    refresh_schedule()


def article_deleted(sender, instance, **kwargs):
    bump(
        tag.article(instance.pk),
        tag.home(),
        tag.live_content(),
        tag.section_list(instance.section_id),
        *archive_tags(instance.published_at),
    )
    refresh_schedule()


def byline_changed(sender, instance, raw=False, **kwargs):
    """A byline added or removed: the article's pages, and the author's list if it is live."""
    from articles.models import Article

    if raw:
        return
    tags = [tag.article(instance.article_id)]
    live = Article.objects.filter(pk=instance.article_id, status__in=LIVE_STATUSES)
    if live.exists():
        tags += [tag.author_list(instance.author_id), tag.live_content()]
    bump(*tags)


def section_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        tags = (
            tag.section(instance.pk),
            tag.section_list(instance.pk),
            tag.home(),
            tag.section_menu(),
        )
        # A new section is in no feed or result yet (its name reaches the search form's
        # section filter through the section menu's tag).
        bump(*tags, *([] if created else [tag.live_content()]))


def correction_changed(sender, instance, raw=False, **kwargs):
    """A correction shows on its article's page (and the corrections page, not cached)."""
    if not raw:
        bump(tag.article(instance.article_id))


def topic_changed(sender, instance, raw=False, created=False, **kwargs):
    """A topic renamed or described anew: its page and the article pages linking to it."""
    if not raw:
        bump(
            tag.topic(instance.pk),
            tag.topic_list(instance.pk),
            *([] if created else [tag.live_content()]),
        )


def story_file_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        bump(tag.story_file(instance.pk), tag.story_file_list(instance.pk), tag.live_content())


def story_entry_changed(sender, instance, raw=False, **kwargs):
    """An article added to, moved in or removed from a file: the file's page, and the article
    pages that show the file's order (they carry its list tag)."""
    if not raw:
        bump(tag.story_file_list(instance.story_file_id), tag.article(instance.article_id))


def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Topics added to or removed from an article (or articles to or from a topic): the
    article's page, and the lists of the topics concerned when the article is live."""
    from articles.models import Article

    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if action == "pre_clear":  # remember what is about to go (post_clear has no pk_set)
        through = sender.objects
        if reverse:
            instance._cleared_articles = set(
                through.filter(topic_id=instance.pk).values_list("article_id", flat=True)
            )
        else:
            instance._cleared_topics = set(
                through.filter(article_id=instance.pk).values_list("topic_id", flat=True)
            )
        return
    if reverse:  # instance is a topic, pk_set articles
        article_ids = pk_set or getattr(instance, "_cleared_articles", set())
        topic_ids = {instance.pk}
    else:
        article_ids = {instance.pk}
        topic_ids = pk_set or getattr(instance, "_cleared_topics", set())
    tags = {tag.article(pk) for pk in article_ids}
    live = Article.objects.filter(pk__in=article_ids, status__in=LIVE_STATUSES)
    if live.exists():
        tags |= {tag.topic_list(pk) for pk in topic_ids} | {tag.live_content()}
    bump(*tags)


def author_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        # Feeds and search results carry bylines.
        bump(tag.author(instance.pk), *([] if created else [tag.live_content()]))


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
        bump(tag.comments(instance.object_pk))


def _remember_comment_visibility(sender, instance, raw=False, **kwargs):
    instance._previous_visible = None
    if raw or instance.pk is None:
        return
    row = sender._base_manager.filter(pk=instance.pk).values("is_public", "is_removed").first()
    instance._previous_visible = bool(row and row["is_public"] and not row["is_removed"])


def library_image_changed(sender, instance, raw=False, **kwargs):
    """A library image's file, text or focal point changed: the pages of the articles showing
    it (their own and every card of them) are drawn again with its new crops."""
    if raw or instance.pk is None:
        return
    bump(*(tag.article(pk) for pk in instance.articles.values_list("pk", flat=True)))


def connect_receivers():
    from django.apps import apps
    from django.db.models.signals import m2m_changed

    from articles.models import (
        Article,
        Author,
        Byline,
        Correction,
        MediaImage,
        Section,
        StoryFile,
        StoryFileEntry,
        Topic,
    )

    uid = "articles.cache"
    m2m_changed.connect(
        article_topics_changed, sender=Article.topics.through, dispatch_uid=f"{uid}.topics"
    )
    pre_save.connect(_remember_previous, sender=Article, dispatch_uid=f"{uid}.pre_article")
    post_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=f"{uid}.article_del")
    post_save.connect(library_image_changed, sender=MediaImage, dispatch_uid=f"{uid}.library")
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(byline_changed, sender=Byline, dispatch_uid=f"{uid}.byline_{name}")
        signal.connect(section_changed, sender=Section, dispatch_uid=f"{uid}.section_{name}")
        signal.connect(author_changed, sender=Author, dispatch_uid=f"{uid}.author_{name}")
        signal.connect(topic_changed, sender=Topic, dispatch_uid=f"{uid}.topic_{name}")
        signal.connect(story_file_changed, sender=StoryFile, dispatch_uid=f"{uid}.file_{name}")
        signal.connect(
            story_entry_changed, sender=StoryFileEntry, dispatch_uid=f"{uid}.file_entry_{name}"
        )
        signal.connect(
            correction_changed, sender=Correction, dispatch_uid=f"{uid}.correction_{name}"
        )
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


def feed_tags(request, **kwargs) -> set[str]:
    return {tag.live_content()}


def search_page_tags() -> set[str]:
    """Results can show any live article; the section filter lists every section."""
    return {tag.live_content()} | EVERY_PAGE
