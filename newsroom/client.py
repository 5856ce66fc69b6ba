"""The reader's address behind our proxies: the one function every app asks for it.

Comments, the view counter (its Django view and its WSGI fast path), rate limits,
django-axes, the publish record, the desk's sessions and the audit log all call
``client_ip``; none reads ``REMOTE_ADDR`` or ``X-Forwarded-For`` itself.

One setting says how far to believe the header: ``NEWSROOM_TRUSTED_PROXY_COUNT = n`` is the
number of proxies in front of Django that each append the address they saw to
``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``). The reader's address is then
the n-th from the right of that header: the one the outermost trusted proxy saw; anything
left of it is the client's to forge. 0 believes no header and takes the socket's address.
Behind a CDN or a load balancer in front of nginx, count it too (docs in deploy/README.md).

The header is read by python-ipware (the engine of django-ipware, the field's library for
this), told to look at ``X-Forwarded-For`` only: its default list of headers (X-Real-IP,
CF-Connecting-IP…) is for sites that trust whatever arrives, and any client can send those.

A request that arrives without a usable address (gunicorn on a Unix socket with no trusted
header, a misconfigured proxy count) is never exempt: ``client_key`` gives limits and the
counter the best key there is. Each process watches the share of such requests; when most
requests of a minute have none it logs one warning, and ``/health/`` and ``/metrics/``
report the setting and the last minute's figures (``proxy_report``).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import threading
import time

from django.conf import settings
from python_ipware import IpWare

logger = logging.getLogger("newsroom.client")

HEADER = "HTTP_X_FORWARDED_FOR"
NO_ADDRESS = "unknown"  # the key shared by requests with no usable address
WATCH_MINIMUM = 20  # requests in a minute before the share without an address means anything


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "NEWSROOM_TRUSTED_PROXY_COUNT", 0)))


@functools.lru_cache(maxsize=8)
def _reader(proxies: int) -> IpWare:
    # python-ipware counts the proxies *inside* the header: the last proxy's own address is
    # the socket's, not in the header. Ours counts the proxies that append to it, so the
    # reader is the proxies-th from the right: the header's last ``proxies - 1`` are proxies.
    return IpWare(precedence=(HEADER,), leftmost=True, proxy_count=proxies - 1)


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def address_from_meta(meta) -> str | None:
    """The client's address from a WSGI environ or ``request.META``; None when unusable."""
    proxies = trusted_proxy_count()
    if proxies > 0 and meta.get(HEADER):
        found, _trusted = _reader(proxies).get_client_ip(meta, strict=False)
        if found is not None:
            return str(getattr(found, "ipv4_mapped", None) or found)
    return _valid(meta.get("REMOTE_ADDR"))


def client_ip(request) -> str | None:
    """The client's address (a request or a WSGI environ), or None when it has none."""
    return address_from_meta(getattr(request, "META", request))


def client_key(request) -> str:
    """What limits and the view counter key a client by: its address, else ``"unknown"``.

    Requests without a usable address share that one key: they are still counted and
    still limited, together, never let through unlimited.
    """
    return client_ip(request) or NO_ADDRESS


def axes_client_ip(request) -> str | None:
    """django-axes' view of the address (``AXES_CLIENT_IP_CALLABLE``): ``client_ip``."""
    return client_ip(request)


class _Watch:
    """Per process: requests seen and those without an address, this minute and the last."""

    def __init__(self):
        self.lock = threading.Lock()
        self.minute = 0
        self.seen = self.missing = 0
        self.last = (0, 0)
        self.warned = False

    def observe(self, has_address: bool, now: float | None = None) -> None:
        minute = int((time.time() if now is None else now) // 60)
        warn = None
        with self.lock:
            if minute != self.minute:
                if minute == self.minute + 1:
                    self.last = (self.seen, self.missing)
                else:
                    self.last = (0, 0) if self.minute else (self.seen, self.missing)
                seen, missing = self.seen, self.missing
                if not self.warned and seen >= WATCH_MINIMUM and missing * 2 > seen:
                    self.warned = True
                    warn = (seen, missing)
                self.minute, self.seen, self.missing = minute, 0, 0
            self.seen += 1
            self.missing += 0 if has_address else 1
        if warn:
            logger.warning(
                "%d of %d requests in a minute carried no usable client address: check "
                "NEWSROOM_TRUSTED_PROXY_COUNT (%d) against the proxies in front of Django",
                warn[1], warn[0], trusted_proxy_count(),
                extra={"event": "client_address_missing", "requests": warn[0],
                       "without_address": warn[1]},
            )  # fmt: skip

    def report(self) -> dict:
        with self.lock:
            seen, missing = self.last
        return {
            "trusted_proxy_count": trusted_proxy_count(),
            "header": "X-Forwarded-For",
            "last_minute": {"requests": seen, "without_address": missing},
        }


watch = _Watch()


def observe(meta) -> str | None:
    """The client's address, counted for the misconfiguration watch (once per request)."""
    address = address_from_meta(meta)
    watch.observe(address is not None)
    return address


def proxy_report() -> dict:
    """For /health/ and /metrics/: the proxy setting and the last minute's figures."""
    return watch.report()


class ClientAddressMiddleware:
    """Watches each request's address (see ``observe``); changes nothing in the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        observe(request.META)
        return self.get_response(request)
