"""The WSGI application: Django, behind the view counter's fast path (counters/wsgi.py).

Readers' views (``POST /api/views/<id>/``, the noscript pixel) are answered without
Django's middleware and URL resolver; every other request goes to Django's handler as is.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

from counters.wsgi import ViewCounterApp  # noqa: E402 (needs the apps loaded above)

application = ViewCounterApp(django_application)
