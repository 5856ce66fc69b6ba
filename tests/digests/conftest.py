"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""

import email
import socket
from contextlib import contextmanager
from email import policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()


def use_local_smtp(settings, origin: str = "https://example.sy"):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there until ``running_smtp``
    settings.EMAIL_TIMEOUT = 5
    settings.NEWSROOM_SITE_URL = origin
    return settings


@contextmanager
def running_smtp(port: int, inbox: Inbox | None = None):
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings):
    return use_local_smtp(settings)


@pytest.fixture
def smtp(smtp_settings):
    """Start the server on the configured port; ``inbox.messages`` is what arrived."""
    with running_smtp(smtp_settings.EMAIL_PORT) as inbox:
        yield inbox
