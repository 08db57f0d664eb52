"""Reads of the stored forecasts (docs/insights.md, "Stored forecasts and the upload form").

Everything reads the latest *done* run only: a running or failed refresh is never shown. Used by the province
dashboard (`forecast_pages`) and by production advice (`forecast_demand`: a category × province's forecast units
over a date range).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from taybac.insights.models import DemandForecast, ForecastRun, ForecastWeek


@dataclass(frozen=True)
class StoredForecast:
    """One series' forecast with its weeks (oldest first) and its accuracy."""

    forecast: DemandForecast
    weeks: list[tuple[datetime.date, float]]

    @property
    def total(self) -> float:
        return sum(quantity for _day, quantity in self.weeks)


def latest_run() -> ForecastRun | None:
    """The newest done run, or None before the first refresh has finished."""
    return ForecastRun.objects.filter(status=ForecastRun.Status.DONE).order_by("-id").first()


def _with_weeks(forecasts: list[DemandForecast]) -> list[StoredForecast]:
    return [StoredForecast(f, [(w.week_start, w.quantity) for w in f.weeks.all()]) for f in forecasts]


def _forecasts(run: ForecastRun) -> QuerySet[DemandForecast]:
    weeks = Prefetch("weeks", queryset=ForecastWeek.objects.order_by("week_start"))
    return DemandForecast.objects.filter(run=run).select_related("category", "province").prefetch_related(weeks)


def category_forecasts(*, province_id: int | None, run: ForecastRun | None = None) -> list[StoredForecast]:
    """The category × province forecasts of a province (all provinces when None), in category order."""
    run = run or latest_run()
    if run is None:
        return []
    found = _forecasts(run).filter(product__isnull=True)
    if province_id is not None:
        found = found.filter(province_id=province_id)
    return _with_weeks(list(found.order_by("category__position", "category__name", "province__name")))


def product_forecast(*, product_id: int, run: ForecastRun | None = None) -> StoredForecast | None:
    """One product's forecast, when it had history enough to get one."""
    run = run or latest_run()
    if run is None:
        return None
    found = list(_forecasts(run).filter(product_id=product_id))
    return _with_weeks(found)[0] if found else None


def forecast_demand(
    *, category_id: int, province_id: int, start: datetime.date, end: datetime.date
) -> tuple[float, DemandForecast | None]:
    """Forecast units of a category in a province ordered from `start` to `end` (dates, inclusive), with the
    forecast they come from (None, and 0 units, when the latest run has none). A week partly inside the range
    counts for its days inside (units spread evenly over the week); days past the forecast's last week count
    nothing, so compare `end` with `forecast_end(forecast)` before trusting a total for a far range."""
    run = latest_run()
    if run is None or end < start:
        return 0.0, None
    forecast = (
        DemandForecast.objects.filter(run=run, category_id=category_id, province_id=province_id, product__isnull=True)
        .select_related("run")
        .first()
    )
    if forecast is None:
        return 0.0, None
    units = 0.0
    first_monday = start - datetime.timedelta(days=start.weekday())
    for week in forecast.weeks.filter(week_start__gte=first_monday, week_start__lte=end):
        week_end = week.week_start + datetime.timedelta(days=6)
        days = (min(end, week_end) - max(start, week.week_start)).days + 1
        units += week.quantity * days / 7
    return units, forecast


def forecast_end(*, forecast: DemandForecast) -> datetime.date:
    """The last day (a Sunday) a forecast covers."""
    return forecast.run.history_end + datetime.timedelta(weeks=forecast.run.horizon_weeks, days=6)
