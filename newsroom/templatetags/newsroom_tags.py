from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from newsroom import audit

register = template.Library()


@register.filter
def change_message(entry) -> str:
    """An admin history entry's change, its fields named in the desk's language."""
    return audit.change_message(entry)


@register.simple_tag
def language_cookie_name() -> str:
    """The cookie that remembers the reader's language for the bare domain (views.root)."""
    return settings.LANGUAGE_COOKIE_NAME


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """The current page's URL in another language (same article, section or author), with
    the query parameters the page is made of (``page_query``, see caching/pagecache.py)
    when it says which: a page kept for everyone never repeats one reader's ``?utm_…``."""
    request = context.get("request")
    if request is None:
        return "/" + language_code + "/"
    path = context.get("language_switch_path")  # a page shown at another address (a form
    if path is not None:  # returned from where it was posted): the address it stands for
        return translate_url(path, language_code)
    page_query = context.get("page_query")
    if page_query is None:
        return _translated(request.get_full_path(), language_code)
    query = page_query.urlencode()
    return _translated(request.path + (f"?{query}" if query else ""), language_code)


def _translated(url: str, language_code: str) -> str:
    """``url`` in ``language_code``; an address no view answers (a 404) keeps its path under
    the other language's prefix, rather than leading back to itself."""
    translated = translate_url(url, language_code)
    if translated != url:
        return translated
    current = get_language()
    prefix = f"/{current}/"
    if current and current != language_code and url.startswith(prefix):
        return f"/{language_code}/" + url[len(prefix) :]
    return translated
