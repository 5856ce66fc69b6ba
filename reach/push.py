"""Web push (RFC 8030, 8291, 8292): the site's VAPID keys and sending one alert per browser.

The VAPID private key comes from the environment (``NEWSROOM_VAPID_PRIVATE_KEY``, PEM) in
production, where every app server must sign with the same key; elsewhere it is generated
once into ``.local/vapid_private.pem``, like the secret key. Payloads are encrypted for each
browser (aes128gcm) and sent by pywebpush with ``Urgency: high`` and a TTL. Only push
services named in ``NEWSROOM_PUSH_SERVICE_HOSTS`` are ever called (a reader cannot make the
server post to an address of their choosing).
"""

from __future__ import annotations

import base64
import json
import threading
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush


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
        title = f"عاجل: {title}"
    data = {"title": title, "body": payload.get("lead", "")[:300], "url": link, "lang": "ar"}
    if icon:
        data["icon"] = icon
    return json.dumps(data, ensure_ascii=False)


_sessions = threading.local()


def session() -> requests.Session:
    """One connection pool per sending thread, never an HTTP proxy from the environment."""
    if not hasattr(_sessions, "session"):
        _sessions.session = requests.Session()
        _sessions.session.trust_env = False
    return _sessions.session


class PushResult:
    SENT, GONE, RETRY, FAILED = "sent", "gone", "retry", "failed"


def send_one(info: dict, data: str) -> tuple[str, str, int | None]:
    """Push ``data`` to one browser: (outcome, error, retry_after seconds)."""
    if not allowed_endpoint(info["endpoint"]):
        return PushResult.FAILED, "push service not allowed", None
    try:
        webpush(
            subscription_info=info,
            data=data,
            vapid_private_key=vapid(),
            vapid_claims={"sub": settings.NEWSROOM_VAPID_SUBJECT},
            ttl=settings.NEWSROOM_PUSH_TTL,
            headers={"Urgency": "high"},
            timeout=settings.NEWSROOM_PUSH_TIMEOUT,
            requests_session=session(),
        )
    except WebPushException as error:
        response = error.response
        status = getattr(response, "status_code", None)
        if status in (404, 410):
            return PushResult.GONE, f"{status}", None
        if status == 429 or (status is not None and status >= 500):
            wait = (response.headers or {}).get("Retry-After", "") if response is not None else ""
            return PushResult.RETRY, f"{status}", int(wait) if wait.isdigit() else None
        return PushResult.FAILED, f"{status}: {str(error)[:200]}", None
    except (requests.RequestException, OSError) as error:
        return PushResult.RETRY, type(error).__name__, None
    except (ValueError, TypeError) as error:  # keys a browser never made
        return PushResult.FAILED, f"{type(error).__name__}: {error}"[:300], None
    return PushResult.SENT, "", None
