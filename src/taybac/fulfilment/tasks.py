"""Periodic fulfilment jobs, run by the job runner (core/jobs.py, `taybac worker`)."""

from __future__ import annotations

from taybac.core.jobs import crontab, db_periodic_task
from taybac.fulfilment.tracking import poll_shipments
from taybac.logistics.carriers import configured


@db_periodic_task(crontab(minute="*/30"))
def poll_carrier_tracking() -> None:
    """Every 30 minutes: shipments no carrier webhook updated for 6 hours are looked up (at most 100 a run)."""
    poll_shipments(carriers=configured())
