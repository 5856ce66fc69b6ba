"""Web push (RFC 8030, 8291, 8292): the site's VAPID keys and sending one alert per browser.

The VAPID private key comes from the environment (``NEWSROOM_VAPID_PRIVATE_KEY``, PEM) in
production, where every app server must sign with the same key; elsewhere it is generated
once into ``.local/vapid_private.pem``, like the secret key. Each payload is encrypted for
its browser (RFC 8291, aes128gcm, with ``cryptography``: a new ECDH key and salt for each
message) and posted with ``Urgency: high`` and a TTL over a kept-alive connection per push
service and sending thread; the VAPID signature (RFC 8292) is made once per push service and
reused while it is valid. pywebpush did all of it again for each message, about four times
slower; the tests decrypt with ``http_ece``. Only push
services named in ``NEWSROOM_PUSH_SERVICE_HOSTS`` are ever called (a reader cannot make the
server post to an address of their choosing).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import threading
import time
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from py_vapid import Vapid02

from articles.text import bare_headline


class PushUnavailable(Exception):
    """No VAPID key (production without NEWSROOM_VAPID_PRIVATE_KEY)."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def private_key_pem() -> bytes:
    configured = settings.NEWSROOM_VAPID_PRIVATE_KEY
    if configured:
        return configured.replace("\\n", "\n").encode()
    if settings.PRODUCTION:
        raise PushUnavailable("NEWSROOM_VAPID_PRIVATE_KEY is not set")
    path = settings.LOCAL_DIR / "vapid_private.pem"
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        settings.LOCAL_DIR.mkdir(exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(pem)
        temporary.chmod(0o600)
        temporary.replace(path)  # two processes at once: one file wins whole
    return path.read_bytes()


@lru_cache(maxsize=4)
def _vapid(pem: bytes) -> Vapid02:
    return Vapid02.from_pem(pem)


def vapid() -> Vapid02:
    return _vapid(private_key_pem())


def application_server_key() -> str:
    """The public key browsers subscribe with (base64url of the uncompressed P-256 point)."""
    public = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public)


def allowed_endpoint(endpoint: str) -> bool:
    """An https address at a known push service (or one the settings add, e.g. loopback)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" and not (
        parts.scheme == "http" and settings.NEWSROOM_PUSH_ALLOW_HTTP
    ):
        return False
    return any(
        host == allowed or host.endswith("." + allowed)
        for allowed in settings.NEWSROOM_PUSH_SERVICE_HOSTS
    )


def alert(payload: dict, link: str, icon: str = "") -> str:
    """The notification's data, read by our service worker (static/reach/sw.js)."""
    title = payload.get("headline", "")
    if payload.get("breaking"):
        title = f"عاجل: {bare_headline(title)}"  # never «عاجل: عاجل: حريق…»
    data = {"title": title, "body": payload.get("lead", "")[:300], "url": link, "lang": "ar"}
    if icon:
        data["icon"] = icon
    return json.dumps(data, ensure_ascii=False)


class PushResult:
    SENT, GONE, RETRY, FAILED = "sent", "gone", "retry", "failed"


# The VAPID JWT (RFC 8292) names the push service's origin and an expiry: it is signed once
# per origin and reused by every message until an hour before it expires (push services
# accept up to 24 hours). Only the encryption's ECDH key must be new for each message.
VAPID_LIFETIME = 12 * 3600
VAPID_RENEW_BEFORE = 3600
_vapid_lock = threading.Lock()
_vapid_headers: dict[tuple[str, bytes, str], tuple[int, str]] = {}


def vapid_authorization(origin: str, pem: bytes | None = None) -> str:
    """The ``Authorization`` header for one push service (its origin is the audience)."""
    pem = pem or private_key_pem()
    key = (origin, pem, settings.NEWSROOM_VAPID_SUBJECT)
    now = int(time.time())
    cached = _vapid_headers.get(key)
    if cached is not None and cached[0] - VAPID_RENEW_BEFORE > now:
        return cached[1]
    with _vapid_lock:  # sender threads starting together sign once, not once each
        cached = _vapid_headers.get(key)
        if cached is not None and cached[0] - VAPID_RENEW_BEFORE > now:
            return cached[1]
        expires = now + VAPID_LIFETIME
        claims = {"sub": settings.NEWSROOM_VAPID_SUBJECT, "aud": origin, "exp": expires}
        header = _vapid(pem).sign(claims)["Authorization"]
        _vapid_headers[key] = (expires, header)
    return header


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


CURVE = ec.SECP256R1()
RECORD_SIZE = 4096


def _hkdf(salt: bytes, secret: bytes, info: bytes, length: int) -> bytes:
    """HKDF-SHA-256 (RFC 5869) for one block, all that RFC 8291 asks for."""
    prk = hmac.new(salt, secret, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]


