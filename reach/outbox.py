"""The outbox: what each channel owes each article, and sending it once from many runners.

**Owing.** ``reconcile(article_id)`` compares what a channel should show of an article now
(nothing, or a headline, lead, link and photo) with what it was last asked to show, and
adds the one delivery that closes the gap: post, edit or delete, under the next version
number. It runs after every commit that touches an article or its corrections, and from
``send_deliveries`` for scheduled articles whose time has come; run twice, it owes once
(the unique channel + article + version, and an unchanged content adds nothing).

**Sending.** ``send_due()`` runs in every ``run_jobs`` runner. A runner takes one due
delivery with its channel, both ``FOR UPDATE SKIP LOCKED`` (another runner skips them and
takes other channels' work), marks it "sending", moves the channel's rate clock on, and
commits; then it calls Telegram and records the answer. Deliveries of one article on one
channel go in version order (a later one waits while an earlier one waits or is being
sent), so an edit always finds its post's message. A post whose runner died mid-call is
marked uncertain for the desk, never sent again by itself: nothing is posted twice.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Min, OuterRef
from django.templatetags.static import static
from django.utils import timezone, translation

from articles.models import Article
from discovery.links import short_path
from reach import push
from reach.models import Channel, Delivery, PushMessage, PushSubscription
from reach.telegram import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    Bot,
    TelegramError,
    TelegramUnreachable,
    article_text,
)

logger = logging.getLogger("reach")
MAX_ATTEMPTS = 8
PHOTO_WIDTH = 1280  # the rendition Telegram gets (it shows photos up to 1280 px)

# Owing -----------------------------------------------------------------------------------


def photo_url(article: Article) -> str:
    """The JPEG rendition nearest 1280 px wide, as the storage names it (may be relative)."""
    renditions = [item for item in article.image_renditions or [] if item.get("jpg")]
    if not renditions:
        return ""
    best = min(renditions, key=lambda item: abs(item.get("width", 0) - PHOTO_WIDTH))
    return default_storage.url(best["jpg"])


def article_payload(article: Article) -> dict:
    """What a channel shows of ``article``: the Arabic headline and lead, the short path."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "headline": article.title,
            "lead": article.lead,
            "path": short_path(article),
            "photo": photo_url(article),
            "breaking": article.is_breaking,
            "corrected": article.corrections.exists(),
            "section": article.section_id,
        }


def wanted(channel: Channel, article: Article | None, topics: set[int]) -> dict | None:
    """The content ``channel`` should show of ``article`` now, or None (not there)."""
    if article is None or not article.is_published() or not channel.wants(article, topics):
        return None
    return article_payload(article)


def reconcile(article_id: int) -> list[Delivery]:
    """Add what each active channel now owes for the article (deleted articles included):
    the deliveries made."""
    channels = list(Channel.objects.filter(is_active=True).prefetch_related("sections", "topics"))
    if not channels:  # one query per commit when the outlet has no channel
        return []
    article = Article.objects.select_related("section").filter(pk=article_id).first()
    topics = set(article.topics.values_list("pk", flat=True)) if article else set()
    # Only news is posted: an archive imported, or an old article published again, is not
    # (its existing posts are still edited and deleted).
    since = timezone.now() - timedelta(hours=settings.NEWSROOM_REACH_SWEEP_HOURS)
    fresh = (
        article is not None and article.published_at is not None and (article.published_at >= since)
    )
    made = []
    for channel in channels:
        content = wanted(channel, article, topics)
        # A new channel starts with the news published from then on: the last hours' stories
        # went out the moment it was saved.
        news = fresh and article.published_at >= channel.created_at
        delivery = _owe(channel, article_id, content, may_post=news)
        if delivery is not None:
            made.append(delivery)
    return made


