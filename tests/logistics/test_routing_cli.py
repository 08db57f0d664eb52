"""`taybac logistics route`: the stops file's formats, the routes file, the printed total, and a clear message with
a non-zero exit for each kind of bad input."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from taybac.logistics.routing import MAX_STOPS, RoutingError
from taybac.logistics.routing_io import parse_stops

GEO = """stop_id,lat,lon,demand_kg,open,close
kho,22.336,103.844,0,06:00,18:00
A,22.40,103.90,100,,
B,22.30,103.70,200,08:00,10:00
C,22.25,103.95,150,,
D,22.45,103.80,80,13:00,15:00
"""


def _route(tmp_path: Path, text: str, *extra: str) -> tuple[list[dict[str, str]], str]:
    source, target = tmp_path / "stops.csv", tmp_path / "route.csv"
    source.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "logistics", "route", "--input", str(source), "--output", str(target), "--time-limit", "0.5", *extra, stdout=out
    )
    return list(csv.DictReader(target.open(encoding="utf-8"))), out.getvalue()


def test_geographic_file_with_windows(tmp_path: Path) -> None:
    rows, printed = _route(tmp_path, GEO, "--vehicles", "2", "--capacity", "300", "--max-hours", "8")
    assert "total distance" in printed and " km" in printed
    stops = [r["stop_id"] for r in rows if r["stop_id"] != "kho"]
    assert sorted(stops) == ["A", "B", "C", "D"]  # every stop exactly once
    for vehicle in {r["vehicle"] for r in rows}:
        route = [r for r in rows if r["vehicle"] == vehicle]
        assert [int(r["sequence"]) for r in route] == list(range(len(route)))
        assert route[0]["stop_id"] == route[-1]["stop_id"] == "kho"  # the depot opens and closes each route


def test_planar_file_prints_total_in_file_units(tmp_path: Path) -> None:
    text = "stop_id,x,y,demand_kg\n1,0,0,0\n2,3,0,1\n3,3,4,1\n"
    rows, printed = _route(tmp_path, text, "--vehicles", "1", "--capacity", "5")
    assert "total distance 12.000 (file units)" in printed  # 3 + 4 + 5
    assert [r["stop_id"] for r in rows] in (["1", "2", "3", "1"], ["1", "3", "2", "1"])


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("", ("--vehicles", "1", "--capacity", "5"), "empty file"),
        ("stop_id,lat,demand_kg\nd,22,0\n", ("--vehicles", "1", "--capacity", "5"), "missing columns"),
        ("stop_id,lat,lon,demand_kg\n", ("--vehicles", "1", "--capacity", "5"), "no rows"),
        ("stop_id,x,y,demand_kg\nd,0,0,0\n", ("--vehicles", "1", "--capacity", "5"), "no stops"),
        ("stop_id,x,y,demand_kg\nd,0,0,0\na,1,1,1\na,2,2,1\n", ("--vehicles", "1", "--capacity", "5"), "duplicate"),
        ("stop_id,x,y,demand_kg\nd,0,0,0\na,one,1,1\n", ("--vehicles", "1", "--capacity", "5"), "Dòng 3.*not a number"),
        ("stop_id,x,y,demand_kg\nd,0,0,0\na,nan,1,1\n", ("--vehicles", "1", "--capacity", "5"), "not a finite"),
        ("stop_id,x,y,demand_kg\nd,0,0,0\na,1,1,-2\n", ("--vehicles", "1", "--capacity", "5"), "negative demand"),
        ("stop_id,lat,lon,demand_kg\nd,91,103,0\na,22,103,1\n", ("--vehicles", "1", "--capacity", "5"), "out of range"),
        ("stop_id,x,y,demand_kg\nd,0,0,0\na,1,1,6\n", ("--vehicles", "1", "--capacity", "5"), "heavier than a vehicle"),
        (
            "stop_id,x,y,demand_kg\nd,0,0,0\na,1,1,4\nb,2,2,4\n",
            ("--vehicles", "1", "--capacity", "5"),
            "infeasible fleet",
        ),
        (
            "stop_id,lat,lon,demand_kg,open,close\nd,22,103,0,,\na,22.1,103,1,8h,9:00\n",
            ("--vehicles", "1", "--capacity", "5"),
            "expected HH:MM",
        ),
        (
            "stop_id,lat,lon,demand_kg,open,close\nd,22,103,0,,\na,22.1,103,1,10:00,09:00\n",
            ("--vehicles", "1", "--capacity", "5"),
            "close before open",
        ),
        ("stop_id,x,y,demand_kg,open\nd,0,0,0,\na,1,1,1,8:00\n", ("--vehicles", "1", "--capacity", "5"), "lat/lon"),
        ("stop_id,x,y,demand_kg\nd,0,0,0\na,1,1\n", ("--vehicles", "1", "--capacity", "5"), "wrong number of columns"),
        (
            "stop_id,x,y,demand_kg\nd,0,0,0\na,1,1,1\n",
            ("--vehicles", "1", "--capacity", "5", "--max-hours", "3"),
            "lat/lon",
        ),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path, text: str, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        _route(tmp_path, text, *args)
    assert caught.value.returncode == 2
    assert not (tmp_path / "route.csv").exists()  # no half-written output


def test_too_many_stops_are_refused() -> None:
    text = "stop_id,x,y,demand_kg\n" + "".join(f"s{i},{i},0,0\n" for i in range(MAX_STOPS + 2))
    with pytest.raises(RoutingError, match="too many stops"):
        parse_stops(text)


def test_missing_input_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read") as caught:
        call_command(
            "logistics", "route", "--input", str(tmp_path / "none.csv"), "--output", str(tmp_path / "o.csv"),
            "--vehicles", "1", "--capacity", "1",
        )  # fmt: skip
    assert caught.value.returncode == 2


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_parser_never_fails_with_anything_but_a_routing_error(text: str) -> None:
    try:
        parse_stops("stop_id,x,y,demand_kg\n" + text)
    except RoutingError as exc:
        assert exc.message


def test_installed_command_exits_non_zero(tmp_path: Path) -> None:
    """The real `taybac` entry point, as a user runs it: status 2 and the message on stderr."""
    source = tmp_path / "stops.csv"
    source.write_text("stop_id,x,y,demand_kg\nd,0,0,0\na,1,1,9\n", encoding="utf-8")
    command = [sys.executable, "-m", "taybac.cli", "logistics", "route", "--input", str(source)]
    command += ["--output", str(tmp_path / "o.csv"), "--vehicles", "1", "--capacity", "5"]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), timeout=120, check=False)
    assert done.returncode == 2
    assert "heavier than a vehicle" in done.stderr
