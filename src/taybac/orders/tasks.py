"""Periodic order jobs, run by the job runner (core/jobs.py, `taybac worker`)."""

from __future__ import annotations

from taybac.core.jobs import crontab, db_periodic_task
from taybac.orders.services import expire_reservations


@db_periodic_task(crontab(minute="*"))
def expire_unpaid_reservations() -> None:
    """Every minute: unpaid transfer orders past their hold are cancelled and their stock returned."""
    expire_reservations()