def _owe(
    channel: Channel, article_id: int, content: dict | None, *, may_post: bool = True
) -> Delivery | None:
    for _attempt in range(5):
        last = (
            Delivery.objects.filter(channel=channel, article_id=article_id)
            .order_by("-version")
            .only("version", "action", "payload")
            .first()
        )
        shown = last is not None and last.action != Delivery.Action.DELETE
        if content is None:
            if not shown:
                return None
            action, payload = Delivery.Action.DELETE, last.payload
        elif not shown:
            if not may_post:
                return None
            action, payload = Delivery.Action.POST, content
        elif last.payload == content:
            return None
        else:
            action, payload = Delivery.Action.EDIT, content
        try:
            with transaction.atomic():
                return Delivery.objects.create(
                    channel=channel,
                    article_id=article_id,
                    version=(last.version if last else 0) + 1,
                    action=action,
                    payload=payload,
                )
        except IntegrityError:  # another process owed this version first: look again
            continue
    logger.warning("channel %s, article %s: could not add a delivery", channel.pk, article_id)
    return None


def reconcile_quietly(article_id: int) -> None:
    """``reconcile`` after a commit in the desk: a failure is logged, never the editor's."""
    try:
        reconcile(article_id)
    except Exception:
        logger.exception("outbox: article %s not reconciled (the next sweep tries)", article_id)


def sweep(now=None) -> int:
    """Reconcile articles that went live lately without anything owed for them (scheduled
    ones whose time came, or a change whose after-commit step was lost): how many."""
    first_channel = Channel.objects.filter(is_active=True).aggregate(first=Min("created_at"))
    if first_channel["first"] is None:
        return 0
    now = now or timezone.now()
    # Nothing published before the first channel existed is owed to any (reconcile).
    since = max(now - timedelta(hours=settings.NEWSROOM_REACH_SWEEP_HOURS), first_channel["first"])
    owed = Delivery.objects.filter(article_id=OuterRef("pk"))
    ids = list(
        Article.objects.published()
        .filter(published_at__gte=since)
        .exclude(Exists(owed))
        .order_by("published_at")
        .values_list("pk", flat=True)[:200]
    )
    for pk in ids:
        reconcile(pk)
    return len(ids)


# Sending ---------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def retry_wait(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min, 2 min… at most an hour."""
    return timedelta(seconds=min(15 * 2 ** (attempts - 1), 3600))


def claim(now=None) -> Delivery | None:
    """Take one due delivery for this runner, committed as "sending" before any call."""
    now = now or timezone.now()
    earlier = Delivery.objects.filter(
        channel=OuterRef("channel"),
        article_id=OuterRef("article_id"),
        version__lt=OuterRef("version"),
        status__in=(Delivery.Status.PENDING, Delivery.Status.SENDING),
    )
    with transaction.atomic():
        delivery = (
            Delivery.objects.filter(
                status=Delivery.Status.PENDING,
                next_attempt_at__lte=now,
                channel__is_active=True,
                channel__next_send_at__lte=now,
            )
            .exclude(Exists(earlier))
            .select_related("channel")
            .select_for_update(skip_locked=True, of=("self", "channel"))
            .order_by("next_attempt_at", "id")
            .first()
        )
        if delivery is None:
            return None
        delivery.status, delivery.claimed_at = Delivery.Status.SENDING, now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
        channel = delivery.channel
        channel.next_send_at = now + timedelta(seconds=channel.min_interval_seconds)
        channel.save(update_fields=["next_send_at"])
    return delivery


