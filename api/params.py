"""Query parameters: validated by Django forms, so every refusal is a 400 with a message in
the requested language (Django's own messages are translated; ours are in locale/).

Filters of the article list are a table (``ARTICLE_FILTERS``): a new way to list articles
(by topic, by story file) is one entry here, with the tags of the list it selects; the view,
the page-cache key, the ``next`` links and the OpenAPI schema follow from the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from articles.models import Author, Section, StoryFile, Topic
from caching import tags as tag

DEFAULT_LIMIT = 20
MAX_LIMIT = 50


@dataclass(frozen=True)
class ArticleFilter:
    """``?name=value`` on /api/v1/articles/: ``field`` turns the value into an object,
    ``apply`` narrows the published articles to it, ``tags`` names the page-cache tags of the
    list it selects (bumped when an article enters or leaves that list)."""

    name: str
    field: Callable[[], forms.Field]
    apply: Callable[[Any, Any], Any]
    tags: Callable[[Any], set[str]]
    description: str


ARTICLE_FILTERS: tuple[ArticleFilter, ...] = (
    ArticleFilter(
        name="section",
        field=lambda: forms.ModelChoiceField(
            queryset=Section.objects.all(), to_field_name="slug", required=False
        ),
        apply=lambda articles, section: articles.in_section(section),
        tags=lambda section: {tag.section(section.pk), tag.section_list(section.pk)},
        description="A section's slug: only its articles.",
    ),
    ArticleFilter(
        name="author",
        field=lambda: forms.ModelChoiceField(
            queryset=Author.objects.all(), to_field_name="slug", required=False
        ),
        apply=lambda articles, author: articles.by_author(author),
        tags=lambda author: {tag.author(author.pk), tag.author_list(author.pk)},
        description="An author's slug: only the articles they signed.",
    ),
    ArticleFilter(
        name="topic",
        field=lambda: forms.ModelChoiceField(
            queryset=Topic.objects.all(), to_field_name="slug", required=False
        ),
        apply=lambda articles, topic: articles.about(topic),
        tags=lambda topic: {tag.topic(topic.pk), tag.topic_list(topic.pk)},
        description="A topic's slug: only the articles about it.",
    ),
    ArticleFilter(
        name="file",
        field=lambda: forms.ModelChoiceField(
            queryset=StoryFile.objects.all(), to_field_name="slug", required=False
        ),
        # Newest first like every list here (the cursor is the publication time); the
        # editors' order is on the file's page.
        apply=lambda articles, story_file: articles.filter(story_entries__story_file=story_file),
        tags=lambda story_file: {tag.story_file(story_file.pk), tag.story_file_list(story_file.pk)},
        description="A story file's slug: only its articles (newest first).",
    ),
)


class PageForm(forms.Form):
    cursor = forms.CharField(required=False, max_length=500)
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)

    def clean_limit(self):
        return self.cleaned_data.get("limit") or DEFAULT_LIMIT


class ArticleListForm(PageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for article_filter in ARTICLE_FILTERS:
            self.fields[article_filter.name] = article_filter.field()


class MostReadForm(forms.Form):
    period = forms.ChoiceField(
        choices=[
            ("day", _("Today")),
            ("week", _("Past 7 days")),
            ("month", _("Past 30 days")),
            ("all", _("All time")),
        ],
        required=False,
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(), to_field_name="slug", required=False
    )

    def clean_period(self):
        return self.cleaned_data.get("period") or "day"


def language_choices() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


LANGUAGE_ERROR = _("Unknown language “%(value)s”: use one of %(choices)s.")
