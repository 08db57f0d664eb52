"""SVG charts and the dot map: Vietnamese numbers, accessible markup, no script or inline style, text escaped,
bars proportional to values, empty data, CSV of the same table, and the map's projection and framing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from taybac.insights import charts
from taybac.insights.charts import Table
from taybac.insights.maps import Projection, dot_map, frame

NS = "{http://www.w3.org/2000/svg}"
TABLE = Table(("Tên", "Số"), ("ten", "so"), [("a", 1)])


def _svg(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # well-formed XML


def _accessible(chart: charts.Chart) -> None:
    root = _svg(chart)
    assert root.get("role") == "img" and root.get("aria-labelledby") == f"{chart.key}-t {chart.key}-d"
    assert root.find(f"{NS}title").text == chart.title and root.find(f"{NS}desc").text == chart.desc
    text = str(chart.svg)
    assert "<script" not in text and "style=" not in text and "<style" not in text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(0, 0, "0"), (1234567, 0, "1.234.567"), (12.345, 1, "12,3"), (1234.5, 1, "1.234,5"), (-5000, 0, "-5.000")],
)
def test_vietnamese_numbers(value, decimals, text) -> None:
    assert charts.vi_number(value, decimals) == text


def test_compact_axis_labels_and_cells() -> None:
    assert [charts.compact(v) for v in (850_000, 1_500_000, 2_000_000, 2_300_000_000, 0.5)] == [
        "850.000", "1,5 tr", "2 tr", "2,3 tỷ", "0,5",
    ]  # fmt: skip
    assert [charts.cell_text(c) for c in (None, 1500, 12.25, "Sơn La")] == ["—", "1.500", "12,2", "Sơn La"]


@pytest.mark.parametrize(
    ("value", "top", "step"), [(0, 1, 0.25), (7, 8, 2), (95, 100, 25), (1_234_000, 1_500_000, 500_000)]
)
def test_nice_axis(value, top, step) -> None:
    assert charts.nice_max(value) == (top, step)


def test_horizontal_bars_are_proportional_and_labelled() -> None:
    chart = charts.hbar_chart(key="k", title="Doanh số", desc="Mô tả", labels=["Lào Cai", "Sơn La"],
                              values=[1_000_000, 250_000], table=TABLE, unit=" ₫")  # fmt: skip
    _accessible(chart)
    rects = _svg(chart).findall(f"{NS}rect")
    assert [float(r.get("width")) for r in rects] == [240.0, 60.0]
    assert rects[0].find(f"{NS}title").text == "Lào Cai: 1.000.000 ₫"
    assert "250.000 ₫" in str(chart.svg)


def test_columns_keep_the_latest_label_and_skip_crowded_ones() -> None:
    labels = [f"{m:02d}/26" for m in range(1, 25)]
    chart = charts.column_chart(key="c", title="T", desc="D", labels=labels, values=list(range(1, 25)), table=TABLE)
    _accessible(chart)
    shown = [t.text for t in _svg(chart).findall(f"{NS}text") if t.text in labels]
    assert shown[-1] == "24/26" and 4 <= len(shown) < 24
    heights = [float(r.get("height")) for r in _svg(chart).findall(f"{NS}rect")]
    assert heights[-1] == 136.0 and heights[0] == 5.7  # 170 units × value / axis top 30, one decimal


def test_line_breaks_at_missing_values() -> None:
    chart = charts.line_chart(key="l", title="T", desc="D", labels=["1", "2", "3", "4"], table=TABLE,
                              series=[("Phí", [1.0, None, 2.0, 3.0])], unit=" %", decimals=1)  # fmt: skip
    _accessible(chart)
    lines = _svg(chart).findall(f"{NS}polyline")
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2  # the lone first point has no line
    titles = [c.find(f"{NS}title").text for c in _svg(chart).findall(f"{NS}circle")]
    assert titles == ["Phí, 1: 1,0 %", "Phí, 3: 2,0 %", "Phí, 4: 3,0 %"]


def test_share_bars_split_into_percentages() -> None:
    chart = charts.share_chart(key="s", title="T", desc="D", labels=["Hộ", "HTX"], table=TABLE,
                               parts=[("Có", [3, 0]), ("Chưa", [1, 2])])  # fmt: skip
    _accessible(chart)
    rects = [r for r in _svg(chart).findall(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert [(r.get("class"), float(r.get("width"))) for r in rects] == [("s0", 258.0), ("s1", 86.0), ("s1", 344.0)]
    assert [r.find(f"{NS}title").text for r in rects][:2] == ["Hộ, Có: 3 (75 %)", "Hộ, Chưa: 1 (25 %)"]
    assert "Hộ (4)" in str(chart.svg) and "HTX (2)" in str(chart.svg)


def test_text_is_escaped_and_empty_data_says_so() -> None:
    chart = charts.hbar_chart(key="e", title="<b>", desc="&", labels=["<script>x</script>"], values=[1], table=TABLE)
    assert "<script>" not in str(chart.svg) and "&lt;script&gt;" in str(chart.svg)
    for empty in (
        charts.hbar_chart(key="e", title="T", desc="D", labels=[], values=[], table=TABLE),
        charts.column_chart(key="e", title="T", desc="D", labels=["1"], values=[0], table=TABLE),
        charts.line_chart(key="e", title="T", desc="D", labels=["1"], series=[("a", [None])], table=TABLE),
        charts.share_chart(key="e", title="T", desc="D", labels=["x"], parts=[("a", [0])], table=TABLE),
    ):
        _accessible(empty)
        assert "Chưa có số liệu" in str(empty.svg)


def test_csv_has_ascii_keys_and_raw_values() -> None:
    table = Table(("Tỉnh", "Doanh số (đ)", "Tỷ lệ (%)"), ("tinh", "doanh_so_dong", "ty_le"),
                  [("Lào Cai", 1_050_000, 12.5), ("Sơn La, \"mới\"", 0, None)])  # fmt: skip
    assert charts.csv_text(table) == 'tinh,doanh_so_dong,ty_le\r\nLào Cai,1050000,12.5\r\n"Sơn La, ""mới""",0,\r\n'
    assert table.display_rows() == [("Lào Cai", "1.050.000", "12,5"), ('Sơn La, "mới"', "0", "—")]
    assert not table.cut
    long = Table(("n",), ("n",), [(i,) for i in range(charts.MAX_SHOWN + 1)])
    assert long.cut and len(long.display_rows()) == charts.MAX_SHOWN and len(charts.csv_text(long).split()) == 42


