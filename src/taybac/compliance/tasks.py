"""Periodic compliance jobs, run by the job runner (core/jobs.py, `taybac worker`): personal-data retention and
the reminder of the monthly tax declaration."""

from __future__ import annotations

import logging

from taybac.compliance.declaration import remind_unfiled
from taybac.compliance.retention import apply_retention
from taybac.core.jobs import crontab, db_periodic_task

logger = logging.getLogger("taybac.compliance.tasks")


@db_periodic_task(crontab(minute="47", hour="3"))
def apply_personal_data_retention() -> None:
    """03:47 UTC daily: delete or de-identify personal data past its period (compliance/retention.py)."""
    swept = apply_retention()
    logger.info("Retention: %s", swept)


# 01:00 UTC on the 15th = 08:00 in Vietnam, five days before the declaration is due (the 20th).
@db_periodic_task(crontab(minute="0", hour="1", day="15"))
def remind_tax_declaration() -> None:
    """Remind the operators when last month's tax declaration is not marked filed (compliance/declaration.py)."""
    logger.info("Tax declaration reminders: %s", remind_unfiled())
