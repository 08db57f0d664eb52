"""The dot map of producers and buyers, as server-rendered SVG (docs/insights.md, "Indicator dashboard").

Each dot is a commune's reference point (logistics.legacy_address.commune_coordinates, from the
vietnamadminunits package), sized by how many producers or orders it stands for. Projection: equirectangular,
longitudes shrunk by the cosine of the frame's middle latitude, which is accurate enough across northern Vietnam
(8° of latitude). No province outlines: no licensed boundary file ships with the hub, so provinces are labelled at
the mean point of their communes. The map is framed on the province (or the region's nine); buyers outside the
frame are counted in a note, not drawn.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

from taybac.core.errors import DomainError
from taybac.insights.charts import WIDTH, Chart, Table, empty_svg, svg_document, vi_number
from taybac.logistics.legacy_address import commune_coordinates

PAD = 14.0
GRID = 8.0  # communes closer than this (SVG units, ~8 px on a phone) share one dot: fewer bytes, same picture


def _point(commune: int) -> tuple[float, float] | None:
    try:
        return commune_coordinates(commune)
    except DomainError:  # a code the package does not know: no dot rather than a failed page
        return None


@dataclass(frozen=True)
class Projection:
    """lat/lon → SVG units inside a WIDTH-wide frame around `bounds` (south, west, north, east)."""

    south: float
    west: float
    north: float
    east: float

    @property
    def _kx(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def scale(self) -> float:
        span = max((self.east - self.west) * self._kx, 1e-6)
        return (WIDTH - 2 * PAD) / span

    @property
    def height(self) -> float:
        return 2 * PAD + (self.north - self.south) * self.scale

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return PAD + (lon - self.west) * self._kx * self.scale, PAD + (self.north - lat) * self.scale

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


def frame(points: Sequence[tuple[float, float]], margin: float = 0.05) -> Projection | None:
    """The projection around `points` with a small margin; None without points."""
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad = max(max(lats) - min(lats), max(lons) - min(lons), 0.2) * margin
    return Projection(min(lats) - pad, min(lons) - pad, max(lats) + pad, max(lons) + pad)


def _radius(count: int) -> float:
    return min(12.0, 2.0 + 1.6 * math.sqrt(count))


def dot_map(
    *, key: str, title: str, desc: str, frame_communes: Sequence[tuple[int, int, str]],
    producers: Sequence[tuple[int, int]], buyers: Sequence[tuple[int, int]] | None,
) -> Chart:  # fmt: skip
    """Producers as filled green dots, order destinations as orange rings (buyers None: a producers-only map, the
    public one), communes in the same GRID cell merged into one dot at their weighted centre (a region map has
    over a thousand communes: one <circle> each would weigh more than the rest of the page); the table lists each
    commune's counts and coordinates."""
    located = {code: p for code, _prov, _name in frame_communes if (p := _point(code)) is not None}
    projection = frame(list(located.values()))
    table = Table(
        ("Mã xã", "Vĩ độ", "Kinh độ", "Nhà sản xuất", "Đơn hàng"),
        ("ma_xa", "vi_do", "kinh_do", "nha_san_xuat", "don_hang"),
        [],
    )
    if projection is None:
        return Chart(key, title, desc, empty_svg(key, title, desc), table)
    body = [f'<rect class="bg" x="0" y="0" width="{WIDTH}" height="{projection.height:.0f}"/>']
    labels = []
    centres: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for code, _prov, name in frame_communes:
        if code in located:
            centres[name].append(located[code])
    for name, points in sorted(centres.items()):
        x, y = projection.xy(sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        labels.append(f'<text class="prov" x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{escape(name)}</text>')
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for code, n in producers:
        counts[code][0] += n
    for code, n in buyers or ():
        counts[code][1] += n
    outside = unplaced = 0
    cells: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # n, Σx·n, Σy·n per kind
    for code in sorted(counts):
        made, bought = counts[code]
        point = located.get(code) or _point(code)
        if point is None:
            unplaced += made + bought
            continue
        table.rows.append((code, round(point[0], 5), round(point[1], 5), made, bought))
        if not projection.contains(*point):
            outside += bought
            continue
        x, y = projection.xy(*point)
        cell = cells[(int(x // GRID), int(y // GRID))]
        for kind, n in ((0, made), (1, bought)):
            cell[3 * kind] += n
            cell[3 * kind + 1] += x * n
            cell[3 * kind + 2] += y * n
    for kind, css in ((1, "buyer"), (0, "maker")):  # producers drawn over buyers
        for cell in cells.values():
            if weight := cell[3 * kind]:
                cx, cy = cell[3 * kind + 1] / weight, cell[3 * kind + 2] / weight
                body.append(f'<circle class="{css}" cx="{cx:.1f}" cy="{cy:.1f}" r="{_radius(int(weight)):.1f}"/>')
    body += labels  # over the dots
    table.rows.sort(key=lambda row: (-int(row[3] or 0) - int(row[4] or 0), row[0] or 0))  # busiest communes first
    notes = [f"{vi_number(outside)} đơn hàng giao ra ngoài khung bản đồ (tỉnh khác)."] if outside else []
    if unplaced:
        notes.append(f"{vi_number(unplaced)} nhà sản xuất hoặc đơn hàng ở xã chưa có tọa độ, không vẽ được.")
    return Chart(key, title, desc, svg_document(key, title, desc, projection.height, body), table, notes)
