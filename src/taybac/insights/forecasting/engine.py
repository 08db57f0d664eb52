"""Forecast many series with statsforecast: the parsed file in, one `SeriesForecast` per series out.

Every series of a file is fitted in one `StatsForecast(...).forecast` call per kind (seasonal, or too short for
a season) and chunk, not in a Python loop per series: the backtest's cut histories and the full histories are all
rows of that one frame, forecast `horizon` steps, and each cut's first `window` steps are scored (the candidates'
forecasts do not depend on how far ahead they are asked for). statsforecast spreads the rows over `jobs` worker
processes; a small call stays in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # pandas-stubs is not in the lock
from statsforecast import StatsForecast
from statsforecast.models import Theta

from taybac.insights.forecasting.io import FREQUENCY_NAME, Series, parse_horizon
from taybac.insights.forecasting.models import (
    ENSEMBLE,
    MIN_POINTS,
    ORIGINS,
    SeriesForecast,
    backtest_origins,
    choose,
    fitted_history,
    mase,
    seasonal_candidates,
    short_candidates,
)

IN_PROCESS_BELOW = 300  # rows of a call fitted in this process: fewer do not repay starting worker processes
CHUNK = 2_000  # series per call: the progress bar moves, memory stays small, workers stay evenly loaded
MAX_JOBS = 64

Progress = Callable[[int], None]
_Forecasts = dict[str, np.ndarray]


@dataclass(frozen=True)
class _Plan:
    """One series' backtest: its fitted history, the window scored after each cut, the cuts, the MASE lag."""

    position: int
    history: np.ndarray
    window: int
    cuts: list[int]
    lag: int


def _plan(position: int, one: Series, horizon: int, origins: int) -> tuple[int, _Plan]:
    """The season the series is fitted with (0: too short for one) and its backtest."""
    season = one.season
    history = fitted_history(np.asarray(one.values, dtype=float), season)
    length = len(history)
    if length < MIN_POINTS:
        raise ValueError(f"a series needs at least {MIN_POINTS} points")
    if length >= 2 * season + 1:
        window, min_train, fitted = min(horizon, season), 2 * season + 1, season
    else:
        window = max(1, min(horizon, length // 3))
        min_train, fitted = max(MIN_POINTS - 2, length - 2 * window), 0
    cuts = backtest_origins(length=length, window=window, min_train=min_train, origins=origins)
    return fitted, _Plan(position, history, window, cuts, fitted or 1)


def _frame(rows: Sequence[np.ndarray]) -> pd.DataFrame:
    lengths = [len(row) for row in rows]
    return pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(len(rows)), lengths),
            "ds": np.concatenate([np.arange(n) for n in lengths]),
            "y": np.concatenate(rows),
        }
    )


def _engine(models: Sequence[object], fallback: object, rows: int, jobs: int) -> StatsForecast:
    return StatsForecast(
        models=list(models), freq=1, n_jobs=jobs if rows >= IN_PROCESS_BELOW else 1, fallback_model=fallback
    )


def _aliases(models: Sequence[object]) -> list[str]:
    return [str(model.alias) for model in models]  # type: ignore[attr-defined]


