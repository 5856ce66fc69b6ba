"""Django's ``{% url %}`` tag, its reversals remembered (``newsroom.links.kept_reverse``).

A builtin of the template engine (settings.py ``TEMPLATES``), so every template's
``{% url %}``, the admin's included, is this one: the same syntax, the same addresses and
the same errors; only a reversal already made for the same name, arguments, language and
application is not made again (75 µs of CPU each, a dozen per public page).
"""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from newsroom.links import kept_reverse

register = template.Library()


class KeptURLNode(defaulttags.URLNode):
    def render(self, context):
        """Django's ``URLNode.render`` with ``kept_reverse`` for ``reverse``."""
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