def recover_stuck(now=None) -> int:
    """Deliveries left "sending" by a runner that died: edits and deletions may simply be
    tried again; a post may have arrived, so it fails as uncertain for the desk to decide."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(
        status=Delivery.Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NEWSROOM_REACH_SENDING_TIMEOUT),
    )
    posts = stale.filter(action=Delivery.Action.POST).update(
        status=Delivery.Status.FAILED, error=Delivery.Error.UNCERTAIN, error_detail=""
    )
    others = stale.exclude(action=Delivery.Action.POST).update(
        status=Delivery.Status.PENDING, next_attempt_at=now
    )
    alerts = PushMessage.objects.filter(
        status=Delivery.Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NEWSROOM_REACH_SENDING_TIMEOUT),
    ).update(status=Delivery.Status.FAILED, error="uncertain: the sending was cut off")
    return posts + others + alerts


def send_due(*, limit: int = 200, push_limit: int = 100_000) -> SendReport:
    """Send what is due, up to ``limit`` deliveries and ``push_limit`` browser alerts, then
    return (the next pass goes on)."""
    report = SendReport()
    recover_stuck()
    for _number in range(limit):
        delivery = claim()
        if delivery is None:
            break
        send(delivery, report)
    send_push_due(report, limit=push_limit)
    return report


def current_message(delivery: Delivery) -> Delivery | None:
    """The last sent delivery before this one whose message is still in the channel."""
    last = (
        Delivery.objects.filter(
            channel_id=delivery.channel_id,
            article_id=delivery.article_id,
            version__lt=delivery.version,
            status=Delivery.Status.SENT,
        )
        .order_by("-version")
        .first()
    )
    if last is None or last.action == Delivery.Action.DELETE or last.message_id is None:
        return None
    return last


def send(delivery: Delivery, report: SendReport) -> None:
    """Do one claimed delivery and record what came of it."""
    token = settings.NEWSROOM_TELEGRAM_BOT_TOKEN
    origin = settings.NEWSROOM_SITE_URL
    if delivery.channel.kind == Channel.Kind.WEB_PUSH:
        if delivery.action != Delivery.Action.POST:  # an alert shown cannot be edited
            return _record(delivery, status=Delivery.Status.SENT, sent_at=timezone.now())
        if not origin:
            return _fail(delivery, report, Delivery.Error.NO_SITE_URL, "")
        count = fan_out(delivery)
        _record(delivery, status=Delivery.Status.SENT, sent_at=timezone.now(), message_id=count)
        report.sent += 1
        return None
    if not token:
        return _fail(delivery, report, Delivery.Error.NO_TOKEN, "")
    if not origin and delivery.action != Delivery.Action.DELETE:
        return _fail(delivery, report, Delivery.Error.NO_SITE_URL, "")
    try:
        message_id, kind = perform(delivery, Bot(token), origin)
    except TelegramUnreachable as error:
        return _retry(delivery, report, Delivery.Error.UNREACHABLE, str(error))
    except TelegramError as error:
        if error.status == 429:
            return _rate_limited(delivery, report, error)
        if error.status >= 500:
            return _retry(delivery, report, Delivery.Error.SERVER, str(error))
        if error.status in (401, 403):
            return _fail(delivery, report, Delivery.Error.FORBIDDEN, str(error))
        if error.message_gone:
            return _fail(delivery, report, Delivery.Error.GONE, str(error))
        return _fail(delivery, report, Delivery.Error.REFUSED, str(error))
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        message_id=message_id,
        message_kind=kind,
        error="",
        error_detail="",
        retry_after=None,
    )
    report.sent += 1


def perform(delivery: Delivery, bot: Bot, origin: str) -> tuple[int | None, str]:
    """The Bot API calls for one delivery: the message it leaves (id and kind)."""
    chat, payload = delivery.channel.chat, delivery.payload
    before = current_message(delivery)
    if delivery.action == Delivery.Action.DELETE:
        if before is None:
            return None, ""  # never arrived, or already deleted: nothing to do
        try:
            bot.delete(chat, before.message_id)
        except TelegramError as error:
            if not (error.status == 400 and "not found" in error.description.lower()):
                raise
        return before.message_id, before.message_kind
    link = urljoin(origin + "/", payload["path"].lstrip("/"))
    photo = urljoin(origin + "/", payload["photo"]) if payload.get("photo") else ""
    if before is None:  # a post, or an edit whose post never arrived
        silent = delivery.channel.silent_unless_breaking and not payload.get("breaking")
        if photo:
            text = article_text(payload, link, limit=CAPTION_LIMIT)
            try:
                result = bot.send_photo(chat, photo, text, silent=silent)
                return result["message_id"], "photo"
            except TelegramError as error:
                if error.status != 400:
                    raise
                # Telegram could not fetch or read the photo: the text alone, with its link.
                logger.warning("delivery %s: photo refused (%s), text sent", delivery.pk, error)
        result = bot.send_message(
            chat, article_text(payload, link, limit=TEXT_LIMIT), silent=silent
        )
        return result["message_id"], "text"
    try:
        if before.message_kind == "photo":
            bot.edit_caption(chat, before.message_id, article_text(payload, link))
        else:
            bot.edit_text(chat, before.message_id, article_text(payload, link, limit=TEXT_LIMIT))
    except TelegramError as error:
        if not error.not_modified:
            raise
    return before.message_id, before.message_kind


def _record(delivery: Delivery, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(**fields)


def _fail(delivery, report, error, detail) -> None:
    _record(delivery, status=Delivery.Status.FAILED, error=error, error_detail=detail[:500])
    report.failed += 1
    report.errors.append(f"{delivery.pk}: {error} {detail}")
    logger.warning("delivery %s failed: %s %s", delivery.pk, error, detail)


def _retry(delivery, report, error, detail) -> None:
    if delivery.attempts >= MAX_ATTEMPTS:
        return _fail(delivery, report, error, detail)
    _record(
        delivery,
        status=Delivery.Status.PENDING,
        next_attempt_at=timezone.now() + retry_wait(delivery.attempts),
        error=error,
        error_detail=detail[:500],
    )
    report.retrying += 1
    report.errors.append(f"{delivery.pk}: {error} {detail}")


def _rate_limited(delivery, report, error: TelegramError) -> None:
    """429: the channel waits ``retry_after`` (every runner sees it); the try is not counted."""
    wait = max(1, error.retry_after or 1)
    until = timezone.now() + timedelta(seconds=wait)
    Channel.objects.filter(pk=delivery.channel_id).update(next_send_at=until)
    _record(
        delivery,
        status=Delivery.Status.PENDING,
        next_attempt_at=until,
        attempts=max(0, delivery.attempts - 1),
        error=Delivery.Error.RATE_LIMITED,
        error_detail=str(error)[:500],
        retry_after=wait,
    )
    report.retrying += 1


def retry(queryset) -> int:
    """The desk's retry: failed (and waiting) deliveries are due again now."""
    return queryset.filter(status__in=(Delivery.Status.FAILED, Delivery.Status.PENDING)).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=timezone.now(),
        attempts=0,
        error="",
        error_detail="",
        retry_after=None,
    )


