"""The project's wiring: settings, root URLs, WSGI, and the middleware at the request's edge.

Settings from the environment (``settings.py``, with ``database.py`` for where PostgreSQL
lives), the root URLconf and its small views (``urls.py``, ``views.py``), the WSGI and ASGI
entry points, the request log, security headers, rate limits and the client's address
(``middleware.py``, ``logging.py``, ``ratelimit.py``), the audit log, and what every app's
URLs and templates share (``converters.py``, ``links.py``, ``context_processors.py``,
``newsroom_tags``). The services the apps use live beside it: ``caching/``, ``uploads/`` and
``ops/``."""
