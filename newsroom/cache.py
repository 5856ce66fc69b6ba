"""The default cache when there is no Redis: Django's file cache, with ``add`` and ``incr``
made atomic across processes.

Django's FileBasedCache implements ``add`` as "has_key, then set" and ``incr`` as "get, then
set": two gunicorn workers counting at once both read 5 and both write 6. Rate limits
(newsroom/ratelimit.py) then let through several times their limit, and two renders could
both believe they created a page-cache tag (newsroom/pagecache.py). An exclusive ``flock``
on one lock file in the cache folder makes each of these two operations a unit; reads and
plain writes (pages, fragments) stay lock-free (each ``set`` already replaces its file
atomically).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    @contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, "counters.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._exclusive():
            value = self.get(key, version=version)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            # Keep the entry's own expiry (BaseCache.incr would reset it to the default).
            remaining = self._remaining(key, version)
            self.set(key, value + delta, timeout=remaining, version=version)
            return value + delta

    def _remaining(self, key, version) -> float | None:
        """Seconds the entry has left (None: no expiry), read from its file's header."""
        path = self._key_to_file(key, version)
        try:
            with open(path, "rb") as handle:
                expires = pickle.load(handle)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            return None
        if expires is None:
            return None
        return max(1.0, expires - time.time())
