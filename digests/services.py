"""Subscribing, confirming, unsubscribing; making digests and sending what is owed.

Sending is safe from several machines at once and loses nothing when the mail server is
down: every email owed is a ``Delivery`` row (unique per digest and subscriber), taken with
``SELECT … FOR UPDATE SKIP LOCKED`` in small batches, marked sent in the same transaction
that held the lock. A machine that dies mid-batch releases its rows, which another run sends
(at least once: a crash between the server's "accepted" and our commit sends that one twice).
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from articles.dates import format_date
from articles.models import Article
from articles.text import bare_headline
from counters.most_read import most_read
from digests.models import Delivery, Digest, Subscriber

logger = logging.getLogger("digests")

CONFIRM_SALT = "digests.confirm"
UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
MAX_ATTEMPTS = 10
BATCH_SIZE = 50
MAIL_ERRORS = (smtplib.SMTPException, OSError)  # OSError: refused, timed out, DNS…
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")  # models.new_token: URL-safe base64


class SendFailed(Exception):
    """The mail server did not take the message (down, refused): try again later."""


# Subscribing -------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def confirmation_token(*, email: str, daily: bool, breaking: bool, language: str = "ar") -> str:
    """The pending subscription, signed: nothing is stored before the address is confirmed."""
    return signing.dumps(
        {"e": normalise_email(email), "d": daily, "b": breaking, "l": language},
        salt=CONFIRM_SALT,
    )


def read_confirmation(token: str) -> dict | None:
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.NEWSROOM_DIGEST_CONFIRM_MAX_AGE
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not {"e", "d", "b"} <= data.keys():
        return None
    return data


def too_many_confirmations(email: str) -> bool:
    """At most NEWSROOM_DIGEST_CONFIRMATIONS_PER_DAY confirmation emails to one address a
    day, whoever asks (nobody can flood someone else's inbox through the form)."""
    limit = settings.NEWSROOM_DIGEST_CONFIRMATIONS_PER_DAY
    digest = hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]
    key = f"digests:confirmations:{digest}:{timezone.now():%Y%m%d}"
    try:
        cache.add(key, 0, timeout=86400)
        return cache.incr(key) > limit
    except Exception:  # a failing cache never blocks a reader
        logger.warning("confirmation counter unavailable", exc_info=True)
        return False


