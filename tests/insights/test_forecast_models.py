"""Per-series model choice: exactly H values on the series' own step, the seasonal baseline beaten where there is
a pattern to learn, a short series forecast by a simpler model, and a series where nothing beats the baseline
forecast with the baseline and flagged as such."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest

from taybac.insights.forecasting.engine import forecast_all, forecast_rows, format_models
from taybac.insights.forecasting.io import Series
from taybac.insights.forecasting.models import (
    MIN_POINTS,
    NAIVE_BASELINE,
    SEASONAL_BASELINE,
    backtest_origins,
    forecast_series,
    mase,
)

MONDAY = datetime.date(2023, 1, 2)


def seasonal_weekly(weeks: int, *, noise: float = 2.0, trend: float = 0.3, seed: int = 1) -> list[float]:
    rng = np.random.default_rng(seed)
    return [max(0.0, 60 + trend * k + 25 * math.sin(2 * math.pi * k / 52) + rng.normal(0, noise)) for k in range(weeks)]


def test_mase_is_scaled_on_the_seasonal_change_of_the_history() -> None:
    history = np.array([1.0, 2.0, 3.0, 2.0, 3.0, 4.0])  # lag-3 changes: 1, 1, 1
    assert mase(actual=np.array([5.0, 5.0]), predicted=np.array([4.0, 7.0]), history=history, season=3) == 1.5


def test_origins_roll_back_from_the_end_and_skip_those_without_enough_history() -> None:
    assert backtest_origins(length=100, window=10, min_train=60, origins=3) == [70, 80, 90]
    assert backtest_origins(length=100, window=10, min_train=75, origins=3) == [80, 90]
    assert backtest_origins(length=100, window=10, min_train=95, origins=3) == []


def test_trending_seasonal_series_beats_seasonal_naive() -> None:
    result = forecast_series(seasonal_weekly(156, trend=0.5), season=52, horizon=13)
    assert len(result.values) == 13
    assert result.baseline == SEASONAL_BASELINE and result.origins == 3
    assert result.model != SEASONAL_BASELINE and result.beats_baseline
    assert result.mase is not None and result.baseline_mase is not None and result.mase < result.baseline_mase


def test_a_series_nothing_beats_keeps_the_baseline_and_says_so() -> None:
    # A pure yearly cycle, repeated exactly: seasonal naive is perfect, so no model can beat it.
    cycle = [float(v) for v in np.random.default_rng(3).integers(0, 100, 12)]
    result = forecast_series(cycle * 4, season=12, horizon=6)
    assert result.model == SEASONAL_BASELINE
    assert not result.beats_baseline
    assert result.values == tuple(cycle[:6])


def test_short_series_gets_a_simple_model_against_naive() -> None:
    result = forecast_series([10, 12, 14, 16, 18, 20, 22, 24, 26, 28], season=52, horizon=4)
    assert result.baseline == NAIVE_BASELINE
    assert result.model in {"naive", "ses", "drift", "ets", "ensemble"}
    assert len(result.values) == 4 and result.origins >= 1
    assert result.model != NAIVE_BASELINE and result.beats_baseline  # a steady climb: a trend model wins


def test_shortest_allowed_series_is_forecast() -> None:
    result = forecast_series([3.0] * MIN_POINTS, season=12, horizon=3)
    assert result.values == (3.0, 3.0, 3.0)
    with pytest.raises(ValueError):
        forecast_series([3.0] * (MIN_POINTS - 1), season=12, horizon=3)


def test_forecasts_are_never_negative() -> None:
    falling = [float(v) for v in range(40, 0, -3)] + [0.0, 0.0]
    assert min(forecast_series(falling, season=52, horizon=10).values) >= 0.0


def test_engine_gives_exactly_h_rows_per_series_on_its_own_dates() -> None:
    weekly = Series(
        "tea",
        "W",
        tuple(MONDAY + datetime.timedelta(weeks=k) for k in range(110)),
        tuple(seasonal_weekly(110)),
    )
    month_ends = tuple(
        datetime.date(2022 + (m + 1) // 12, (m + 1) % 12 + 1, 1) - datetime.timedelta(days=1) for m in range(30)
    )
    monthly = Series("plum", "M", month_ends, tuple(float(50 + 10 * (m % 12)) for m in range(30)))
    results = forecast_all(series=[weekly, monthly], horizon=5, jobs=1)
    rows = list(forecast_rows(series=[weekly, monthly], results=results, horizon=5))
    assert [r[1] for r in rows if r[0] == "tea"] == [
        datetime.date(2025, 2, 10) + datetime.timedelta(weeks=k) for k in range(5)
    ]
    assert [r[1] for r in rows if r[0] == "plum"] == [
        datetime.date(2024, 7, 31),
        datetime.date(2024, 8, 31),
        datetime.date(2024, 9, 30),
        datetime.date(2024, 10, 31),
        datetime.date(2024, 11, 30),
    ]
    models = format_models(series=[weekly, monthly], results=results).splitlines()
    assert (
        models[0]
        == "series_id,frequency,observations,model,mase,baseline,baseline_mase,beats_baseline,backtest_origins"
    )
    assert models[1].startswith("tea,weekly,110,") and models[2].startswith("plum,monthly,30,")


def test_worker_processes_give_the_same_forecasts() -> None:
    series = [
        Series(
            f"s{i}",
            "W",
            tuple(MONDAY + datetime.timedelta(weeks=k) for k in range(60)),
            tuple(seasonal_weekly(60, seed=i)),
        )
        for i in range(4)
    ]
    alone = forecast_all(series=series, horizon=3, jobs=1)
    pooled = forecast_all(series=series * 13, horizon=3, jobs=2)  # 52 series: above the in-process threshold
    assert [r.values for r in pooled[:4]] == [r.values for r in alone]
