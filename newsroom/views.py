from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import check_for_language


def root(request):
    """The bare domain opens the Arabic site, or the language the reader chose before."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not language or not check_for_language(language):
        language = settings.LANGUAGE_CODE
    return HttpResponseRedirect(f"/{language}/")


def robots_txt(request):
    """robots.txt: keep crawlers out of the admin and search results; point at the sitemaps."""
    from articles.links import absolute

    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/admin/", f"Disallow: /{code}/search/"]
    lines += [
        "",
        f"Sitemap: {absolute(request, reverse('sitemap'))}",
        f"Sitemap: {absolute(request, reverse('news_sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
