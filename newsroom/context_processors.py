from django.conf import settings


def site(request):
    """The outlet's name, for the header and titles of every page."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_DESCRIPTION": settings.NEWSROOM_SITE_DESCRIPTION,
    }
