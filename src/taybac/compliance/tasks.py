"""Periodic compliance jobs, run by the job runner (core/jobs.py, `taybac worker`): personal-data retention."""

from __future__ import annotations

import logging

from taybac.compliance.retention import apply_retention
from taybac.core.jobs import crontab, db_periodic_task

logger = logging.getLogger("taybac.compliance.tasks")


@db_periodic_task(crontab(minute="47", hour="3"))
def apply_personal_data_retention() -> None:
    """03:47 UTC daily: delete or de-identify personal data past its period (compliance/retention.py)."""
    swept = apply_retention()
    logger.info("Retention: %s", swept)
