"""Server-rendered SVG charts: bar, line and stacked share, for the indicator pages (docs/insights.md).

Written here rather than with pygal (docs/insights.md says why): each chart is a few kilobytes of plain SVG with
no script and no inline style (the site's Content-Security-Policy allows neither; colours come from classes in
web/static/web/insights.css), a <title> and <desc> for screen readers, a <title> on every bar or point (the
browser's own tooltip, no JavaScript), Vietnamese numbers (1.234.567; 12,5 %), and a viewBox 360 units wide
that scales to the phone's width. Every chart carries the table it was drawn from: the page shows it under
the chart and serves it as CSV.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
MAX_SHOWN = 40  # table rows shown on a page
Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    """The figures behind a chart: raw values (CSV) and the same values as Vietnamese text (page)."""

    headers: tuple[str, ...]
    keys: tuple[str, ...]
    rows: list[tuple[Cell, ...]]

    def display_rows(self) -> list[tuple[str, ...]]:
        """The first MAX_SHOWN rows as text: the page stays light, the CSV has them all."""
        return [tuple(cell_text(cell) for cell in row) for row in self.rows[:MAX_SHOWN]]

    @property
    def cut(self) -> bool:
        return len(self.rows) > MAX_SHOWN


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    desc: str
    svg: SafeString
    table: Table
    notes: list[str] = field(default_factory=list)


def vi_number(value: float, decimals: int = 0) -> str:
    """1234567 → '1.234.567'; 12.345 with 1 decimal → '12,3' (Vietnamese separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def cell_text(cell: Cell) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, bool):
        return "có" if cell else "không"
    if isinstance(cell, int):
        return vi_number(cell)
    if isinstance(cell, float):
        return vi_number(cell, 1)
    return cell


def compact(value: float) -> str:
    """An axis label: '850.000', '1,5 tr', '2,3 tỷ' (triệu, tỷ: millions, billions)."""
    for size, unit in ((1_000_000_000, "tỷ"), (1_000_000, "tr")):
        if abs(value) >= size:
            scaled = value / size
            return f"{vi_number(scaled, 0 if scaled == int(scaled) else 1)} {unit}"
    return vi_number(value, 0 if value == int(value) else 1)


def csv_text(table: Table) -> str:
    """The table as CSV: ASCII column names, raw numbers (đồng, counts), empty for a missing figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.keys)
    writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
    return out.getvalue()


def nice_max(value: float) -> tuple[float, float]:
    """The axis top and step: the smallest 1/2/5 × 10^k step giving at most 4 gridlines that covers `value`."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step - 1e-9), step


def svg_document(key: str, title: str, desc: str, height: float, body: list[str]) -> SafeString:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{key}-t {key}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text inside went through escape()


def empty_svg(key: str, title: str, desc: str) -> SafeString:
    return svg_document(
        key, title, desc, 60, ['<text class="empty" x="180" y="35" text-anchor="middle">Chưa có số liệu</text>']
    )


def _legend(names: Sequence[str], y: float) -> list[str]:
    parts, x = [], 8.0
    for i, name in enumerate(names):
        parts.append(f'<rect class="s{i}" x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y:.1f}">{escape(name)}</text>')
        x += 26 + 7.3 * len(name)
    return parts


def hbar_chart(
    *, key: str, title: str, desc: str, labels: Sequence[str], values: Sequence[int | float],
    table: Table, unit: str = "", decimals: int = 0,
) -> Chart:  # fmt: skip
    """Horizontal bars, one per label, the label above its bar (long province names fit a phone)."""
    if not values or max(values) <= 0:
        return Chart(key, title, desc, empty_svg(key, title, desc), table)
    top = max(values)
    row_h, bar_w = 38, WIDTH - 16 - 104
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + i * row_h
        width = max(1.0, bar_w * value / top) if value > 0 else 0
        shown = f"{vi_number(value, decimals)}{unit}"
        body.append(f'<text x="8" y="{y + 13}">{escape(label)}</text>')
        body.append(
            f'<rect class="s0" x="8" y="{y + 18}" width="{width:.1f}" height="14">'
            f"<title>{escape(label)}: {shown}</title></rect>"
        )
        body.append(f'<text class="val" x="{12 + width:.1f}" y="{y + 30}">{shown}</text>')
    return Chart(key, title, desc, svg_document(key, title, desc, 8 + len(values) * row_h, body), table)


