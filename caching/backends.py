"""The default cache when there is no Redis: Django's file cache, with ``add`` and ``incr``
made atomic across processes.

Django's FileBasedCache implements ``add`` as "has_key, then set" and ``incr`` as "get, then
set": two gunicorn workers counting at once both read 5 and both write 6. Rate limits
(newsroom/ratelimit.py) then let through several times their limit, and two renders could
both believe they created a page-cache tag (caching/pagecache.py). An exclusive ``flock``
on one lock file in the cache folder makes each of these two operations a unit; reads and
plain writes (pages, fragments) stay lock-free (each ``set`` already replaces its file
atomically).

Writes cost the same at 100 entries and at 100,000. Django's FileBasedCache lists its whole
folder on *every* ``set`` to decide whether to cull (a glob: 17.5 ms per write at 10k files),
so an import that stores one page-cache tag per item slowed down as the cache grew, and every
page store on the live site paid the same scan. Here a process looks at the folder only once
in ``CULL_EVERY`` writes of its own (a tenth of ``MAX_ENTRIES`` by default), and does it in a
background thread: the listing is amortised to a few file names per write and no request
waits for it. Each process starts its count at a random point, so short-lived processes
(management commands, recycled workers) still cull in proportion to what they write. A cull
removes expired entries first, then a random share as Django does.

Entries are compressed at zlib's fastest level (``COMPRESS_LEVEL``, 1), not its default (6):
a page-cache miss of an article stores about 80 kB of HTML (the page, the page kept whole,
the article's fragment, its comments), which took 1.3 ms of CPU to compress at 6 and
0.5 ms at 1, for files a sixth larger (8.5 kB against 7.2 for a page). Reading is the same.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import random
import threading
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache as RedisCacheBase

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    REDIS_ERRORS: tuple = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # redis is only needed with REDIS_URL
    REDIS_ERRORS = (OSError,)

# Writes since the last look at each cache folder, for this process (Django makes one cache
# object per thread, so the count lives here, shared by them).
_writes_since_cull: dict[str, int] = {}
_culls_running: set[str] = set()
_cull_state_lock = threading.Lock()


class FileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        options = params.get("OPTIONS", {})
        self._cull_every = max(1, int(options.get("CULL_EVERY", self._max_entries // 10)))
        self._cull_in_background = bool(options.get("CULL_IN_BACKGROUND", True))
        self._compress_level = int(options.get("COMPRESS_LEVEL", 1))

    def _write_content(self, file, timeout, value):
        """Django's, at ``COMPRESS_LEVEL``."""
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), self._compress_level))

    def _cull(self):
        """Called by ``set`` before each write: count it, and only once in ``CULL_EVERY``
        writes look at the folder (Django's version lists it every time)."""
        with _cull_state_lock:
            written = _writes_since_cull.get(self._dir)
            if written is None:  # a new process: start anywhere in the interval
                written = random.randrange(self._cull_every)
            written += 1
            if written < self._cull_every:
                _writes_since_cull[self._dir] = written
                return
            _writes_since_cull[self._dir] = 0
            if self._dir in _culls_running:
                return
            _culls_running.add(self._dir)
        if self._cull_in_background:
            threading.Thread(target=self._cull_and_release, daemon=True).start()
        else:
            self._cull_and_release()

    def _cull_and_release(self):
        try:
            self.cull()
        finally:
            with _cull_state_lock:
                _culls_running.discard(self._dir)

    def cull(self) -> int:
        """Bring the folder under ``MAX_ENTRIES``: expired entries first, then a random
        ``1/CULL_FREQUENCY`` share as Django does, taken from the entries that expire.

        Entries stored without a timeout are the cache's own bookkeeping (the page cache's
        tag versions and epoch, the publication schedule): tiny, and each one shared by many
        entries. Django's random cull removes them like any page, and losing the version of a
        tag every page carries (``site``) throws away every kept page and fragment at once,
        exactly when the cache is busiest. They are spared, unless they alone fill the
        folder. Returns how many files were removed."""
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return 0
        if self._cull_frequency == 0:
            self.clear()
            return len(files)
        removed = 0
        expiring, lasting = [], []
        now = time.time()
        for path in files:
            try:
                with open(path, "rb") as handle:
                    try:
                        expiry = pickle.load(handle)
                    except EOFError:  # an empty file is expired, as for Django
                        expiry = 0
            except FileNotFoundError:
                removed += 1
                continue
            if expiry is not None and expiry < now:
                self._delete(path)
                removed += 1
            else:
                (lasting if expiry is None else expiring).append(path)
        alive = len(expiring) + len(lasting)
        if alive >= self._max_entries:
            share = alive // self._cull_frequency
            pool = expiring if len(lasting) < self._max_entries else expiring + lasting
            for path in random.sample(pool, min(share, len(pool))):
                self._delete(path)
                removed += 1
        return removed

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


class RedisCache(RedisCacheBase):
    """Django's Redis cache that treats an unreachable Redis as an empty cache.

    With ``REDIS_URL`` every app server shares one Redis for pages, fragments, tags, rate
    limits and cached sessions. When Redis restarts, Django's backend raises
    ``ConnectionError`` from every read and write, and each page becomes a 500. Here a read
    is a miss, a write is dropped, an ``add`` did not add and an ``incr`` counts 1 (rate
    limits let the request through): the site renders from PostgreSQL until Redis is back.
    Short socket timeouts (``OPTIONS``) keep a dead Redis from holding workers. The health
    endpoint still sees the outage (``ping``), so a load balancer can tell.

    Redis runs without persistence in our cluster (deploy/cluster/): a restarted Redis is
    empty, so no page kept before an invalidation that was dropped during the outage
    survives it.
    """

    def ping(self) -> bool:
        """Raise when Redis cannot be reached (used by the health endpoint)."""
        return self._cache.get_client(write=True).ping()

    def _tolerant(name, fallback):  # a class-body helper, deleted below
        method = getattr(RedisCacheBase, name)

        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except REDIS_ERRORS:
                _warn_unavailable()
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        call.__name__ = name
        call.__doc__ = method.__doc__
        return call

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    add = _tolerant("add", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", [])
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    incr = _tolerant("incr", lambda key, delta=1, version=None: delta)
    del _tolerant


_last_warning = 0.0


def _warn_unavailable() -> None:
    """One log line a second at most while Redis is away (not one per cache call)."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 1.0:
        _last_warning = now
        logging.getLogger("newsroom.cache").warning("Redis unreachable: serving without cache")
