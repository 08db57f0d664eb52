"""Jobs of selling events (docs/jobs.md)."""

from __future__ import annotations

from taybac.campaigns.window_harvest import release_lapsed
from taybac.core.jobs import crontab, db_periodic_task


@db_periodic_task(crontab(minute="*"))
def release_lapsed_preorders() -> None:
    """Every minute: pre-orders whose shop order was cancelled (unpaid past its hold, or by anyone) give their
    units back to the sales window."""
    release_lapsed()
