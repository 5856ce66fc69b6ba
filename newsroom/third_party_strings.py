"""Strings that third-party templates show the desk but do not translate into Arabic.

django-simple-history's history table ("Changes", and "None" for a version without any)
ships an Arabic catalogue without them. Listing them here puts them in our catalogue
(locale/ar), which Django consults before the app's own.
"""

from django.utils.translation import gettext_noop

SIMPLE_HISTORY = (gettext_noop("Changes"), gettext_noop("None"))
