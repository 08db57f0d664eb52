"""Per-series model choice: a rolling-origin backtest of a few statsforecast models against a naive baseline.

Why per series: demand series differ (a tea category has a strong yearly cycle, a new product has none), and a
single model pooled over all of them is beaten by picking, for each series, what forecast its own recent past best.
The baseline is seasonal naive (the same week last year) when a series holds two full seasons, otherwise naive
(the last value); the baseline is itself a candidate, so a series where nothing beats it is forecast with it and
says so (`beats_baseline` False) instead of silently getting a worse model.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from statsforecast.models import (
    MSTL,
    AutoETS,
    Naive,
    OptimizedTheta,
    RandomWalkWithDrift,
    SeasonalNaive,
    SimpleExponentialSmoothingOptimized,
)

# Enough points to estimate a level and backtest it on two small windows.
MIN_POINTS = 6
# Older history adds fitting time and little accuracy: models see at most this many seasons.
MAX_SEASONS_FITTED = 4
ORIGINS = 3  # rolling origins in the backtest that picks the model
SEASONAL_BASELINE = "seasonal_naive"
NAIVE_BASELINE = "naive"
ENSEMBLE = "ensemble"
ENSEMBLE_MARGIN = 0.1  # a single model replaces the ensemble only when its backtest MASE is 10% lower


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


Forecaster = Callable[[np.ndarray, int], np.ndarray]


def _statsforecast(make: Callable[[], object]) -> Forecaster:
    def forecast(y: np.ndarray, h: int) -> np.ndarray:
        return np.asarray(make().forecast(y=y, h=h)["mean"], dtype=float)  # type: ignore[attr-defined]

    return forecast


def seasonal_candidates(season: int) -> dict[str, Forecaster]:
    """Models for a series holding at least two full seasons: statsforecast's MSTL as it comes (STL, then AutoETS
    on the deseasonalised series), Theta (its own classical decomposition, then exponential smoothing with a
    drift) and, on monthly data, AutoETS with the season; with a yearly season of 52 weeks AutoETS takes ~170 ms a
    fit, too slow for thousands of series. A Theta fitted on MSTL's own decomposition was tried as a third member
    and dropped: it tracked MSTL too closely to help the ensemble (docs/performance.md, "Forecasts")."""
    models: dict[str, Forecaster] = {
        SEASONAL_BASELINE: _statsforecast(lambda: SeasonalNaive(season_length=season)),
        "mstl": _statsforecast(lambda: MSTL(season_length=season)),
        "theta": _statsforecast(lambda: OptimizedTheta(season_length=season)),
    }
    if season <= 24:
        models["ets"] = _statsforecast(lambda: AutoETS(season_length=season))
    return models


def short_candidates() -> dict[str, Forecaster]:
    """Models for a series too short for a seasonal pattern: last value, exponential smoothing, the average
    change carried on (drift), and ETS, which needs about ten points to fit and drops out below that."""
    return {
        NAIVE_BASELINE: _statsforecast(Naive),
        "ses": _statsforecast(SimpleExponentialSmoothingOptimized),
        "drift": _statsforecast(RandomWalkWithDrift),
        "ets": _statsforecast(lambda: AutoETS(season_length=1)),
    }


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


def _safe(forecaster: Forecaster, y: np.ndarray, h: int) -> np.ndarray | None:
    """A model that fails or returns non-finite values on a series drops out for that series only."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            values = forecaster(y, h)
        except Exception:  # statsforecast raises many kinds on degenerate series (flat, one spike)
            return None
    if values.shape != (h,) or not np.all(np.isfinite(values)):
        return None
    return values


def _with_ensemble(forecasts: dict[str, np.ndarray], members: Sequence[str]) -> dict[str, np.ndarray]:
    present = [forecasts[name] for name in members if name in forecasts]
    if len(present) >= 2:
        forecasts = {**forecasts, ENSEMBLE: np.mean(present, axis=0)}
    return forecasts


def _run(candidates: dict[str, Forecaster], members: Sequence[str], y: np.ndarray, h: int) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name, forecaster in candidates.items():
        values = _safe(forecaster, y, h)
        if values is not None:
            out[name] = values
    return _with_ensemble(out, members)


def forecast_series(y: Sequence[float], *, season: int, horizon: int, origins: int = ORIGINS) -> SeriesForecast:
    """Choose a model for one series by its backtest MASE and forecast `horizon` steps with it.

    A series with two full seasons gets the seasonal models and is judged against seasonal naive; a shorter one
    gets the short-series models and is judged against naive. Demand cannot be negative: forecasts are floored at 0.
    """
    history = np.asarray(y, dtype=float)
    if len(history) < MIN_POINTS:
        raise ValueError(f"a series needs at least {MIN_POINTS} points")
    history = history[-season * MAX_SEASONS_FITTED :] if season > 1 else history
    seasonal = len(history) >= 2 * season + 1
    if seasonal:
        candidates, baseline, lag = seasonal_candidates(season), SEASONAL_BASELINE, season
    else:
        candidates, baseline, lag = short_candidates(), NAIVE_BASELINE, 1
    members = [name for name in candidates if name != baseline]
    window = min(horizon, season) if seasonal else max(1, min(horizon, len(history) // 3))
    min_train = 2 * season + 1 if seasonal else max(MIN_POINTS - 2, len(history) - 2 * window)
    cuts = backtest_origins(length=len(history), window=window, min_train=min_train, origins=origins)
    errors: dict[str, list[float]] = {}
    for cut in cuts:
        train, actual = history[:cut], history[cut : cut + window]
        for name, predicted in _run(candidates, members, train, window).items():
            errors.setdefault(name, []).append(mase(actual=actual, predicted=predicted, history=train, season=lag))
    # A model that failed on some origin is not comparable: keep those scored on every origin.
    scores = {name: float(np.mean(e)) for name, e in errors.items() if len(e) == len(cuts) and cuts}
    final = _run(candidates, members, history, horizon)
    ranked = sorted((score, order, name) for order, (name, score) in enumerate(scores.items()) if name in final)
    if ranked:
        chosen = _prefer_ensemble(ranked[0][2], scores, baseline)
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
        origins=len(cuts),
    )


def _prefer_ensemble(best: str, scores: dict[str, float], baseline: str) -> str:
    """The ensemble stays unless a single model beat it by ENSEMBLE_MARGIN in the backtest: a few origins are a
    noisy judge, and averaging is the safer bet when two models are close (on the M4 weekly benchmark this rule
    turned a 0.94-of-MSTL selection into 0.92; docs/insights.md). Never when the ensemble lost to the baseline."""
    ensemble = scores.get(ENSEMBLE)
    if best in (baseline, ENSEMBLE) or ensemble is None or ensemble >= scores[baseline]:
        return best
    return ENSEMBLE if scores[best] > (1 - ENSEMBLE_MARGIN) * ensemble else best


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
