"""Per-series model choice: exactly H values on the series' own step, the seasonal baseline beaten where there is
a pattern to learn, a short series forecast by a simpler model, a series where the baseline clearly wins forecast
with it, a narrow baseline win flagged, and many series fitted together exactly as one at a time."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest

from taybac.insights.forecasting.batch import seasonal_indices
from taybac.insights.forecasting.engine import IN_PROCESS_BELOW, forecast_all, forecast_rows, format_models
from taybac.insights.forecasting.io import Series
from taybac.insights.forecasting.models import (
    ENSEMBLE,
    MIN_POINTS,
    NAIVE_BASELINE,
    SEASONAL_BASELINE,
    _choose,
    backtest_origins,
    forecast_batch,
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


def test_decomposition_recovers_a_season_and_the_test_leaves_noise_alone() -> None:
    t = np.arange(156)
    cycle = 1 + 0.3 * np.sin(2 * np.pi * t / 52)
    growing = ((100 + 0.2 * t) * cycle)[None, :]
    index = seasonal_indices(growing, season=52, multiplicative=np.array([True]), tested=False)
    assert np.allclose(index[0], cycle[:52], atol=0.01)
    # thetaf's test does not fire on a smooth yearly wave (its lags below 52 are correlated too), but on a
    # harvest: six weeks selling 2.5 times as much.
    rng = np.random.default_rng(5)
    harvest = 1 + 1.5 * (t % 52 < 6)
    steady = (100 * harvest + rng.normal(0, 3, 156))[None, :]
    index = seasonal_indices(steady, season=52, multiplicative=np.array([True]), tested=True)
    assert np.allclose(index[0], harvest[:52] / harvest[:52].mean(), atol=0.1)  # from two years of noise
    noise = rng.normal(100, 5, (1, 156))
    assert np.all(seasonal_indices(noise, season=52, multiplicative=np.array([True]), tested=True) == 1.0)
    assert not np.all(seasonal_indices(noise, season=52, multiplicative=np.array([False]), tested=False) == 0.0)


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
    assert result.model in {"naive", "ses", "drift", "theta", "ensemble"}
    assert len(result.values) == 4 and result.origins >= 1
    assert result.model != NAIVE_BASELINE and result.beats_baseline  # a steady climb: a trend model wins


def test_a_narrow_baseline_win_keeps_the_model_and_says_so() -> None:
    final = {name: np.array([5.0, 6.0]) for name in (SEASONAL_BASELINE, "theta", "decomposed", ENSEMBLE)}
    narrow = _choose(
        {SEASONAL_BASELINE: 0.9, "theta": 1.0, "decomposed": 1.2, ENSEMBLE: 1.05}, final, SEASONAL_BASELINE, 3
    )
    assert narrow.model == ENSEMBLE and not narrow.beats_baseline  # theta was not 10 % better than the ensemble
    assert narrow.mase == 1.05 and narrow.baseline_mase == 0.9
    clear = _choose({SEASONAL_BASELINE: 0.4, "theta": 1.0, ENSEMBLE: 1.05}, final, SEASONAL_BASELINE, 3)
    assert clear.model == SEASONAL_BASELINE and not clear.beats_baseline
    best = _choose({SEASONAL_BASELINE: 2.0, "theta": 0.5, ENSEMBLE: 1.0}, final, SEASONAL_BASELINE, 3)
    assert best.model == "theta" and best.beats_baseline


def test_series_fitted_together_get_what_each_gets_alone() -> None:
    rows = [seasonal_weekly(130, seed=seed, trend=0.1 * seed) for seed in range(5)]
    rows.append([0.0] * 60 + [float(k % 7) for k in range(70)])  # zeros: the additive decomposition
    together = forecast_batch(rows, season=52, horizon=8)
    alone = [forecast_series(row, season=52, horizon=8) for row in rows]
    assert [r.model for r in together] == [r.model for r in alone]
    scores = [[math.nan if r.mase is None else r.mase for r in results] for results in (together, alone)]
    assert np.allclose(scores[0], scores[1], equal_nan=True)  # the last digits differ
    assert np.allclose([r.values for r in together], [r.values for r in alone])
    short = [[10.0 + k * seed for k in range(20)] for seed in range(1, 4)]
    assert [r.values for r in forecast_batch(short, season=52, horizon=3)] == [
        forecast_series(row, season=52, horizon=3).values for row in short
    ]


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


def test_worker_processes_give_the_same_forecasts_in_input_order() -> None:
    series = [
        Series(
            f"s{i}",
            "W",
            tuple(MONDAY + datetime.timedelta(weeks=k) for k in range(weeks)),
            tuple(seasonal_weekly(weeks, seed=i)),
        )
        for i, weeks in enumerate((60, 120, 60, 230))  # short, seasonal, short, capped at four years
    ]
    alone = forecast_all(series=series, horizon=3, jobs=1)
    assert [r.values for r in alone] == [forecast_series(s.values, season=52, horizon=3).values for s in series]
    assert IN_PROCESS_BELOW <= 4 * 520
    pooled = forecast_all(series=series * 520, horizon=3, jobs=2)  # above the in-process threshold
    assert len(pooled) == 4 * 520
    assert [r.values for r in pooled[-4:]] == [r.values for r in alone]
