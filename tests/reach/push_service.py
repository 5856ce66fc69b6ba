"""A push service on loopback (RFC 8030) that checks what a real one would: the VAPID
signature against the site's public key (RFC 8292), then decrypts each message with the
browser's keys (RFC 8291, http_ece). Browsers' subscriptions are made here with
``cryptography``; the service answers 201, or 410 / 429 / 500 for the ones a test marks."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One subscribed browser: its push address and the keys only it (and we) hold."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def info(self) -> dict:
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }


@dataclass
class PushService:
    url: str = ""
    vapid_public_key: str = ""  # what the site publishes (application server key)
    browsers: dict = field(default_factory=dict)  # token -> Browser
    received: list = field(default_factory=list)  # (token, payload dict, headers)
    refused: list = field(default_factory=list)  # (token, reason)
    answers: dict = field(default_factory=dict)  # token -> status to answer
    bodies: list = field(default_factory=list)  # the aes128gcm header (salt, sender's key)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def browser(self) -> Browser:
        token = b64url(os.urandom(12))
        browser = Browser(
            f"{self.url}/push/{token}", ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
        )
        self.browsers[token] = browser
        return browser

    def check_vapid(self, authorization: str) -> str | None:
        """None when the JWT is ours, fresh and for this service; else why not."""
        if not authorization.startswith("vapid "):
            return "no vapid authorization"
        parts = dict(
            item.strip().split("=", 1) for item in authorization[6:].split(",") if "=" in item
        )
        token, key = parts.get("t", ""), parts.get("k", "")
        if key != self.vapid_public_key:
            return "not the site's public key"
        try:
            header, claims, signature = token.split(".")
            raw = unb64url(signature)
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
            der = encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except (ValueError, InvalidSignature):
            return "bad signature"
        body = json.loads(unb64url(claims))
        if json.loads(unb64url(header)).get("alg") != "ES256":
            return "not ES256"
        if body.get("aud") != self.url or body.get("exp", 0) < time.time():
            return "wrong audience or expired"
        if not str(body.get("sub", "")).startswith(("mailto:", "https://")):
            return "no subject"
        return None

    def handle(self, path: str, headers, body: bytes) -> int:
        token = path.rsplit("/", 1)[-1]
        with self.lock:
            browser = self.browsers.get(token)
            if browser is None:
                return 404
            reason = self.check_vapid(headers.get("Authorization", ""))
            if reason is None and headers.get("Content-Encoding") != "aes128gcm":
                reason = "not aes128gcm"
            if reason is not None:
                self.refused.append((token, reason))
                return 403
            status = self.answers.get(token, 201)
            if status != 201:
                return status
        with self.lock:
            self.bodies.append(body[:86])  # salt 16, rs 4, idlen 1, key 65
        plain = http_ece.decrypt(
            body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
        )
        with self.lock:
            self.received.append(
                (token, json.loads(plain), {k.lower(): v for k, v in headers.items()})
            )
        return 201


def start_push_service(vapid_public_key: str):
    service = PushService(vapid_public_key=vapid_public_key)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            status = service.handle(self.path, self.headers, self.rfile.read(length))
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    return service, server
