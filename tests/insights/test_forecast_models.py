"""Per-series model choice with statsforecast: exactly H values on the series' own step, the seasonal baseline
beaten where there is a pattern to learn, a short series forecast by a simpler model, a series where the baseline
clearly wins forecast with it, a narrow baseline win flagged, and a file's series fitted together (in chunks, in
worker processes) exactly as each alone."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest
from statsforecast.models import MSTL, SimpleExponentialSmoothingOptimized

from taybac.insights.forecasting import engine
from taybac.insights.forecasting.engine import forecast_all, forecast_rows, format_models
from taybac.insights.forecasting.io import Frequency, Series
from taybac.insights.forecasting.models import (
    ENSEMBLE,
    MIN_POINTS,
    NAIVE_BASELINE,
    SEASONAL_BASELINE,
    OneSeasonMSTL,
    SeriesForecast,
    _stl_jumps,
    backtest_origins,
    choose,
    mase,
)

MONDAY = datetime.date(2023, 1, 2)


def seasonal_weekly(weeks: int, *, noise: float = 2.0, trend: float = 0.3, seed: int = 1) -> list[float]:
    rng = np.random.default_rng(seed)
    return [max(0.0, 60 + trend * k + 25 * math.sin(2 * math.pi * k / 52) + rng.normal(0, noise)) for k in range(weeks)]


def series(values: list[float], *, frequency: Frequency = "W", name: str = "s") -> Series:
    if frequency == "W":
        dates = tuple(MONDAY + datetime.timedelta(weeks=k) for k in range(len(values)))
    else:
        dates = tuple(datetime.date(2020 + k // 12, k % 12 + 1, 1) for k in range(len(values)))
    return Series(name, frequency, dates, tuple(float(v) for v in values))


def forecast_one(values: list[float], *, horizon: int, frequency: Frequency = "W") -> SeriesForecast:
    return forecast_all(series=[series(values, frequency=frequency)], horizon=horizon, jobs=1)[0]


def test_mase_is_scaled_on_the_seasonal_change_of_the_history() -> None:
    history = np.array([1.0, 2.0, 3.0, 2.0, 3.0, 4.0])  # lag-3 changes: 1, 1, 1
    assert mase(actual=np.array([5.0, 5.0]), predicted=np.array([4.0, 7.0]), history=history, season=3) == 1.5


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("weeks", [105, 160, 208])
def test_one_season_mstl_forecasts_exactly_what_statsforecasts_mstl_does(seed: int, weeks: int) -> None:
    """OneSeasonMSTL only drops statsforecast's pandas frames: its forecasts are MSTL's, to rounding."""
    y = np.asarray(seasonal_weekly(weeks, noise=6.0, seed=seed))
    kwargs = {"season_length": 52, "stl_kwargs": _stl_jumps(52)}
    ours = OneSeasonMSTL(trend_forecaster=SimpleExponentialSmoothingOptimized(), **kwargs).forecast(y=y, h=26)
    theirs = MSTL(trend_forecaster=SimpleExponentialSmoothingOptimized(), **kwargs).forecast(y=y, h=26)
    assert set(ours) == {"mean"}
    np.testing.assert_allclose(ours["mean"], theirs["mean"], rtol=1e-12, atol=1e-9)
    with_level = OneSeasonMSTL(trend_forecaster=SimpleExponentialSmoothingOptimized(), **kwargs)
    assert "fitted" in with_level.forecast(y=y, h=4, fitted=True)  # anything else is statsforecast's own path


def test_origins_roll_back_from_the_end_and_skip_those_without_enough_history() -> None:
    assert backtest_origins(length=100, window=10, min_train=60, origins=3) == [70, 80, 90]
    assert backtest_origins(length=100, window=10, min_train=75, origins=3) == [80, 90]
    assert backtest_origins(length=100, window=10, min_train=95, origins=3) == []


def test_trending_seasonal_series_beats_seasonal_naive() -> None:
    result = forecast_one(seasonal_weekly(156, trend=0.5), horizon=13)
    assert len(result.values) == 13
    assert result.baseline == SEASONAL_BASELINE and result.origins == 2
    assert result.model != SEASONAL_BASELINE and result.beats_baseline
    assert result.mase is not None and result.baseline_mase is not None and result.mase < result.baseline_mase
    # the next quarter starts where the yearly wave rises: the forecast follows it, seasonal naive's level plus trend
    assert result.values[-1] > result.values[0] + 10


def test_a_series_nothing_beats_keeps_the_baseline_and_says_so() -> None:
    # A pure yearly cycle, repeated exactly: seasonal naive is perfect, so no model can beat it.
    cycle = [float(v) for v in np.random.default_rng(3).integers(0, 100, 12)]
    result = forecast_one(cycle * 4, horizon=6, frequency="M")
    assert result.model == SEASONAL_BASELINE
    assert not result.beats_baseline
    assert result.values == tuple(cycle[:6])


def test_short_series_gets_a_simple_model_against_naive() -> None:
    result = forecast_one([10, 12, 14, 16, 18, 20, 22, 24, 26, 28], horizon=4)
    assert result.baseline == NAIVE_BASELINE
    assert len(result.values) == 4 and result.origins >= 1
    assert result.model != NAIVE_BASELINE and result.beats_baseline  # a steady climb: a trend model wins
    assert result.values == pytest.approx((30.0, 32.0, 34.0, 36.0), rel=0.02)


def test_a_narrow_baseline_win_keeps_the_model_and_says_so() -> None:
    final = {name: np.array([5.0, 6.0]) for name in (SEASONAL_BASELINE, "theta", "decomposed", ENSEMBLE)}
    narrow = choose(
        {SEASONAL_BASELINE: 0.9, "theta": 1.0, "decomposed": 1.2, ENSEMBLE: 1.05}, final, SEASONAL_BASELINE, 3
    )
    assert narrow.model == ENSEMBLE and not narrow.beats_baseline  # theta was not 10 % better than the ensemble
    assert narrow.mase == 1.05 and narrow.baseline_mase == 0.9
    clear = choose({SEASONAL_BASELINE: 0.4, "theta": 1.0, ENSEMBLE: 1.05}, final, SEASONAL_BASELINE, 3)
    assert clear.model == SEASONAL_BASELINE and not clear.beats_baseline
    best = choose({SEASONAL_BASELINE: 2.0, "theta": 0.5, ENSEMBLE: 1.0}, final, SEASONAL_BASELINE, 3)
    assert best.model == "theta" and best.beats_baseline


def test_shortest_allowed_series_is_forecast() -> None:
    assert forecast_one([3.0] * MIN_POINTS, horizon=3, frequency="M").values == (3.0, 3.0, 3.0)
    with pytest.raises(ValueError):
        forecast_one([3.0] * (MIN_POINTS - 1), horizon=3, frequency="M")


def test_forecasts_are_never_negative() -> None:
    falling = [float(v) for v in range(40, 0, -3)] + [0.0, 0.0]
    assert min(forecast_one(falling, horizon=10).values) >= 0.0


def test_engine_gives_exactly_h_rows_per_series_on_its_own_dates() -> None:
    weekly = series(seasonal_weekly(110), name="tea")
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


def test_series_fitted_together_in_chunks_and_workers_get_what_each_gets_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mixed = [
        series(seasonal_weekly(weeks, seed=i), name=f"s{i}")
        for i, weeks in enumerate((60, 120, 9, 230, 130))  # short, seasonal, short, capped at four years, seasonal
    ]
    mixed.append(series([0.0] * 60 + [float(k % 7) for k in range(70)], name="zeros"))
    mixed.append(series([40.0 + (m % 12 in (5, 6)) * 30 for m in range(40)], frequency="M", name="plum"))
    alone = [forecast_all(series=[one], horizon=4, jobs=1)[0] for one in mixed]
    # Small chunks and a pool for any call: the order is kept across chunks, kinds and processes.
    monkeypatch.setattr(engine, "CHUNK", 2)
    monkeypatch.setattr(engine, "IN_PROCESS_BELOW", 2)
    done: list[int] = []
    together = forecast_all(series=mixed, horizon=4, jobs=2, progress=done.append)
    assert sum(done) == len(mixed) and len(done) > 3
    assert [r.model for r in together] == [r.model for r in alone]
    assert [r.origins for r in together] == [r.origins for r in alone]
    assert np.allclose([r.values for r in together], [r.values for r in alone])
    assert together[-1].baseline == SEASONAL_BASELINE and together[2].baseline == NAIVE_BASELINE
