"""A loopback oEmbed provider: each provider's answer shape, hostile markup, slow, dead,
missing and oversized answers, and thumbnails with EXIF, served by a real HTTP server."""

import io
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

HOSTILE = '<script>alert(1)</script>عنوان <img src=x onerror="alert(2)">المقطع'


def thumbnail_jpeg(size=(640, 360)) -> bytes:
    image = Image.new("RGB", size, (20, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x010E] = "GPS 33.51N 36.29E"  # ImageDescription
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


class Provider(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body: bytes, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.server.seen.append((parts.path, query))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        route = parts.path.strip("/")
        route = {"facebook_video": "facebook", "instagram": "facebook"}.get(route, route)
        if route == "thumb.jpg":
            return self.answer(200, thumbnail_jpeg(), "image/jpeg")
        if route == "not-an-image.jpg":
            return self.answer(200, b"<html><script>alert(1)</script></html>", "image/jpeg")
        if route == "slow":
            time.sleep(2)
            return self.answer(200, b"{}")
        if route == "missing":
            return self.answer(404, b'{"error": "not found"}')
        if route == "broken":
            return self.answer(500, b"oops", "text/plain")
        if route == "big":
            return self.answer(200, b'{"title": "' + b"x" * 600_000 + b'"}')
        if route == "invalid":
            return self.answer(200, b"<html>not json</html>", "text/html")
        if route == "list":
            return self.answer(200, b"[1, 2]")
        shapes = {
            "youtube": {
                "type": "video", "version": "1.0", "title": "مؤتمر صحفي لوزير الصحة",
                "author_name": "قناة الأخبار", "provider_name": "YouTube",
                "thumbnail_url": f"{base}/thumb.jpg", "thumbnail_width": 640,
                "html": '<iframe src="https://www.youtube.com/embed/x"></iframe>',
            },
            "x": {
                "type": "rich", "version": "1.0", "author_name": "وزارة الصحة",
                "url": query.get("url"),
                "html": '<blockquote class="twitter-tweet"><p lang="ar">بيان عن اللقاحات'
                '</p></blockquote><script async src="https://platform.twitter.com/widgets.js">'
                "</script>",
            },
            "vimeo": {
                "type": "video", "version": "1.0", "title": "فيلم وثائقي", "author_name": "مخرج",
                "video_id": 76979871, "thumbnail_url": f"{base}/thumb.jpg",
                "html": "<iframe src=\"https://player.vimeo.com/video/76979871\"></iframe>",
            },
            "soundcloud": {
                "type": "rich", "version": 1.0, "title": "حلقة البودكاست", "author_name": "إذاعة",
                "thumbnail_url": f"{base}/thumb.jpg",
                "html": '<iframe src="https://w.soundcloud.com/player/?url=x"></iframe>',
            },
            "facebook": {
                "type": "rich", "version": "1.0", "author_name": "صفحة الوزارة",
                "html": '<div id="fb-root"></div><script src="https://connect.facebook.net/x">'
                "</script>",
            },
            "hostile": {
                "type": "video", "version": "1.0", "title": HOSTILE,
                "author_name": '<b onmouseover="alert(3)">قناة</b>',
                "thumbnail_url": f"{base}/not-an-image.jpg",
                "html": "<script>alert(4)</script>",
            },
            "javascript-thumb": {
                "type": "video", "title": "صورة خبيثة", "thumbnail_url": "javascript:alert(1)",
            },
        }  # fmt: skip
        if route in shapes:
            return self.answer(200, json.dumps(shapes[route], ensure_ascii=False).encode())
        return self.answer(404, b"{}")


@pytest.fixture
def provider_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    server.daemon_threads = True
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def dead_address() -> str:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/oembed"


@pytest.fixture
def providers(settings, provider_server):
    """Every provider's endpoint on the loopback server (each under its own path)."""
    keys = ("youtube", "x", "vimeo", "soundcloud", "facebook", "facebook_video", "instagram")
    settings.NEWSROOM_OEMBED_ENDPOINTS = {key: f"{provider_server.base}/{key}" for key in keys}
    settings.NEWSROOM_OEMBED_TIMEOUT = 0.5
    settings.NEWSROOM_OEMBED_FACEBOOK_TOKEN = ""
    return provider_server
