from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """The current page's URL in another language (same article, section or author), with
    the query parameters the page is made of (``page_query``, see caching/pagecache.py)
    when it says which: a page kept for everyone never repeats one reader's ``?utm_…``."""
    request = context.get("request")
    if request is None:
        return "/" + language_code + "/"
    page_query = context.get("page_query")
    if page_query is None:
        return translate_url(request.get_full_path(), language_code)
    query = page_query.urlencode()
    return translate_url(request.path + (f"?{query}" if query else ""), language_code)
