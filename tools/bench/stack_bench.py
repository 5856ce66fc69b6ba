"""`make bench`: the generated newsroom on the production stack, measured with wrk beside the peers.

Steps (each bounded; all load goes to 127.0.0.1):
1. the generated newsroom in its own database ``bench_newsroom`` (10,000 articles, 50 sections,
   50 authors, 100,000 comments; reused when already there), and EXPLAIN of every page type;
2. the peers (../shared/peers: WordPress, WordPress + fastcgi_cache, static nginx, plain
   Django), one round, when they are set up on this machine (/tmp/peers);
3. our stack (deploy/serve.sh) four times: cold (no page cache, no kept fragments: the
   article page only), uncached (Django's page cache and nginx's microcache off, fragments
   kept), Django's page cache only, and everything on; wrk -t2 -c32 -d15s on the
   article, home and section pages (and search when the project has it), plus the view-counter
   endpoint when it exists, and the content API's article list and detail (/api/v1/);
4. the cluster (tools/cluster/engines.py ``Cluster``: primary + replica, Redis, S3, two
   gunicorn app servers behind the cluster's nginx, the demo newsroom): the uncached article
   (Django's page cache and nginx's microcache off) with nginx in front of ONE app server,
   then of TWO; then the cached article (both caches on) through that nginx, beside the
   static nginx peer of step 2 (or, without it, a plain nginx serving a saved copy of the
   same page);
5. a table: requests/s, p50, p99, errors, and ratios to the peers measured in this run, and
   the cluster's two lines (two/one app servers, cluster nginx/static nginx).

Knobs: BENCH_DURATION (15s), BENCH_CONNS (32), BENCH_THREADS (2), BENCH_PEERS (1|0),
BENCH_REGENERATE (0|1), BENCH_OTHERS (1|0: also make bench-views and bench-search),
BENCH_PARTS (stack,peers,others,cluster: which parts run, e.g. ``BENCH_PARTS=cluster``),
BENCH_PAGES (article,home,section,topic,author,search,api list,api detail: the stack's pages to
measure, all by default), BENCH_PHASES (cold,uncached,django-cache,cached,long-tail: the
stack's phases, all by default; long-tail: random articles, every request from its own
address, BENCH_LONG_TAIL_ADDRESSES of them at least, 5000), SERVE_PORT (8880),
BENCH_OUT (.local/bench/<time>).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DB = "bench_newsroom"
PORT = int(os.environ.get("SERVE_PORT", "8880"))
DURATION = os.environ.get("BENCH_DURATION", "15s")
CONNS = os.environ.get("BENCH_CONNS", "32")
THREADS = os.environ.get("BENCH_THREADS", "2")
# shared/ sits beside the clone (../shared); a git worktree one level deeper finds ../../shared.
PEERS_DIR = Path(
    os.environ.get("PEERS_DIR")
    or next(
        (
            candidate
            for candidate in (
                ROOT.parent / "shared" / "peers",
                ROOT.parent.parent / "shared" / "peers",
            )
            if candidate.is_dir()
        ),
        ROOT.parent / "shared" / "peers",
    )
).resolve()
PEERS_STATE = Path(os.environ.get("PEERS_STATE", "/tmp/peers"))
PEER_TARGETS = ("wp_single", "wp_single_fcgi_cache", "static", "django")
OUT = Path(os.environ.get("BENCH_OUT", ROOT / ".local" / "bench" / time.strftime("%Y%m%dT%H%M%S")))
# wrk is one client address standing in for thousands of readers: per-address rate limits
# (newsroom/ratelimit.py) would turn most of its requests into 429s, so they are off here.
ENV = {
    **os.environ,
    "NEWSROOM_DB_NAME": DB,
    "DJANGO_DEBUG": "0",
    "NEWSROOM_RATE_LIMIT_ENABLED": "0",
}


# The parts that failed, named in the last line; any makes the exit status non-zero.
FAILURES: list[str] = []
ALL_PARTS = ("stack", "peers", "others", "cluster")


def parts() -> set[str]:
    """BENCH_PARTS: the parts to run (all by default); an unknown name fails the run."""
    chosen = {p.strip() for p in os.environ.get("BENCH_PARTS", ",".join(ALL_PARTS)).split(",")}
    chosen.discard("")
    unknown = chosen - set(ALL_PARTS)
    if unknown:
        failed(
            "BENCH_PARTS", f"unknown {', '.join(sorted(unknown))} (known: {', '.join(ALL_PARTS)})"
        )
    return chosen & set(ALL_PARTS)


def failed(part: str, reason: str) -> None:
    FAILURES.append(f"{part}: {reason}")
    say(f"FAILED: {part}: {reason}")


def attempt(part: str, work, default=None):
    """``work()``, or ``default`` with the part recorded as failed if it raises."""
    try:
        return work()
    except subprocess.CalledProcessError as error:
        failed(part, f"{' '.join(map(str, error.cmd))[:120]} exited with {error.returncode}")
    except Exception as error:  # any other breakage of one part: named, the rest goes on
        failed(part, f"{type(error).__name__}: {error}")
    return default


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, env=None, check=True, capture=False, **kwargs):
    return subprocess.run(
        cmd, cwd=ROOT, env=env or ENV, check=check, text=True,
        capture_output=capture, **kwargs,
    )  # fmt: skip


def manage(*args, capture=True, check=True):
    return run([PY, "manage.py", *args], capture=capture, check=check)


def busy_percent(seconds: float = 2.0) -> int:
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, idle

    a = sample()
    time.sleep(seconds)
    b = sample()
    busy, idle = b[0] - a[0], b[1] - a[1]
    return round(100 * busy / max(busy + idle, 1))


# wrk ----------------------------------------------------------------------------------------


def ensure_tool(binary: str, package: str) -> bool:
    if shutil.which(binary):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"installing {package} from Debian's packages")
        run(["apt-get", "install", "-y", "-qq", package], check=False, capture=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
    return bool(shutil.which(binary))


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit], 3)


def parse_wrk(output: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    total = re.search(r"(\d+) requests in", output)
    timeouts = int(sockets.group(4)) if sockets else 0
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": to_ms(p50.group(1)) if p50 else None,
        "p99_ms": to_ms(p99.group(1)) if p99 else None,
        "requests": int(total.group(1)) if total else 0,
        "timeouts": timeouts,
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    }


def wrk(name: str, url: str, *, script: Path | None = None, duration=DURATION) -> dict:
    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNS}", f"-d{duration}", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    warm = subprocess.run([*cmd[:3], "-d3s", *cmd[4:], url], capture_output=True, text=True)
    del warm
    busy = busy_percent(1.0)
    output = subprocess.run([*cmd, url], capture_output=True, text=True).stdout
    (OUT / f"wrk.{name}.txt").write_text(output)
    result = {**parse_wrk(output), "busy_before": busy, "url": url}
    say(
        f"{name:28} {result['rps']:10.1f} req/s  p50 {result['p50_ms']} ms  "
        f"p99 {result['p99_ms']} ms  errors {result['errors']}  (machine {busy}% busy before)"
    )
    return result


# The stack's pages, in the order measured and printed.
PAGE_NAMES = ("article", "home", "section", "topic", "author", "search", "api list", "api detail")

# Peers --------------------------------------------------------------------------------------

# Where each peer answers once its setup script has run (../shared/peers/lib.sh).
PEER_URLS = {
    "wp_single": "http://127.0.0.1:8081/guardian-daesh-defections/",
    "wp_single_fcgi_cache": "http://127.0.0.1:8084/guardian-daesh-defections/",
    "static": "http://127.0.0.1:8082/guardian-daesh-defections/",
    "django": "http://127.0.0.1:8083/guardian-daesh-defections/",
}


def running_peers() -> dict:
    """Only some peers set up (e.g. setup_django.sh alone, which leaves plain Django running):
    run_peers.sh needs them all, so wrk measures, in this run, each peer that answers."""
    results = {}
    for target in PEER_TARGETS:
        try:
            with urllib.request.urlopen(PEER_URLS[target], timeout=5) as answer:
                up = answer.status == 200
        except OSError:
            up = False
        if up:
            results[target] = wrk(f"peer-{target}", PEER_URLS[target])
        else:
            say(f"skipped: peer {target} (not set up or not running)")
    return results


def run_peers() -> dict:
    if os.environ.get("BENCH_PEERS", "1") == "0":
        say("skipped: peers (BENCH_PEERS=0)")
        return {}
    if not (PEERS_STATE.is_dir() and (PEERS_DIR / "run_peers.sh").exists()):
        say(f"skipped: peers are not set up on this machine ({PEERS_STATE} missing)")
        return {}
    if not (PEERS_STATE / "nginx" / "sites" / "static.conf").exists():
        return running_peers()
    raw = OUT / "peers"
    say(f"peers: {' '.join(PEER_TARGETS)}, 1 round (~2 minutes), raw output in {raw}")
    env = {
        **os.environ, "TARGETS": " ".join(PEER_TARGETS), "ROUNDS": "1", "RAW_DIR": str(raw),
        "DURATION": DURATION, "CONNS": CONNS, "THREADS": THREADS, "QUIET_WAIT": "20",
    }  # fmt: skip
    done = subprocess.run(
        ["bash", str(PEERS_DIR / "run_peers.sh")], env=env, capture_output=True, text=True
    )
    (OUT / "peers.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        failed("peers", f"run_peers.sh exited with {done.returncode}; see {OUT / 'peers.log'}")
    results = {}
    for target in PEER_TARGETS:
        path = raw / f"run1.{target}.txt"
        if path.exists():
            text = path.read_text()
            busy = re.search(r"machine busy before this run: (\d+)%", text)
            results[target] = {
                **parse_wrk(text),
                "busy_before": int(busy.group(1)) if busy else None,
            }
    return results


# Our stack ----------------------------------------------------------------------------------


def serve(action: str, **env) -> None:
    run(["bash", "deploy/serve.sh", action], env={**ENV, "SERVE_PORT": str(PORT), **env})


def bench_paths() -> dict:
    code = (
        "import json; from django.urls import reverse, NoReverseMatch; "
        "from django.utils import translation; "
        "from articles.models import Article, Section; "
        "translation.activate('ar'); a = Article.objects.get(slug='bench-article'); "
        "s = Section.objects.order_by('order').first(); "
        "paths = {'article': a.get_absolute_url(), 'home': reverse('articles:home'), "
        "'section': s.get_absolute_url()}\n"
        "try:\n"
        "    paths['author'] = a.authors.order_by('pk').first().get_absolute_url()\n"
        "except Exception: pass\n"
        "try:\n"
        "    paths['topic'] = a.topics.order_by('pk').first().get_absolute_url()\n"
        "except Exception: pass\n"
        "for name in ('search:index', 'search:search', 'discovery:search', 'search'):\n"
        "    try: paths['search'] = reverse(name); break\n"
        "    except NoReverseMatch: pass\n"
        "try: paths['record_view'] = reverse('record_view', kwargs={'article_id': a.pk})\n"
        "except NoReverseMatch: pass\n"
        "try:\n"
        "    paths['api list'] = reverse('api:article-list')\n"
        "    paths['api detail'] = reverse('api:article-detail', kwargs={'pk': a.pk})\n"
        "except NoReverseMatch: pass\n"
        "paths['article_id'] = a.pk; paths['views'] = a.view_count\n"
        "print(json.dumps(paths))"
    )
    return json.loads(manage("shell", "-c", code).stdout.strip().splitlines()[-1])


def view_count(article_id: int) -> int:
    code = (
        "from articles.models import Article; "
        f"print(Article.objects.get(pk={article_id}).view_count)"
    )
    return int(manage("shell", "-c", code).stdout.strip().splitlines()[-1])


def post_script(path: Path) -> Path:
    path.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                    'wrk.body = "{}"\n')  # fmt: skip
    return path


def measure_stack(paths: dict) -> dict:
    base = f"http://127.0.0.1:{PORT}"
    pages = {name: paths[name] for name in PAGE_NAMES if name in paths}
    if "search" in pages:
        pages["search"] += "?q=" + quote("الحكومة")
    else:
        say("skipped: search (no search URL in this project)")
    results = {}
    phases = (
        # Nothing kept at all: every fragment rendered on every request (the worst case, e.g.
        # right after a deploy or an edit), the article page only.
        (
            "cold",
            {"MICROCACHE": "off", "NEWSROOM_PAGE_CACHE": "0", "NEWSROOM_FRAGMENT_CACHE": "0"},
            {"article": pages["article"]},
        ),
        # No page cache (what a reader with a session gets): a render per request, from the
        # kept fragments (caching/fragments.py).
        ("uncached", {"MICROCACHE": "off", "NEWSROOM_PAGE_CACHE": "0"}, pages),
        ("django-cache", {"MICROCACHE": "off", "NEWSROOM_PAGE_CACHE": "1"}, pages),
        ("cached", {"MICROCACHE": "on", "NEWSROOM_PAGE_CACHE": "1"}, pages),
    )
    only_pages = os.environ.get("BENCH_PAGES")  # e.g. "article,api list": a short run
    only_phases = os.environ.get("BENCH_PHASES")  # e.g. "uncached"
    for phase, env, phase_pages in phases:
        if only_phases and phase not in only_phases.split(","):
            continue
        if only_pages:
            phase_pages = {n: p for n, p in phase_pages.items() if n in only_pages.split(",")}
            if not phase_pages:
                continue
        serve("start", **env)
        try:
            for name, path in phase_pages.items():
                results[f"{name} {phase}"] = wrk(f"{name.replace(' ', '-')}.{phase}", base + path)
            if phase == "cached":
                if "record_view" in paths:
                    before = view_count(paths["article_id"])
                    results["record_view POST"] = wrk(
                        "record_view", base + paths["record_view"],
                        script=post_script(OUT / "post.lua"),
                    )  # fmt: skip
                    time.sleep(3)
                    after = view_count(paths["article_id"])
                    results["record_view POST"]["counted"] = after - before
                    say(f"views counted during the run: {after - before:,} "
                        f"({results['record_view POST']['requests']:,} POSTs)")  # fmt: skip
                else:
                    say("skipped: view-recording endpoint (URL 'record_view' not in this project)")
        finally:
            serve("stop", **env)
    if not only_phases or "long-tail" in only_phases.split(","):
        results.update(long_tail_runs(article_paths()))
    return results


def long_tail_runs(paths: list[str], keep_ahead: bool = True) -> dict:
    """Our stack's long tail over ``paths`` (every cache on, the per-address rate limit on,
    as in production): first as the archive is when nobody asked for its pages lately (each
    request renders its article and keeps its answer), then, with ``keep_ahead``, after
    ``manage.py keep_answers`` kept every published article's answer ahead of its readers;
    then the plain Django peer's under the same client."""
    results = {}
    env = {
        "MICROCACHE": "on",
        "NEWSROOM_PAGE_CACHE": "1",
        "NEWSROOM_RATE_LIMIT_ENABLED": "1",
        # Room for every article's answer and fragments: a cull would throw a third away.
        "NEWSROOM_CACHE_MAX_ENTRIES": os.environ.get("BENCH_CACHE_MAX_ENTRIES", "400000"),
    }
    seconds = float(DURATION.rstrip("s"))
    serve("start", **env)
    try:
        # Nothing kept by an earlier run (kept answers last a day): every page stale first.
        run([PY, "manage.py", "purge_pages"], env={**ENV, **env}, capture=True)
        results["article long-tail"] = long_tail(paths, seconds)
        if keep_ahead and attempt("answers kept ahead", lambda: keep_answers(env)):
            results["article long-tail kept"] = long_tail(paths, seconds, name="article-kept")
    finally:
        serve("stop", **env)
    peer = attempt("peer long tail", lambda: peer_long_tail(seconds))
    if peer:
        results["peer django long-tail"] = peer
    return results


