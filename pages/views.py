from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from caching import tags as tag
from caching.pagecache import CachedPageMixin
from pages.models import Page


class PageView(CachedPageMixin, DetailView):
    """A static page: the same for every reader, cached until it (or the footer) changes."""

    template_name = "pages/page.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page.objects.published(), slug=self.kwargs["slug"])

    def page_tags(self, context):
        return {tag.page(self.object.pk), tag.footer_pages()} | tag.every_page()
