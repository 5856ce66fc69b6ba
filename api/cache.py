"""The API's responses in the page cache: which tags each one carries, and the three the site
had no use for (the lists of authors, topics and story files, which a new one joins; named in
caching/tags.py).

Everything else reuses the pages' tags (articles/cache.py, counters/cache.py), so an edit
refreshes exactly the API responses that show what changed, as it does the pages.
"""

from django.db.models.signals import post_delete, post_save

from articles import cache as page_tags
from caching import tags as tag
from caching.pagecache import bump


def article_list_tags(articles, *, filter_tags=()) -> set[str]:
    """A page of cards: the cards, and which articles the list holds. Unfiltered, the list is
    the site's latest (its membership changes bump ``home``); filters name their own lists."""
    return page_tags.card_tags(articles) | (set(filter_tags) or {tag.home()})


def article_tags(article) -> set[str]:
    """The article, its bylines, section, corrections and topic links (all bump
    ``article(id)``); the view adds each topic's own tag (a renamed topic)."""
    return page_tags.card_tags([article])


def author_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw and (created or kwargs.get("signal") is post_delete):
        bump(tag.author_index())


def index_changed(index_tag: str):
    def receiver(sender, instance, raw=False, created=False, **kwargs):
        if not raw and (created or kwargs.get("signal") is post_delete):
            bump(index_tag)

    return receiver


topic_changed = index_changed(tag.topic_index())
file_changed = index_changed(tag.story_file_index())


def connect_receivers():
    from articles.models import Author, StoryFile, Topic

    for signal in (post_save, post_delete):
        signal.connect(topic_changed, sender=Topic, dispatch_uid=f"api.cache.topic_{signal!r}")
        signal.connect(file_changed, sender=StoryFile, dispatch_uid=f"api.cache.file_{signal!r}")

    post_save.connect(author_changed, sender=Author, dispatch_uid="api.cache.author_save")
    post_delete.connect(author_changed, sender=Author, dispatch_uid="api.cache.author_delete")
