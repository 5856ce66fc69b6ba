"""Caching: keeps whole pages and rendered fragments until what they show changes, by tags.

The page cache for anonymous readers (``pagecache.py``), the fragments kept for everyone else
(``fragments.py``), the cache backends (``backends.py``: the file cache with atomic counters,
Redis that survives an outage), CSRF for forms on cached pages (``csrf.py``), and the one
module that names every cache tag (``tags.py``)."""
