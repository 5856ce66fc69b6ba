"""The reading site: home, section, author and article pages. Thin views over the querysets."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from articles.models import Article, Author, Correction, Section

HOME_LATEST = 10
HOME_PER_SECTION = 4
HOME_FLAGGED = 12  # at most this many breaking, lead or pinned stories are considered
HOME_BREAKING = 5


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = list(Article.objects.published().for_listing()[: HOME_LATEST + 1])
        # Editors' flags: one query (and its byline prefetch) whatever is flagged.
        flagged = list(
            Article.objects.published()
            .for_listing()
            .filter(Q(is_featured=True) | Q(is_breaking=True) | Q(pin_order__isnull=False))
            .order_by(F("pin_order").asc(nulls_last=True), "-published_at", "-id")[:HOME_FLAGGED]
        )
        featured = [article for article in flagged if article.is_featured]
        lead = featured[0] if featured else (latest[0] if latest else None)
        pinned = [a for a in flagged if a.pin_order is not None and a != lead]
        seen = {lead.pk if lead else None, *(a.pk for a in pinned)}
        rest = [article for article in latest if article.pk not in seen]
        sections = list(Section.objects.all())
        top_per_section = (
            Article.objects.published()
            .for_listing()
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=(F("published_at").desc(), F("id").desc()),
                )
            )
            .filter(rank__lte=HOME_PER_SECTION)
        )
        by_section = {}
        for article in top_per_section:
            by_section.setdefault(article.section_id, []).append(article)
        context.update(
            breaking=[article for article in flagged if article.is_breaking][:HOME_BREAKING],
            lead=lead,
            latest=(pinned + rest)[:HOME_LATEST],
            section_blocks=[
                (section, by_section[section.pk])
                for section in sections
                if section.pk in by_section
            ],
        )
        return context


class SectionView(ListView):
    template_name = "articles/section.html"
    paginate_by = 12
    context_object_name = "articles"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().in_section(self.section).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class AuthorView(ListView):
    template_name = "articles/author.html"
    paginate_by = 12
    context_object_name = "articles"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.author).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class CorrectionListView(ListView):
    """Every correction and clarification on a published article, newest first."""

    template_name = "articles/corrections.html"
    paginate_by = 20
    context_object_name = "corrections"

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-created_at", "-id")
        )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.for_listing()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not article.is_published() and not self.is_preview_allowed():
            raise Http404("No published article here")
        return article

    def is_preview_allowed(self):
        return self.request.user.has_perm("articles.change_article")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            corrections=list(self.object.corrections.all()),
            is_preview=not self.object.is_published(),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published():
            add_never_cache_headers(response)
        return response
