"""What has a public address made from a slug: each kind, its model and its URL names.

A URL name listed here whose page was not found is looked up in the slug history of its
kind; the redirect goes to the same URL name (the same language, the same feed) with the
object's slug of today. Articles and static pages can also stop being public (unpublished):
``PUBLIC_FIELDS`` and ``is_public`` say when.
"""

from django.apps import apps
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# kind → (app label, model name)
MODELS = {
    "article": ("articles", "Article"),
    "section": ("articles", "Section"),
    "author": ("articles", "Author"),
    "topic": ("articles", "Topic"),
    "file": ("articles", "StoryFile"),
    "page": ("pages", "Page"),
}

KIND_LABELS = {
    "article": _("article"),
    "section": _("section"),
    "author": _("author"),
    "topic": _("topic"),
    "file": _("story file"),
    "page": _("page"),
}

# resolved URL name (namespace:name) → kind
URL_NAMES = {
    "articles:detail": "article",
    "articles:section": "section",
    "articles:author": "author",
    "articles:topic": "topic",
    "articles:story_file": "file",
    "pages:detail": "page",
    "discovery:section_feed": "section",
    "discovery:section_feed_atom": "section",
    "discovery:author_feed": "author",
    "discovery:author_feed_atom": "author",
    "discovery:topic_feed": "topic",
    "discovery:topic_feed_atom": "topic",
    "discovery:story_file_feed": "file",
    "discovery:story_file_feed_atom": "file",
}

# kind → the URL name of its page
PAGE_URL_NAMES = {
    "article": "articles:detail",
    "section": "articles:section",
    "author": "articles:author",
    "topic": "articles:topic",
    "file": "articles:story_file",
    "page": "pages:detail",
}


# kind → the fields that say whether readers see its object (kinds not named: always).
PUBLIC_FIELDS = {"article": ("status", "published_at"), "page": ("is_published",)}


def is_public(kind: str, obj) -> bool:
    """Whether readers see the object's page now."""
    if kind == "article":
        return obj.is_published()
    if kind == "page":
        return bool(obj.is_published)
    return True


def model_of(kind: str):
    return apps.get_model(*MODELS[kind])


def kind_of(model) -> str | None:
    label = (model._meta.app_label, model.__name__)
    return next((kind for kind, pair in MODELS.items() if pair == label), None)


def slug_address(path: str, language: str):
    """(kind, slug, URL name, kwargs) when ``path`` is the address of an object by its slug."""
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    kind = URL_NAMES.get(match.view_name)
    if kind is None or "slug" not in match.kwargs:
        return None
    return kind, match.kwargs["slug"], match.view_name, match.kwargs
