"""A loopback agency: a threaded HTTP server serving hand-written feeds (RSS 2.0, Atom,
NewsML-G2, ninjs), answering 304 to conditional requests, and misbehaving on request
(a dead feed that never answers in time, an endless body)."""

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from articles.models import Author
from tests.factories import make_author, make_section
from wires.models import Feed

FEEDS = Path(__file__).resolve().parent / "feeds"
LAST_MODIFIED = "Mon, 07 Dec 2026 07:00:00 GMT"
TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "newsml-g2": "application/vnd.iptc.g2.newsmessage+xml",
    "ninjs": "application/json",
}


class Agency:
    def __init__(self):
        self.documents = {
            "/rss": (FEEDS / "rss.xml").read_bytes(),
            "/atom": (FEEDS / "atom.xml").read_bytes(),
            "/newsml": (FEEDS / "newsml.xml").read_bytes(),
            "/ninjs": (FEEDS / "ninjs.json").read_bytes(),
        }
        self.requests = []  # (path, If-None-Match, If-Modified-Since)
        self.dead_seconds = 5.0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def handler(self):
        agency = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                agency.requests.append(
                    (
                        self.path,
                        self.headers.get("If-None-Match"),
                        self.headers.get("If-Modified-Since"),
                    )
                )
                if self.path == "/dead":
                    time.sleep(agency.dead_seconds)
                    return
                if self.path == "/endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.end_headers()
                    try:
                        for _ in range(10_000):
                            self.wfile.write(b"<!-- " + b"x" * 8192 + b" -->\n")
                    except OSError:
                        pass
                    return
                body = agency.documents.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
                self.end_headers()
                self.wfile.write(body)

        return Handler


@pytest.fixture
def agency():
    server = Agency()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def make_feed(agency):
    def make(path="/rss", format="rss", name=None, **fields):
        return Feed.objects.create(
            name=name or f"وكالة {path}",
            url=agency.base + path,
            format=format,
            agency=fields.pop("author", None)
            or make_author("وكالة الأنباء التجريبية", kind=Author.Kind.AGENCY),
            section=fields.pop("section", None) or make_section("محليات"),
            **fields,
        )

    return make


@pytest.fixture(autouse=True)
def _quick_wires(settings):
    settings.NEWSROOM_WIRES_TIMEOUT_SECONDS = 0.5