def _axis(top: float, step: float, y0: float, plot_h: float, x0: float) -> list[str]:
    parts, tick = [], 0.0
    while tick <= top + 1e-9:
        y = y0 + plot_h - plot_h * tick / top
        parts.append(f'<line class="grid" x1="{x0}" y1="{y:.1f}" x2="{WIDTH - 6}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{compact(tick)}</text>')
        tick += step
    return parts


def _x_labels(labels: Sequence[str], x_of: list[float], y: float) -> list[str]:
    every = max(1, math.ceil(len(labels) * 42 / (WIDTH - 70)))  # ~42 units per label
    return [
        f'<text class="tick" x="{x_of[i]:.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if (len(labels) - 1 - i) % every == 0  # always label the latest
    ]


def column_chart(
    *, key: str, title: str, desc: str, labels: Sequence[str], values: Sequence[int], table: Table, unit: str = ""
) -> Chart:
    """Vertical bars over time (months), a value axis with 1/2/5 steps in compact Vietnamese numbers."""
    if not values or max(values) <= 0:
        return Chart(key, title, desc, empty_svg(key, title, desc), table)
    x0, y0, plot_h, height = 52.0, 10.0, 170.0, 210.0
    top, step = nice_max(max(values))
    slot = (WIDTH - 18 - x0) / len(values)
    body = _axis(top, step, y0, plot_h, x0)
    x_of = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        x = x0 + i * slot + slot * 0.15
        x_of.append(x + slot * 0.35)
        body.append(
            f'<rect class="s0" x="{x:.1f}" y="{y0 + plot_h - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}">'
            f"<title>{escape(label)}: {vi_number(value)}{unit}</title></rect>"
        )
    body += _x_labels(labels, x_of, y0 + plot_h + 16)
    return Chart(key, title, desc, svg_document(key, title, desc, height, body), table)


def line_chart(
    *, key: str, title: str, desc: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
    table: Table, unit: str = "", decimals: int = 0,
) -> Chart:  # fmt: skip
    """One line per series over the same labels (months); a missing value (None) breaks the line."""
    present = [v for _name, values in series for v in values if v is not None]
    if not present or max(present) <= 0:
        return Chart(key, title, desc, empty_svg(key, title, desc), table)
    x0, y0, plot_h = 52.0, 26.0, 160.0
    top, step = nice_max(max(present))
    slot = (WIDTH - 22 - x0) / max(1, len(labels) - 1)
    x_of = [x0 + 4 + i * slot for i in range(len(labels))]
    body = _legend([name for name, _values in series], 14) + _axis(top, step, y0, plot_h, x0)
    for s, (name, values) in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            x, y = x_of[i], y0 + plot_h - plot_h * value / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle class="s{s}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
                f"<title>{escape(name)}, {escape(labels[i])}: {vi_number(value, decimals)}{unit}</title></circle>"
            )
        body += [f'<polyline class="l{s}" points="{" ".join(run)}"/>' for run in runs if len(run) > 1]
    body += _x_labels(labels, x_of, y0 + plot_h + 16)
    return Chart(key, title, desc, svg_document(key, title, desc, y0 + plot_h + 24, body), table)


def share_chart(
    *, key: str, title: str, desc: str, labels: Sequence[str], parts: Sequence[tuple[str, Sequence[int]]],
    table: Table,
) -> Chart:  # fmt: skip
    """100 % stacked horizontal bars: each label's total split into the parts, the share written in the segment."""
    totals = [sum(values[i] for _name, values in parts) for i in range(len(labels))]
    if not any(totals):
        return Chart(key, title, desc, empty_svg(key, title, desc), table)
    row_h, bar_w = 40, WIDTH - 16
    body = _legend([name for name, _values in parts], 14)
    for i, label in enumerate(labels):
        y = 22 + i * row_h
        body.append(f'<text x="8" y="{y + 13}">{escape(label)} ({vi_number(totals[i])})</text>')
        x = 8.0
        for s, (name, values) in enumerate(parts):
            if not totals[i] or not values[i]:
                continue
            share = values[i] / totals[i]
            width = bar_w * share
            percent = f"{vi_number(100 * share, 0)} %"
            body.append(
                f'<rect class="s{s}" x="{x:.1f}" y="{y + 18}" width="{width:.1f}" height="17">'
                f"<title>{escape(label)}, {escape(name)}: {vi_number(values[i])} ({percent})</title></rect>"
            )
            if width >= 40:
                body.append(f'<text class="in" x="{x + 4:.1f}" y="{y + 31}">{percent}</text>')
            x += width
    return Chart(key, title, desc, svg_document(key, title, desc, 28 + len(labels) * row_h, body), table)
