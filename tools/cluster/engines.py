"""Real engines on this machine for the newsroom's cluster: loopback ports and Unix sockets only.

Used by ``make cluster`` (tools/cluster/cluster.py), ``make cluster-drill``
(tools/drills/cluster_drill.py) and the ``cluster`` tests (tests/cluster/). Each engine starts in
a folder of its own, can be stopped, killed and started again, and raises
``EngineUnavailable`` (with the reason) when it cannot start on this machine.

* ``Database`` (tools/drills/fault_drill.py): PostgreSQL 16 from the pgserver package, the primary.
* ``Replica``: a streaming replica of it, made with pgserver's own ``pg_basebackup -R``.
* ``Redis``: Debian's ``redis-server`` on a Unix socket, no persistence (a restart empties it).
* ``S3Server``: moto's server mode (PyPI ``moto[server]``), an S3-compatible endpoint.
* ``AppServer``: gunicorn serving ``newsroom.wsgi`` on a free loopback port, with
  ``manage.py run_jobs`` beside it (periodic jobs, ops/jobs.py).
* ``Nginx``: Debian's nginx in front of the app servers (deploy/cluster/nginx.conf.template).
* ``Cluster``: all of them together, with the environment every app server shares.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
BUCKET = "newsroom-media"
S3_KEY, S3_SECRET = "newsroom-cluster", "newsroom-cluster-secret"  # moto accepts any

# collectstatic fills BASE_DIR/staticfiles, as `make serve`'s stack does: it runs through
# deploy/collectstatic.sh, which lets one run at a time collect.
COLLECTSTATIC = BASE_DIR / "deploy" / "collectstatic.sh"


def manage_argv(command: list[str]) -> list[str]:
    if command[0] == "collectstatic":
        return ["env", f"PY={PYTHON}", str(COLLECTSTATIC), *command[1:]]
    return [PYTHON, "manage.py", *command]


class EngineUnavailable(RuntimeError):
    """An engine cannot run here (missing binary, failed start): the message says why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    """Call ``check`` until it returns a true value; EngineUnavailable after ``timeout``."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:
            last_error = exc
        time.sleep(interval)
    raise EngineUnavailable(f"{what} not ready after {timeout:.0f} s ({last_error!r})")


def http_status(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _die_with_parent() -> None:
    """In the child: a SIGTERM when the process that started it dies (a killed test run or
    drill leaves no engine behind). Linux only; elsewhere nothing."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Process:
    """A child in its own process group (so a kill takes its workers too), logging to a file."""

    def __init__(self, name: str, folder: Path):
        self.name, self.folder = name, folder
        self.popen: subprocess.Popen | None = None
        self.log_path = folder / f"{name}.log"

    def spawn(self, argv: list[str], **kwargs) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "a")  # the child has its own copy once spawned
        self.popen = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            **kwargs,
        )
        log.close()

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send_signal(self, signum: int) -> None:
        if self.popen is not None and self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL the whole group: the machine died."""
        self.send_signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(10)

    stop_signal = signal.SIGTERM

    def stop(self, timeout: float = 10) -> None:
        self.ask_to_stop()
        self.wait_stopped(timeout)

    def ask_to_stop(self) -> None:
        self.send_signal(self.stop_signal)

    def wait_stopped(self, timeout: float = 10) -> None:
        """Wait for the exit ``ask_to_stop`` asked for; SIGKILL after ``timeout``."""
        if not self.running:
            return
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def primary_database(folder: Path, dbname: str):
    """A scratch pgserver PostgreSQL (the fault drill's), ready for a streaming replica."""
    from tools.drills.fault_drill import Database

    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # the server runs as pgserver's own user when we are root
    try:
        return Database(folder, dbname=dbname)
    except Exception as exc:
        raise EngineUnavailable(f"PostgreSQL (pgserver) did not start: {exc}") from exc


class Replica:
    """A hot standby of ``primary``, streaming its WAL (``pg_basebackup -R``)."""

    def __init__(self, primary, folder: Path):
        from pgserver._commands import POSTGRES_BIN_PATH

        self.primary, self.bin = primary, POSTGRES_BIN_PATH
        self.user = primary.server.system_user  # None unless we are root
        self.pgdata = folder / "replica"
        self.socket_dir = folder / "replica-socket"
        self.port = free_port()  # only names the socket file: the replica listens on no TCP port
        self.dbname = primary.dbname
        self.running = False
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.chmod(0o777)
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
        try:
            subprocess.run(
                [
                    str(self.bin / "pg_basebackup"),
                    *("-h", str(primary.socket_dir), "-p", str(primary.port), "-U", "postgres"),
                    *("-D", str(self.pgdata), "-R", "-X", "stream", "-c", "fast"),
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
                user=self.user,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            detail = getattr(exc, "stderr", "") or exc
            raise EngineUnavailable(f"pg_basebackup failed: {detail}") from exc
        self.start()

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [str(self.bin / "pg_ctl"), "-D", str(self.pgdata), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
            user=self.user,
        )

    def start(self) -> None:
        try:
            self.pg_ctl(
                "-w",
                *("-o", '-h ""', "-o", f"-k {self.socket_dir}", "-o", f"-p {self.port}"),
                *("-l", str(self.pgdata / "log"), "start"),
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            log = (self.pgdata / "log").read_text(errors="replace")[-2000:]
            raise EngineUnavailable(f"the replica did not start: {exc}\n{log}") from exc
        self.running = True

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")
        self.running = False

    def url(self) -> str:
        return f"postgres://postgres@localhost:{self.port}/{self.dbname}?host={self.socket_dir}"

    def query(self, sql: str, params=()):
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user="postgres",
            dbname=self.dbname,
            autocommit=True,
        ) as conn:
            return conn.execute(sql, params).fetchall()

    def catch_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        target = self.primary.query("SELECT pg_current_wal_lsn()::text")[0][0]
        wait_for(
            lambda: self.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0][0],
            timeout,
            "replica replay",
        )


class Redis(Process):
    """Debian's redis-server on a Unix socket; no RDB, no AOF: a restart starts empty."""

    def __init__(self, folder: Path):
        super().__init__("redis", folder)
        self.socket = folder / "redis.sock"
        if not shutil.which("redis-server"):
            raise EngineUnavailable("redis-server is missing (apt-get install redis-server)")

    def start(self) -> None:
        self.spawn(
            [
                "redis-server",
                *("--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ]
        )
        wait_for(self.ping, 10, "redis-server")

    def ping(self) -> bool:
        import redis

        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
        try:
            return client.ping()
        finally:
            client.close()

    def flush(self) -> None:
        """Empty every database (as a restart would)."""
        import redis

        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
        try:
            client.flushall()
        finally:
            client.close()

    def url(self, db: int = 0) -> str:
        return f"unix://{self.socket}?db={db}"


class S3Server(Process):
    """moto's S3-compatible server on a loopback port, with the media bucket."""

    def __init__(self, folder: Path, port: int | None = None):
        super().__init__("s3", folder)
        self.port = port or free_port()
        self.program = BIN / "moto_server"
        if not self.program.exists():
            raise EngineUnavailable("moto_server is missing (pip install 'moto[server]')")

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.spawn([str(self.program), "-H", "127.0.0.1", "-p", str(self.port)])
        wait_for(lambda: http_status(self.endpoint + "/moto-api/") == 200, 30, "moto_server")

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name="us-east-1",
        )

    def create_bucket(self, name: str = BUCKET) -> None:
        """The media bucket, readable by anyone (a bucket policy, as on S3 with ACLs off)."""
        import json

        client = self.client()
        client.create_bucket(Bucket=name)
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{name}/*",
                }
            ],
        }
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


def clean_environment() -> dict:
    """This process's environment without the project's own knobs (each cluster sets its own)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_", "REDIS_", "GUNICORN_"))
    }


class AppServer(Process):
    """gunicorn on a loopback port (threaded workers), plus a ``run_jobs`` process beside it."""

    stop_signal = signal.SIGINT  # gunicorn's quick shutdown (TERM waits for keep-alives)

    def __init__(self, name: str, folder: Path, env: dict, *, workers=2, threads=4, jobs=True):
        super().__init__(name, folder)
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.jobs = Process(f"{name}-jobs", folder) if jobs else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> None:
        # Each worker's metrics in files, added up at each scrape (ops/metrics.py).
        metrics = self.folder / f"{self.name}-metrics"
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir(parents=True)
        self.spawn(
            [
                *(PYTHON, "-m", "gunicorn", "newsroom.wsgi:application"),
                *("-b", f"127.0.0.1:{self.port}", "-w", str(self.workers)),
                *("--threads", str(self.threads), "--timeout", "30", "--graceful-timeout", "5"),
                *("--keep-alive", "5"),
                *("--forwarded-allow-ips", "127.0.0.1", "--max-requests", "0"),
                "--preload",  # Django loaded once in the master, as deploy/gunicorn.conf.py does
                "--no-control-socket",  # one per user by default: several servers here
            ],
            cwd=BASE_DIR,
            env=self.env | {"PROMETHEUS_MULTIPROC_DIR": str(metrics)},
        )
        if self.jobs is not None:
            self.jobs.spawn([PYTHON, "manage.py", "run_jobs"], cwd=BASE_DIR, env=self.env)
        if wait:
            self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        def healthy():
            if not self.running:
                raise EngineUnavailable(f"{self.name} exited:\n{self.log_tail()}")
            return http_status(self.url + "/health/") == 200

        wait_for(healthy, timeout, f"app server {self.name}", interval=0.2)

    def kill(self) -> None:
        super().kill()
        if self.jobs is not None:
            self.jobs.kill()

    def stop(self, timeout: float = 10) -> None:
        super().stop(timeout)
        if self.jobs is not None:
            self.jobs.stop(timeout)


class Nginx(Process):
    """Debian's nginx: static files, media from the bucket, pages from the app servers."""

    TEMPLATE = BASE_DIR / "deploy" / "cluster" / "nginx.conf.template"  # server configuration

    def __init__(self, folder: Path, port: int | None = None):
        super().__init__("nginx", folder)
        self.port = port or free_port()
        self.nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(self.nginx).exists():
            raise EngineUnavailable("nginx is missing (apt-get install nginx)")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def configure(self, app_servers: list[AppServer], s3: S3Server | None, microcache: bool):
        state = self.folder / "nginx"
        (state / "tmp").mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        state.chmod(0o755)
        servers = "\n".join(
            f"        server 127.0.0.1:{app.port} max_fails=2 fail_timeout=2s;"
            for app in app_servers
        )
        media = (
            f"proxy_pass {s3.endpoint}/{BUCKET}/;"
            if s3 is not None
            else f"alias {self.folder / 'media'}/;"
        )
        fields = {
            "@STATE@": str(state),
            "@LISTEN@": f"127.0.0.1:{self.port}",
            "@APP_SERVERS@": servers.strip(),
            "@STATIC_ROOT@": str(BASE_DIR / "staticfiles"),
            "@MEDIA@": media,
            "@PROXY_CACHE@": "pages" if microcache else "off",
        }
        text = self.TEMPLATE.read_text()
        for name, value in fields.items():
            text = text.replace(name, value)
        self.conf = state / "nginx.conf"
        self.conf.write_text(text)

    def start(self) -> None:
        state = self.conf.parent
        self.spawn(
            [self.nginx, "-e", str(state / "error.log"), "-p", str(state), "-c", str(self.conf)],
        )
        wait_for(lambda: http_status(self.url + "/health/") is not None, 15, "nginx")


class Cluster:
    """Primary + replica, Redis, S3, ``app_servers`` gunicorns with job runners, nginx."""

    def __init__(
        self,
        folder: Path,
        *,
        app_servers: int = 2,
        port: int | None = None,
        microcache: bool = False,
        dbname: str = "newsroom",
        extra_env: dict | None = None,
        seed: Path | None = None,
        log=print,
    ):
        """``seed``: a plain ``pg_dump`` of a database migrated to today's head, loaded into the
        primary before ``migrate`` (which then finds nothing to apply): the tests pass their
        migrated template's, a start from zero migrates every app (about 8 s of CPU)."""
        self.folder, self.seed = folder, seed
        self.n_app_servers, self.port, self.microcache = app_servers, port, microcache
        self.dbname, self.extra_env, self.log = dbname, extra_env or {}, log
        self.primary = self.replica = self.redis = self.s3 = self.nginx = None
        self.app_servers: list[AppServer] = []
        self.secret_key = secrets.token_urlsafe(50)
        self.metrics_token = secrets.token_urlsafe(24)

    def env(self) -> dict:
        """What every app server shares: the same secret key and the same engines."""
        env = {
            **clean_environment(),
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.primary.url(),
            "DATABASE_CONN_MAX_AGE": "60",
            "NEWSROOM_DB_CONNECT_TIMEOUT": "2",
            "NEWSROOM_SERVE_MEDIA": "0",
            "NEWSROOM_LOG_FORMAT": "text",
            "NEWSROOM_REQUEST_LOG_LEVEL": "WARNING",
            "NEWSROOM_CACHE_PREFIX": self.dbname,
            "NEWSROOM_TRUSTED_PROXY_COUNT": "1",  # nginx in front adds the reader's address
            "NEWSROOM_METRICS_TOKEN": self.metrics_token,
        }
        if self.replica is not None:
            env["DATABASE_REPLICA_URLS"] = self.replica.url()
        if self.redis is not None:
            env["REDIS_URL"] = self.redis.url()
        if self.s3 is not None:
            env |= {
                "NEWSROOM_S3_BUCKET": BUCKET,
                "NEWSROOM_S3_ENDPOINT_URL": self.s3.endpoint,
                "NEWSROOM_S3_ACCESS_KEY_ID": S3_KEY,
                "NEWSROOM_S3_SECRET_ACCESS_KEY": S3_SECRET,
                "NEWSROOM_S3_REGION": "us-east-1",
            }
            if self.nginx is not None:
                env["NEWSROOM_MEDIA_PUBLIC_URL"] = self.nginx.url + "/media"
        return env | self.extra_env

    def manage_together(self, *commands: list[str]) -> None:
        """Run several ``manage.py`` commands side by side; CalledProcessError if one fails."""
        env = self.env()
        running = [
            (command, subprocess.Popen(manage_argv(command), cwd=BASE_DIR, env=env))
            for command in commands
        ]
        for command, process in running:
            if process.wait() != 0:
                raise subprocess.CalledProcessError(process.returncode, ["manage.py", *command])

    def manage(self, *args: str, capture: bool = False) -> str:
        done = subprocess.run(
            manage_argv(list(args)),
            cwd=BASE_DIR,
            env=self.env(),
            check=True,
            capture_output=capture,
            text=True,
        )
        return done.stdout if capture else ""

    def shell(self, code: str) -> dict:
        """Run Python in ``manage.py shell`` against the cluster; its last line, as JSON."""
        out = self.manage("shell", "-c", code, capture=True)
        import json

        return json.loads(out.strip().splitlines()[-1])

    def start(self, *, load_demo: bool = False) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        started = time.monotonic()
        self.log("starting PostgreSQL 16 (primary)")
        self.primary = primary_database(self.folder / "pg", self.dbname)
        self.log("starting the streaming replica (pg_basebackup -R)")
        self.replica = Replica(self.primary, self.folder / "pg")
        self.log("starting redis-server")
        self.redis = Redis(self.folder / "redis")
        self.redis.start()
        self.log("starting the S3 server (moto)")
        self.s3 = S3Server(self.folder / "s3")
        self.s3.start()
        self.s3.create_bucket()
        self.nginx = Nginx(self.folder, self.port)
        if self.seed is not None:
            self.log(f"loading {self.seed.name} into the primary")
            self.primary.load(self.seed)
        self.log("migrating the primary, collecting static files")
        self.manage_together(["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"])
        if load_demo:
            self.log("loading the demo newsroom")
            self.manage("load_demo")
        for number in range(1, self.n_app_servers + 1):
            self.app_servers.append(AppServer(f"app{number}", self.folder / "app", self.env()))
        self.log(f"starting {self.n_app_servers} app servers (gunicorn) and nginx")
        for app in self.app_servers:
            app.start(wait=False)
        for app in self.app_servers:
            app.wait_healthy()
        self.nginx.configure(self.app_servers, self.s3, self.microcache)
        self.nginx.start()
        self.replica.catch_up()
        self.log(f"cluster up in {time.monotonic() - started:.1f} s: {self.nginx.url}/")

    def stop(self) -> None:
        # Every process is asked at once, then waited for (one after the other, the two app
        # servers' shutdowns alone took 2.5 s); the databases go last.
        parts = [self.nginx, *self.app_servers, self.s3, self.redis]
        parts += [app.jobs for app in self.app_servers]
        parts = [part for part in parts if part is not None]
        for part in parts:
            try:
                part.ask_to_stop()
            except Exception as exc:  # stop what can be stopped
                self.log(f"stopping {part.name}: {exc}")
        for part in parts:
            try:
                part.wait_stopped()
            except Exception as exc:
                self.log(f"stopping {part.name}: {exc}")
        if self.replica is not None and self.replica.running:
            try:
                self.replica.stop()
            except Exception as exc:
                self.log(f"stopping the replica: {exc}")
        if self.primary is not None:
            stop_primary(self.primary)


def stop_primary(primary) -> None:
    """Stop the primary and delete its data (pgserver's cleanup alone only stops the
    postmaster it started itself, not one restarted since, and says so loudly)."""
    import logging

    if primary.running:
        primary.stop()
    pg_logger = logging.getLogger("pgserver")
    level, pg_logger.level = pg_logger.level, logging.CRITICAL
    try:
        primary.cleanup()
    finally:
        pg_logger.setLevel(level)
