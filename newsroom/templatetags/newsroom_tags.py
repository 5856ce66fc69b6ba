from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """The current page's URL in another language (same article, section or author)."""
    request = context.get("request")
    if request is None:
        return "/" + language_code + "/"
    return translate_url(request.get_full_path(), language_code)
