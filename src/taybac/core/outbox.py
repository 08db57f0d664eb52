"""The outbox: every SMS and e-mail is first a row (OutboxMessage) written in the transaction of the event it tells
about, so a message exists exactly when its order (or sign-in code) does. After commit the job runner sends it
(core/tasks.py); a failed try is retried after a delay that doubles each time, and after
TAYBAC_OUTBOX_MAX_ATTEMPTS tries in all the message is marked failed, where the admin shows it.

Several workers may run at once: a worker takes a message with one guarded UPDATE that moves its next attempt a
lease ahead (the same on SQLite and PostgreSQL), so two workers never send it at the same time. A worker that
dies mid-send leaves the message to be tried again when the lease runs out: delivery is at least once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from taybac.core import senders
from taybac.core.models import OutboxMessage
from taybac.core.sms import to_gsm7

logger = logging.getLogger("taybac.core.outbox")
Status = OutboxMessage.Status

# How long a worker owns a message it took; senders must give up well before (a gateway timeout of ~30 s).
LEASE = timedelta(minutes=5)
# How many due messages one sweep takes on; the next sweep (a minute later) takes the rest.
SWEEP_LIMIT = 200
# Sent messages are kept this long for support questions ("did the producer get the SMS?"), then pruned.
KEEP_SENT = timedelta(days=30)
ERASED = "(đã xoá sau khi gửi)"


@dataclass(frozen=True)
class Message:
    """What to send, before it is stored."""

    channel: str
    recipient: str
    body: str
    subject: str = ""
    marketing: bool = False  # sent only to a recipient who consented (register_consent_check)


# Marketing messages go only to people who consented to them (Law 91/2025/QH15): the app that records consent
# (compliance) registers a check in its AppConfig.ready(), given the recipients and answering those who
# consented. Without a check every marketing message is refused.
_consent_check: Callable[..., Collection[str]] | None = None


def register_consent_check(check: Callable[..., Collection[str]]) -> None:
    """`check(recipients=...)` answers which of the recipients consented to marketing messages."""
    global _consent_check
    _consent_check = check


def _with_consent(messages: Sequence[Message]) -> list[Message]:
    """The messages, less the marketing ones to recipients without consent (dropped, and logged)."""
    wanted = {m.recipient for m in messages if m.marketing}
    allowed = set(_consent_check(recipients=wanted)) if wanted and _consent_check else set()
    kept = [m for m in messages if not m.marketing or m.recipient in allowed]
    if len(kept) < len(messages):
        logger.info("Outbox refused %d marketing message(s) to recipients without consent", len(messages) - len(kept))
    return kept


def sms(*, phone: str, text: str, marketing: bool = False) -> Message:
    """An SMS, in the GSM-7 alphabet so that it fits one 160-character part where it can (core/sms.py)."""
    return Message(channel=OutboxMessage.Channel.SMS, recipient=phone, body=to_gsm7(text), marketing=marketing)


def email(*, address: str, subject: str, body: str) -> Message:
    """An e-mail, in full Vietnamese."""
    return Message(channel=OutboxMessage.Channel.EMAIL, recipient=address, subject=subject, body=body)


def enqueue(
    messages: Sequence[Message], *, sensitive: bool = False, expires_at: datetime | None = None, hand_off: bool = True
) -> list[OutboxMessage]:
    """Store messages in the caller's transaction (one INSERT); after commit the job runner sends them.

    Marketing messages to recipients who did not consent are dropped here, whoever queues them.
    `hand_off=False` keeps the first try for the caller (a sign-in code is sent within the request, with
    `send_held`): the rows are stored already leased to it, and the retry sweep takes over when the lease ends.
    """
    messages = _with_consent(messages)
    if not messages:
        return []
    now = timezone.now()
    rows = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                channel=m.channel,
                recipient=m.recipient,
                subject=m.subject,
                body=m.body,
                created_at=now,
                sensitive=sensitive,
                expires_at=expires_at,
                next_attempt_at=now if hand_off else now + LEASE,
            )
            for m in messages
        ]
    )
    if hand_off:
        transaction.on_commit(partial(_hand_off, [row.pk for row in rows]))
    return rows


def _hand_off(ids: list[int]) -> None:
    """Queue a delivery job; never raises after the commit (the messages are stored: the sweep sends them)."""
    from taybac.core.tasks import deliver_messages  # the task module imports this one

    try:
        deliver_messages(ids)
    except Exception:
        logger.exception("Could not queue outbox messages %s; the retry sweep will send them", ids)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: RETRY_SECONDS, doubled per try, at most RETRY_MAX_SECONDS."""
    seconds = settings.TAYBAC_OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.TAYBAC_OUTBOX_RETRY_MAX_SECONDS))


