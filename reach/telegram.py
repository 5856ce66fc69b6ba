"""The Telegram Bot API client: plain HTTPS calls, and the caption an article gets.

The API's address is ``NEWSROOM_TELEGRAM_API_URL`` (https://api.telegram.org, or a
self-hosted Bot API server, or the tests' loopback one); the bot's token comes from the
environment (``NEWSROOM_TELEGRAM_BOT_TOKEN``) and never leaves this module in a message.
"""

from __future__ import annotations

import html
import json
import urllib.error
import urllib.request

from django.conf import settings

from articles.text import bare_headline

CAPTION_LIMIT = 1024  # sendPhoto, editMessageCaption
TEXT_LIMIT = 4096  # sendMessage, editMessageText
ELLIPSIS = "…"


class TelegramError(Exception):
    """The Bot API answered, and not with ``ok``: its HTTP status, description, wait."""

    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(f"{status}: {description}")
        self.status, self.description, self.retry_after = status, description, retry_after

    @property
    def not_modified(self) -> bool:
        return self.status == 400 and "not modified" in self.description

    @property
    def message_gone(self) -> bool:
        text = self.description.lower()
        return self.status == 400 and ("not found" in text or "can't be deleted" in text)


class TelegramUnreachable(Exception):
    """No answer at all: refused, timed out, a broken reply."""


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def article_text(payload: dict, link: str, *, limit: int = CAPTION_LIMIT) -> str:
    """The post: «عاجل» when breaking, the headline in bold, the lead, the short link.

    Everything is HTML-escaped (parse_mode HTML); when too long for ``limit`` the lead is cut
    at a word and ends with «…», and if still too long the headline is."""
    head = "🔴 <b>عاجل</b>\n" if payload.get("breaking") else ""
    headline = payload.get("headline", "").strip()
    if head:  # the post says «عاجل» itself: never «عاجل» above «عاجل: حريق…»
        headline = bare_headline(headline)
    lead = " ".join(payload.get("lead", "").split())
    tail = f"\n\n{escape(link)}"
    if payload.get("corrected"):
        tail = "\n\n<i>صُحّح هذا الخبر</i>" + tail

    def build(title: str, summary: str) -> str:
        body = f"<b>{escape(title)}</b>"
        if summary:
            body += f"\n\n{escape(summary)}"
        return head + body + tail

    text = build(headline, lead)
    if telegram_length(text) <= limit:
        return text
    words = lead.split(" ")
    while words:
        words.pop()
        text = build(headline, " ".join(words) + ELLIPSIS if words else "")
        if telegram_length(text) <= limit:
            return text
    words = headline.split(" ")
    while len(words) > 1:
        words.pop()
        text = build(" ".join(words) + ELLIPSIS, "")
        if telegram_length(text) <= limit:
            return text
    return text[:limit]  # one endless word: nothing better to do


class Bot:
    """One bot: calls to the Bot API with its token."""

    def __init__(self, token: str, *, api_url: str | None = None, timeout: float | None = None):
        self.token = token
        self.api_url = (api_url or settings.NEWSROOM_TELEGRAM_API_URL).rstrip("/")
        self.timeout = timeout or settings.NEWSROOM_TELEGRAM_TIMEOUT

    def call(self, method: str, **params) -> dict:
        request = urllib.request.Request(
            f"{self.api_url}/bot{self.token}/{method}",
            data=json.dumps(params, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (OSError, ValueError) as error:  # refused, timed out, DNS, bad URL
            raise TelegramUnreachable(type(error).__name__) from None
        try:
            answer = json.loads(raw)
        except ValueError:
            if status >= 500:
                raise TelegramError(status, "no JSON in the answer") from None
            raise TelegramUnreachable(f"HTTP {status} without JSON") from None
        if not isinstance(answer, dict) or not answer.get("ok"):
            answer = answer if isinstance(answer, dict) else {}
            parameters = answer.get("parameters") or {}
            retry_after = parameters.get("retry_after")
            raise TelegramError(
                int(answer.get("error_code") or status),
                str(answer.get("description", ""))[:400],
                int(retry_after) if isinstance(retry_after, int | float) else None,
            )
        return answer.get("result")

    def send_photo(self, chat: str, photo: str, caption: str, *, silent: bool) -> dict:
        return self.call(
            "sendPhoto",
            chat_id=chat,
            photo=photo,
            caption=caption,
            parse_mode="HTML",
            disable_notification=silent,
        )

    def send_message(self, chat: str, text: str, *, silent: bool) -> dict:
        return self.call(
            "sendMessage", chat_id=chat, text=text, parse_mode="HTML", disable_notification=silent
        )

    def edit_caption(self, chat: str, message_id: int, caption: str) -> dict:
        return self.call(
            "editMessageCaption",
            chat_id=chat,
            message_id=message_id,
            caption=caption,
            parse_mode="HTML",
        )

    def edit_text(self, chat: str, message_id: int, text: str) -> dict:
        return self.call(
            "editMessageText", chat_id=chat, message_id=message_id, text=text, parse_mode="HTML"
        )

    def delete(self, chat: str, message_id: int) -> bool:
        return self.call("deleteMessage", chat_id=chat, message_id=message_id)
