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
- ``topic:<id>`` / ``topic-list:<id>``: a topic's own fields (carried by its page and by the
  article pages that link to it), and which articles its page lists (bumped when an article
  with the topic enters or leaves the list, or gains or loses the topic).
- ``home``: which articles and section blocks the home page shows, and the editors' flags
  (breaking, lead story, pinned order).
- ``section-menu``: the sections menu in every page's header (names, order).
- ``breaking``: the breaking-news ticker («عاجل») in every page's header; bumped by the desk's
  receivers (desk/cache.py) when an article flagged breaking changes or loses the flag.
- ``most-read:site`` / ``most-read:section:<id>``: the "most read" blocks (home and article
  pages), bumped by the view counter's own receivers (counters/cache.py).
- ``live-content``: carried by the feeds (site, section and author) and the search results;
  bumped by any change to a live article, its bylines, a section or an author (feeds and
  results carry the text, bylines and section names of any live article: a cheap and safe
  superset). Both also expire when the next scheduled article goes live.

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
LIVE_CONTENT = "live-content"  # any live article, byline, section or author (feeds, search)
UNKNOWN_SCHEDULE_SECONDS = 60  # when the schedule is not in the cache: expire list pages soon


# What a page shows -> its tags ------------------------------------------------------------


def card_tags(articles) -> set[str]:
    tags = set()
    for article in articles:
        tags.add(f"article:{article.pk}")
        tags.add(f"section:{article.section_id}")
        tags.update(f"author:{author.pk}" for author in article.ordered_authors)
    return tags


EVERY_PAGE = frozenset({"section-menu", "breaking"})


def article_page_tags(article, related=(), story=None) -> set[str]:
    """The article (content, bylines, corrections, topic links), its comments, and the
    related links (title, section and date only: no bylines, so no author tags and no byline
    query)."""
    related_tags = {f"article:{item.pk}" for item in related}
    related_tags |= {f"section:{item.section_id}" for item in related}
    topic_tags = {f"topic:{topic.pk}" for topic in article.topics.all()}
    if story:  # the file's name and the pieces before and after this one
        file_id = story["file"].pk
        related_tags |= {f"storyfile:{file_id}", f"storyfile-list:{file_id}"}
        related_tags |= {
            f"article:{piece.pk}" for piece in (story["previous"], story["next"]) if piece
        }
    return (
        card_tags([article]) | related_tags | topic_tags | {f"comments:{article.pk}"} | EVERY_PAGE
    )


def section_page_tags(section, articles) -> set[str]:
    tags = {f"section:{section.pk}", f"section-list:{section.pk}"}
    return tags | card_tags(articles) | EVERY_PAGE


def author_page_tags(author, articles) -> set[str]:
    return {f"author:{author.pk}", f"author-list:{author.pk}"} | card_tags(articles) | EVERY_PAGE


def topic_page_tags(topic, articles) -> set[str]:
    return {f"topic:{topic.pk}", f"topic-list:{topic.pk}"} | card_tags(articles) | EVERY_PAGE


def story_file_page_tags(story_file, articles) -> set[str]:
    tags = {f"storyfile:{story_file.pk}", f"storyfile-list:{story_file.pk}"}
    return tags | card_tags(articles) | EVERY_PAGE


def home_page_tags(articles, sections) -> set[str]:
    sections_shown = {f"section:{section.pk}" for section in sections}
    return {"home"} | sections_shown | card_tags(articles) | EVERY_PAGE


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
LIVE_STATUSES = ("scheduled", "published")  # articles.models.LIVE_STATUSES


def _remember_previous(sender, instance, raw=False, **kwargs):
    """Keep the listing-relevant fields the row had before this save."""
    instance._previous_listing = None  # also read by counters/cache.py
    if raw or instance.pk is None:
        return
    instance._previous_listing = (
        sender._base_manager.filter(pk=instance.pk).values(*LISTED_FIELDS, *HOME_FIELDS).first()
    )


