"""Two copies of one channel event arriving at the same moment (a retry racing the original) are answered once:
the event id's unique constraint serialises them, whatever the database."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from taybac.assistant.channels.inbound import Incoming, receive
from taybac.assistant.models import Message
from taybac.core.models import OutboxMessage


@pytest.mark.django_db(transaction=True)
def test_a_retry_racing_the_original_is_answered_once():
    incoming = Incoming(
        channel="zalo", event_id="msg-race", scope="579745863508352884", sender="25123", text="chào shop"
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def deliver() -> None:
        try:
            start.wait()
            outcomes.append(receive(incoming=incoming))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["answered", "duplicate"]
    assert Message.objects.filter(role=Message.Role.BUYER).count() == 1
    assert OutboxMessage.objects.filter(channel="zalo").count() == 1
