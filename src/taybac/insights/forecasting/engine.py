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

from taybac.insights.forecasting.io import FREQUENCY_NAME, Series, parse_horizon
from taybac.insights.forecasting.models import (
    ENSEMBLE,
    MIN_POINTS,
    ORIGINS,
    Candidates,
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


def _predict(rows: list[np.ndarray], candidates: Candidates, horizon: int, jobs: int) -> dict[str, np.ndarray]:
    """Every candidate's `horizon` forecasts for every row, one (rows, horizon) array per model alias."""
    lengths = [len(row) for row in rows]
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(len(rows)), lengths),
            "ds": np.concatenate([np.arange(n) for n in lengths]),
            "y": np.concatenate(rows),
        }
    )
    engine = StatsForecast(
        models=list(candidates.models),
        freq=1,
        n_jobs=jobs if len(rows) >= IN_PROCESS_BELOW else 1,
        fallback_model=candidates.fallback,
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # statsmodels warns on flat series; their forecasts are still finite
        out = engine.forecast(df=frame, h=horizon).sort_values(["unique_id", "ds"], kind="stable")
    names = [str(model.alias) for model in candidates.models]  # type: ignore[attr-defined]
    predicted = {name: out[name].to_numpy(dtype=float).reshape(len(rows), horizon) for name in names}
    predicted[ENSEMBLE] = np.mean([predicted[name] for name in candidates.members], axis=0)
    return predicted


def _fit(plans: list[_Plan], season: int, horizon: int, jobs: int) -> list[SeriesForecast]:
    """Backtest and forecast a chunk of series of one kind in one statsforecast call."""
    candidates = seasonal_candidates(season) if season else short_candidates()
    rows = [row for plan in plans for row in [*(plan.history[:cut] for cut in plan.cuts), plan.history]]
    predicted = _predict(rows, candidates, horizon, jobs)
    results, row = [], 0
    for plan in plans:
        errors: dict[str, list[float]] = {}
        for cut in plan.cuts:
            train, actual = plan.history[:cut], plan.history[cut : cut + plan.window]
            for name, values in predicted.items():
                error = mase(actual=actual, predicted=values[row, : plan.window], history=train, season=plan.lag)
                errors.setdefault(name, []).append(error)
            row += 1
        # A model that gave a non-finite value on some origin scores NaN there and is not compared.
        scores = {name: float(np.mean(e)) for name, e in errors.items() if np.all(np.isfinite(e))}
        final = {name: values[row] for name, values in predicted.items() if np.all(np.isfinite(values[row]))}
        row += 1
        results.append(choose(scores, final, candidates.baseline, len(plan.cuts)))
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
