from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from articles.cache import EVERY_PAGE
from caching.pagecache import CachedPageMixin
from pages.cache import FOOTER_TAG
from pages.models import Page


class PageView(CachedPageMixin, DetailView):
    """A static page: the same for every reader, cached until it (or the footer) changes."""

    template_name = "pages/page.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page.objects.published(), slug=self.kwargs["slug"])

    def page_tags(self, context):
        return {f"page:{self.object.pk}", FOOTER_TAG} | EVERY_PAGE