def _predict(rows: list[np.ndarray], models: Sequence[object], fallback: object, horizon: int, jobs: int) -> _Forecasts:
    """Every model's `horizon` forecasts for every row, one (rows, horizon) array per model alias."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # statsmodels warns on flat series; their forecasts are still finite
        out = _engine(models, fallback, len(rows), jobs).forecast(df=_frame(rows), h=horizon)
    out = out.sort_values(["unique_id", "ds"], kind="stable")
    return {name: out[name].to_numpy(dtype=float).reshape(len(rows), horizon) for name in _aliases(models)}


def _forwarded(plans: list[_Plan], models: Sequence[object], fallback: object, jobs: int) -> list[_Forecasts]:
    """The backtest of models whose fit is an optimisation (Theta): fitted at each series' first origin and carried
    to the later ones with the same parameters (statsforecast's cross-validation with refit=False), so a series
    costs one optimisation in its backtest instead of one per origin. Per plan: a (cuts, window) array per model."""
    out: list[_Forecasts] = [{} for _ in plans]
    groups: dict[tuple[int, int], list[int]] = {}
    for index, plan in enumerate(plans):
        groups.setdefault((len(plan.cuts), plan.window), []).append(index)
    for (cuts, window), members in groups.items():
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            engine = _engine(models, fallback, len(members) * cuts, jobs)
            frame = _frame([plans[index].history for index in members])
            cv = engine.cross_validation(df=frame, h=window, n_windows=cuts, step_size=window, refit=False)
        cv = cv.sort_values(["unique_id", "cutoff", "ds"], kind="stable")
        for name in _aliases(models):
            values = cv[name].to_numpy(dtype=float).reshape(len(members), cuts, window)
            for index, forecasts in zip(members, values, strict=True):
                out[index][name] = forecasts
    return out


def _refitted(plans: list[_Plan], models: Sequence[object], fallback: object, jobs: int) -> list[_Forecasts]:
    """The backtest of the other models, fitted afresh at every origin (their fit costs what carrying it would):
    every cut history is a row of one statsforecast call."""
    rows = [plan.history[:cut] for plan in plans for cut in plan.cuts]
    if not rows or not models:
        return [{} for _ in plans]
    window = max(plan.window for plan in plans)
    predicted = _predict(rows, models, fallback, window, jobs)
    out, row = [], 0
    for plan in plans:
        stop = row + len(plan.cuts)
        out.append({name: values[row:stop, : plan.window] for name, values in predicted.items()})
        row = stop
    return out


def _fit(plans: list[_Plan], season: int, horizon: int, jobs: int) -> list[SeriesForecast]:
    """Backtest and forecast a chunk of series of one kind: one statsforecast call for the forecasts, one for the
    refitted backtest and one per (origins, window) shape for the carried one."""
    candidates = seasonal_candidates(season) if season else short_candidates()
    carried = [model for model in candidates.models if isinstance(model, Theta)]
    refitted = [model for model in candidates.models if not isinstance(model, Theta)]
    final = _predict([plan.history for plan in plans], candidates.models, candidates.fallback, horizon, jobs)
    final[ENSEMBLE] = np.mean([final[name] for name in candidates.members], axis=0)
    tested = [plan for plan in plans if plan.cuts]
    backtests = iter(
        [
            {**one, **other}
            for one, other in zip(
                _forwarded(tested, carried, candidates.fallback, jobs),
                _refitted(tested, refitted, candidates.fallback, jobs),
                strict=True,
            )
        ]
    )
    results = []
    for position, plan in enumerate(plans):
        forecasts = next(backtests) if plan.cuts else {}
        if forecasts:
            forecasts[ENSEMBLE] = np.mean([forecasts[name] for name in candidates.members], axis=0)
        errors: dict[str, list[float]] = {}
        for index, cut in enumerate(plan.cuts):
            train, actual = plan.history[:cut], plan.history[cut : cut + plan.window]
            for name, values in forecasts.items():
                error = mase(actual=actual, predicted=values[index], history=train, season=plan.lag)
                errors.setdefault(name, []).append(error)
        # A model that gave a non-finite value on some origin scores NaN there and is not compared.
        scores = {name: float(np.mean(e)) for name, e in errors.items() if np.all(np.isfinite(e))}
        last = {name: values[position] for name, values in final.items() if np.all(np.isfinite(values[position]))}
        results.append(choose(scores, last, candidates.baseline, len(plan.cuts)))
    return results


def forecast_all(
    *,
    series: Sequence[Series],
    horizon: int,
    jobs: int | None = None,
    origins: int = ORIGINS,
    progress: Progress | None = None,
) -> list[SeriesForecast]:
    """Forecast every series `horizon` steps ahead; `progress(n)` is told each time `n` more series are done."""
    parse_horizon(horizon)
    jobs = max(1, min(jobs or os.cpu_count() or 1, MAX_JOBS))
    groups: dict[int, list[_Plan]] = {}
    for position, one in enumerate(series):
        season, plan = _plan(position, one, horizon, origins)
        groups.setdefault(season, []).append(plan)
    results: list[SeriesForecast | None] = [None] * len(series)
    for season, plans in sorted(groups.items()):
        for start in range(0, len(plans), CHUNK):
            part = plans[start : start + CHUNK]
            for plan, result in zip(part, _fit(part, season, horizon, jobs), strict=True):
                results[plan.position] = result
            if progress:
                progress(len(part))
    return [result for result in results if result is not None]


def forecast_rows(
    *, series: Sequence[Series], results: Sequence[SeriesForecast], horizon: int
) -> Iterator[tuple[str, datetime.date, float]]:
    """`(series_id, date, forecast)` rows: exactly `horizon` per series, on its own date step."""
    for one, result in zip(series, results):
        yield from zip([one.series_id] * horizon, one.future_dates(horizon), result.values)


def format_models(*, series: Sequence[Series], results: Sequence[SeriesForecast]) -> str:
    """The models file: per series, its step, length, chosen model, backtest MASE and the baseline's."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        (
            "series_id",
            "frequency",
            "observations",
            "model",
            "mase",
            "baseline",
            "baseline_mase",
            "beats_baseline",
            "backtest_origins",
        )
    )
    for one, result in zip(series, results):
        writer.writerow(
            (
                one.series_id,
                FREQUENCY_NAME[one.frequency],
                len(one.values),
                result.model,
                _number(result.mase),
                result.baseline,
                _number(result.baseline_mase),
                "yes" if result.beats_baseline else "no",
                result.origins,
            )
        )
    return out.getvalue()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"