def deliver(pk: int, *, now: datetime | None = None) -> str | None:
    """Try to send one message if it is due and no other worker holds it; returns its new status, or None when
    it was not taken (already sent, failed, not due yet, or held by another worker)."""
    now = now or timezone.now()
    taken = OutboxMessage.objects.filter(pk=pk, status=Status.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE
    )
    if not taken:
        return None
    return _attempt(OutboxMessage.objects.get(pk=pk), now=now)


def send_held(message: OutboxMessage, *, now: datetime | None = None) -> str:
    """The first try of a message stored with `hand_off=False` (its lease is the caller's, no claim needed)."""
    return _attempt(message, now=now or timezone.now())


def _attempt(message: OutboxMessage, *, now: datetime) -> str:
    """Send a message this worker holds and record the outcome: sent, retry later, or failed."""
    pk, attempts = message.pk, message.attempts + 1
    if message.expires_at is not None and message.expires_at <= now:
        return _finish(message, status=Status.FAILED, attempts=message.attempts, error="expired before it was sent")
    try:
        senders.send(channel=message.channel, recipient=message.recipient, subject=message.subject, body=message.body)
    except Exception as exc:  # a gateway's failure is recorded and retried, never raised into the caller
        error = f"{type(exc).__name__}: {exc}"[:1000]
        permanent = isinstance(exc, senders.PermanentSendError)
        if permanent or attempts >= settings.TAYBAC_OUTBOX_MAX_ATTEMPTS:
            logger.error(
                "Outbox message %s to %s failed for good after %d tries: %s", pk, message.recipient, attempts, error
            )
            return _finish(message, status=Status.FAILED, attempts=attempts, error=error)
        retry_at = now + retry_delay(attempts)
        logger.warning(
            "Outbox message %s to %s: try %d failed (%s), next at %s",
            pk,
            message.recipient,
            attempts,
            error,
            retry_at.isoformat(),
        )
        OutboxMessage.objects.filter(pk=pk).update(attempts=attempts, next_attempt_at=retry_at, last_error=error)
        return Status.PENDING
    return _finish(message, status=Status.SENT, attempts=attempts, error="", sent_at=now)


def _finish(message: OutboxMessage, *, status: str, attempts: int, error: str, sent_at: datetime | None = None) -> str:
    fields: dict = {"status": status, "attempts": attempts, "last_error": error, "sent_at": sent_at}
    if message.sensitive:
        fields["body"] = ERASED  # a sign-in code is not kept once it no longer needs sending
    OutboxMessage.objects.filter(pk=message.pk).update(**fields)
    return status


def deliver_due(*, now: datetime | None = None, limit: int = SWEEP_LIMIT) -> int:
    """Try every pending message whose time has come (oldest due first); returns how many were sent."""
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk, now=now) == Status.SENT for pk in due)


def prune(*, now: datetime | None = None) -> int:
    """Delete sent messages older than KEEP_SENT; failed ones stay for the operators to look at."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _ = OutboxMessage.objects.filter(status=Status.SENT, created_at__lt=cutoff).delete()
    return deleted


def prune_failed(*, before: datetime) -> int:
    """Delete failed messages made before `before` (retention, after the operators had time to look at them)."""
    deleted, _ = OutboxMessage.objects.filter(status=Status.FAILED, created_at__lt=before).delete()
    return deleted


def forget_recipient(*, phone: str | None, email: str = "") -> int:
    """Delete the messages sent, or given up, to this phone or e-mail (their account is being deleted); pending ones
    are still delivered. How many were deleted."""
    contacts = [c for c in (phone, email) if c]
    if not contacts:
        return 0
    deleted, _ = OutboxMessage.objects.filter(recipient__in=contacts).exclude(status=Status.PENDING).delete()
    return deleted
