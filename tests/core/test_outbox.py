"""The outbox: messages stored with their event, sent after commit, retried with exponential backoff, failed after
bounded tries (and then visible in the admin), never sent twice at once, secrets erased once sent."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from huey.storage import SqliteStorage

from taybac.core import outbox
from taybac.core.jobs import HUEY
from taybac.core.models import OutboxMessage
from taybac.core.senders import PermanentSendError

pytestmark = pytest.mark.django_db
PHONE = "+84912345678"


class FlakySender:
    """A real SMS sender whose gateway fails `failures` times, then delivers."""

    failures = 0
    tries: list[str] = []
    delivered: list[tuple[str, str]] = []
    error: type[Exception] = ConnectionError

    def send(self, *, phone: str, text: str) -> None:
        FlakySender.tries.append(text)
        if len(FlakySender.tries) <= FlakySender.failures:
            raise FlakySender.error("gateway timed out")
        FlakySender.delivered.append((phone, text))


@pytest.fixture
def gateway(settings):
    FlakySender.failures, FlakySender.tries, FlakySender.delivered = 0, [], []
    FlakySender.error = ConnectionError
    settings.TAYBAC_SMS_SENDER = f"{__name__}.FlakySender"
    return FlakySender


def store(text: str = "Tay Bac Hub: thu nghiem", **options) -> OutboxMessage:
    [message] = outbox.enqueue([outbox.sms(phone=PHONE, text=text)], **options)
    return message


def test_fails_twice_then_delivered_after_backoff(gateway, django_capture_on_commit_callbacks):
    gateway.failures = 2
    with django_capture_on_commit_callbacks(execute=True):  # after commit, the job runner takes it at once
        message = store()
    message.refresh_from_db()
    first_retry = message.next_attempt_at
    assert (message.status, message.attempts, len(gateway.tries)) == ("pending", 1, 1)
    assert "ConnectionError: gateway timed out" in message.last_error
    assert first_retry - message.created_at >= timedelta(seconds=60)

    assert outbox.deliver_due(now=first_retry - timedelta(seconds=1)) == 0  # not due yet: the gateway rests
    assert len(gateway.tries) == 1
    assert outbox.deliver_due(now=first_retry) == 0  # the second try fails too, and waits twice as long
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 2)
    assert message.next_attempt_at == first_retry + timedelta(seconds=120)
    assert outbox.deliver_due(now=first_retry + timedelta(seconds=119)) == 0
    assert outbox.deliver_due(now=first_retry + timedelta(seconds=120)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert gateway.delivered == [(PHONE, "Tay Bac Hub: thu nghiem")]
    assert outbox.deliver_due(now=first_retry + timedelta(days=1)) == 0  # sent once, never again


def test_backoff_doubles_up_to_its_cap(settings):
    settings.TAYBAC_OUTBOX_RETRY_SECONDS, settings.TAYBAC_OUTBOX_RETRY_MAX_SECONDS = 60, 3600
    assert [outbox.retry_delay(n).total_seconds() for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_gateway_that_keeps_failing_ends_failed_and_shows_in_the_admin(gateway, settings, admin_client, caplog):
    settings.TAYBAC_OUTBOX_MAX_ATTEMPTS = 3
    gateway.failures = 99
    message = store()
    now = timezone.now()
    for _ in range(5):
        outbox.deliver_due(now=now)
        now += timedelta(hours=2)
    message.refresh_from_db()
    assert (message.status, message.attempts, len(gateway.tries)) == ("failed", 3, 3)
    assert "failed for good after 3 tries" in caplog.text
    page = admin_client.get("/quan-tri/core/outboxmessage/", {"status__exact": "failed"}).content.decode()
    assert PHONE in page and "gateway timed out" in page


def test_failed_message_can_be_sent_again_from_the_admin(gateway, settings, admin_client):
    gateway.failures = 1
    message = store()
    settings.TAYBAC_OUTBOX_MAX_ATTEMPTS = 1
    outbox.deliver(message.pk)
    admin_client.post("/quan-tri/core/outboxmessage/", {"action": "send_again", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert outbox.deliver_due() == 1 and gateway.delivered


def test_a_number_that_can_never_receive_fails_at_once(gateway):
    gateway.failures, gateway.error = 99, PermanentSendError
    message = store()
    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)


class RacingSender(FlakySender):
    """While it sends, a second worker's sweep tries to take the same message."""

    pk = 0
    taken_meanwhile: list[str | None] = []

    def send(self, *, phone: str, text: str) -> None:
        RacingSender.taken_meanwhile.append(outbox.deliver(RacingSender.pk))
        super().send(phone=phone, text=text)


def test_a_message_held_by_one_worker_is_not_taken_by_another(gateway, settings):
    settings.TAYBAC_SMS_SENDER = f"{__name__}.RacingSender"
    RacingSender.pk, RacingSender.taken_meanwhile = store().pk, []
    assert outbox.deliver(RacingSender.pk) == "sent"
    assert RacingSender.taken_meanwhile == [None] and len(gateway.delivered) == 1


def test_a_sign_in_code_is_erased_once_sent_and_hidden_in_the_admin(gateway, admin_client):
    message = store("907131 la ma dang nhap", sensitive=True, hand_off=False)
    page = admin_client.get(f"/quan-tri/core/outboxmessage/{message.pk}/change/").content.decode()
    assert "907131" not in page
    assert outbox.send_held(message) == "sent"
    message.refresh_from_db()
    assert "907131" not in message.body and gateway.delivered == [(PHONE, "907131 la ma dang nhap")]


def test_a_message_past_its_expiry_is_not_sent(gateway):
    message = store(expires_at=timezone.now() - timedelta(seconds=1))
    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.last_error == "expired before it was sent" and gateway.tries == []


def test_a_job_store_that_refuses_the_job_does_not_break_the_request(
    gateway, tmp_path, caplog, django_capture_on_commit_callbacks
):
    """The message is stored: the every-minute sweep sends it even when queueing its job failed."""
    HUEY.immediate = False
    HUEY.storage = SqliteStorage("taybac", filename=str(tmp_path / "missing" / "jobs.sqlite3"), create_tables=False)
    try:
        with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.ERROR):
            message = store()
    finally:
        HUEY.immediate = True
    assert "the retry sweep will send them" in caplog.text and gateway.tries == []
    assert outbox.deliver_due() == 1
    message.refresh_from_db()
    assert message.status == "sent"


def test_nothing_is_stored_for_a_transaction_that_rolls_back(gateway, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            store()
            raise RuntimeError("the order failed")
    assert not OutboxMessage.objects.exists() and gateway.tries == []


def test_old_sent_messages_are_pruned_failed_ones_kept(gateway, settings):
    settings.TAYBAC_OUTBOX_MAX_ATTEMPTS = 1
    sent, failed = store(), store()
    outbox.deliver(sent.pk)
    gateway.failures = 99
    outbox.deliver(failed.pk)
    later = timezone.now() + outbox.KEEP_SENT + timedelta(days=1)
    assert outbox.prune(now=later) == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [failed.pk]
