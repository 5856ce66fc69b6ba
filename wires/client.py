"""The agency feeds' HTTP client: conditional GET (ETag, Last-Modified), a connect and read
timeout and an overall deadline (a feed that trickles bytes is cut off too), and a size cap
read as the bytes arrive (an oversized body is never held in memory whole)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from wires.parsers import FeedError

USER_AGENT = "newsroom-wires/1"


@dataclass
class Fetched:
    not_modified: bool
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    timeout = settings.NEWSROOM_WIRES_TIMEOUT_SECONDS
    limit = settings.NEWSROOM_WIRES_MAX_BYTES
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + timeout
    try:
        with requests.get(
            url, headers=headers, timeout=(timeout, timeout), stream=True, allow_redirects=True
        ) as response:
            if response.status_code == 304:
                return Fetched(not_modified=True, etag=etag, last_modified=last_modified)
            if response.status_code != 200:
                raise FeedError(
                    _("The agency answered with HTTP %(code)s.") % {"code": response.status_code}
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FeedError(too_large(limit))
            chunks, size = [], 0
            for chunk in response.iter_content(chunk_size=None):
                size += len(chunk)
                if size > limit:
                    raise FeedError(too_large(limit))
                if time.monotonic() > deadline:
                    raise FeedError(timed_out(timeout))
                chunks.append(chunk)
            return Fetched(
                not_modified=False,
                body=b"".join(chunks),
                etag=response.headers.get("ETag", "")[:300],
                last_modified=response.headers.get("Last-Modified", "")[:100],
            )
    except requests.Timeout as error:
        raise FeedError(timed_out(timeout)) from error
    except requests.RequestException as error:
        raise FeedError(
            _("The feed could not be reached: %(error)s") % {"error": reason(error)}
        ) from error


def reason(error: requests.RequestException) -> str:
    """Why a feed could not be reached, in the desk's language (it said «ConnectionError»)."""
    if isinstance(error, requests.exceptions.SSLError):
        return _("its site's certificate is not valid")
    if isinstance(error, requests.exceptions.TooManyRedirects):
        return _("it redirects too many times")
    if isinstance(
        error,
        requests.exceptions.InvalidURL
        | requests.exceptions.MissingSchema
        | requests.exceptions.InvalidSchema,
    ):
        return _("its address is not valid")
    if isinstance(error, requests.ConnectionError):
        return _("its server refused the connection or could not be found")
    return _("the request failed (%(kind)s)") % {"kind": type(error).__name__}


def too_large(limit: int) -> str:
    return _("The feed is larger than %(size)s bytes: refused.") % {"size": limit}


def timed_out(seconds: float) -> str:
    return _("The feed did not answer within %(seconds)s seconds.") % {"seconds": seconds}
