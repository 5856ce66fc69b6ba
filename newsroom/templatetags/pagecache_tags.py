from django import template
from django.template.backends.utils import csrf_input

from newsroom.csrf import needs_token

register = template.Library()


@register.simple_tag(takes_context=True)
def page_csrf_token(context):
    """``{% csrf_token %}`` for readers with a session; nothing on pages that may be cached.

    Use in forms that post to a view wrapped in ``newsroom.csrf.csrf_for_cached_pages``.
    """
    request = context.get("request")
    if request is None or not needs_token(request):
        return ""
    return csrf_input(request)
