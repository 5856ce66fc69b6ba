"""A real Bot API server on loopback: it records every call and answers as Telegram does
(``{"ok": true, "result": …}``), or with the 429, 403 or 500 a test asks for."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reach.models import Channel

TOKEN = "123456:TEST-token"
SITE = "https://example.sy"


@dataclass
class Call:
    method: str
    token: str
    params: dict


@dataclass
class BotApi:
    """What the server received, and what it will answer next."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    answers: list[tuple[int, dict]] = field(default_factory=list)  # next answers, in order
    delay: float = 0.0  # seconds each call takes (widens races)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_message_id: int = 100
    messages: dict = field(default_factory=dict)  # (chat, id) -> {"kind", "text"}

    def answer_next(self, status: int, description: str, retry_after: int | None = None):
        body = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self.answers.append((status, body))

    def called(self, method: str | None = None) -> list[Call]:
        with self.lock:
            return [call for call in self.calls if method in (None, call.method)]

    def handle(self, path: str, params: dict) -> tuple[int, dict]:
        time.sleep(self.delay)
        _empty, bot, method = path.split("/", 2)
        with self.lock:
            self.calls.append(Call(method, bot.removeprefix("bot"), params))
            if self.answers:
                return self.answers.pop(0)
            chat = params.get("chat_id")
            if method in ("sendPhoto", "sendMessage"):
                self.next_message_id += 1
                message_id = self.next_message_id
                kind = "photo" if method == "sendPhoto" else "text"
                text = params.get("caption") if kind == "photo" else params.get("text")
                self.messages[(chat, message_id)] = {"kind": kind, "text": text}
                return 200, {"ok": True, "result": {"message_id": message_id, "chat": {}}}
            key = (chat, params.get("message_id"))
            if key not in self.messages:
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": f"Bad Request: message to {method} not found",
                }
            if method == "deleteMessage":
                del self.messages[key]
                return 200, {"ok": True, "result": True}
            field_name = "caption" if method == "editMessageCaption" else "text"
            self.messages[key]["text"] = params.get(field_name)
            return 200, {"ok": True, "result": {"message_id": key[1]}}


def start_bot_api() -> tuple[BotApi, ThreadingHTTPServer]:
    api = BotApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            params = json.loads(self.rfile.read(length) or b"{}")
            status, body = api.handle(self.path, params)
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    return api, server


@pytest.fixture
def bot_api(settings):
    api, server = start_bot_api()
    settings.NEWSROOM_TELEGRAM_API_URL = api.url
    settings.NEWSROOM_TELEGRAM_BOT_TOKEN = TOKEN
    settings.NEWSROOM_TELEGRAM_TIMEOUT = 5
    settings.NEWSROOM_SITE_URL = SITE
    yield api
    server.shutdown()
    server.server_close()


@pytest.fixture
def channel():
    return Channel.objects.create(name="قناة الأخبار", chat="@almasa_news", min_interval_seconds=0)
