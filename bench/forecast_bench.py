"""Demand forecasts: accuracy against seasonal naive and MSTL alone, and runtime for 10,000 weekly series.

(a) Accuracy, on the real weekly series vendored in bench/data/m4_weekly/ (bench/data/m4_weekly/README.md): six
rolling origins over the held-out last 78 weeks, each forecasting 13 weeks (M4's weekly horizon) from everything
before it, capped as the engine caps its history (the last four years). Every method sees the same training
window; the engine (`forecast_all`) runs its own rolling-origin backtest inside it to choose a model. The error is
MASE scaled by the training window's mean absolute 52-week change, pooled as the mean over
(series, origin); reported as ratios to seasonal naive and to statsforecast's MSTL measured in the same run.
Origins whose training window holds under two full years (MSTL cannot fit) are left out.

(b) Runtime: `forecast_all` (model choice by its own rolling-origin backtest, then the forecast) on 10,000 weekly
series made from the 359 M4 series: copy k of series s drops s's last k weeks (k = 0, 1, …), so the copies differ
in data and length as a real file's series do; horizon 13, `--jobs` worker processes. Beside it, in the same
run: statsforecast's MSTL alone (one fit per series, no backtest, no choice) on a sample of the same series and
processes, projected linearly to all of them, and seasonal naive alone.

    .venv/bin/python bench/forecast_bench.py [--quick] [--part accuracy|runtime|both] [--jobs 2]
        [--series 10000] [--sample 400] [--every 1] [--origins 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import os
import platform
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from statsforecast.models import MSTL, SeasonalNaive

from taybac.insights.forecasting.engine import forecast_all
from taybac.insights.forecasting.io import Series
from taybac.insights.forecasting.models import MAX_SEASONS_FITTED, mase
from taybac.insights.forecasting.models import ORIGINS as ENGINE_ORIGINS

DATA = Path(__file__).parent / "data" / "m4_weekly" / "m4_weekly.csv.gz"
SEASON, HORIZON, ORIGINS = 52, 13, 6
MONDAY = datetime.date(2015, 1, 5)


def load_m4(every: int) -> dict[str, np.ndarray]:
    series: dict[str, list[float]] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            series.setdefault(row["series_id"], []).append(float(row["value"]))
    names = sorted(series, key=lambda name: int(name[1:]))[::every]
    return {name: np.asarray(series[name]) for name in names}


def _pairs(series: dict[str, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(training window, the 13 weeks after it) for every series and origin with two full years of training."""
    pairs = []
    for y in series.values():
        for k in range(ORIGINS, 0, -1):
            cut = len(y) - HORIZON * k
            train = y[:cut][-SEASON * MAX_SEASONS_FITTED :]
            if len(train) >= 2 * SEASON + 1:
                pairs.append((train, y[cut : cut + HORIZON]))
    return pairs


def _mstl(chunk: list[np.ndarray]) -> list[np.ndarray]:
    return [np.asarray(MSTL(season_length=SEASON).forecast(y=y, h=HORIZON)["mean"]) for y in chunk]


