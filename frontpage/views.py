"""The editors' preview: a layout (the draft by default) drawn as readers would see it, at a
time of the editor's choosing; staff with the right to change layouts only, never cached."""

from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from frontpage import services
from frontpage.layout import render_layout
from frontpage.models import Layout

PREVIEW_PERMISSION = "frontpage.change_layout"


def preview_time(value: str):
    """The moment asked for (``?at=2026-12-08T07:00``, local time), or None."""
    moment = parse_datetime(value.strip()) if value else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class PreviewView(TemplateView):
    template_name = "frontpage/preview.html"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise Http404  # readers never learn that a draft exists
        if not request.user.has_perm(PREVIEW_PERMISSION):
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        if "pk" in self.kwargs:
            try:
                layout = Layout.objects.get(pk=self.kwargs["pk"])
            except Layout.DoesNotExist:
                raise Http404 from None
        else:
            layout = services.current_draft()
        raw = self.request.GET.get("at", "")
        try:
            at = preview_time(raw)
            error = "" if at or not raw else _("Give the time as 2026-12-08T07:00.")
        except ValueError:
            at, error = None, _("Give the time as 2026-12-08T07:00.")
        html, _tags = render_layout(self.request, layout.pk, preview=True, now=at)
        return {
            **super().get_context_data(**kwargs),
            "main_html": html,
            "preview_layout": layout,
            "preview_error": error,
        }