def encrypt(data: bytes, p256dh: str, auth: str) -> bytes:
    """``data`` for one browser: RFC 8291 in one aes128gcm record (RFC 8188), with a new
    ECDH key pair and salt for each message."""
    browser = unb64url(p256dh)
    key = ec.generate_private_key(CURVE)
    ours = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    shared = key.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(CURVE, browser))
    secret = _hkdf(unb64url(auth), shared, b"WebPush: info\x00" + browser + ours, 32)
    salt = os.urandom(16)
    content_key = _hkdf(salt, secret, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, secret, b"Content-Encoding: nonce\x00", 12)
    if len(data) + 1 + 16 > RECORD_SIZE - 86:
        raise ValueError("the alert is too long for one record")
    sealed = AESGCM(content_key).encrypt(nonce, data + b"\x02", None)  # 2: the last record
    return salt + RECORD_SIZE.to_bytes(4, "big") + bytes([len(ours)]) + ours + sealed


_connections = threading.local()


def connection(scheme: str, netloc: str) -> http.client.HTTPConnection:
    """This thread's kept-alive connection to one push service (never through a proxy)."""
    pool = getattr(_connections, "pool", None)
    if pool is None:
        pool = _connections.pool = {}
    key = (scheme, netloc)
    conn = pool.get(key)
    if conn is None:
        timeout = settings.NEWSROOM_PUSH_TIMEOUT
        if scheme == "https":
            conn = http.client.HTTPSConnection(netloc, timeout=timeout)
        else:
            conn = http.client.HTTPConnection(netloc, timeout=timeout)
        pool[key] = conn
    return conn


def _drop(scheme: str, netloc: str) -> None:
    conn = getattr(_connections, "pool", {}).pop((scheme, netloc), None)
    if conn is not None:
        conn.close()


def _post(scheme: str, netloc: str, path: str, body: bytes, headers: dict):
    """POST on the kept-alive connection: (status, Retry-After, body). A connection the
    service closed while idle is opened again once (nothing reached the service on it)."""
    for attempt in (1, 2):
        conn = connection(scheme, netloc)
        reused = conn.sock is not None
        try:
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            text = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            _drop(scheme, netloc)
            if reused and attempt == 1:
                continue
            raise
        except (OSError, http.client.HTTPException):
            _drop(scheme, netloc)
            raise
        if response.will_close:
            _drop(scheme, netloc)
        return response.status, response.getheader("Retry-After", ""), text
    raise AssertionError("unreachable")


def send_many(alerts: list[tuple[str, str, str, str]]) -> list[tuple[str, str, int | None]]:
    """Push each (endpoint, p256dh, auth, data) in turn from this thread: its outcomes."""
    pem = private_key_pem()
    ttl = str(settings.NEWSROOM_PUSH_TTL)
    encoded: dict[str, bytes] = {}
    results = []
    for endpoint, p256dh, auth, data in alerts:
        if not allowed_endpoint(endpoint):
            results.append((PushResult.FAILED, "push service not allowed", None))
            continue
        parts = urlsplit(endpoint)
        try:
            plain = encoded.get(data)
            if plain is None:
                plain = encoded[data] = data.encode()
            body = encrypt(plain, p256dh, auth)
        except (ValueError, TypeError) as error:  # keys a browser never made
            results.append((PushResult.FAILED, f"{type(error).__name__}: {error}"[:300], None))
            continue
        headers = {
            "Authorization": vapid_authorization(f"{parts.scheme}://{parts.netloc}", pem),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "Content-Length": str(len(body)),
            "TTL": ttl,
            "Urgency": "high",
        }
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            status, wait, text = _post(parts.scheme, parts.netloc, path or "/", body, headers)
        except (OSError, http.client.HTTPException) as error:
            results.append((PushResult.RETRY, type(error).__name__, None))
            continue
        results.append(outcome(status, wait, text))
    return results


def outcome(status: int, wait: str, text: bytes) -> tuple[str, str, int | None]:
    if status in (200, 201, 202):
        return PushResult.SENT, "", None
    if status in (404, 410):
        return PushResult.GONE, f"{status}", None
    if status == 429 or status >= 500:
        return PushResult.RETRY, f"{status}", int(wait) if wait.isdigit() else None
    return PushResult.FAILED, f"{status}: {text[:200].decode(errors='replace')}", None


def send_one(info: dict, data: str) -> tuple[str, str, int | None]:
    """Push ``data`` to one browser: (outcome, error, retry_after seconds)."""
    keys = info.get("keys") or {}
    return send_many([(info["endpoint"], keys.get("p256dh", ""), keys.get("auth", ""), data)])[0]
