"""Demand forecasts: accuracy against seasonal naive and MSTL alone, and runtime for 10,000 weekly series.

(a) Accuracy, on the real weekly series vendored in bench/data/m4_weekly/ (bench/data/m4_weekly/README.md): six
rolling origins over the held-out last 78 weeks, each forecasting 13 weeks (M4's weekly horizon) from everything
before it, capped as the engine caps its history (the last four years). Every method sees the same training
window. The error is MASE scaled by the training window's mean absolute 52-week change, pooled as the mean over
(series, origin); reported as ratios to seasonal naive and to statsforecast's MSTL measured in the same run.
Origins whose training window holds under two full years (MSTL cannot fit) are left out.

(b) Runtime: `forecast_all` (model choice with its own three-origin backtest, then the forecast) on 10,000
synthetic seasonal weekly series of three years, horizon 13, on `--jobs` worker processes; beside it MSTL alone
(one fit per series, no choice) on the same series and processes, as the floor of any MSTL-based method.

    .venv/bin/python bench/forecast_bench.py [--part accuracy|runtime|both] [--jobs 2] [--series 10000] [--every 1]
        [--origins 3]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from statsforecast.models import MSTL, SeasonalNaive

from taybac.insights.forecasting.engine import forecast_all
from taybac.insights.forecasting.io import Series
from taybac.insights.forecasting.models import MAX_SEASONS_FITTED, forecast_series, mase
from taybac.insights.forecasting.models import ORIGINS as ENGINE_ORIGINS

DATA = Path(__file__).parent / "data" / "m4_weekly" / "m4_weekly.csv.gz"
SEASON, HORIZON, ORIGINS = 52, 13, 6


def load_m4(every: int) -> dict[str, np.ndarray]:
    series: dict[str, list[float]] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            series.setdefault(row["series_id"], []).append(float(row["value"]))
    names = sorted(series, key=lambda name: int(name[1:]))[::every]
    return {name: np.asarray(series[name]) for name in names}


def _score_series(task: tuple[np.ndarray, int]) -> list[tuple[float, float, float, str, bool]]:
    """(seasonal naive, MSTL, engine) MASE, the engine's model and its flag, per origin that fits."""
    y, origins = task
    rows = []
    for k in range(ORIGINS, 0, -1):
        cut = len(y) - HORIZON * k
        train, actual = y[:cut][-SEASON * MAX_SEASONS_FITTED :], y[cut : cut + HORIZON]
        if len(train) < 2 * SEASON + 1:
            continue
        naive = SeasonalNaive(season_length=SEASON).forecast(y=train, h=HORIZON)["mean"]
        mstl = MSTL(season_length=SEASON).forecast(y=train, h=HORIZON)["mean"]
        chosen = forecast_series(train, season=SEASON, horizon=HORIZON, origins=origins)
        rows.append(
            (
                mase(actual=actual, predicted=naive, history=train, season=SEASON),
                mase(actual=actual, predicted=np.asarray(mstl), history=train, season=SEASON),
                mase(actual=actual, predicted=np.asarray(chosen.values), history=train, season=SEASON),
                chosen.model,
                chosen.beats_baseline,
            )
        )
    return rows


def accuracy(jobs: int, every: int, origins: int) -> None:
    series = load_m4(every)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        rows = [
            row
            for rows in pool.map(_score_series, [(y, origins) for y in series.values()], chunksize=4)
            for row in rows
        ]
    naive, mstl, engine = (float(np.mean([row[i] for row in rows])) for i in range(3))
    models: dict[str, int] = {}
    for row in rows:
        models[row[3]] = models.get(row[3], 0) + 1
    flagged = sum(1 for row in rows if not row[4])
    print(
        f"accuracy: {len(series)} M4 weekly series, {len(rows)} (series, origin) pairs, "
        f"{ORIGINS} origins × {HORIZON} weeks; the engine's own backtest: {origins} origins"
    )
    print(f"  pooled MASE   seasonal naive {naive:.4f}   MSTL {mstl:.4f}   engine {engine:.4f}")
    print(f"  MSTL / seasonal naive   {mstl / naive:.3f}")
    print(f"  engine / seasonal naive {engine / naive:.3f}")
    print(f"  engine / MSTL           {engine / mstl:.3f}")
    print(f"  models chosen: {dict(sorted(models.items(), key=lambda kv: -kv[1]))}")
    print(f"  pairs where no model beat seasonal naive in the backtest (flagged, forecast with it): {flagged}")
    print(f"  took {time.perf_counter() - started:.0f} s")


def synthetic(count: int, weeks: int = 156, seed: int = 7) -> list[Series]:
    """Seasonal weekly demand: a level, a yearly cycle with its own phase, a trend and noise, floored at 0."""
    import datetime

    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    dates = tuple(datetime.date(2023, 1, 2) + datetime.timedelta(weeks=int(k)) for k in t)
    out = []
    for i in range(count):
        level, amplitude, phase = rng.uniform(20, 500), rng.uniform(0.1, 0.6), rng.uniform(0, 2 * np.pi)
        values = level * (1 + amplitude * np.sin(2 * np.pi * t / SEASON + phase)) + rng.normal(0, 0.1 * level, weeks)
        values += rng.uniform(-0.002, 0.004) * level * t
        out.append(Series(f"s{i}", "W", dates, tuple(float(v) for v in np.maximum(values, 0))))
    return out


def _mstl_only(chunk: list[tuple[float, ...]]) -> int:
    for values in chunk:
        MSTL(season_length=SEASON).forecast(y=np.asarray(values), h=HORIZON)
    return len(chunk)


def runtime(jobs: int, count: int, origins: int) -> None:
    series = synthetic(count)
    started = time.perf_counter()
    forecast_all(series=series, horizon=HORIZON, jobs=jobs, origins=origins)
    engine = time.perf_counter() - started
    chunks = [[s.values for s in series[i : i + 25]] for i in range(0, len(series), 25)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        sum(pool.map(_mstl_only, chunks))
    alone = time.perf_counter() - started
    print(f"runtime: {count} synthetic weekly series of 156 weeks, horizon {HORIZON}, {jobs} processes")
    print(
        f"  engine (choice by {origins}-origin backtest + forecast) {engine:.1f} s  "
        f"({engine / count * 1000 * jobs:.1f} ms/series/core)"
    )
    print(f"  MSTL alone, one fit per series                  {alone:.1f} s")
    projected = engine * 10_000 / count  # series are independent: time grows linearly with their number
    verdict = "met" if projected <= 60 else "NOT met"
    print(f"  engine / MSTL alone {engine / alone:.2f}; for 10,000 series {projected:.0f} s: target ≤ 60 s {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("accuracy", "runtime", "both"), default="both")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--series", type=int, default=10_000, help="series in the runtime part")
    parser.add_argument("--every", type=int, default=1, help="accuracy on every n-th M4 series (1: all 359)")
    parser.add_argument("--origins", type=int, default=ENGINE_ORIGINS, help="the engine's backtest origins")
    args = parser.parse_args()
    print(
        f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores visible · "
        f"Python {platform.python_version()} · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    if args.part in ("accuracy", "both"):
        accuracy(args.jobs, args.every, args.origins)
    if args.part in ("runtime", "both"):
        runtime(args.jobs, args.series, args.origins)


if __name__ == "__main__":
    main()
