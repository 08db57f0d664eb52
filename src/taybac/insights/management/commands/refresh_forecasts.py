"""`taybac refresh_forecasts [--horizon 26] [--jobs N]`: refresh the stored demand forecasts now, as the weekly job
does (docs/insights.md, "Stored forecasts and the upload form"). Exit 0 when the run is done, 1 when it failed
(the previous done run stays the one shown)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taybac.insights.forecast_store import HORIZON, refresh_forecasts
from taybac.insights.forecasting.io import MAX_HORIZON
from taybac.insights.models import ForecastRun


class Command(BaseCommand):
    help = "Forecast weekly demand per category × province (and product with history enough) and store the run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--horizon", type=int, default=HORIZON, help=f"weeks ahead, 1..{MAX_HORIZON}")
        parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")

    def handle(self, *args, **options) -> None:
        if not 1 <= options["horizon"] <= MAX_HORIZON:
            raise CommandError(f"--horizon must be 1..{MAX_HORIZON}", returncode=2)
        run = refresh_forecasts(horizon=options["horizon"], jobs=options["jobs"])
        if run.status != ForecastRun.Status.DONE:
            raise CommandError(f"forecast run {run.pk} failed: {run.error}")
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
        self.stdout.write(
            f"run {run.pk}: {run.series_count} series learnt up to the week of {run.history_end}, "
            f"{run.horizon_weeks} weeks ahead, in {seconds:.1f} s"
        )