def _listing_tags(article_fields: dict, author_ids, topic_ids=(), file_ids=()) -> set[str]:
    tags = {"home", LIVE_CONTENT, f"section-list:{article_fields['section_id']}"}
    tags.update(f"author-list:{author_id}" for author_id in author_ids)
    tags.update(f"topic-list:{topic_id}" for topic_id in topic_ids)
    tags.update(f"storyfile-list:{file_id}" for file_id in file_ids)
    return tags


def article_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    tags = {f"article:{instance.pk}"}
    now_fields = {field: getattr(instance, field) for field in LISTED_FIELDS}
    previous = getattr(instance, "_previous_listing", None)
    before = {field: previous[field] for field in LISTED_FIELDS} if previous else None
    is_live = now_fields["status"] in LIVE_STATUSES
    was_live = before is not None and before["status"] in LIVE_STATUSES
    home_flags = {field: getattr(instance, field) for field in HOME_FIELDS}
    if (is_live or was_live) and (
        previous is None or any(previous[field] != home_flags[field] for field in HOME_FIELDS)
    ):
        tags.add("home")  # flagged, unflagged or re-pinned for the home page
    if is_live or was_live:
        tags.add(LIVE_CONTENT)
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
    bump(f"article:{instance.pk}", "home", LIVE_CONTENT, f"section-list:{instance.section_id}")
    refresh_schedule()


def byline_changed(sender, instance, raw=False, **kwargs):
    """A byline added or removed: the article's pages, and the author's list if it is live."""
    from articles.models import Article

    if raw:
        return
    tags = [f"article:{instance.article_id}"]
    live = Article.objects.filter(pk=instance.article_id, status__in=LIVE_STATUSES)
    if live.exists():
        tags += [f"author-list:{instance.author_id}", LIVE_CONTENT]
    bump(*tags)


def section_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        tags = (f"section:{instance.pk}", f"section-list:{instance.pk}", "home", "section-menu")
        # A new section is in no feed or result yet (its name reaches the search form's
        # section filter through the section menu's tag).
        bump(*tags, *([] if created else [LIVE_CONTENT]))


def correction_changed(sender, instance, raw=False, **kwargs):
    """A correction shows on its article's page (and the corrections page, not cached)."""
    if not raw:
        bump(f"article:{instance.article_id}")


def topic_changed(sender, instance, raw=False, created=False, **kwargs):
    """A topic renamed or described anew: its page and the article pages linking to it."""
    if not raw:
        bump(
            f"topic:{instance.pk}",
            f"topic-list:{instance.pk}",
            *([] if created else [LIVE_CONTENT]),
        )


def story_file_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        bump(f"storyfile:{instance.pk}", f"storyfile-list:{instance.pk}", LIVE_CONTENT)


def story_entry_changed(sender, instance, raw=False, **kwargs):
    """An article added to, moved in or removed from a file: the file's page, and the article
    pages that show the file's order (they carry its list tag)."""
    if not raw:
        bump(f"storyfile-list:{instance.story_file_id}", f"article:{instance.article_id}")


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
    tags = {f"article:{pk}" for pk in article_ids}
    live = Article.objects.filter(pk__in=article_ids, status__in=LIVE_STATUSES)
    if live.exists():
        tags |= {f"topic-list:{pk}" for pk in topic_ids} | {LIVE_CONTENT}
    bump(*tags)


def author_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        # Feeds and search results carry bylines.
        bump(f"author:{instance.pk}", *([] if created else [LIVE_CONTENT]))


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


def library_image_changed(sender, instance, raw=False, **kwargs):
    """A library image's file, text or focal point changed: the pages of the articles showing
    it (their own and every card of them) are drawn again with its new crops."""
    if raw or instance.pk is None:
        return
    bump(*(f"article:{pk}" for pk in instance.articles.values_list("pk", flat=True)))


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
    return {LIVE_CONTENT}


def search_page_tags() -> set[str]:
    """Results can show any live article; the section filter lists every section."""
    return {LIVE_CONTENT} | EVERY_PAGE
