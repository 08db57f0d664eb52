"""Jobs of logistics (docs/jobs.md): the daily consolidation of parcels waiting at the commune post offices."""

from __future__ import annotations

import logging

from django.utils import timezone

from taybac.core.jobs import crontab, db_periodic_task
from taybac.logistics.consolidation_store import run_consolidation

logger = logging.getLogger("taybac.logistics")


# 10:30 UTC = 17:30 in Vietnam (UTC+7, settings.TIME_ZONE Asia/Ho_Chi_Minh; Huey's crontabs are UTC): after the
# post offices' last drop of the day, before the evening line-haul collection.
@db_periodic_task(crontab(minute="30", hour="10"))
def consolidate_today() -> None:
    """Plan today's (local date) waiting parcels into consignments, replacing an earlier run of today."""
    run = run_consolidation(day=timezone.localdate())
    logger.info(
        "Consolidation %s: %s parcels, %s consignments, savings %s đ",
        run.day,
        run.parcels,
        run.consignments,
        run.savings,
    )
