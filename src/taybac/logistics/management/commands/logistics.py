"""`taybac logistics route --input STOPS.csv --output ROUTE.csv --vehicles K --capacity Q`: plan pickup runs from
a file (docs/logistics.md, "Pickup-run routing"). Exit 0 with the total distance printed; 2 with a clear message
when the input cannot be planned.

`taybac logistics consolidate [--day YYYY-MM-DD]`: the daily consolidation run by hand (docs/logistics.md,
"Consolidation"); exit 2 with the reason when it cannot run."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from taybac.core.errors import DomainError
from taybac.logistics.areas import CARRIERS, sync_from
from taybac.logistics.consolidation_store import run_consolidation
from taybac.logistics.routing import RoutingError, plan_routes
from taybac.logistics.routing_io import MAX_FILE_BYTES, format_routes, parse_stops


class Command(BaseCommand):
    help = (
        "Logistics tools. `logistics route`: plan vehicle routes for a stops CSV with PyVRP; "
        "`logistics consolidate`: plan a day's consignments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        route = actions.add_parser(
            "route",
            help="plan routes for a stops CSV (first row: the depot)",
            description="Input columns stop_id,lat,lon,demand_kg[,open,close] (great-circle km; open/close HH:MM) "
            "or stop_id,x,y,demand_kg (planar Euclidean, CVRPLIB style). Output rows vehicle,sequence,stop_id; "
            "each route opens and closes with the depot.",
        )
        route.add_argument("--input", required=True, type=Path, help="stops CSV")
        route.add_argument("--output", required=True, type=Path, help="where to write the routes CSV")
        route.add_argument("--vehicles", required=True, type=int, help="number of vehicles available")
        route.add_argument("--capacity", required=True, type=float, help="capacity of each vehicle, kg")
        route.add_argument("--time-limit", type=float, default=10.0, help="search time in seconds (default 10)")
        route.add_argument("--max-hours", type=float, default=None, help="maximum duration of one route, hours")
        route.add_argument("--seed", type=int, default=0, help="random seed (same seed and time: same search)")
        consolidate = actions.add_parser(
            "consolidate",
            help="plan a day's consignments from parcels waiting at post offices (what the 17:30 job does)",
            description="Plans the hub network's shipments waiting at commune post offices on DAY with the active "
            "rate table and stores the run, replacing that day's previous run.",
        )
        consolidate.add_argument(
            "--day", type=_day, default=None, help="YYYY-MM-DD (default: today in the hub's time zone)"
        )
        sync = actions.add_parser(
            "sync-areas",
            help="match a carrier's own province/district/ward codes to the pre-2025 GSO units",
            description="Reads the carrier's master data (its API when credentials are configured, or --file: "
            'JSON {"provinces": [...], "districts": [...], "wards": [...]} in the carrier\'s own row shapes), '
            "replaces its area codes and lists the units it could not match.",
        )
        sync.add_argument("--carrier", required=True, choices=sorted(CARRIERS), help="ghn or vnpost")
        sync.add_argument("--file", type=Path, default=None, help="master data JSON instead of the API")

    def handle(self, *args, **options) -> None:
        if options["action"] == "sync-areas":
            self._sync_areas(options["carrier"], options["file"])
            return
        if options["action"] == "consolidate":
            self._consolidate(options["day"] or timezone.localdate())
            return
        source: Path = options["input"]
        try:
            if source.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{source}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", returncode=2)
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {source}: {exc}", returncode=2) from exc
        try:
            parsed = parse_stops(text)
            plan = plan_routes(
                depot=parsed.depot,
                stops=parsed.stops,
                vehicles=options["vehicles"],
                capacity=options["capacity"],
                time_limit=options["time_limit"],
                max_duration=options["max_hours"],
                seed=options["seed"],
                geometry=parsed.geometry,
            )
        except RoutingError as exc:
            raise CommandError(f"{source}: {exc.message}", returncode=2) from exc
        try:
            options["output"].write_text(format_routes(plan, depot_id=parsed.depot.stop_id), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {options['output']}: {exc}", returncode=2) from exc
        unit = f" {plan.unit}" if plan.unit else " (file units)"
        self.stdout.write(
            f"{len(parsed.stops)} stops, {len(plan.routes)} routes, total distance {plan.total_distance:.3f}{unit}"
        )
        for route in plan.routes:
            minutes = f", {route.duration_seconds / 60:.0f} min" if route.duration_seconds is not None else ""
            self.stdout.write(
                f"  vehicle {route.vehicle}: {len(route.stop_ids)} stops, {route.load_kg:g} kg, "
                f"{route.distance:.3f}{unit}{minutes}"
            )

    def _consolidate(self, day: datetime.date) -> None:
        try:
            run = run_consolidation(day=day)
        except DomainError as exc:
            raise CommandError(f"{day}: {exc.message}", returncode=2) from exc
        self.stdout.write(
            f"{run.day}: {run.parcels} parcels, {run.pooled_parcels} pooled in {run.consignments} consignments; "
            f"cost {run.cost_without:,} đ alone, {run.cost_with:,} đ pooled, savings {run.savings:,} đ"
        )

    def _sync_areas(self, carrier: str, source: Path | None) -> None:
        try:
            report = sync_from(carrier=carrier, path=source)
        except DomainError as exc:
            raise CommandError(f"{carrier}: {exc.message}", returncode=2) from exc
        self.stdout.write(f"{carrier}: {report.districts} districts, {report.wards} wards matched")
        for what, names in (("unmatched", report.unmatched), ("not listed by the carrier", report.missing)):
            if names:
                self.stdout.write(f"{len(names)} {what}: " + "; ".join(names[:50]) + (" …" if len(names) > 50 else ""))


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
