"""gunicorn settings for the newsroom (read by `gunicorn -c deploy/gunicorn.conf.py`).

Two pools, chosen by GUNICORN_POOL, behind one nginx (deploy/nginx.conf.template):

- ``pages`` (the default): sync workers, 2 × cores + 1. Page renders are CPU-bound; one
  request per process keeps the slowest answers fair (threads made the search page's p99
  1.4 s instead of 0.8 s at 32 connections on 2 cores: they queue behind each other on the
  GIL).
- ``views``: the view counter's endpoint (/api/views/), threaded workers (gthread), cores + 1
  processes × 16 threads: views arriving together in one process share one statement (group
  commit, counters/README.md), 2-3 times fewer database round trips per view, about 3,000
  counted views a second on 2 cores instead of 1,800 with sync workers.

GUNICORN_WORKERS and GUNICORN_THREADS override either (threads > 1 means gthread). nginx
buffers slow clients, so no worker waits on a reader's network. Each thread may keep a
database connection (CONN_MAX_AGE): 5 + 3 × 16 = 53 on 2 cores, below PostgreSQL's
max_connections (100 by default) with room for cron jobs and the admin.
"""

import multiprocessing
import os

cores = multiprocessing.cpu_count()
pool = os.environ.get("GUNICORN_POOL", "pages")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
threads = int(os.environ.get("GUNICORN_THREADS") or (16 if pool == "views" else 1))
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
proc_name = f"newsroom-{pool}"
# gunicorn's control socket is one path per user by default (~/.gunicorn/gunicorn.ctl): the two
# pools, a second stack or the cluster's app servers on one machine would take it from each
# other. Nothing here uses it (signals and the pid files do).
control_socket_disable = True
forwarded_allow_ips = "127.0.0.1"
