"""Forgetting a deleted account's messages (core.outbox.forget_recipient): sent and failed ones to its phone or
e-mail go; pending ones are still delivered; other people's stay."""

from __future__ import annotations

from taybac.core import outbox
from taybac.core.models import OutboxMessage


def test_sent_and_failed_messages_to_the_person_go_and_the_rest_stay(db):
    phone, email, other = "+84912345678", "lan@example.vn", "+84912345679"
    for recipient, status in [(phone, "sent"), (phone, "failed"), (email, "sent"), (phone, "pending"), (other, "sent")]:
        OutboxMessage.objects.create(channel="sms", recipient=recipient, body="x", status=status)
    assert outbox.forget_recipient(phone=phone, email=email) == 3
    assert sorted(OutboxMessage.objects.values_list("recipient", "status")) == [(phone, "pending"), (other, "sent")]
    assert outbox.forget_recipient(phone=None, email="") == 0
