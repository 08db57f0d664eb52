"""Periodic assistant jobs, run by the job runner (core/jobs.py, `taybac worker`)."""

from __future__ import annotations

from taybac.assistant.channels.inbound import prune_events
from taybac.assistant.services import prune_conversations
from taybac.core.jobs import crontab, db_periodic_task


@db_periodic_task(crontab(minute="23"))
def prune_idle_conversations() -> None:
    """Hourly at :23: conversations idle for 30 days, or for 24 hours without the buyer's consent to be remembered,
    are deleted with their messages (so none outlives its bound by more than an hour)."""
    prune_conversations()
    prune_events()  # Zalo and Messenger event ids older than 3 days