# Web push ---------------------------------------------------------------------------------

PUSH_BATCH = 500


class Alert(NamedTuple):
    """One claimed alert and the browser it goes to."""

    pk: int
    delivery_id: int
    subscription_id: int
    attempts: int
    endpoint: str
    p256dh: str
    auth: str


def fan_out(delivery: Delivery) -> int:
    """One pending alert per browser that wants the article (breaking news, or its section)
    and subscribed before the article was owed: one statement, run twice owes once."""
    message, subscription = PushMessage._meta, PushSubscription._meta
    sections = PushSubscription.sections.through._meta
    wanted = "s.breaking" if delivery.payload.get("breaking") else "FALSE"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {message.db_table}
                    (delivery_id, subscription_id, status, attempts, next_attempt_at, error)
                SELECT %s, s.id, 'pending', 0, now(), '' FROM {subscription.db_table} s
                WHERE s.created_at <= %s AND ({wanted} OR EXISTS (
                    SELECT 1 FROM {sections.db_table} c
                    WHERE c.pushsubscription_id = s.id AND c.section_id = %s))
                ON CONFLICT (delivery_id, subscription_id) DO NOTHING""",
            [delivery.pk, delivery.created_at, delivery.payload.get("section")],
        )
        return cursor.rowcount


def claim_alerts(now=None, size: int = PUSH_BATCH) -> list[Alert]:
    """Take a batch of due alerts for this runner, committed as "sending", with their
    browsers' addresses and keys: one statement (``SKIP LOCKED``: runners take different
    rows)."""
    now = now or timezone.now()
    message, subscription = PushMessage._meta.db_table, PushSubscription._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""WITH due AS (
                    SELECT id FROM {message}
                    WHERE status = 'pending' AND next_attempt_at <= %s
                    ORDER BY next_attempt_at, id LIMIT %s FOR UPDATE SKIP LOCKED)
                UPDATE {message} m
                SET status = 'sending', claimed_at = %s, attempts = m.attempts + 1
                FROM due, {subscription} s
                WHERE m.id = due.id AND s.id = m.subscription_id
                RETURNING m.id, m.delivery_id, m.subscription_id, m.attempts,
                          s.endpoint, s.p256dh, s.auth""",
            [now, size, now],
        )
        return sorted((Alert(*row) for row in cursor.fetchall()), key=lambda alert: alert.pk)