def _mstl_all(trains: list[np.ndarray], jobs: int) -> list[np.ndarray]:
    chunks = [trains[i : i + 25] for i in range(0, len(trains), 25)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [forecast for done in pool.map(_mstl, chunks) for forecast in done]


def accuracy(jobs: int, every: int, origins: int) -> None:
    pairs = _pairs(load_m4(every))
    trains = [train for train, _ in pairs]
    started = time.perf_counter()
    mstl = _mstl_all(trains, jobs)
    mstl_time = time.perf_counter() - started
    started = time.perf_counter()
    windows = [
        Series(f"p{i}", "W", tuple(MONDAY + datetime.timedelta(weeks=k) for k in range(len(t))), tuple(map(float, t)))
        for i, t in enumerate(trains)
    ]
    chosen = forecast_all(series=windows, horizon=HORIZON, jobs=jobs, origins=origins)
    engine_time = time.perf_counter() - started
    rows = []
    for (train, actual), fitted, result in zip(pairs, mstl, chosen, strict=True):
        naive = SeasonalNaive(season_length=SEASON).forecast(y=train, h=HORIZON)["mean"]
        rows.append(
            (
                mase(actual=actual, predicted=np.asarray(naive), history=train, season=SEASON),
                mase(actual=actual, predicted=fitted, history=train, season=SEASON),
                mase(actual=actual, predicted=np.asarray(result.values), history=train, season=SEASON),
                result.model,
                result.beats_baseline,
            )
        )
    naive_mase, mstl_mase, engine_mase = (float(np.mean([row[i] for row in rows])) for i in range(3))
    models: dict[str, int] = {}
    for row in rows:
        models[row[3]] = models.get(row[3], 0) + 1
    flagged = sum(1 for row in rows if not row[4])
    worse = sum(1 for row in rows if row[4] and row[2] > row[0])
    print(
        f"accuracy: {len(load_m4(every))} M4 weekly series, {len(rows)} (series, origin) pairs, "
        f"{ORIGINS} origins × {HORIZON} weeks; the engine's own backtest: {origins} origins"
    )
    print(f"  pooled MASE   seasonal naive {naive_mase:.4f}   MSTL {mstl_mase:.4f}   engine {engine_mase:.4f}")
    print(f"  MSTL / seasonal naive   {mstl_mase / naive_mase:.3f}")
    print(f"  engine / seasonal naive {engine_mase / naive_mase:.3f}")
    print(f"  engine / MSTL           {engine_mase / mstl_mase:.3f}")
    print(f"  models chosen: {dict(sorted(models.items(), key=lambda kv: -kv[1]))}")
    print(f"  pairs whose forecast did not beat seasonal naive in the backtest (flagged beats_baseline=no): {flagged}")
    print(f"  pairs flagged as beating seasonal naive that did worse than it on the held-out weeks: {worse}")
    print(f"  fitting time ({jobs} processes): MSTL alone {mstl_time:.1f} s, engine {engine_time:.1f} s")


def m4_copies(count: int) -> list[Series]:
    """`count` weekly series from the M4 extract: copy k of each series drops its last k weeks."""
    base = list(load_m4(1).values())
    out = []
    for i in range(count):
        values = base[i % len(base)][: len(base[i % len(base)]) - i // len(base)]
        dates = tuple(MONDAY + datetime.timedelta(weeks=k) for k in range(len(values)))
        out.append(Series(f"m{i}", "W", dates, tuple(float(v) for v in values)))
    return out


def _mstl_fits(chunk: list[tuple[float, ...]]) -> int:
    for values in chunk:
        y = np.asarray(values)[-SEASON * MAX_SEASONS_FITTED :]
        if len(y) >= 2 * SEASON + 1:
            MSTL(season_length=SEASON).forecast(y=y, h=HORIZON)
    return len(chunk)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes: what the run costs whatever the machine's load."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def runtime(jobs: int, count: int, sample: int, origins: int) -> None:
    series = m4_copies(count)
    short = sum(1 for s in series if min(len(s.values), SEASON * MAX_SEASONS_FITTED) < 2 * SEASON + 1)
    started, cpu = time.perf_counter(), _cpu_seconds()
    results = forecast_all(series=series, horizon=HORIZON, jobs=jobs, origins=origins)
    engine, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    assert len(results) == count and all(len(r.values) == HORIZON for r in results)
    started = time.perf_counter()
    for s in series:
        SeasonalNaive(season_length=SEASON).forecast(y=np.asarray(s.values), h=HORIZON)
    naive = time.perf_counter() - started
    picked = series[:: max(1, count // sample)][:sample]
    chunks = [[s.values for s in picked[i : i + 25]] for i in range(0, len(picked), 25)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        sum(pool.map(_mstl_fits, chunks))
    mstl = (time.perf_counter() - started) * count / len(picked)
    print(
        f"runtime: {count} weekly series from M4 ({count - short} with two years or more, {short} shorter), "
        f"horizon {HORIZON}, {jobs} processes"
    )
    print(
        f"  engine (choice by {origins}-origin backtest + forecast)  {engine:6.1f} s  "
        f"({engine / count * 1000 * jobs:.2f} ms/series/core)"
    )
    print(
        f"  engine CPU time {cpu:6.1f} s ({cpu / count * 1000:.2f} ms/series): on {jobs} cores of its own "
        f"≈ {cpu / jobs:.1f} s"
    )
    print(f"  MSTL alone, one fit per series (sample of {len(picked)}, projected)  {mstl:6.1f} s")
    print(f"  seasonal naive alone, 1 process                  {naive:6.1f} s")
    print(f"  engine / MSTL alone {engine / mstl:.3f}; engine / seasonal naive alone {engine / naive:.1f}")
    projected = engine * 10_000 / count  # grows about linearly with the number of series
    verdict = "met" if projected <= 60 else "NOT met"
    print(f"  for 10,000 series {projected:.1f} s: target ≤ 60 s {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("accuracy", "runtime", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="smoke run: every 6th M4 series, 1,000 series, 50")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--series", type=int, default=10_000, help="series in the runtime part")
    parser.add_argument("--sample", type=int, default=400, help="series MSTL alone is timed on")
    parser.add_argument("--every", type=int, default=1, help="accuracy on every n-th M4 series (1: all 359)")
    parser.add_argument("--origins", type=int, default=ENGINE_ORIGINS, help="the engine's backtest origins")
    args = parser.parse_args()
    if args.quick:
        args.every, args.series, args.sample = 6, 1_000, 50
    print(
        f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores visible · "
        f"load {os.getloadavg()[0]:.1f} · Python {platform.python_version()} · "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    if args.part in ("accuracy", "both"):
        accuracy(args.jobs, args.every, args.origins)
    if args.part in ("runtime", "both"):
        runtime(args.jobs, args.series, args.sample, args.origins)


if __name__ == "__main__":
    main()
