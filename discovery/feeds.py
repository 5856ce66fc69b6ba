"""RSS 2.0 and Atom feeds of published articles: site-wide, per section, per author.

Items carry the full text (RSS ``content:encoded``, Atom ``<content type="html">``), the
lead as summary, bylines, section and dates. The feed's language is the page language;
English feeds list only articles translated into English, so the language tag is true.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import Article, Author, Section, StoryFile, Topic, TopicRedirect
from articles.text import NeutralisedItems
from newsroom.links import absolute

FEED_LENGTH = 30


class FullTextRssFeed(NeutralisedItems, Rss201rev2Feed):
    def rss_attributes(self):
        content = "http://purl.org/rss/1.0/modules/content/"
        return {**super().rss_attributes(), "xmlns:content": content}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullTextAtomFeed(NeutralisedItems, Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestArticlesFeed(Feed):
    feed_type = FullTextRssFeed
    url_name = "discovery:feed"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return _("The latest news from %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return absolute(self.request, reverse("articles:home"))

    def feed_url(self, obj):
        return absolute(self.request, self.request.path)

    def feed_articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        articles = self.feed_articles(obj).for_listing()
        if get_language() != settings.LANGUAGE_CODE:
            articles = articles.exclude(title_en__isnull=True).exclude(title_en="")
        return articles[:FEED_LENGTH]

    def item_title(self, item):
        return item.title  # plain text (XML-escaped by the writer), as feed readers expect

    def item_description(self, item):
        return escape(item.lead)

    def item_link(self, item):
        return absolute(self.request, item.get_absolute_url())

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return _(", ").join(author.name for author in item.ordered_authors) or None

    def item_categories(self, item):
        return [item.section.name]

    def item_extra_kwargs(self, item):
        return {"content_html": item.body}


class OwnerFeed(LatestArticlesFeed):
    """The latest articles of one section, author, topic or story file (``model`` by slug;
    ``articles_of`` picks its articles from the published ones)."""

    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj):
        return f"{obj} | {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(self.request, obj.get_absolute_url())

    def articles_of(self, published, obj):
        raise NotImplementedError

    def feed_articles(self, obj):
        return self.articles_of(Article.objects.published(), obj)


class SectionFeed(OwnerFeed):
    url_name, model = "discovery:section_feed", Section

    def articles_of(self, published, obj):
        return published.in_section(obj)


class AuthorFeed(OwnerFeed):
    url_name, model = "discovery:author_feed", Author

    def articles_of(self, published, obj):
        return published.by_author(obj)


class TopicFeed(OwnerFeed):
    url_name, model = "discovery:topic_feed", Topic

    def __call__(self, request, *args, **kwargs):
        """A topic merged into another: its feeds answer 301 to the kept topic's, as its page
        does (a 410 told feed readers to drop the subscription)."""
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            kept = TopicRedirect.kept_topic(kwargs.get("slug"))
            if kept is None:
                raise
            name = f"discovery:{request.resolver_match.url_name}"
            return HttpResponsePermanentRedirect(reverse(name, kwargs={"slug": kept.slug}))

    def articles_of(self, published, obj):
        return published.about(obj)


class StoryFileFeed(OwnerFeed):
    url_name, model = "discovery:story_file_feed", StoryFile

    def articles_of(self, published, obj):
        return published.filter(story_entries__story_file=obj)


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = FullTextAtomFeed


class SectionAtomFeed(SectionFeed):
    feed_type = FullTextAtomFeed


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullTextAtomFeed


class TopicAtomFeed(TopicFeed):
    feed_type = FullTextAtomFeed


class StoryFileAtomFeed(StoryFileFeed):
    feed_type = FullTextAtomFeed
