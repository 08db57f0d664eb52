"""The route planner's file formats: a stops CSV in (lat/lon or planar x/y) and a `vehicle,sequence,stop_id` CSV out.

Kept apart from routing.py so the pickup-run pages can call `plan_routes` with stops from the database.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from dataclasses import dataclass

from taybac.logistics.routing import MAX_STOPS, Geometry, RoutePlan, RoutingError, Stop

MAX_FILE_BYTES = 5 * 1024 * 1024
GEO_COLUMNS = ("stop_id", "lat", "lon", "demand_kg")
PLANAR_COLUMNS = ("stop_id", "x", "y", "demand_kg")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class StopsFile:
    """A parsed stops file: the first row is the depot."""

    depot: Stop
    stops: tuple[Stop, ...]
    geometry: Geometry


def _number(value: str, *, line: int, column: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise RoutingError(f"Dòng {line}: cột {column} không phải số: {value!r} (not a number).") from None
    if not math.isfinite(number):
        raise RoutingError(f"Dòng {line}: cột {column} không phải số hữu hạn: {value!r} (not a finite number).")
    return number


def _clock(value: str, *, line: int, column: str) -> int | None:
    """HH:MM → seconds after midnight; an empty cell means no window on that side."""
    value = value.strip()
    if not value:
        return None
    match = _HHMM.match(value)
    if not match:
        raise RoutingError(f"Dòng {line}: cột {column} phải có dạng HH:MM, không phải {value!r} (expected HH:MM).")
    return int(match.group(1)) * 3600 + int(match.group(2)) * 60


def parse_stops(text: str) -> StopsFile:
    """Read a stops CSV (header row, then the depot, then stops). Raises RoutingError with the line at fault."""
    if len(text.encode()) > MAX_FILE_BYTES:
        raise RoutingError(f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB) (file too large).")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header  # " lat" and "lat" name the same column
        rows = list(itertools.islice(reader, MAX_STOPS + 2))  # depot + MAX_STOPS, and one more to tell "too many"
    except csv.Error as exc:
        raise RoutingError(f"Tệp CSV hỏng: {exc} (malformed CSV).") from None
    if not header:
        raise RoutingError("Tệp trống (empty file).")
    if set(GEO_COLUMNS) <= set(header):
        geometry: Geometry = "geo"
        columns = GEO_COLUMNS
    elif set(PLANAR_COLUMNS) <= set(header):
        geometry = "planar"
        columns = PLANAR_COLUMNS
    else:
        missing = [c for c in GEO_COLUMNS if c not in header]
        raise RoutingError(
            f"Thiếu cột: {', '.join(missing)}; cần stop_id,lat,lon,demand_kg[,open,close] hoặc stop_id,x,y,demand_kg "
            "(missing columns)."
        )
    windows = "open" in header or "close" in header
    if windows and geometry == "planar":
        raise RoutingError("Khung giờ open/close cần toạ độ lat/lon (time windows need lat/lon).")
    points: list[Stop] = []
    if len(rows) > MAX_STOPS + 1:
        raise RoutingError(f"Quá nhiều điểm: tối đa {MAX_STOPS} điểm cộng điểm xuất phát (too many stops).")
    for line, row in enumerate(rows, start=2):
        if None in row or any(row.get(c) is None for c in columns):
            raise RoutingError(f"Dòng {line}: số cột không khớp tiêu đề (wrong number of columns).")
        stop_id = row["stop_id"].strip()
        if not stop_id or len(stop_id) > 100:
            raise RoutingError(f"Dòng {line}: stop_id trống hoặc dài quá 100 ký tự (empty or too long stop_id).")
        a = _number(row[columns[1]], line=line, column=columns[1])
        b = _number(row[columns[2]], line=line, column=columns[2])
        demand = _number(row["demand_kg"], line=line, column="demand_kg")
        if demand < 0:
            raise RoutingError(f"Dòng {line}: demand_kg âm (negative demand).")
        if geometry == "geo" and not (-90 <= a <= 90 and -180 <= b <= 180):
            raise RoutingError(f"Dòng {line}: lat/lon ngoài phạm vi ({a}, {b}) (lat/lon out of range).")
        opening = _clock(row.get("open") or "", line=line, column="open") if windows else None
        closing = _clock(row.get("close") or "", line=line, column="close") if windows else None
        if opening is not None and closing is not None and closing < opening:
            raise RoutingError(f"Dòng {line}: giờ đóng trước giờ mở (close before open).")
        # Stop keeps x = longitude, y = latitude for geographic files.
        x, y = (b, a) if geometry == "geo" else (a, b)
        points.append(Stop(stop_id=stop_id, x=x, y=y, demand_kg=demand, open=opening, close=closing))
    if not points:
        raise RoutingError("Tệp không có dòng dữ liệu nào (no rows: the first row must be the depot).")
    return StopsFile(depot=points[0], stops=tuple(points[1:]), geometry=geometry)


def format_routes(plan: RoutePlan, *, depot_id: str) -> str:
    """`vehicle,sequence,stop_id`: each route opens (sequence 0) and closes (last sequence) with the depot,
    every stop appears exactly once in between."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["vehicle", "sequence", "stop_id"])
    for route in plan.routes:
        sequence = [depot_id, *route.stop_ids, depot_id]
        for number, stop_id in enumerate(sequence):
            writer.writerow([route.vehicle, number, stop_id])
    return out.getvalue()
