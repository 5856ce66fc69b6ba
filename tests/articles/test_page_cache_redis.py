"""The page cache on Redis (REDIS_URL): same exact invalidation, shared by every process.

Starts Debian's redis-server on a Unix socket in a temporary folder (no TCP port), installing
the package when it is missing and we may; skips, saying why, otherwise.
"""

import os
import shutil
import subprocess
import time

import pytest
from django.core.cache import caches

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def redis_socket(tmp_path_factory):
    pytest.importorskip("redis", reason="the redis client package is not installed")
    if not shutil.which("redis-server") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "redis-server"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            check=False,
        )
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed and cannot be (apt-get install redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
         "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(50):
        if socket.exists():
            break
        time.sleep(0.1)
    else:
        server.kill()
        pytest.skip("redis-server did not start")
    yield socket
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, redis_socket):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"unix://{redis_socket}",
            "KEY_PREFIX": "test",
        }
    }
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_exact_invalidation_on_redis(client, redis_cache, django_capture_on_commit_callbacks):
    a = make_article("خبر على ريديس", section=make_section())
    b = make_article("خبر آخر", section=make_section())
    pages = [a.get_absolute_url(), b.get_absolute_url(), a.section.get_absolute_url()]
    for path in pages:
        assert client.get(path)["X-Page-Cache"] == "miss"
    assert all(client.get(path)["X-Page-Cache"] == "hit" for path in pages)
    with django_capture_on_commit_callbacks(execute=True):
        a.title_ar = "عنوان معدل على ريديس"
        a.save()
    first, second, section = (client.get(path) for path in pages)
    assert first["X-Page-Cache"] == section["X-Page-Cache"] == "miss"
    assert "عنوان معدل على ريديس" in first.content.decode()
    assert second["X-Page-Cache"] == "hit"
