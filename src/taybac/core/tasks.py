"""Jobs of the outbox (core/outbox.py): send what was just stored, and every minute retry what is due."""

from __future__ import annotations

from taybac.core import outbox
from taybac.core.jobs import crontab, db_periodic_task, db_task


@db_task()
def deliver_messages(ids: list[int]) -> None:
    """Send messages stored by a transaction that has just committed."""
    for pk in ids:
        outbox.deliver(pk)


@db_periodic_task(crontab(minute="*"))
def retry_due_messages() -> None:
    """Every minute: messages whose retry time has come, and any whose job was lost."""
    outbox.deliver_due()


@db_periodic_task(crontab(minute="17", hour="3"))
def prune_sent_messages() -> None:
    """Every night: sent messages past outbox.KEEP_SENT."""
    outbox.prune()
