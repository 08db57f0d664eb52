"""Forecast many series on every core: the parsed file in, one `SeriesForecast` per series out.

Series are independent, so they are fitted in worker processes in chunks (a process per core by default); a
small file stays in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from taybac.insights.forecasting.io import FREQUENCY_NAME, Series, parse_horizon
from taybac.insights.forecasting.models import ORIGINS, SeriesForecast, forecast_series

IN_PROCESS_BELOW = 50  # series: fewer than this are fitted without worker processes
CHUNK = 25
MAX_JOBS = 64

Progress = Callable[[int], None]


def _chunk(task: tuple[list[tuple[tuple[float, ...], int]], int, int]) -> list[SeriesForecast]:
    items, horizon, origins = task
    return [forecast_series(values, season=season, horizon=horizon, origins=origins) for values, season in items]


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
    items = [(s.values, s.season) for s in series]
    tasks = [(items[i : i + CHUNK], horizon, origins) for i in range(0, len(items), CHUNK)]
    results: list[SeriesForecast] = []
    if jobs == 1 or len(items) < IN_PROCESS_BELOW:
        for task in tasks:
            results.extend(_chunk(task))
            if progress:
                progress(len(task[0]))
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for task, done in zip(tasks, pool.map(_chunk, tasks)):
            results.extend(done)
            if progress:
                progress(len(task[0]))
    return results


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
