"""The forecast file formats: long `series_id,date,quantity` in, `series_id,date,forecast` and a models file out.

Every refusal names the file line at fault, in Vietnamese for the person who made the file and with the English
reason in brackets for whoever scripts it. Parsing is kept apart from the models so the dashboard's upload form
(next step of issue 14) can hand the same text to `parse_demand`.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from taybac.core.errors import DomainError
from taybac.insights.forecasting.models import MIN_POINTS

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_SERIES = 20_000
MAX_HORIZON = 104
MAX_SERIES_ID = 100
MAX_ERRORS = 20  # errors listed before stopping: enough to fix a file in one pass, not a wall of text
COLUMNS = ("series_id", "date", "quantity")

Frequency = Literal["W", "M"]
SEASON: dict[Frequency, int] = {"W": 52, "M": 12}
FREQUENCY_NAME: dict[Frequency, str] = {"W": "weekly", "M": "monthly"}


class ForecastInputError(DomainError):
    """The input cannot be forecast; `errors` lists each problem with its line."""

    code = "invalid_forecast_input"

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        more = "" if len(errors) < MAX_ERRORS else f"\n(dừng sau {MAX_ERRORS} lỗi — stopped after {MAX_ERRORS} errors)"
        super().__init__("\n".join(errors) + more)


@dataclass(frozen=True)
class Series:
    """One series, its points in date order on a regular weekly or monthly step."""

    series_id: str
    frequency: Frequency
    dates: tuple[datetime.date, ...]
    values: tuple[float, ...]

    @property
    def season(self) -> int:
        return SEASON[self.frequency]

    def future_dates(self, horizon: int) -> list[datetime.date]:
        """The next `horizon` dates on the series' own step: same weekday; same day of month (clamped), or the
        month's last day when the series is dated at month ends."""
        last = self.dates[-1]
        if self.frequency == "W":
            return [last + datetime.timedelta(weeks=k) for k in range(1, horizon + 1)]
        if all(_is_month_end(day) for day in self.dates[-3:]):
            return [_month_end(_add_months(last.replace(day=1), k)) for k in range(1, horizon + 1)]
        return [_add_months(last, k) for k in range(1, horizon + 1)]


