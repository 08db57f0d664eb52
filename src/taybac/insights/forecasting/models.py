"""Per-series model choice: a rolling-origin backtest of a few statsforecast models against a naive baseline.

Why per series: demand series differ (a tea category has a strong yearly cycle, a new product has none), and a
single model pooled over all of them is beaten by picking, for each series, what forecast its own recent past best.
The baseline is seasonal naive (the same week last year) when a series holds two full seasons, otherwise naive
(the last value). Every series' MASE is reported beside the baseline's, so a series where the chosen model did
not beat the baseline in the backtest says so (`beats_baseline` False); the baseline itself is used only when it
clearly won (`choose`). The models are statsforecast's, fitted on every series of a file together (engine.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from statsforecast.models import (
    MSTL,
    Naive,
    RandomWalkWithDrift,
    SeasonalNaive,
    SimpleExponentialSmoothingOptimized,
    Theta,
)
from statsmodels.tsa.seasonal import STL  # type: ignore[import-untyped]

# Enough points to estimate a level and backtest it on two small windows.
MIN_POINTS = 6
# Older history adds fitting time and little accuracy: models see at most this many seasons.
MAX_SEASONS_FITTED = 4
ORIGINS = 2  # rolling origins in the backtest that picks the model (docs/performance.md, "Forecasts")
SEASONAL_BASELINE = "seasonal_naive"
NAIVE_BASELINE = "naive"
ENSEMBLE = "ensemble"
ENSEMBLE_MARGIN = 0.1  # a single model replaces the ensemble only when its backtest MASE is 10% lower
BASELINE_MARGIN = 0.5  # the baseline replaces the best model only when its backtest MASE is at most half of it


@dataclass(frozen=True)
class SeriesForecast:
    """One series' future values and why they were chosen. `mase` is None when the series was too short to backtest."""

    values: tuple[float, ...]
    model: str
    mase: float | None
    baseline: str
    baseline_mase: float | None
    origins: int

    @property
    def beats_baseline(self) -> bool:
        return self.mase is not None and self.baseline_mase is not None and self.mase < self.baseline_mase


@dataclass(frozen=True)
class Candidates:
    """What a kind of series is fitted with: statsforecast models named by alias, the baseline among them, the
    members averaged into the ensemble, and the model a failing fit falls back to (the baseline, which cannot
    fail on a finite series)."""

    models: tuple[object, ...]
    baseline: str
    members: tuple[str, ...]
    fallback: object


def seasonal_candidates(season: int) -> Candidates:
    """For a series holding two full seasons: seasonal naive (the baseline); Theta as statsforecast fits it
    (R's thetaf: a classical decomposition only where its seasonality test finds a season, then SES with half
    the linear trend); `decomposed`, statsforecast's MSTL with SES on the series its STL season is always
    removed from; SES on the raw series; the ensemble, the mean of Theta and `decomposed`, which differ most
    where a season is weak. On the M4 weekly series the ensemble beats MSTL alone; the default MSTL (AutoETS
    on the trend) and AutoETS were left out for their fitting time (docs/performance.md, "Forecasts")."""
    return Candidates(
        models=(
            SeasonalNaive(season_length=season, alias=SEASONAL_BASELINE),
            Theta(season_length=season, alias="theta"),
            OneSeasonMSTL(
                season_length=season,
                trend_forecaster=SimpleExponentialSmoothingOptimized(),
                stl_kwargs=_stl_jumps(season),
                alias="decomposed",
            ),
            SimpleExponentialSmoothingOptimized(alias="ses"),
        ),
        baseline=SEASONAL_BASELINE,
        members=("theta", "decomposed"),
        fallback=SeasonalNaive(season_length=season),
    )


class OneSeasonMSTL(MSTL):
    """statsforecast's MSTL for one season, without the pandas frames its `forecast` builds around each fit.

    For one season statsforecast's `mstl` is a single statsmodels STL fit (seasonal window 11, seasonal degree 0);
    the trend forecaster then forecasts the series less its seasonal part and the last season is repeated. This
    does exactly that on arrays; the frames cost more than the STL fit itself, about a quarter of a 10,000-series
    run (docs/performance.md, "Forecasts"). tests/insights/test_forecasting_models.py pins its forecasts to
    `MSTL.forecast`'s. Anything else (intervals, fitted values, several seasons) goes to statsforecast's own."""

    def forecast(
        self,
        y: np.ndarray,
        h: int,
        X: np.ndarray | None = None,
        X_future: np.ndarray | None = None,
        level: list[int] | None = None,
        fitted: bool = False,
    ) -> dict[str, np.ndarray]:
        if level is not None or fitted or X is not None or len(self.season_length) != 1:
            return super().forecast(y=y, h=h, X=X, X_future=X_future, level=level, fitted=fitted)
        y = np.asarray(y, dtype=float)
        period = self.season_length[0]
        seasonal = STL(y, period=period, seasonal=11, **{"seasonal_deg": 0, **self.stl_kwargs}).fit().seasonal
        trend = self.trend_forecaster.forecast(y=y - seasonal, h=h)["mean"]
        return {"mean": trend + np.resize(seasonal[-period:], h)}