def send_confirmation(
    *, email: str, daily: bool, breaking: bool, origin: str, language: str = "ar"
) -> None:
    """The confirmation email, in the language of the page the reader signed up on (its
    link too; the newsletter itself is Arabic, which the English email says). Raises
    SendFailed when the mail server is unreachable."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    token = confirmation_token(email=email, daily=daily, breaking=breaking, language=language)
    with translation.override(language):
        url = iri_to_uri(origin + reverse("digests:confirm", kwargs={"token": token}))
        context = {"url": url, "daily": daily, "breaking": breaking, "site_name": site_name()}
        subject = _("Confirm your subscription to %(site)s") % {"site": site_name()}
        body = render_to_string("digests/email/confirm.txt", context)
    message = EmailMultiAlternatives(subject, body, to=[normalise_email(email)])
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning("confirmation email not sent: %s", error)
        raise SendFailed(str(error)) from error


def confirm(data: dict) -> Subscriber:
    """Store the confirmed subscription, or update the choices of the address's one row
    (two confirmations of a new address at the same moment make one row, not an error)."""
    email = normalise_email(data["e"])
    language = data.get("l") if data.get("l") in dict(settings.LANGUAGES) else "ar"
    choices = {"daily": bool(data["d"]), "breaking": bool(data["b"]), "language": language}
    subscriber, _created = Subscriber.objects.update_or_create(
        email__iexact=email, defaults=choices, create_defaults={"email": email, **choices}
    )
    return subscriber


def is_token(text: str) -> bool:
    """Whether ``text`` has the shape of a subscriber's token (and nothing PostgreSQL would
    refuse)."""
    return bool(TOKEN.fullmatch(text))


def unsubscribe(token: str) -> bool:
    """Forget the subscriber (and what was owed to them). False when nobody had the token."""
    if not is_token(token):
        return False
    deleted, _rows = Subscriber.objects.filter(token=token).delete()
    return bool(deleted)


def site_name() -> str:
    return settings.SITE_NAME


# Making digests --------------------------------------------------------------------------


def image_url(article, origin: str) -> str | None:
    """The JPEG rendition closest to 480 px (mail programs read JPEG, not always WebP)."""
    if not article.image_renditions:
        return None
    rendition = min(article.image_renditions, key=lambda item: abs(item["width"] - 480))
    url = default_storage.url(rendition["jpg"])
    return url if url.startswith(("http://", "https://")) else iri_to_uri(origin + url)


def email_items(articles, origin: str) -> list[dict]:
    with translation.override("ar"):
        return [
            {
                "title": article.title,
                "lead": article.lead,
                "url": iri_to_uri(origin + article.get_absolute_url()),
                "image": image_url(article, origin),
                "image_alt": article.image_alt,
                "section": article.section.name,
            }
            for article in articles
        ]


def render_digest(kind: str, subject: str, articles, origin: str) -> tuple[str, str]:
    context = {
        "kind": kind,
        "subject": subject,
        "items": email_items(articles, origin),
        "site_name": site_name(),
        "site_url": origin + "/",
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
    }
    with translation.override("ar"):
        html = render_to_string("digests/email/digest.html", context)
        text = render_to_string("digests/email/digest.txt", context)
    return html, text


def daily_articles(now=None) -> list[Article]:
    """Editors' picks (articles flagged as lead story) of the past day, else the most read."""
    now = now or timezone.now()
    size = settings.NEWSROOM_DIGEST_SIZE
    live = Article.objects.published().select_related("section").without_body()
    picks = list(live.filter(is_featured=True, published_at__gte=now - timedelta(days=1))[:size])
    if picks:
        return picks
    ranking = {period: entries for period, _label, entries in most_read()}
    for period in ("today", "week"):
        ids = [entry.id for entry in ranking.get(period, [])][:size]
        if ids:
            found = live.in_bulk(ids)
            return [found[pk] for pk in ids if pk in found]
    return list(live.filter(published_at__gte=now - timedelta(days=1))[:size])


def _owed_to(digest: Digest) -> None:
    """One pending delivery per subscriber who wants this kind and had confirmed by the time
    the digest was made; a row already there is left alone (run twice, owed once)."""
    wanted = Q(daily=True) if digest.kind == Digest.Kind.DAILY else Q(breaking=True)
    subscribers = Subscriber.objects.filter(wanted, confirmed_at__lte=digest.created_at)
    Delivery.objects.bulk_create(
        (
            Delivery(digest=digest, subscriber_id=pk)
            for pk in subscribers.values_list("pk", flat=True).iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def make_digest(*, key: str, kind: str, articles, subject: str, origin: str) -> Digest | None:
    """The digest under ``key`` with its deliveries, made in one transaction; the existing
    one when another run made it first (None when it is new and has nothing to say)."""
    existing = Digest.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not articles:
        return None
    html, text = render_digest(kind, subject, articles, origin)
    with transaction.atomic():
        digest, created = Digest.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "subject": subject,
                "html": html,
                "text": text,
                "article_ids": [article.pk for article in articles],
            },
        )
        if created:
            _owed_to(digest)
    return digest


def make_daily(*, origin: str, now=None) -> Digest | None:
    now = now or timezone.now()
    day = timezone.localdate(now)
    key = f"daily:{day.isoformat()}"
    if Digest.objects.filter(key=key).exists():
        return Digest.objects.get(key=key)
    with translation.override("ar"):
        subject = _("%(site)s: the day's news, %(date)s") % {
            "site": site_name(),
            "date": format_date(day),  # «8 كانون الأول 2026», as the site writes it
        }
    return make_digest(
        key=key,
        kind=Digest.Kind.DAILY,
        articles=daily_articles(now),
        subject=subject,
        origin=origin,
    )


