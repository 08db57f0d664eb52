"""Channel event ids are kept a few days (longer than any retry, and than the age the webhooks accept), then the
assistant's prune job forgets them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from taybac.assistant.channels.inbound import KEEP_EVENTS
from taybac.assistant.models import ChannelEvent
from taybac.assistant.tasks import prune_idle_conversations


@pytest.mark.django_db
def test_the_prune_job_forgets_event_ids_older_than_three_days():
    old = ChannelEvent.objects.create(channel="zalo", event_id="old")
    recent = ChannelEvent.objects.create(channel="messenger", event_id="recent")
    past = timezone.now() - KEEP_EVENTS - datetime.timedelta(minutes=1)
    ChannelEvent.objects.filter(pk=old.pk).update(received_at=past)
    ChannelEvent.objects.filter(pk=recent.pk).update(received_at=timezone.now() - datetime.timedelta(days=2))
    prune_idle_conversations.call_local()
    assert list(ChannelEvent.objects.values_list("event_id", flat=True)) == ["recent"]
