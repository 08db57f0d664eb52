"""Per-series model choice: a rolling-origin backtest of a few models (batch.py) against a naive baseline.

Why per series: demand series differ (a tea category has a strong yearly cycle, a new product has none), and a
single model pooled over all of them is beaten by picking, for each series, what forecast its own recent past best.
The baseline is seasonal naive (the same week last year) when a series holds two full seasons, otherwise naive
(the last value). Every series' MASE is reported beside the baseline's, so a series where the chosen model did
not beat the baseline in the backtest says so (`beats_baseline` False); the baseline itself is used only when it
clearly won (`_choose`). Series of the same length are fitted together (`forecast_batch`), which is what makes
10,000 series take seconds instead of minutes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from taybac.insights.forecasting.batch import seasonal_models, short_models

# Enough points to estimate a level and backtest it on two small windows.
MIN_POINTS = 6
# Older history adds fitting time and little accuracy: models see at most this many seasons.
MAX_SEASONS_FITTED = 4
ORIGINS = 3  # rolling origins in the backtest that picks the model
SEASONAL_BASELINE = "seasonal_naive"
NAIVE_BASELINE = "naive"
ENSEMBLE = "ensemble"
SEASONAL_MEMBERS: tuple[str, ...] = ("theta", "decomposed")  # averaged into the ensemble of a seasonal series
SHORT_MEMBERS: tuple[str, ...] = ("ses", "drift", "theta")  # and of a short one
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


def _vector_scale(y: np.ndarray, lag: int) -> np.ndarray:
    """`_scale` for every row of a (series, time) array at once."""
    if y.shape[1] <= lag:
        lag = 1
    scale = np.mean(np.abs(y[:, lag:] - y[:, :-lag]), axis=1)
    level = np.maximum(np.mean(np.abs(y), axis=1), 1.0)
    return np.asarray(np.where(scale <= 1e-9 * level, level, scale))


def _forecasts(y: np.ndarray, season: int | None, h: int) -> dict[str, np.ndarray]:
    """Every candidate's forecasts, a row of NaN where a model failed on that series."""
    if season is None:
        forecasts, members = short_models(y, horizon=h), SHORT_MEMBERS
    else:
        forecasts, members = seasonal_models(y, season=season, horizon=h), SEASONAL_MEMBERS
    forecasts[ENSEMBLE] = np.mean([forecasts[name] for name in members], axis=0)
    return {name: np.where(np.all(np.isfinite(v), axis=1, keepdims=True), v, np.nan) for name, v in forecasts.items()}


def forecast_batch(
    rows: Sequence[Sequence[float] | np.ndarray], *, season: int, horizon: int, origins: int = ORIGINS
) -> list[SeriesForecast]:
    """`forecast_series` for many series of the same length, fitted together (batch.py): the same choices, one
    numpy operation per step for all of them."""
    y = np.asarray(rows, dtype=float)
    length = y.shape[1]
    if length < MIN_POINTS:
        raise ValueError(f"a series needs at least {MIN_POINTS} points")
    if length >= 2 * season + 1:
        fitted, baseline, lag = season, SEASONAL_BASELINE, season
        window, min_train = min(horizon, season), 2 * season + 1
    else:
        fitted, baseline, lag = None, NAIVE_BASELINE, 1
        window = max(1, min(horizon, length // 3))
        min_train = max(MIN_POINTS - 2, length - 2 * window)
    cuts = backtest_origins(length=length, window=window, min_train=min_train, origins=origins)
    errors: dict[str, list[np.ndarray]] = {}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for cut in cuts:
            train, actual = y[:, :cut], y[:, cut : cut + window]
            scale = _vector_scale(train, lag)
            for name, predicted in _forecasts(train, fitted, window).items():
                errors.setdefault(name, []).append(np.mean(np.abs(actual - predicted), axis=1) / scale)
        final = _forecasts(y, fitted, horizon)
    # A model that failed on some origin is NaN there, so its mean is NaN and it is not compared.
    scores = {name: np.mean(e, axis=0) for name, e in errors.items()}
    results = []
    for row in range(y.shape[0]):
        row_scores = {name: float(s[row]) for name, s in scores.items() if math.isfinite(s[row])}
        row_final = {name: v[row] for name, v in final.items() if math.isfinite(v[row, 0])}
        results.append(_choose(row_scores, row_final, baseline, len(cuts)))
    return results


def forecast_series(y: Sequence[float], *, season: int, horizon: int, origins: int = ORIGINS) -> SeriesForecast:
    """Choose a model for one series by its backtest MASE and forecast `horizon` steps with it.

    A series with two full seasons gets the seasonal models and is judged against seasonal naive; a shorter one
    gets the short-series models and is judged against naive. Demand cannot be negative: forecasts are floored at 0.
    """
    history = fitted_history(np.asarray(y, dtype=float), season)
    return forecast_batch([history], season=season, horizon=horizon, origins=origins)[0]


def fitted_history(history: np.ndarray, season: int) -> np.ndarray:
    """The part of a series the models see: at most MAX_SEASONS_FITTED seasons."""
    return history[-season * MAX_SEASONS_FITTED :] if season > 1 else history


def _choose(scores: dict[str, float], final: dict[str, np.ndarray], baseline: str, origins: int) -> SeriesForecast:
    """The model with the lowest backtest MASE among those that also forecast the full history (the ensemble
    kept when close, `_prefer_ensemble`); the baseline instead only when it scored at most BASELINE_MARGIN of
    that model's MASE. A model that lost to the baseline by less is still used, and says so (`beats_baseline`):
    three 13-week windows are a noisy judge, and on an M4 weekly sample trusting any baseline win cost about 7 %
    of pooled accuracy (docs/performance.md, "Forecasts")."""
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
