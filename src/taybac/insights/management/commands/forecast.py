"""`taybac forecast --input FILE.csv --horizon H --output OUT.csv`: forecast anyone's demand file (docs/insights.md,
"Forecasts"). Writes `series_id,date,forecast` to OUT.csv and the model chosen per series, with its backtest MASE
and the baseline's, to OUT.models.csv. Exit 0 with a summary; 2 with the lines at fault when the input is refused.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taybac.insights.forecasting.engine import forecast_all, forecast_rows, format_models
from taybac.insights.forecasting.io import (
    MAX_FILE_BYTES,
    MAX_HORIZON,
    ForecastInputError,
    format_forecasts,
    parse_demand,
    parse_horizon,
)
from taybac.insights.forecasting.models import ORIGINS


def models_path(output: Path) -> Path:
    """OUT.csv → OUT.models.csv beside it."""
    return output.with_name(f"{output.stem}.models{output.suffix or '.csv'}")


class Command(BaseCommand):
    help = (
        "Forecast a long CSV series_id,date,quantity (weekly or monthly, detected per series) H periods ahead; "
        "the model is chosen per series by a rolling-origin backtest against seasonal naive (MASE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="CSV with header series_id,date,quantity")
        parser.add_argument("--horizon", required=True, type=int, help=f"periods to forecast, 1..{MAX_HORIZON}")
        parser.add_argument("--output", required=True, type=Path, help="where to write series_id,date,forecast")
        parser.add_argument("--models", type=Path, default=None, help="models file (default: OUT.models.csv)")
        parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
        parser.add_argument(
            "--origins",
            type=int,
            default=ORIGINS,
            choices=range(1, 7),
            metavar="1..6",
            help=f"rolling origins in the backtest (default {ORIGINS}; fewer is faster)",
        )

    def handle(self, *args, **options) -> None:
        source: Path = options["input"]
        try:
            parse_horizon(options["horizon"])
            if source.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{source}: larger than {MAX_FILE_BYTES // 2**20} MB", returncode=2)
            text = source.read_text(encoding="utf-8")
        except ForecastInputError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {source}: {exc}", returncode=2) from exc
        try:
            series = parse_demand(text)
        except ForecastInputError as exc:
            raise CommandError(f"{source}:\n{exc.message}", returncode=2) from exc
        bar = _progress_bar(len(series))
        try:
            results = forecast_all(
                series=series,
                horizon=options["horizon"],
                jobs=options["jobs"],
                origins=options["origins"],
                progress=bar.update if bar else None,
            )
        finally:
            if bar:
                bar.close()
        output: Path = options["output"]
        models: Path = options["models"] or models_path(output)
        try:
            output.write_text(
                format_forecasts(forecast_rows(series=series, results=results, horizon=options["horizon"])),
                encoding="utf-8",
            )
            models.write_text(format_models(series=series, results=results), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write: {exc}", returncode=2) from exc
        beaten = sum(r.beats_baseline for r in results)
        self.stdout.write(
            f"{len(series)} series, {options['horizon']} periods each → {output}; models and backtest MASE → "
            f"{models}; {beaten} of {len(series)} beat their baseline in the backtest"
        )


def _progress_bar(total: int) -> Any:
    """A progress bar on a terminal only: a file or pipe gets no control characters."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # type: ignore[import-untyped]

    return tqdm(total=total, unit="series", file=sys.stderr, leave=False)