def _alert_data(delivery_ids, known: dict) -> dict:
    """The notification's JSON for each delivery (read once per delivery)."""
    missing = set(delivery_ids) - known.keys()
    if missing:
        origin = settings.NEWSROOM_SITE_URL
        icon = urljoin(origin + "/", static("reach/icon-192.png"))
        for pk, payload in Delivery.objects.filter(pk__in=missing).values_list("pk", "payload"):
            link = urljoin(origin + "/", payload["path"].lstrip("/"))
            known[pk] = push.alert(payload, link, icon)
    return known


def _dispatch(pool: ThreadPoolExecutor, batch: list[Alert], data: dict, workers: int) -> list:
    """Split ``batch`` among the sending threads (each posts its share in turn on its own
    kept-alive connections): the futures, in the batch's order."""
    share = -(-len(batch) // workers)
    return [
        pool.submit(
            push.send_many,
            [(a.endpoint, a.p256dh, a.auth, data[a.delivery_id]) for a in batch[i : i + share]],
        )
        for i in range(0, len(batch), share)
    ]


def send_push_due(report: SendReport, *, limit: int = 100_000) -> None:
    """Send due alerts in batches: the threads post one batch while this thread claims the
    next, then records the first batch's outcomes (a handful of statements per batch)."""
    workers = max(1, settings.NEWSROOM_PUSH_WORKERS)
    data: dict[int, str] = {}
    batch = claim_alerts(size=min(PUSH_BATCH, limit))
    done = len(batch)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while batch:
            _alert_data({alert.delivery_id for alert in batch}, data)
            futures = _dispatch(pool, batch, data, workers)
            following = claim_alerts(size=min(PUSH_BATCH, limit - done)) if done < limit else []
            done += len(following)
            results = [result for future in futures for result in future.result()]
            _record_alerts(batch, results, report)
            batch = following


def _record_alerts(batch: list[Alert], results, report: SendReport) -> None:
    """What came of a batch, in at most three statements: the sent ones, the browsers gone
    (their subscription and alerts deleted), and those failed or waiting to be tried again."""
    now = timezone.now()
    sent, gone, later = [], [], []
    for alert, (outcome, error, wait) in zip(batch, results, strict=True):
        if outcome == push.PushResult.SENT:
            sent.append(alert.pk)
        elif outcome == push.PushResult.GONE:
            gone.append(alert.subscription_id)
        elif outcome == push.PushResult.RETRY and alert.attempts < MAX_ATTEMPTS:
            when = now + (timedelta(seconds=wait) if wait else retry_wait(alert.attempts))
            later.append((alert.pk, Delivery.Status.PENDING, error[:300], when))
            report.retrying += 1
        else:
            later.append((alert.pk, Delivery.Status.FAILED, error[:300], now))
            report.failed += 1
    sending = PushMessage.objects.filter(status=Delivery.Status.SENDING)
    if sent:
        sending.filter(pk__in=sent).update(status=Delivery.Status.SENT, sent_at=now, error="")
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()  # its alerts go with it
    if later:
        table = PushMessage._meta.db_table
        rows = ", ".join(["(%s, %s, %s, %s::timestamptz)"] * len(later))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {table} m SET status = v.status, error = v.error,
                        next_attempt_at = v.at
                    FROM (VALUES {rows}) AS v(id, status, error, at)
                    WHERE m.id = v.id AND m.status = 'sending'""",
                [value for row in later for value in row],
            )
    report.sent += len(sent)
