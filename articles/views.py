"""The reading site: home, section, author and article pages. Thin views over the querysets."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from articles import counting, services
from articles.models import Article, Author, Section

logger = logging.getLogger(__name__)

HOME_LATEST = 10
HOME_PER_SECTION = 4


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = list(Article.objects.published().for_listing()[: HOME_LATEST + 1])
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
            lead=latest[0] if latest else None,
            latest=latest[1:],
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


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.for_listing().with_recorded_views()

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


# VIEW COUNTER: tiny endpoints outside i18n_patterns (see docs/view-counter.md)

MAX_ID = 2**63 - 1
TRANSPARENT_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _ignored_reason(request):
    """Why this request is not a reader's view, or None. No database query unless logged in."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site and fetch_site != "same-origin":
        return "cross-site"
    if origin and urlsplit(origin).netloc != request.get_host():
        return "cross-site"
    if counting.is_prefetch(request.META):
        return "prefetch"
    if counting.is_bot(request.headers.get("User-Agent", "")):
        return "bot"
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff:
        return "staff"
    return None


def _count(request, article_id):
    """(status, payload) for one view request; the only database work is record_view."""
    if article_id > MAX_ID:
        return 404, {"counted": False, "reason": "not-found"}
    try:
        reason = _ignored_reason(request)  # reads the session only when there is one
        if reason == "cross-site":
            return 403, {"counted": False, "reason": reason}
        if reason:
            return 200, {"counted": False, "reason": reason}
        now = timezone.now()
        reader = counting.reader_hash(request.META, timezone.localdate(now))
        result = services.record_view(article_id=article_id, reader=reader, now=now)
    except DatabaseError:
        logger.exception("View of article %s not recorded", article_id)
        return 503, {"counted": False, "reason": "unavailable"}
    if not result.found:
        return 404, {"counted": False, "reason": "not-found"}
    reason = None if result.counted else "duplicate"
    return 200, {"counted": result.counted, "views": result.views, "reason": reason}


def _no_store(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the cached article page carries no token; same-origin is checked instead
@require_POST
def record_view(request, article_id):
    """Count one view of a published article, called by ``static/js/view-counter.js``.

    Answers JSON ``{"counted": bool, "views": total, "reason": why not}``: 200 when the
    request was judged (counted, or ignored as a duplicate, bot, prefetch or staff), 404 for
    an unknown or unpublished article, 403 from another site, 405 for any method but POST,
    503 when the database failed (nothing counted).
    """
    status, payload = _count(request, article_id)
    return _no_store(JsonResponse(payload, status=status))


@require_GET
def record_view_pixel(request, article_id):
    """The no-JavaScript fallback: a 1×1 GIF in ``<noscript>`` that counts like the POST."""
    status, _payload = _count(request, article_id)
    return _no_store(HttpResponse(TRANSPARENT_GIF, content_type="image/gif", status=status))


@csrf_exempt
def bad_view_id(request, raw):
    """Anything under api/views/ that is not a whole number: 400, never a 500."""
    return _no_store(JsonResponse({"counted": False, "reason": "bad-id"}, status=400))