def keep_answers(env: dict) -> bool:
    """``manage.py keep_answers`` for the served stack (its cache, its address), timed."""
    started = time.perf_counter()
    job_env = {**ENV, **env, "NEWSROOM_RATE_LIMIT_ENABLED": "0"}
    origin = f"--origin=http://127.0.0.1:{PORT}"
    done = run([PY, "manage.py", "keep_answers", origin, "--jobs=2"], env=job_env, capture=True)
    say(f"answers kept ahead in {time.perf_counter() - started:.0f} s: {done.stdout.strip()}")
    return True


def long_tail_lines(results: dict, peer_wrk: dict | None = None) -> list[str]:
    lines = []
    for key, what in (
        ("article long-tail kept", "answers kept ahead"),
        ("article long-tail", "nothing kept ahead: each request renders its article"),
    ):
        run, peer_run = results.get(key), results.get("peer django long-tail")
        if run and peer_wrk:
            lines.append(
                f"long tail ({what}; random articles, {run['addresses']:,} addresses, every "
                f"cache on) = {run['rps'] / peer_wrk['rps']:.2f}× the plain Django page under "
                "wrk (goal ≥ 1.5×)"
            )
        if run and peer_run:
            lines.append(
                f"long tail ({what}; {run['rps']:,.0f} req/s, random among "
                f"{run['articles']:,} articles) = {run['rps'] / peer_run['rps']:.2f}× the "
                f"plain Django peer under the same client ({peer_run['rps']:,.0f} req/s, random "
                f"among its {peer_run['articles']} articles, {peer_run['addresses']:,} addresses)"
            )
    return lines


