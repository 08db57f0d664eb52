"""Stored demand forecasts (docs/insights.md, "Stored forecasts and the upload form").

Demand is units ordered per week: the sum of order line quantities of a category's products sold by shops in one
province (and, for products with history enough, of one product), orders counted as the indicators count them
(`indicators.COUNTED`: confirmed until delivered or completed; cancelled, returned and unpaid-expired orders are
left out). Weeks start on Monday in Vietnam time (settings.TIME_ZONE); only complete weeks are used, and a
series runs from its first week with sales to the last complete week, weeks without sales counting 0.

A refresh builds every series with one aggregate query per level (category × province, product), forecasts them
with the engine (`forecasting.engine.forecast_all`, the same as `taybac forecast`) and stores the run, its
forecasts and their weeks in one transaction; the run is marked done only then, so readers
(`forecast_selectors`) keep seeing the previous done run until a new one is complete, and a failed run replaces
nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import DateField, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from taybac.insights.forecasting.engine import forecast_all
from taybac.insights.forecasting.io import Series
from taybac.insights.indicators import COUNTED, local_zone
from taybac.insights.models import DemandForecast, ForecastRun, ForecastWeek
from taybac.orders.models import OrderLine

logger = logging.getLogger("taybac.insights")

HORIZON = 26  # weeks: half a year ahead, so production advice sees a season coming while there is time to act
MAX_HISTORY_WEEKS = 4 * 52  # the engine fits at most four yearly seasons; older orders are not read
# "Enough history": a category × province series needs a quarter since its first sale and sales in 4 weeks; a
# product needs half a year and sales in 8 weeks (fewer are noise the category's forecast already carries).
MIN_CATEGORY_WEEKS, MIN_CATEGORY_SALE_WEEKS = 13, 4
MIN_PRODUCT_WEEKS, MIN_PRODUCT_SALE_WEEKS = 26, 8
KEEP_RUNS = 3  # done runs kept (the newest is shown); older runs and their forecasts are deleted
MAX_ERROR = 2000


@dataclass(frozen=True)
class Key:
    """What a series measures: a category in a province, or one product (of that category and shop province)."""

    category_id: int
    province_id: int
    product_id: int | None = None

    @property
    def series_id(self) -> str:
        if self.product_id is not None:
            return f"product-{self.product_id}"
        return f"category-{self.category_id}-province-{self.province_id}"


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def last_complete_week(*, today: datetime.date) -> datetime.date:
    """Monday of the last week that has ended by `today` (a local date)."""
    return _monday(today) - datetime.timedelta(weeks=1)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())


def weekly_units(
    *, by_product: bool, since: datetime.date, until: datetime.date, province_id: int | None = None
) -> dict[Key, dict[datetime.date, int]]:
    """Units ordered per Monday week from the week of `since` to the week of `until` (both Mondays, inclusive),
    per category × province or per product: one aggregate query, weeks cut at local midnight."""
    lines = OrderLine.objects.filter(
        shop_order__status__in=COUNTED,
        shop_order__created_at__gte=_local_midnight(since),
        shop_order__created_at__lt=_local_midnight(until + datetime.timedelta(weeks=1)),
    ).order_by()
    if province_id is not None:
        lines = lines.filter(shop__province_id=province_id)
    fields = ["variant__product__category_id", "shop__province_id"] + (["variant__product_id"] if by_product else [])
    rows = lines.values(*fields, week=Trunc("shop_order__created_at", "week", DateField(), tzinfo=local_zone()))
    out: dict[Key, dict[datetime.date, int]] = defaultdict(dict)
    for row in rows.annotate(units=Sum("quantity")):
        key = Key(
            row["variant__product__category_id"],
            row["shop__province_id"],
            row["variant__product_id"] if by_product else None,
        )
        out[key][row["week"]] = int(row["units"])
    return dict(out)


def series_of(
    *, weeks: dict[datetime.date, int], key: Key, until: datetime.date, min_weeks: int, min_sale_weeks: int
) -> Series | None:
    """The series from its first week with sales to `until`, zeros filled; None when its history is too short."""
    sold = [week for week, units in weeks.items() if units > 0]
    if len(sold) < min_sale_weeks:
        return None
    first = min(sold)
    count = (until - first).days // 7 + 1
    if count < min_weeks:
        return None
    dates = tuple(first + datetime.timedelta(weeks=i) for i in range(count))
    return Series(key.series_id, "W", dates, tuple(float(weeks.get(day, 0)) for day in dates))


def demand_series(*, history_end: datetime.date) -> list[tuple[Key, Series]]:
    """Every series with history enough, category × province first, then products (two queries)."""
    since = history_end - datetime.timedelta(weeks=MAX_HISTORY_WEEKS - 1)
    found: list[tuple[Key, Series]] = []
    for by_product, min_weeks, min_sale_weeks in (
        (False, MIN_CATEGORY_WEEKS, MIN_CATEGORY_SALE_WEEKS),
        (True, MIN_PRODUCT_WEEKS, MIN_PRODUCT_SALE_WEEKS),
    ):
        units = weekly_units(by_product=by_product, since=since, until=history_end)
        for key in sorted(units, key=lambda k: (k.category_id, k.province_id, k.product_id or 0)):
            one = series_of(
                weeks=units[key], key=key, until=history_end, min_weeks=min_weeks, min_sale_weeks=min_sale_weeks
            )
            if one is not None:
                found.append((key, one))
    return found


def refresh_forecasts(
    *, today: datetime.date | None = None, horizon: int = HORIZON, jobs: int | None = 1
) -> ForecastRun:
    """Forecast every series with history enough and store the result as a new done run; on any error the run
    is marked failed with the error and the previous done run stays the one shown. `jobs` 1 fits in the
    worker's process (safe in the demo's worker thread); the command may use more cores."""
    history_end = last_complete_week(today=today or timezone.localdate())
    run = ForecastRun.objects.create(history_end=history_end, horizon_weeks=horizon)
    try:
        found = demand_series(history_end=history_end)
        results = forecast_all(series=[one for _key, one in found], horizon=horizon, jobs=jobs)
        with transaction.atomic():
            forecasts = DemandForecast.objects.bulk_create(
                DemandForecast(
                    run=run,
                    category_id=key.category_id,
                    province_id=key.province_id,
                    product_id=key.product_id,
                    observations=len(one.values),
                    model=result.model,
                    mase=result.mase,
                    baseline=result.baseline,
                    baseline_mase=result.baseline_mase,
                    beats_baseline=result.beats_baseline,
                    backtest_origins=result.origins,
                )
                for (key, one), result in zip(found, results, strict=True)
            )
            ForecastWeek.objects.bulk_create(
                (
                    ForecastWeek(forecast=forecast, week_start=day, quantity=max(0.0, value))
                    for forecast, (_key, one), result in zip(forecasts, found, results, strict=True)
                    for day, value in zip(one.future_dates(horizon), result.values, strict=True)
                ),
                batch_size=2000,
            )
            run.status, run.series_count, run.finished_at = ForecastRun.Status.DONE, len(found), timezone.now()
            run.save(update_fields=["status", "series_count", "finished_at"])
            prune_runs()
    except Exception as exc:  # any failure: recorded on the run, which then shows nothing
        logger.exception("Forecast refresh %s failed", run.pk)
        ForecastRun.objects.filter(pk=run.pk).update(
            status=ForecastRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR],
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
    return run


def prune_runs() -> int:
    """Keep the KEEP_RUNS newest done runs and anything newer; delete older runs with their forecasts."""
    kept = list(
        ForecastRun.objects.filter(status=ForecastRun.Status.DONE)
        .order_by("-id")
        .values_list("id", flat=True)[:KEEP_RUNS]
    )
    if len(kept) < KEEP_RUNS:
        return 0
    deleted, _ = ForecastRun.objects.filter(id__lt=min(kept)).delete()
    return deleted


def refresh_if_stale(*, today: datetime.date | None = None) -> ForecastRun | None:
    """Refresh unless a done run already learnt from the last complete week (the demo asks at every start)."""
    history_end = last_complete_week(today=today or timezone.localdate())
    if ForecastRun.objects.filter(status=ForecastRun.Status.DONE, history_end=history_end).exists():
        return None
    return refresh_forecasts(today=today)
