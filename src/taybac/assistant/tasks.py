"""Periodic assistant jobs, run by the job runner (core/jobs.py, `taybac worker`)."""

from __future__ import annotations

from taybac.assistant.channels.inbound import prune_events
from taybac.assistant.services import prune_conversations
from taybac.core.jobs import crontab, db_periodic_task


@db_periodic_task(crontab(minute="23", hour="3"))
def prune_idle_conversations() -> None:
    """03:23 UTC daily: conversations idle for 30 days are deleted with their messages."""
    prune_conversations()
    prune_events()  # Zalo and Messenger event ids older than 3 days
