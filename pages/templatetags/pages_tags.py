from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from caching import tags as tag
from caching.fragments import cached_fragment
from caching.pagecache import note_shown

register = template.Library()


@register.simple_tag
def footer_pages():
    """Links to the static pages in the footer: one small query per language (compiled once
    per thread: articles/compiled.py), then kept until a page changes."""
    from articles.compiled import compiled
    from pages.models import Page

    def build():
        return Page.objects.in_footer().only("pk", "slug", "title", "title_ar", "title_en")

    def render():
        pages = compiled("footer-links", None, Page, build).instances()
        return render_to_string("pages/footer_links.html", {"pages": pages}), {tag.footer_pages()}

    note_shown({tag.footer_pages()})
    return cached_fragment(f"footer-pages:{get_language()}", render).html
