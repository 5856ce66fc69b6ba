"""gunicorn settings for the newsroom (read by `gunicorn -c deploy/gunicorn.conf.py`).

Threaded workers (gthread): cores + 1 processes × 16 threads unless GUNICORN_WORKERS and
GUNICORN_THREADS say otherwise. Page renders are CPU-bound, so the processes use the cores
and the threads change little for them (measured alike: docs/view-counter.md); the view
counter's fast path gains most: views arriving together in one process share one statement
(group commit), 2-3 times fewer database round trips per view than one sync worker each.
GUNICORN_THREADS=1 gives the former sync workers (2 × cores + 1). nginx sits in front and
buffers slow clients, so no worker waits on a reader's network. Each thread may keep a
database connection (CONN_MAX_AGE): workers × threads (48 on 2 cores) must stay below
PostgreSQL's max_connections (100 by default) with room for cron jobs and the admin.
"""

import multiprocessing
import os

cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# GUNICORN_THREADS > 1 gives threaded workers (gthread): the view counter's fast path then
# records the views arriving together in one statement (group commit, docs/view-counter.md).
threads = int(os.environ.get("GUNICORN_THREADS") or 16)
worker_class = "gthread" if threads > 1 else "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or (cores + 1 if threads > 1 else 2 * cores + 1))
# A page render takes milliseconds; anything near 30 s is stuck and gets recycled.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 2
# Recycle workers now and then (slow leaks never build up); jitter so they never all restart.
# At the view counter's thousands of requests a second, 5000 recycled each worker every few
# seconds (new connections, prepared statements and salt each time): 100000 is minutes.
max_requests = 100_000
max_requests_jitter = 10_000
# Load Django once in the master: faster worker start, shared memory pages.
preload_app = True
# Unix socket readable by nginx's worker user; the socket lives in a private directory.
umask = 0o000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # nginx logs requests
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
capture_output = True  # Django's log (stderr) goes to the error log, daemonised too
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = "newsroom"
forwarded_allow_ips = "127.0.0.1"