def _month_end(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _is_month_end(day: datetime.date) -> bool:
    return day == _month_end(day)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months_between(a: datetime.date, b: datetime.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _step(dates: list[datetime.date]) -> Frequency | None:
    """Weekly when the closest dates are 7 days apart; monthly when they are one calendar month apart. Other
    distances between later dates are reported as gaps by the caller."""
    days = min((b - a).days for a, b in itertools.pairwise(dates))
    if days == 7:
        return "W"
    if days >= 28 and min(_months_between(a, b) for a, b in itertools.pairwise(dates)) == 1:
        return "M"
    return None


def parse_horizon(value: int) -> int:
    if not 1 <= value <= MAX_HORIZON:
        raise ForecastInputError([f"Số kỳ dự báo phải từ 1 đến {MAX_HORIZON} (horizon must be 1..{MAX_HORIZON})."])
    return value


def parse_demand(text: str) -> list[Series]:
    """Read and check a long demand CSV. Raises ForecastInputError listing the problems with their line numbers."""
    if len(text) > MAX_FILE_BYTES:
        raise ForecastInputError([f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 2**20} MB) (file too large)."])
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
    except csv.Error as exc:
        raise ForecastInputError([f"Dòng 1: tệp CSV hỏng: {exc} (malformed CSV)."]) from None
    if not header:
        raise ForecastInputError(["Tệp trống (empty file)."])
    if tuple(header) != COLUMNS:
        raise ForecastInputError(
            [f"Dòng 1: tiêu đề phải là series_id,date,quantity, không phải {','.join(header)!r} (bad header)."]
        )
    errors: list[str] = []
    points: dict[str, dict[datetime.date, tuple[float, int]]] = {}
    try:
        for row in reader:
            line = reader.line_num
            if line - 1 > MAX_ROWS:
                raise ForecastInputError(errors + [f"Quá {MAX_ROWS:,} dòng dữ liệu (more than {MAX_ROWS} rows)."])
            if not row or all(not cell.strip() for cell in row):
                continue
            problem = _check_row(row, line, points)
            if problem:
                errors.append(problem)
                if len(errors) >= MAX_ERRORS:
                    raise ForecastInputError(errors)
    except csv.Error as exc:
        raise ForecastInputError(errors + [f"Dòng {reader.line_num}: tệp CSV hỏng: {exc} (malformed CSV)."]) from None
    if not points and not errors:
        errors.append("Tệp không có dòng dữ liệu nào (no data rows).")
    if len(points) > MAX_SERIES:
        errors.append(f"Quá {MAX_SERIES:,} chuỗi (more than {MAX_SERIES} series).")
    if errors:
        raise ForecastInputError(errors)
    series = []
    for series_id, by_date in points.items():
        built = _build(series_id, by_date, errors)
        if built is not None:
            series.append(built)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ForecastInputError(errors)
    return series


def _check_row(row: list[str], line: int, points: dict[str, dict[datetime.date, tuple[float, int]]]) -> str | None:
    """Store one data row, or say what is wrong with it."""
    if len(row) != 3:
        return f"Dòng {line}: cần 3 cột, có {len(row)} (expected 3 columns, got {len(row)})."
    series_id, raw_date, raw_quantity = (cell.strip() for cell in row)
    if not series_id or len(series_id) > MAX_SERIES_ID or not series_id.isprintable():
        return f"Dòng {line}: series_id trống, quá {MAX_SERIES_ID} ký tự hoặc có ký tự điều khiển (bad series_id)."
    try:
        day = datetime.date.fromisoformat(raw_date)
    except ValueError:
        return f"Dòng {line}: ngày {raw_date[:40]!r} không đúng dạng YYYY-MM-DD (date must be YYYY-MM-DD)."
    try:
        quantity = float(raw_quantity)
    except ValueError:
        return f"Dòng {line}: số lượng {raw_quantity[:40]!r} không phải số (quantity is not a number)."
    if not math.isfinite(quantity):
        return f"Dòng {line}: số lượng {raw_quantity[:40]!r} không phải số hữu hạn (quantity is not finite)."
    if quantity < 0:
        return f"Dòng {line}: số lượng {raw_quantity[:40]!r} âm (quantity must not be negative)."
    by_date = points.setdefault(series_id, {})
    if day in by_date:
        first = by_date[day][1]
        return f"Dòng {line}: chuỗi {series_id!r} trùng ngày {day} với dòng {first} (duplicate date)."
    by_date[day] = (quantity, line)
    return None


def _build(series_id: str, by_date: dict[datetime.date, tuple[float, int]], errors: list[str]) -> Series | None:
    """Order a series by date, detect its step and refuse gaps and too-short series."""
    dates = sorted(by_date)
    first_line = min(line for _, line in by_date.values())
    if len(dates) < MIN_POINTS:
        errors.append(
            f"Dòng {first_line}: chuỗi {series_id!r} chỉ có {len(dates)} kỳ, cần ít nhất {MIN_POINTS} "
            f"(series too short: {len(dates)} points, at least {MIN_POINTS})."
        )
        return None
    frequency = _step(dates)
    if frequency is None:
        errors.append(
            f"Dòng {first_line}: chuỗi {series_id!r} không theo tuần (cách 7 ngày) cũng không theo tháng "
            "(series is neither weekly nor monthly)."
        )
        return None
    for before, after in itertools.pairwise(dates):
        step_ok = (after - before).days == 7 if frequency == "W" else _months_between(before, after) == 1
        if not step_ok:
            line = by_date[after][1]
            unit = "tuần" if frequency == "W" else "tháng"
            errors.append(
                f"Dòng {line}: chuỗi {series_id!r} theo {unit} nhưng thiếu kỳ hoặc lệch ngày giữa {before} và "
                f"{after}; ghi 0 cho kỳ không bán được (gap in a {FREQUENCY_NAME[frequency]} series)."
            )
            return None
    return Series(series_id, frequency, tuple(dates), tuple(by_date[d][0] for d in dates))


def format_forecasts(rows: Iterable[tuple[str, datetime.date, float]]) -> str:
    """`series_id,date,forecast`, forecasts rounded to 3 decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("series_id", "date", "forecast"))
    for series_id, day, value in rows:
        writer.writerow((series_id, day.isoformat(), f"{value:.3f}"))
    return out.getvalue()
