"""Benchmark: one breaking article pushed to 100,000 browsers (`make bench-push`).

In its own database ``bench_push`` on the embedded PostgreSQL, for each size (``--sizes``,
10,000 then 100,000 by default) it:

1. empties the web-push tables and writes that many subscriptions by ``COPY`` (real P-256
   browser keys, a few hundred of them shared, each subscription its own address);
2. starts a loopback push service in a process of its own (asyncio, HTTP/1.1 keep-alive): it
   answers 201 to every POST and counts them; every ``--sample``-th message it checks as a
   real one would (the VAPID signature against the site's public key, then decrypts it with
   the browser's keys and reads the Arabic title); ``tests/reach`` checks every message;
3. starts ``--runners`` sender processes (each is what ``run_jobs`` runs on an app server:
   ``reach.outbox.send_due`` in a loop, ``NEWSROOM_PUSH_WORKERS`` threads each), which wait;
4. publishes one breaking article (the outbox owes it after the commit), and times until the
   push service has answered the last alert.

It prints, per size: the time from publishing to the last delivery, deliveries per second,
the sender processes' peak memory (RSS) and the database statements they ran (per thousand
deliveries). It exits 1 naming each failed part: a size that did not deliver every alert once
(counted at the push service and in the table), a failed sample, fewer than ``--goal``
deliveries per second at the largest size, or a peak memory that grew with the number of
subscriptions (more than ``--memory-slack`` MiB from the smallest size to the largest).
Everything talks to 127.0.0.1 only; the database is emptied at each size and kept.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DB = "bench_push"
SITE = "https://bench.example.sy"
KEYS = 256  # browser key pairs, shared round robin by the subscriptions


def say(message: str) -> None:
    print(f"[bench-push {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def environment(workers: int) -> dict:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key_file = ROOT / ".local" / "bench" / "push_vapid.pem"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return {
        **os.environ,
        "NEWSROOM_DB_NAME": DB,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_SITE_URL": SITE,
        "NEWSROOM_VAPID_PRIVATE_KEY": key_file.read_text(),
        "NEWSROOM_VAPID_SUBJECT": "mailto:desk@example.sy",
        "NEWSROOM_PUSH_SERVICE_HOSTS": "127.0.0.1",
        "NEWSROOM_PUSH_ALLOW_HTTP": "1",
        "NEWSROOM_PUSH_WORKERS": str(workers),
    }


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def browser_keys() -> list[tuple[bytes, str, str]]:
    """(private key DER, p256dh, auth) for ``KEYS`` browsers."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    keys = []
    for _ in range(KEYS):
        private = ec.generate_private_key(ec.SECP256R1())
        public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        der = private.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        keys.append((der, b64url(public), b64url(os.urandom(16))))
    return keys


# The push service ----------------------------------------------------------------------


