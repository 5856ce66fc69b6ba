from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.translation import check_for_language


def root(request):
    """The bare domain opens the Arabic site, or the language the reader chose before."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not language or not check_for_language(language):
        language = settings.LANGUAGE_CODE
    return HttpResponseRedirect(f"/{language}/")
