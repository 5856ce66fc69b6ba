"""Run test code in threads that start at the same moment (each with its own connection), or
in a separate process on the test database."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from django.db import connection


def in_threads(count, work):
    """``work(index)`` in ``count`` threads released together; their results, by index.

    Any exception in a thread fails the caller once every thread has finished.
    """
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def answered_then_killed(script: str) -> str:
    """Run ``script`` in a separate process on the test database, then kill it by SIGKILL
    right after (nothing else runs: no flush, no exit handler); what it wrote."""
    script += "sys.stdout.flush(); os.kill(os.getpid(), signal.SIGKILL)\n"
    run = subprocess.run(
        [sys.executable, "-c", "import os, signal, sys\n" + script],
        env=child_process_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == -signal.SIGKILL, run.stderr
    return run.stdout


def child_process_env() -> dict:
    """The environment for a separate Python process that uses the test database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@localhost:{db['PORT'] or 5432}/{db['NAME']}?host={db['HOST']}"
        ),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }


def distinct_readers_add_exactly_n(view, threads: int = 12, per_thread: int = 25) -> int:
    """``view(reader_name)`` (the "counted" flag of one view) by ``threads`` × ``per_thread``
    distinct readers at once: every one must be counted. Returns how many were sent."""

    def reader(index):
        return [view(f"t{index}-{n}") for n in range(per_thread)]

    answers = [counted for batch in in_threads(threads, reader) for counted in batch]
    assert answers == [True] * (threads * per_thread)
    return threads * per_thread
