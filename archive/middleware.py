"""Old links keep working: a 404 (or WordPress's ``/?p=123``) for a recorded old address
answers 301 to the new URL of its article, section (``/category/x/``) or author (``/author/x/``).

Like django.contrib.redirects' fallback middleware, the lookup happens only when the
page was not found (or on the bare root with a post id), so normal pages cost no query.
Place it high in MIDDLEWARE so it sees the final response.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import translation

from archive.paths import key_for_request

TARGETS = ("articles:detail", "articles:section", "articles:author")
# Old section and author addresses: without a language prefix, /author/<x>/ would first be
# sent on to /ar/author/<x>/ by LocaleMiddleware (it looks like one of ours): they are
# looked up before the request goes on.
LOOKED_UP_FIRST = ("/category/", "/author/")


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.path_info == "/" and request.GET) or request.path_info.startswith(
            LOOKED_UP_FIRST
        ):
            redirect = self.redirect_for(request)
            if redirect:
                return redirect
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return self.redirect_for(request) or response
        return response

    def redirect_for(self, request):
        from archive.models import LegacyPath

        key = key_for_request(request)
        if not key or len(key) > 500 or "\x00" in key:  # PostgreSQL text holds no NUL
            return None
        row = (
            LegacyPath.objects.filter(path=key)
            .values_list("article__slug", "section__slug", "author__slug")
            .first()
        )
        if row is None:
            return None
        for slug, name in zip(row, TARGETS, strict=True):
            if slug is not None:
                with translation.override(translation.get_language_from_request(request)):
                    return HttpResponsePermanentRedirect(reverse(name, kwargs={"slug": slug}))
        return None
