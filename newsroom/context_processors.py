from django.conf import settings


def site(request):
    """The outlet's name, for the header and titles of every page; the most a form's text
    may weigh (the desk says so before sending more, which Django would refuse unread)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_DESCRIPTION": settings.NEWSROOM_SITE_DESCRIPTION,
        "MAX_FORM_BYTES": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