def serve(port_out, stats, keys, vapid_public: str, sample: int) -> None:
    """A push service on loopback: 201 to every POST, counted; every ``sample``-th message
    checked (VAPID signature, decryption, the title). ``stats``: [count, first, last,
    checked, bad]."""
    import http_ece
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    private = [serialization.load_der_private_key(der, None) for der, _p, _a in keys]
    secrets = [unb64url(auth) for _d, _p, auth in keys]
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(vapid_public))
    answer = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"

    def check(head: bytes, body: bytes) -> bool:
        try:
            lines = head.decode().split("\r\n")
            index = int(lines[0].split()[1].rsplit("/", 1)[-1])
            headers = {
                k.strip().lower(): v.strip() for k, v in (x.split(":", 1) for x in lines[1:])
            }
            fields = dict(
                item.strip().split("=", 1) for item in headers["authorization"][6:].split(",")
            )
            if fields["k"] != vapid_public or headers.get("content-encoding") != "aes128gcm":
                return False
            header, claims, signature = fields["t"].split(".")
            raw = unb64url(signature)
            der = encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
            if json.loads(unb64url(claims))["exp"] < time.time():
                return False
            plain = http_ece.decrypt(
                body,
                private_key=private[index % KEYS],
                auth_secret=secrets[index % KEYS],
                version="aes128gcm",
            )
            return json.loads(plain)["title"].startswith("عاجل: ")
        except (ValueError, KeyError, IndexError, InvalidSignature):
            return False

    class PushService(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport, self.buffer = transport, b""

        def data_received(self, data):
            self.buffer += data
            while True:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                head = self.buffer[:end]
                at = head.lower().find(b"content-length:")
                stop = head.find(b"\r\n", at)
                length = int(head[at + 15 : stop if stop > 0 else None]) if at >= 0 else 0
                total = end + 4 + length
                if len(self.buffer) < total:
                    return
                body, self.buffer = self.buffer[end + 4 : total], self.buffer[total:]
                count = int(stats[0]) + 1
                if count % sample == 1:
                    stats[3] += 1
                    if not check(head, body):
                        stats[4] += 1
                now = time.time()
                if count == 1:
                    stats[1] = now
                stats[0], stats[2] = count, now
                self.transport.write(answer)

    async def main():
        server = await asyncio.get_running_loop().create_server(
            PushService, "127.0.0.1", 0, backlog=1024
        )
        port_out.send(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


# The senders -----------------------------------------------------------------------------


def peak_rss_kib() -> int:
    """This process's peak resident memory since it started (its own, from exec on)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def runner(timeout: float) -> int:
    """One app server's jobs runner: send what the outbox owes until the alerts are all out.
    Prints its statements, CPU time, peak RSS and its RSS every quarter second as JSON."""
    setup_django({})
    from django.db import connection

    from reach import outbox
    from reach.models import Delivery, PushMessage

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    samples: list[tuple[float, int]] = []
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def sample():
        while True:
            resident = int(Path("/proc/self/statm").read_text().split()[1]) * page_kib
            samples.append((time.time(), resident))
            time.sleep(0.25)

    threading.Thread(target=sample, daemon=True).start()
    connection.ensure_connection()
    print("ready", flush=True)
    sent, busy_since, deadline = 0, None, time.monotonic() + timeout
    with connection.execute_wrapper(count):
        while time.monotonic() < deadline:
            report = outbox.send_due()
            sent += report.sent
            if report.sent or report.retrying:
                busy_since = busy_since or time.monotonic()
                continue
            if (
                Delivery.objects.filter(status="sent").exists()
                and not PushMessage.objects.filter(status__in=("pending", "sending")).exists()
            ):
                break
            time.sleep(0.02)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    print(
        json.dumps(
            {
                "statements": statements,
                "sent": sent,
                # VmHWM, not ru_maxrss: the latter keeps the high-water mark of the forked
                # parent from before exec (the bench's own process), not this one's.
                "maxrss_kib": peak_rss_kib(),
                "cpu": cpu,
                "rss_samples": samples,
            }
        )
    )
    return 0


# One size --------------------------------------------------------------------------------


def reset(size: int, keys, service_url: str) -> None:
    from django.db import connection

    from reach.models import Channel, PushMessage, PushSubscription

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reach_pushmessage, reach_pushsubscription_sections, "
            "reach_pushsubscription, reach_delivery RESTART IDENTITY CASCADE"
        )
        Channel.objects.exclude(kind=Channel.Kind.WEB_PUSH).delete()
        if not Channel.objects.exists():
            Channel.objects.create(
                name="تنبيهات المتصفح", kind=Channel.Kind.WEB_PUSH, breaking_only=True
            )
        table = PushSubscription._meta.db_table
        copy_sql = f"COPY {table} (endpoint, p256dh, auth, breaking, created_at) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            created = "2026-01-01 00:00:00+00"
            for index in range(size):
                _der, p256dh, auth = keys[index % KEYS]
                copy.write_row((f"{service_url}/push/{index}", p256dh, auth, True, created))
        cursor.execute(f"ANALYZE {table}")
    assert PushSubscription.objects.count() == size
    assert not PushMessage.objects.exists()


def publish():
    from django.utils import timezone

    from articles.models import Article, Section

    section, _ = Section.objects.get_or_create(slug="bench-push", defaults={"name_ar": "عاجل"})
    stamp = time.strftime("%Y%m%d%H%M%S")
    return Article.objects.create(
        title_ar="زلزال بقوة خمس درجات يضرب الساحل السوري",
        lead_ar="شعر به سكان اللاذقية وطرطوس ولا أنباء عن أضرار.",
        slug=f"bench-push-{stamp}",
        body_ar="<p>نص الخبر العاجل للقياس.</p>",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        is_breaking=True,
    )


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_size(size: int, args, env: dict, keys, vapid_public: str) -> dict:
    from django.db.models import Count

    from reach.models import Delivery, PushMessage

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    stats = context.Array("d", 5, lock=False)
    service = context.Process(
        target=serve, args=(send, stats, keys, vapid_public, args.sample), daemon=True
    )
    service.start()
    port = receive.recv()
    service_url = f"http://127.0.0.1:{port}"
    try:
        say(f"{size:,} subscriptions: COPY …")
        started = time.monotonic()
        reset(size, keys, service_url)
        say(f"  written in {time.monotonic() - started:.1f} s; starting {args.runners} senders")
        runners = [
            subprocess.Popen(
                [sys.executable, __file__, "--runner", "--timeout", str(args.timeout)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(args.runners)
        ]
        for process in runners:
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError("a sender did not start")
        published = time.time()
        article = publish()
        outputs = []
        for process in runners:
            out, _err = process.communicate(timeout=args.timeout + 60)
            outputs.append(json.loads(out.strip().splitlines()[-1]))
            if process.returncode:
                raise RuntimeError(f"a sender exited with {process.returncode}")
        delivered, last, checked, bad = int(stats[0]), stats[2], int(stats[3]), int(stats[4])
        service_cpu = process_cpu(service.pid)
    finally:
        service.kill()
        service.join()
    elapsed = last - published if delivered else float("nan")
    counts = dict(PushMessage.objects.values_list("status").annotate(n=Count("id")))
    return {
        "subscriptions": size,
        "article": article.pk,
        "deliveries": delivered,
        "sent_in_table": counts.get("sent", 0),
        "not_sent": {k: v for k, v in counts.items() if k != "sent"},
        "web_push_deliveries": Delivery.objects.filter(article_id=article.pk).count(),
        "seconds_to_last": round(elapsed, 2),
        "per_second": round(delivered / elapsed) if delivered else 0,
        "peak_rss_mib": round(max(o["maxrss_kib"] for o in outputs) / 1024, 1),
        # The senders' RSS a quarter of the way through the sending: the peak should be no
        # higher if memory does not grow with the number of alerts sent.
        "quarter_rss_mib": round(
            max(
                resident
                for o in outputs
                for moment, resident in o["rss_samples"]
                if moment <= published + (last - published) / 4
            )
            / 1024,
            1,
        ),
        "statements": sum(o["statements"] for o in outputs),
        "sender_cpu_ms_per_delivery": round(
            sum(o["cpu"] for o in outputs) * 1000 / max(1, delivered), 3
        ),
        "service_cpu_ms_per_delivery": round(service_cpu * 1000 / max(1, delivered), 3),
        "sent_by_runner": [o["sent"] for o in outputs],
        "rss_mib_each_second": [
            [round(resident / 1024, 1) for _moment, resident in o["rss_samples"][::4]]
            for o in outputs
        ],
        "checked": checked,
        "bad": bad,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="subscription counts")
    parser.add_argument("--runners", type=int, default=2, help="sender processes")
    parser.add_argument("--workers", type=int, default=8, help="sending threads per process")
    parser.add_argument("--sample", type=int, default=500, help="check one message in N")
    parser.add_argument("--goal", type=float, default=2000, help="deliveries/s at the largest")
    parser.add_argument("--memory-slack", type=float, default=32, help="MiB")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per size")
    parser.add_argument("--runner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.runner:
        return runner(args.timeout)

    env = environment(args.workers)
    say(f"database {DB}: migrate; collectstatic (DEBUG off: the alert's icon address)")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True
        )
    keys = browser_keys()
    setup_django(env)
    from reach import push

    vapid_public = push.application_server_key()
    load = os.getloadavg()[0]
    say(
        f"{args.runners} sender processes × {args.workers} threads; machine load {load:.1f} "
        f"on {os.cpu_count()} cores"
    )
    results, failures = [], []
    for size in [int(n) for n in args.sizes.split(",")]:
        result = run_size(size, args, env, keys, vapid_public)
        results.append(result)
        say(
            f"{size:>7,} subscriptions: {result['deliveries']:,} delivered in "
            f"{result['seconds_to_last']} s from publishing to the last one = "
            f"{result['per_second']:,}/s; sender RSS {result['quarter_rss_mib']} MiB a quarter "
            f"of the way, {result['peak_rss_mib']} MiB at the peak; "
            f"{result['statements']:,} database statements "
            f"({result['statements'] * 1000 / max(1, result['deliveries']):.1f} per 1,000); "
            f"CPU per delivery: senders {result['sender_cpu_ms_per_delivery']} ms (with their "
            f"start), push service {result['service_cpu_ms_per_delivery']} ms; "
            f"{result['checked']} sampled messages checked, {result['bad']} bad; "
            f"per sender {result['sent_by_runner']}"
        )
        if result["deliveries"] != size or result["sent_in_table"] != size:
            failures.append(
                f"delivery at {size:,}: {result['deliveries']:,} at the push service, "
                f"{result['sent_in_table']:,} sent in the table, others {result['not_sent']}"
            )
        if result["bad"] or not result["checked"]:
            failures.append(f"checks at {size:,}: {result['bad']} of {result['checked']} bad")
    largest = max(results, key=lambda r: r["subscriptions"])
    smallest = min(results, key=lambda r: r["subscriptions"])
    if largest["per_second"] < args.goal:
        failures.append(
            f"throughput: {largest['per_second']:,}/s at {largest['subscriptions']:,} "
            f"(goal {args.goal:,.0f}/s)"
        )
    # Flat: from a quarter of the way to the end of the largest fan-out (three quarters of
    # the alerts), and from the smallest size to the largest (the first includes the
    # senders' warm-up: thread stacks, connections, allocator arenas).
    growth = largest["peak_rss_mib"] - largest["quarter_rss_mib"]
    if growth > args.memory_slack / 4:
        failures.append(
            f"memory: the senders' RSS grew {growth:.1f} MiB over the last three quarters of "
            f"{largest['subscriptions']:,} alerts (slack {args.memory_slack / 4} MiB)"
        )
    growth = largest["peak_rss_mib"] - smallest["peak_rss_mib"]
    if len(results) > 1 and growth > args.memory_slack:
        failures.append(
            f"memory: peak RSS grew {growth:.1f} MiB from {smallest['subscriptions']:,} to "
            f"{largest['subscriptions']:,} subscriptions (slack {args.memory_slack} MiB)"
        )
    out = ROOT / ".local" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "push.json").write_text(json.dumps(results, indent=2))
    say(f"results in {out / 'push.json'}")
    for failure in failures:
        say(f"FAILED {failure}")
    if not failures:
        say(f"passed: {largest['per_second']:,}/s (goal {args.goal:,.0f}), memory flat")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