# The long tail ------------------------------------------------------------------------------
# Random articles of the whole archive through the production stack with every cache on (so
# nearly every request misses both nginx's microcache and the page cache), each request from
# a loopback address of its own (127.64.0.0/10: the per-address rate limit on, as in
# production), on a new connection, as distinct readers arrive. wrk cannot choose its source
# address, so a small asyncio client does it; it runs until both the duration has passed
# and LONG_TAIL_ADDRESSES requests (as many distinct addresses) were answered.

LONG_TAIL_ADDRESSES = int(os.environ.get("BENCH_LONG_TAIL_ADDRESSES", "5000"))


def article_paths(limit: int | None = None) -> list[str]:
    """Every published article's Arabic address, or ``limit`` of them drawn at random (a
    sample of a million-article archive)."""
    sample = f".order_by('?')[:{int(limit)}]" if limit else ""
    code = (
        "from django.utils import translation; from articles.models import Article; "
        "translation.activate('ar'); "
        "[print(a.get_absolute_url()) for a in "
        f"Article.objects.published().only('slug'){sample}]"
    )
    lines = manage("shell", "-c", code).stdout.splitlines()
    return [quote(line.strip(), safe="/%") for line in lines if line.startswith("/")]


def source_address(index: int) -> str:
    index += 1  # 127.64.0.1, 127.64.0.2, …: never a network or broadcast-looking .0
    return f"127.{64 + index // 65_536 % 64}.{index // 256 % 256}.{index % 256 or 1}"