def test_projection_is_equirectangular_with_shrunk_longitudes() -> None:
    p = Projection(south=21.0, west=103.0, north=23.0, east=105.0)
    assert p.xy(23.0, 103.0) == (14.0, 14.0)  # north-west corner at the padding
    x, y = p.xy(21.0, 105.0)
    assert x == pytest.approx(360 - 14) and y == pytest.approx(14 + 2 * p.scale)
    assert p.height > 360 - 28  # 2° of latitude are longer than 2° of longitude × cos(22°)
    assert frame([]) is None and frame([(22.0, 104.0)]) is not None


def test_dot_map_draws_communes_it_knows_and_counts_the_rest() -> None:
    from taybac.logistics.legacy_address import commune_coordinates

    sapa, hanoi = 2647, 4  # a Lào Cai commune and a Hà Nội ward (outside a Lào Cai frame)
    assert commune_coordinates(sapa) is not None and commune_coordinates(hanoi) is not None
    chart = dot_map(key="m", title="Bản đồ", desc="D", frame_communes=[(sapa, 15, "Lào Cai")],
                    producers=[(sapa, 4)], buyers=[(sapa, 2), (hanoi, 5), (99_999_999, 1)])  # fmt: skip
    _accessible(chart)
    svg = str(chart.svg)
    assert svg.count('class="maker"') == 1 and svg.count('class="buyer"') == 1 and ">Lào Cai<" in svg
    dots = {c.get("class"): float(c.get("r")) for c in _svg(chart).findall(f"{NS}circle")}
    assert dots == {"maker": pytest.approx(2 + 1.6 * 2, abs=0.05), "buyer": pytest.approx(2 + 1.6 * 2**0.5, abs=0.05)}
    assert chart.notes == [
        "5 đơn hàng giao ra ngoài khung bản đồ (tỉnh khác).",
        "1 nhà sản xuất hoặc đơn hàng ở xã chưa có tọa độ, không vẽ được.",
    ]
    assert [row[0] for row in chart.table.rows] == [sapa, hanoi]  # busiest first; the unknown code is left out
    public = dot_map(key="m", title="T", desc="D", frame_communes=[(sapa, 15, "Lào Cai")], producers=[(sapa, 1)],
                     buyers=None)  # fmt: skip
    assert 'class="buyer"' not in str(public.svg)


def test_dot_map_merges_close_communes_into_one_dot() -> None:
    """Lào Cai communes on a frame as wide as the country's north: neighbours fall in the same 8-unit cell."""
    from taybac.logistics.legacy_address import commune_coordinates

    codes = [c for c in range(2600, 2800) if _known(c)][:40]
    wide = [c for c in range(1, 4000, 40) if _known(c)]
    frame_rows = [(c, 15, "Lào Cai") for c in codes] + [(c, 1, "Khác") for c in wide]
    chart = dot_map(key="m", title="T", desc="D", frame_communes=frame_rows, producers=[(c, 1) for c in codes],
                    buyers=None)  # fmt: skip
    dots = _svg(chart).findall(f"{NS}circle")
    assert 1 <= len(dots) < len(codes) and len(chart.table.rows) == len(codes)
    assert sum(round(((float(d.get("r")) - 2) / 1.6) ** 2) for d in dots) == len(codes)  # every producer counted
    assert all(commune_coordinates(c) for c in codes)


def _known(code: int) -> bool:
    from taybac.logistics.legacy_address import commune_coordinates

    try:
        return commune_coordinates(code) is not None
    except Exception:
        return False
