"""The reading site: home, section, author and article pages. Thin views over the querysets."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from articles import cache
from articles.models import Article, Author, Section
from newsroom.pagecache import CachedPageMixin

HOME_LATEST = 10
HOME_PER_SECTION = 4


class ListPageCacheMixin(CachedPageMixin):
    """List pages also go stale when the next scheduled article goes live."""

    def page_expires_at(self, context):
        return cache.next_scheduled_publication()


class HomeView(ListPageCacheMixin, TemplateView):
    template_name = "articles/home.html"

    def page_tags(self, context):
        shown = ([context["lead"]] if context["lead"] else []) + context["latest"]
        for _section, articles in context["section_blocks"]:
            shown += articles
        return cache.home_page_tags(shown, [section for section, _ in context["section_blocks"]])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = list(Article.objects.published().for_listing().without_body()[: HOME_LATEST + 1])
        sections = list(Section.objects.all())
        top_per_section = (
            Article.objects.top_per_section(HOME_PER_SECTION).for_listing().without_body()
        )
        by_section = {}
        for article in top_per_section:
            by_section.setdefault(article.section_id, []).append(article)
        context.update(
            lead=latest[0] if latest else None,
            latest=latest[1:],
            section_blocks=[
                (section, by_section[section.pk])
                for section in sections
                if section.pk in by_section
            ],
        )
        return context


class SectionView(ListPageCacheMixin, ListView):
    template_name = "articles/section.html"
    paginate_by = 12
    context_object_name = "articles"

    def page_tags(self, context):
        return cache.section_page_tags(self.section, context["articles"])

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().in_section(self.section).for_listing().without_body()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class AuthorView(ListPageCacheMixin, ListView):
    template_name = "articles/author.html"
    paginate_by = 12
    context_object_name = "articles"

    def page_tags(self, context):
        return cache.author_page_tags(self.author, context["articles"])

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.author).for_listing().without_body()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticleDetailView(CachedPageMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def page_tags(self, context):
        return cache.article_page_tags(context["article"])

    def get_queryset(self):
        return Article.objects.for_listing()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not article.is_published() and not self.is_preview_allowed():
            raise Http404("No published article here")
        return article

    def is_preview_allowed(self):
        return self.request.user.has_perm("articles.change_article")

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published():
            add_never_cache_headers(response)
        return response
