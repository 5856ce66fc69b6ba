from django import template
from django.template.backends.utils import csrf_input
from django.utils.safestring import mark_safe

from caching.csrf import needs_token

register = template.Library()

# Where a kept fragment's form takes the reader's token (see ``with_csrf_token``).
CSRF_SLOT = "<!--csrf-token-->"


@register.simple_tag(takes_context=True)
def page_csrf_token(context):
    """``{% csrf_token %}`` for readers with a session; nothing on pages that may be cached.

    Use in forms that post to a view wrapped in ``caching.csrf.csrf_for_cached_pages``.
    """
    if context.get("csrf_slot"):  # a form rendered once for everyone: the token comes later
        return mark_safe(CSRF_SLOT)
    request = context.get("request")
    if request is None or not needs_token(request):
        return ""
    return csrf_input(request)


def with_csrf_token(request, html: str) -> str:
    """A kept form's HTML with this reader's CSRF token in its slot (or none, when the page
    needs none)."""
    token = csrf_input(request) if needs_token(request) else ""
    return mark_safe(html.replace(CSRF_SLOT, token, 1))