def make_breaking(*, origin: str, now=None) -> list[Digest]:
    """A digest for each breaking article of the last NEWSROOM_DIGEST_BREAKING_HOURS that has
    none yet: each breaking article is sent at most once, even if it is flagged again."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.NEWSROOM_DIGEST_BREAKING_HOURS)
    done = Digest.objects.filter(kind=Digest.Kind.BREAKING).values_list("key", flat=True)
    candidates = (
        Article.objects.published()
        .filter(is_breaking=True, published_at__gte=since)
        .select_related("section")
        .without_body()
        .order_by("published_at", "id")
    )
    made = []
    done = set(done)
    for article in candidates:
        key = f"breaking:{article.pk}"
        if key in done:
            continue
        with translation.override("ar"):
            title = bare_headline(article.title)  # never «عاجل: عاجل: حريق…»
            subject = _("Breaking: %(title)s") % {"title": title}
        digest = make_digest(
            key=key,
            kind=Digest.Kind.BREAKING,
            articles=[article],
            subject=subject[:300],
            origin=origin,
        )
        if digest is not None:
            made.append(digest)
    return made


# Sending ---------------------------------------------------------------------------------


def unsubscribe_url(subscriber: Subscriber, origin: str) -> str:
    """On the site in the language the reader signed up on (an English reader's led to an
    Arabic-only page)."""
    language = subscriber.language if subscriber.language in dict(settings.LANGUAGES) else "ar"
    with translation.override(language):
        path = reverse("digests:unsubscribe", kwargs={"token": subscriber.token})
    return iri_to_uri(origin + path)


def build_message(delivery: Delivery, origin: str) -> EmailMultiAlternatives:
    """The digest for one subscriber: their own unsubscribe link in the body and in the
    List-Unsubscribe headers (RFC 2369), with one-click unsubscription (RFC 8058)."""
    digest, subscriber = delivery.digest, delivery.subscriber
    url = unsubscribe_url(subscriber, origin)
    message = EmailMultiAlternatives(
        digest.subject,
        digest.text.replace(UNSUBSCRIBE_PLACEHOLDER, url),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{digest.kind}.{urlsplit(origin).hostname}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(digest.html.replace(UNSUBSCRIBE_PLACEHOLDER, url), "text/html")
    return message


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    outage: bool = False


def retry_wait(attempts: int) -> timedelta:
    """1, 2, 4… minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def send_pending(*, origin: str, retry_now: bool = False, batch_size: int = BATCH_SIZE):
    """Send every delivery that is due. Stops at the first sign the server is down (the rest
    wait, untouched, for the next run)."""
    report = SendReport()
    if retry_now:  # the operator says the server is back: every waiting delivery is due
        Delivery.objects.filter(status=Delivery.Status.PENDING).update(
            next_attempt_at=timezone.now()
        )
    connection = get_connection()
    try:
        while not report.outage:
            now = timezone.now()
            with transaction.atomic():
                due = Delivery.objects.filter(
                    status=Delivery.Status.PENDING, next_attempt_at__lte=now
                )
                batch = list(
                    due.select_related("digest", "subscriber")
                    .select_for_update(skip_locked=True, of=("self",))
                    .order_by("next_attempt_at", "id")[:batch_size]
                )
                if not batch:
                    break
                for delivery in batch:
                    if report.outage:
                        break
                    _send_one(delivery, connection, origin, report)
    finally:
        try:
            connection.close()
        except MAIL_ERRORS:
            pass
    return report


def _send_one(delivery: Delivery, connection, origin: str, report: SendReport) -> None:
    now = timezone.now()
    try:
        connection.send_messages([build_message(delivery, origin)])
    except smtplib.SMTPRecipientsRefused as error:  # this address only: the server is up
        _failed_attempt(delivery, error, report, now)
    except MAIL_ERRORS as error:
        _failed_attempt(delivery, error, report, now)
        report.outage = True
        try:
            connection.close()
        except MAIL_ERRORS:
            pass
    else:
        delivery.status, delivery.sent_at = Delivery.Status.SENT, now
        delivery.attempts += 1
        delivery.last_error = ""
        delivery.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        report.sent += 1


def _failed_attempt(delivery, error, report, now) -> None:
    delivery.attempts += 1
    delivery.last_error = f"{type(error).__name__}: {error}"[:1000]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        report.failed += 1
    else:
        delivery.next_attempt_at = now + retry_wait(delivery.attempts)
        report.retrying += 1
    report.errors.append(delivery.last_error)
    logger.warning("digest not sent to delivery %s: %s", delivery.pk, delivery.last_error)
    delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