def long_tail(paths: list[str], seconds: float, *, port: int = PORT, name="article") -> dict:
    import asyncio
    import random

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    counter = iter(range(10**9))

    async def one(path: str, index: int) -> None:
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", port, local_addr=(source_address(index), 0)),
                5,
            )
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "User-Agent: long-tail-bench\r\nConnection: close\r\n\r\n".encode()
            )
            answer = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            status = answer[9:12].decode() or "none"
        except (TimeoutError, OSError):
            status = "timeout"
        statuses[status] = statuses.get(status, 0) + 1
        latencies.append(time.perf_counter() - started)

    async def client(deadline: float) -> None:
        while time.perf_counter() < deadline or len(latencies) < LONG_TAIL_ADDRESSES:
            await one(random.choice(paths), next(counter))

    async def main() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(client(started + seconds) for _ in range(int(CONNS))))
        return time.perf_counter() - started

    busy = busy_percent(1.0)
    client_cpu = time.process_time()
    elapsed = asyncio.run(main())
    client_cpu = time.process_time() - client_cpu
    latencies.sort()
    done = len(latencies)
    result = {
        "rps": done / elapsed,
        "p50_ms": round(latencies[done // 2] * 1000, 2),
        "p99_ms": round(latencies[min(done - 1, done * 99 // 100)] * 1000, 2),
        "errors": done - statuses.get("200", 0),
        "requests": done,
        "addresses": done,
        "statuses": statuses,
        "articles": len(paths),
        "busy_before": busy,
        # This client's own CPU (it shares the machine's cores with the servers it measures).
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(done, 1), 3),
    }
    (OUT / f"{name}-long-tail.json").write_text(json.dumps(result, indent=2))
    say(
        f"{name + '.long-tail':28} {result['rps']:10.1f} req/s  p50 {result['p50_ms']} ms  "
        f"p99 {result['p99_ms']} ms  errors {result['errors']}  ({done:,} requests from as "
        f"many addresses, random among {len(paths):,} articles; answers {statuses}; "
        f"machine {busy}% busy before; the client's CPU "
        f"{result['client_cpu_ms_per_request']} ms a request)"
    )
    return result


# The plain Django peer's long tail: the same client (a new connection from an address of its
# own per request) over the peer's 201 articles, so that the ratio compares the servers under
# one load shape, and not our stack under this client against the peer under wrk's kept-alive
# connections. Started here (../shared/peers/lib.sh) and stopped again if it was not running.
PEER_DJANGO_PORT = 8083
PEER_PATHS = ["/guardian-daesh-defections/", *(f"/news-{n}/" for n in range(1, 201))]


def peer_long_tail(seconds: float) -> dict | None:
    lib = PEERS_DIR / "lib.sh"
    if not (lib.exists() and (PEERS_STATE / "venv").is_dir()):
        say("skipped: the plain Django peer's long tail (the peers are not set up here)")
        return None

    def peers_shell(commands: str) -> None:
        env = {**os.environ, "PEERS_STATE": str(PEERS_STATE)}
        run(["bash", "-c", f'source "{lib}" && {commands}'], env=env, capture=True)

    try:
        with urllib.request.urlopen(PEER_URLS["django"], timeout=5) as answer:
            was_running = answer.status == 200
    except OSError:
        was_running = False
    if not was_running:
        peers_shell(f"start_pg && start_gunicorn persist {PEER_DJANGO_PORT} 600")
    try:
        return long_tail(PEER_PATHS, seconds, port=PEER_DJANGO_PORT, name="peer-django")
    finally:
        if not was_running:
            peers_shell("stop_gunicorn persist && stop_pg")


def other_targets() -> None:
    if os.environ.get("BENCH_OTHERS", "1") == "0":
        say("skipped: make bench-views and bench-search (BENCH_OTHERS=0)")
        return
    for target in ("bench-views", "bench-search"):
        if run(["make", "-n", target], check=False, capture=True).returncode == 0:
            say(f"make {target}")
            done = run(["make", target], check=False, env={**ENV, "SERVE_PORT": str(PORT)})
            if done.returncode != 0:
                failed(f"make {target}", f"exited with {done.returncode}")
        else:
            say(f"skipped: make {target} (no such target in this project)")


# The cluster -------------------------------------------------------------------------------

# What every cluster app server gets besides the cluster's own settings: no per-address rate
# limits (wrk is one address) and, to begin with, no page cache (uncached phases).
CLUSTER_ENV = {"NEWSROOM_RATE_LIMIT_ENABLED": "0", "NEWSROOM_PAGE_CACHE": "0"}
CLUSTER_ARTICLE = (
    "import json; from django.utils import translation; from articles.models import Article; "
    "translation.activate('ar'); "
    "a = Article.objects.published().filter(live_coverage__isnull=True)"
    ".order_by('-published_at').first(); "
    "print(json.dumps({'path': a.get_absolute_url(), 'title': a.title}))"
)
# A plain nginx for a saved copy of the page when the peers' static nginx is not in this run:
# the peers' settings (../shared/peers/lib.sh, static_limit.sh).
STATIC_NGINX = """worker_processes auto;
pid {state}/nginx.pid;
error_log {state}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush off;
    tcp_nodelay on;
    keepalive_timeout 65;
    server_tokens off;
    access_log off;
    gzip off;
    client_body_temp_path {state}/tmp/body;
    proxy_temp_path {state}/tmp/proxy;
    fastcgi_temp_path {state}/tmp/fastcgi;
    uwsgi_temp_path {state}/tmp/uwsgi;
    scgi_temp_path {state}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        charset utf-8;
        open_file_cache max=1000 inactive=60s;
        location / {{ try_files $uri ${{uri}}index.html =404; }}
    }}
}}
"""


def fetch_page(url: str) -> tuple[dict, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return dict(response.headers), response.read()


def measure_cluster(peers: dict, results: dict) -> dict:
    """The cluster's two lines: uncached article with nginx before one and two app servers,
    cached article through the cluster's nginx beside static nginx (see the docstring).
    Fills ``results`` as it goes (what was measured is kept when a later step fails)."""
    if str(ROOT) not in sys.path:  # run as a script: the project's packages
        sys.path.insert(0, str(ROOT))
    from tools.cluster.engines import (
        Cluster,
        EngineUnavailable,
        Process,
        free_port,
        http_status,
        wait_for,
    )

    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-cluster-"))
    cluster = Cluster(
        folder, dbname="bench_cluster", extra_env=CLUSTER_ENV, log=lambda m: say(f"cluster: {m}")
    )
    static_nginx = None
    try:
        try:
            cluster.start(load_demo=True)
        except EngineUnavailable as error:
            raise RuntimeError(f"the cluster cannot start: {error}") from error
        article = cluster.shell(CLUSTER_ARTICLE)
        results["article"] = {
            "path": article["path"],
            "uncached by": "NEWSROOM_PAGE_CACHE=0 on the app servers, proxy_cache off in the "
            "cluster's nginx; answers checked to carry neither X-Page-Cache nor X-Cache",
        }
        nginx = cluster.nginx
        url = nginx.url + article["path"]

        def front(app_servers, microcache: bool) -> None:
            nginx.stop()
            nginx.configure(app_servers, cluster.s3, microcache)
            nginx.start()

        for count in (1, 2):
            front(cluster.app_servers[:count], microcache=False)
            headers, _body = fetch_page(url)
            cached = headers.get("X-Page-Cache", ""), headers.get("X-Cache", "")
            if any(cached):  # every request must reach Django and render
                raise RuntimeError(f"the uncached phase answered from a cache: {cached}")
            name = f"article uncached, {count} app server{'s' if count > 1 else ''}"
            results[name] = wrk(f"cluster-article-uncached-{count}", url)
        # Everything on: Django's page cache on both app servers, nginx's microcache.
        for app in cluster.app_servers:
            app.stop()
            app.env = {**app.env, "NEWSROOM_PAGE_CACHE": "1"}
            app.start()
        front(cluster.app_servers, microcache=True)
        fetch_page(url)
        headers, body = fetch_page(url)
        if headers.get("X-Cache") != "HIT":
            raise RuntimeError(f"the cached phase missed nginx's microcache: {headers}")
        results["article cached, cluster nginx"] = {
            **wrk("cluster-article-cached", url),
            "bytes": len(body),
        }
        if peers.get("static"):
            results["static nginx"] = {**peers["static"], "source": "the static nginx peer"}
        else:
            root = folder / "static" / "www"
            copy = root / "article" / "index.html"  # the Arabic slug is too long a file name
            copy.parent.mkdir(parents=True)
            copy.write_bytes(body)
            state = folder / "static"
            (state / "tmp").mkdir()
            port = free_port()
            conf = state / "nginx.conf"
            conf.write_text(STATIC_NGINX.format(state=state, port=port, root=root))
            static_nginx = Process("static-nginx", state)
            static_nginx.spawn([nginx.nginx, "-p", str(state), "-e", str(state / "error.log"),
                                "-c", str(conf)])  # fmt: skip
            static_url = f"http://127.0.0.1:{port}/article/"
            wait_for(lambda: http_status(static_url) == 200, 15, "the static nginx")
            results["static nginx"] = {
                **wrk("cluster-static-copy", static_url),
                "source": "a plain nginx serving a saved copy of the cached article",
            }
        results["article"]["bytes"] = len(body)
        return results
    finally:
        if static_nginx is not None:
            static_nginx.stop()
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def cluster_runs(cluster: dict) -> dict:
    """The wrk runs of the cluster part itself (not the peer's figure it may reuse)."""
    return {
        name: result
        for name, result in cluster.items()
        if "rps" in result and result.get("source") != "the static nginx peer"
    }


def cluster_lines(cluster: dict) -> list[str]:
    """The two lines of the cluster in the summary (empty when it did not run)."""
    lines = []
    one = cluster.get("article uncached, 1 app server")
    two = cluster.get("article uncached, 2 app servers")
    if one and two:
        ratio = f"{two['rps'] / one['rps']:.2f}" if one["rps"] else "–"
        lines.append(
            f"cluster uncached article: 1 app server {one['rps']:,.0f} req/s, 2 app servers "
            f"{two['rps']:,.0f} req/s behind the cluster's nginx = {ratio}× (two/one; page "
            "cache and microcache off)"
        )
    cached, static = cluster.get("article cached, cluster nginx"), cluster.get("static nginx")
    if cached and static:
        ratio = f"{cached['rps'] / static['rps']:.2f}" if static["rps"] else "–"
        lines.append(
            f"cluster cached article: {cached['rps']:,.0f} req/s through the cluster's nginx, "
            f"static nginx {static['rps']:,.0f} req/s ({static.get('source', '?')}) = {ratio}×"
        )
    return lines


# Report -------------------------------------------------------------------------------------


def peer_caveat(run: dict | None, name: str) -> str:
    """What to add to a ratio against a peer's run that timed out or failed: wrk counts
    req/s over the whole run, which requests left waiting for its 2 s timeout stretch, so
    the peer's figure is too low and a ratio against it too high."""
    if not run or not (run.get("timeouts") or run.get("errors")):
        return ""
    return (
        f": NOT COMPARABLE, {name} timed out {run.get('timeouts', 0)} times and failed "
        f"{run.get('errors', 0)} requests at {CONNS} connections (its req/s is too low); "
        "measure both at fewer connections, e.g. BENCH_CONNS=8"
    )


def report(ours: dict, peers: dict, cluster: dict | None = None) -> str:
    lines = [
        f"wrk -t{THREADS} -c{CONNS} -d{DURATION} --latency, on {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f}",
        "",
        "| target | req/s | p50 ms | p99 ms | errors | × WP uncached | × WP cached | × static "
        "| machine busy before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def ratio(value, peer):
        base = peers.get(peer, {}).get("rps")
        return f"{value / base:.2f}" if base else "–"

    measured = [(f"cluster {k}", v) for k, v in cluster_runs(cluster or {}).items()]
    for label, result in [*((f"peer {k}", v) for k, v in peers.items()), *ours.items(), *measured]:
        rps = result["rps"]
        lines.append(
            f"| {label} | {rps:,.0f} | {result['p50_ms']} | {result['p99_ms']} | "
            f"{result['errors']} | {ratio(rps, 'wp_single')} | "
            f"{ratio(rps, 'wp_single_fcgi_cache')} | {ratio(rps, 'static')} | "
            f"{result.get('busy_before', '–')}% |"
        )
    article_u, article_c = ours.get("article uncached"), ours.get("article cached")
    caveat = peer_caveat(peers.get("wp_single"), "WordPress")
    if peers.get("wp_single") and article_u:
        goal = article_u["rps"] / peers["wp_single"]["rps"]
        lines.append(f"\nuncached article = {goal:.1f}× WordPress uncached (target ≥ 10×){caveat}")
    article_cold = ours.get("article cold")
    if peers.get("wp_single") and article_cold:
        goal = article_cold["rps"] / peers["wp_single"]["rps"]
        lines.append(
            f"cold article (no fragments kept) = {goal:.1f}× WordPress uncached (goal ≥ 4×){caveat}"
        )
    if peers.get("django"):
        base = peers["django"]["rps"]
        for name in PAGE_NAMES:
            run = ours.get(f"{name} uncached")
            if run and base:
                lines.append(f"uncached {name} = {run['rps'] / base:.2f}× the plain Django page")
    lines.extend(long_tail_lines(ours, peers.get("django")))
    if peers.get("static") and article_c:
        goal = article_c["rps"] / peers["static"]["rps"]
        lines.append(f"cached article = {goal:.2f}× static nginx (target ≥ 0.85×)")
    errors = sum(r["errors"] for k, r in ours.items() if not k.startswith("peer "))
    lines.append(f"errors in our runs: {errors}")
    lines.extend(cluster_lines(cluster or {}))
    return "\n".join(lines)


def main() -> int:
    if not ensure_tool("wrk", "wrk"):
        failed("wrk", "missing and cannot be installed: nothing measured")
        return finish()
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = parts()
    paths = None
    if "stack" in chosen and attempt("database", prepare_database, default=False) is not False:
        say("EXPLAIN of every public page type on the generated newsroom:")
        if manage("explain_pages", capture=False, check=False).returncode != 0:
            failed("explain_pages", "the EXPLAIN of the page types failed")
        paths = attempt("bench paths", bench_paths)
    peers = attempt("peers", run_peers, default={}) if "peers" in chosen else {}
    ours = attempt("our stack", lambda: measure_stack(paths), default={}) if paths else {}
    if "others" in chosen:
        attempt("other benchmarks", other_targets)
    cluster: dict = {}
    if "cluster" in chosen:
        attempt("cluster", lambda: measure_cluster(peers, cluster))
    errors = sum(r.get("errors", 0) for k, r in ours.items() if not k.startswith("peer "))
    if errors:
        failed("our stack", f"{errors} failed requests (non-2xx/3xx, timeouts)")
    errors = sum(r.get("errors", 0) for r in cluster_runs(cluster).values())
    if errors:
        failed("cluster", f"{errors} failed requests (non-2xx/3xx, timeouts)")
    table = report(ours, peers, cluster)
    (OUT / "summary.md").write_text(table + "\n")
    (OUT / "results.json").write_text(
        json.dumps({"ours": ours, "peers": peers, "cluster": cluster}, indent=2)
    )
    print("\n" + table)
    say(f"raw wrk outputs and summary.md in {OUT}")
    return finish()


def prepare_database() -> bool:
    manage("migrate", "--noinput", "--verbosity", "0")
    count, topics = map(int, manage("shell", "-c", "from articles.models import Article, Topic; "
                       "print(Article.objects.count(), Topic.objects.count())"
                       ).stdout.split()[-2:])  # fmt: skip
    if count != 10_000 or not topics or os.environ.get("BENCH_REGENERATE") == "1":
        say(f"generating the newsroom in database {DB!r} (about half a minute)")
        manage("generate_newsroom", "--flush", capture=False)
    else:
        say(f"reusing the generated newsroom in database {DB!r} ({count:,} articles)")
    return True


def finish() -> int:
    """0 when every part ran; else 1, with the failed parts named last."""
    if FAILURES:
        print("\nmake bench FAILED in: " + "; ".join(FAILURES), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
