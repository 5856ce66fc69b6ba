"""``make cluster``: the newsroom on a cluster of real engines, on this machine, in the foreground.

PostgreSQL 16 primary and a streaming replica, redis-server, moto's S3 server, two gunicorn app
servers (each with ``manage.py run_jobs`` beside it) behind nginx; the demo newsroom loaded.
Everything lives in ``.local/cluster/`` (recreated on each start) and listens on loopback or
Unix sockets only; Ctrl-C stops it all.

    CLUSTER_PORT=8890 make cluster     # nginx's port (a free one by default)
    CLUSTER_APP_SERVERS=3 make cluster
    CLUSTER_MICROCACHE=on make cluster  # nginx's 1 s microcache in front, as in production
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from tools.cluster.engines import BASE_DIR, Cluster, EngineUnavailable


def log(message: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


def main() -> int:
    folder = BASE_DIR / ".local" / "cluster"
    shutil.rmtree(folder, ignore_errors=True)
    port = int(os.environ["CLUSTER_PORT"]) if os.environ.get("CLUSTER_PORT") else None
    cluster = Cluster(
        folder,
        app_servers=int(os.environ.get("CLUSTER_APP_SERVERS", "2")),
        port=port,
        microcache=os.environ.get("CLUSTER_MICROCACHE", "off") == "on",
        log=log,
    )
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        cluster.start(load_demo=True)
        login = cluster.manage("ensure_admin", "--site-url", cluster.nginx.url + "/", capture=True)
        print(login.strip(), flush=True)
        log(f"the newsroom on the cluster: {cluster.nginx.url}/")
        for app in cluster.app_servers:
            log(f"  app server {app.name}: {app.url}/ (log {app.log_path})")
        log(f"  primary {cluster.primary.url()}")
        log(f"  replica {cluster.replica.url()}")
        log(f"  redis {cluster.redis.url()}, S3 {cluster.s3.endpoint} (bucket newsroom-media)")
        log("Ctrl-C stops everything")
        while not stopping:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except EngineUnavailable as exc:
        log(f"an engine cannot start here: {exc}")
        return 3
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the stopping
        log("stopping")
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