def _stl_jumps(season: int) -> dict[str, int]:
    """STL's LOESS evaluated every few points and interpolated between, about a tenth of each smoother's
    window as statsmodels' STL documentation suggests: a third of the fitting time, forecasts within 0.1 %."""
    return {"trend_jump": max(1, round(0.15 * season)), "low_pass_jump": max(1, round(0.1 * season) + 1)}


def short_candidates() -> Candidates:
    """For a series too short for a season: the last value (the baseline), SES, the average change carried on
    (drift), Theta without a season, and the mean of the last three."""
    return Candidates(
        models=(
            Naive(alias=NAIVE_BASELINE),
            SimpleExponentialSmoothingOptimized(alias="ses"),
            RandomWalkWithDrift(alias="drift"),
            Theta(season_length=1, alias="theta"),
        ),
        baseline=NAIVE_BASELINE,
        members=("ses", "drift", "theta"),
        fallback=Naive(),
    )


def _scale(y: np.ndarray, lag: int) -> float:
    """MASE denominator: the in-sample mean absolute `lag`-step change (lag 1 when the series is too short)."""
    if len(y) <= lag:
        lag = 1
    diffs = np.abs(y[lag:] - y[:-lag]) if len(y) > lag else np.abs(y)
    scale = float(np.mean(diffs)) if diffs.size else 0.0
    level = max(float(np.mean(np.abs(y))), 1.0)
    if scale <= 1e-9 * level:  # a flat (or exactly repeating) history: measure errors against its level instead
        scale = level
    return scale


def mase(*, actual: np.ndarray, predicted: np.ndarray, history: np.ndarray, season: int) -> float:
    """Mean absolute scaled error of `predicted` against `actual`, scaled on `history` (Hyndman & Koehler 2006)."""
    return float(np.mean(np.abs(actual - predicted))) / _scale(history, season)


def backtest_origins(*, length: int, window: int, min_train: int, origins: int = ORIGINS) -> list[int]:
    """Cut points for rolling-origin evaluation: the last `origins` windows of `window` points, each trained on
    everything before it; fewer when the series is short, none when not even one window fits."""
    cuts = [length - window * k for k in range(origins, 0, -1)]
    return [cut for cut in cuts if cut >= min_train]


def fitted_history(history: np.ndarray, season: int) -> np.ndarray:
    """The part of a series the models see: at most MAX_SEASONS_FITTED seasons."""
    return history[-season * MAX_SEASONS_FITTED :] if season > 1 else history


def choose(scores: dict[str, float], final: dict[str, np.ndarray], baseline: str, origins: int) -> SeriesForecast:
    """The model with the lowest backtest MASE among those that also forecast the full history (the ensemble
    kept when close, `_prefer_ensemble`); the baseline instead only when it scored at most BASELINE_MARGIN of
    that model's MASE. A model that lost to the baseline by less is still used, and says so (`beats_baseline`):
    a few 13-week windows are a noisy judge, and on an M4 weekly sample trusting any baseline win cost accuracy
    (docs/performance.md, "Forecasts"). Demand cannot be negative: forecasts are floored at 0."""
    models = {name: score for name, score in scores.items() if name != baseline and name in final}
    if models:
        chosen = _prefer_ensemble(min(models, key=lambda name: models[name]), models)
        if baseline in scores and scores[baseline] <= BASELINE_MARGIN * models[chosen]:
            chosen = baseline
    elif scores:  # every model failed on some origin: the baseline
        chosen = baseline
    else:  # no backtest possible: the ensemble when there is one, else the baseline
        chosen = ENSEMBLE if ENSEMBLE in final else baseline
    if chosen not in final:  # the baseline always fits; this guards a degenerate input
        chosen = baseline
    values = np.maximum(final[chosen], 0.0)
    return SeriesForecast(
        values=tuple(float(v) for v in values),
        model=chosen,
        mase=_finite(scores.get(chosen)),
        baseline=baseline,
        baseline_mase=_finite(scores.get(baseline)),
        origins=origins,
    )


def _prefer_ensemble(best: str, scores: dict[str, float]) -> str:
    """The ensemble stays unless a single model beat it by ENSEMBLE_MARGIN in the backtest: a few origins are a
    noisy judge, and averaging is the safer bet when two models are close."""
    ensemble = scores.get(ENSEMBLE)
    if best == ENSEMBLE or ensemble is None:
        return best
    return ENSEMBLE if scores[best] > (1 - ENSEMBLE_MARGIN) * ensemble else best


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
