"""Forecast many series on every core: the parsed file in, one `SeriesForecast` per series out.

Series of the same season and length are fitted together as one array (batch.py), in chunks spread over worker
processes (a process per core by default); a small file stays in this process, where starting workers would cost
more than it saves.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from taybac.insights.forecasting.io import FREQUENCY_NAME, Series, parse_horizon
from taybac.insights.forecasting.models import (
    ORIGINS,
    SeriesForecast,
    fitted_history,
    forecast_batch,
)

IN_PROCESS_BELOW = 2_000  # series fitted in this process: at 2,000, two processes measured no faster than one
CHUNK = 1_000  # series of one length fitted together: numpy's per-call overhead is spread, memory stays small
MAX_JOBS = 64

Progress = Callable[[int], None]
Task = tuple[int, list[tuple[float, ...]], int, int]  # season, series values, horizon, origins


def _tasks(series: Sequence[Series], horizon: int, origins: int) -> list[tuple[list[int], Task]]:
    """Series grouped by season and fitted length, each group one array for `forecast_batch`, cut in chunks.
    Each task lists its series' positions in the input."""
    groups: dict[tuple[int, int], list[int]] = {}
    for position, one in enumerate(series):
        length = len(fitted_history(np.asarray(one.values), one.season))
        groups.setdefault((one.season, length), []).append(position)
    tasks = []
    for (season, _), positions in sorted(groups.items()):
        for start in range(0, len(positions), CHUNK):
            part = positions[start : start + CHUNK]
            tasks.append((part, (season, [series[p].values for p in part], horizon, origins)))
    return tasks


def _fit(task: Task) -> list[SeriesForecast]:
    season, values, horizon, origins = task
    fitted = [fitted_history(np.asarray(v, dtype=float), season) for v in values]
    return forecast_batch(fitted, season=season, horizon=horizon, origins=origins)


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
    tasks = _tasks(series, horizon, origins)
    results: list[SeriesForecast | None] = [None] * len(series)

    def collect(positions: list[int], done: list[SeriesForecast]) -> None:
        for position, result in zip(positions, done, strict=True):
            results[position] = result
        if progress:
            progress(len(positions))

    if jobs == 1 or len(series) < IN_PROCESS_BELOW:
        for positions, task in tasks:
            collect(positions, _fit(task))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for (positions, _), done in zip(tasks, pool.map(_fit, [task for _, task in tasks])):
                collect(positions, done)
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
