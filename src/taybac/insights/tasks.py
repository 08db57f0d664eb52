"""Jobs of insights (docs/jobs.md): the weekly refresh of the stored forecasts, and forecasts of uploaded files."""

from __future__ import annotations

import logging

from taybac.core.jobs import crontab, db_periodic_task, db_task
from taybac.insights.advice import refresh_warnings, send_warning_sms
from taybac.insights.forecast_store import refresh_forecasts, refresh_if_stale
from taybac.insights.uploads import run_upload

logger = logging.getLogger("taybac.insights")


def _log(run: object) -> None:
    logger.info("Forecast refresh: %s", run)


# 20:30 UTC Sunday = 03:30 Monday in Vietnam (UTC+7; Huey's crontabs are UTC): the week just ended is complete,
# and the forecasts are fresh before anyone opens the dashboard on Monday morning.
@db_periodic_task(crontab(minute="30", hour="20", day_of_week="0"))
def refresh_stored_forecasts() -> None:
    """Forecast every category × province (and product) with history enough, as a new run."""
    _log(refresh_forecasts())


@db_task()
def refresh_stored_forecasts_if_stale() -> None:
    """The same, unless a done run already covers the last complete week (queued when the demo starts), then the
    production warnings from it, so a fresh demo shows both (their SMS wait for the weekly job)."""
    run = refresh_if_stale()
    if run is not None:
        _log(run)
        logger.info("Production advice: %s", refresh_warnings())


@db_task()
def run_forecast_upload(upload_id: int) -> None:
    """Forecast one uploaded file (insights.uploads)."""
    upload = run_upload(upload_id=upload_id)
    if upload is not None:
        logger.info("Forecast upload %s: %s", upload.pk, upload.status)


# 23:30 UTC Sunday = 06:30 Monday in Vietnam: three hours after the forecast refresh above, so production advice
# reads this week's forecasts (the latest done run, whichever it is), and its SMS arrive in the morning.
@db_periodic_task(crontab(minute="30", hour="23", day_of_week="0"))
def refresh_production_advice() -> None:
    """Glut and shortage warnings against the latest done forecasts, then one SMS per warning not yet told."""
    result = refresh_warnings()
    logger.info("Production advice: %s; %d SMS queued", result, send_warning_sms())
