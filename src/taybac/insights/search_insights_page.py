"""The "what buyers search for" page (/so-lieu/tim-kiem/) as charts with their tables, from
insights.search_insights; the same Dashboard shape as the indicator pages, so the page and CSV share templates."""

from __future__ import annotations

import datetime

from taybac.insights import search_insights as si
from taybac.insights.charts import Chart, Table, hbar_chart, line_chart, vi_number
from taybac.insights.dashboard import Dashboard, Kpi

TOP = 10  # bars drawn; the table and CSV hold every row


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _pct_text(value: float | None) -> str:
    return "—" if value is None else f"{vi_number(value, 1)} %"


def _weekly_chart(weeks: list[si.WeekCounts]) -> Chart:
    table = Table(
        ("Tuần (từ thứ Hai)", "Lượt tìm", "Không có kết quả", f"Ít kết quả (1–{si.FEW_RESULTS})"),
        ("tuan", "luot_tim", "khong_ket_qua", "it_ket_qua"),
        [(w.week.isoformat(), w.searches, w.zero, w.few) for w in weeks],
    )
    return line_chart(
        key="khong-thay", title="Lượt tìm không thấy hoặc thấy ít sản phẩm", table=table,
        labels=[w.week.strftime("%d/%m") for w in weeks],
        series=[("Không có kết quả", [w.zero for w in weeks]), (f"1–{si.FEW_RESULTS} kết quả", [w.few for w in weeks])],
        desc=f"Mỗi tuần trong {len(weeks)} tuần gần nhất: số lượt tìm không ra sản phẩm nào, và số lượt chỉ ra "
        f"1 đến {si.FEW_RESULTS} sản phẩm.",
    )  # fmt: skip


def _unmet_chart(rows: list[si.TermRow], weeks: int) -> Chart:
    table = Table(
        ("Từ khóa", "Lượt tìm", "Số lượt truy cập", "Nhiều nhất tìm thấy"),
        ("tu_khoa", "luot_tim", "luot_truy_cap", "ket_qua_nhieu_nhat"),
        [(r.query, r.searches, r.visits, r.results) for r in rows],
    )
    return hbar_chart(
        key="tu-khoa-thieu", title="Người mua tìm mà không thấy", table=table, unit=" lượt",
        labels=[r.query for r in rows[:TOP]], values=[r.searches for r in rows[:TOP]],
        desc=f"Từ khóa tìm trong {weeks} tuần gần nhất mà chỉ ra tối đa {si.FEW_RESULTS} sản phẩm, "
        f"được ít nhất {si.K_VISITS} lượt truy cập khác nhau tìm.",
    )  # fmt: skip


def _unmet_weeks_chart(rows: list[si.TermRow], weeks: list[si.WeekCounts]) -> Chart:
    table = Table(
        ("Tuần (từ thứ Hai)", "Từ khóa", "Lượt tìm", "Số lượt truy cập", "Nhiều nhất tìm thấy"),
        ("tuan", "tu_khoa", "luot_tim", "luot_truy_cap", "ket_qua_nhieu_nhat"),
        [(r.week.isoformat() if r.week else "", r.query, r.searches, r.visits, r.results) for r in rows],
    )
    per_week = {w.week: 0 for w in weeks}
    for r in rows:
        if r.week in per_week:
            per_week[r.week] += 1
    return line_chart(
        key="thieu-theo-tuan", title="Từ khóa không được đáp ứng, theo tuần", table=table,
        labels=[w.strftime("%d/%m") for w in per_week], series=[("Số từ khóa", list(per_week.values()))],
        desc="Mỗi tuần có bao nhiêu từ khóa chỉ ra tối đa "
        f"{si.FEW_RESULTS} sản phẩm mà ít nhất {si.K_VISITS} lượt truy cập đã tìm (bảng: từng từ khóa, từng tuần).",
    )  # fmt: skip


def seasonal_text(row: si.RisingRow) -> str:
    if row.last_year is None:
        return "chưa có số liệu năm ngoái"
    then = f"{row.last_year[1]} → {row.last_year[0]}"
    return (
        f"có thể theo mùa: cùng kỳ năm ngoái cũng tăng ({then})" if row.seasonal else f"năm ngoái không tăng ({then})"
    )


def _rising_chart(rows: list[si.RisingRow]) -> Chart:
    table = Table(
        ("Từ khóa", "4 tuần gần nhất", "4 tuần trước đó", "Số lượt truy cập", "Cùng kỳ năm ngoái", "Ghi chú"),
        ("tu_khoa", "luot_4_tuan_gan_nhat", "luot_4_tuan_truoc", "luot_truy_cap", "nam_ngoai", "ghi_chu"),
        [(r.query, r.recent, r.before, r.visits,
          None if r.last_year is None else f"{r.last_year[1]} → {r.last_year[0]}", seasonal_text(r)) for r in rows],
    )  # fmt: skip
    chart = hbar_chart(
        key="tu-khoa-tang", title="Từ khóa đang được tìm nhiều lên", table=table, unit=" lượt",
        labels=[f"{r.query} (trước: {r.before})" for r in rows[:TOP]], values=[r.recent for r in rows[:TOP]],
        desc=f"Lượt tìm trong 4 tuần gần nhất của các từ khóa tìm ít nhất {si.MIN_RECENT} lần và gấp "
        f"{vi_number(si.RISE_FACTOR, 1)} lần trở lên so với 4 tuần trước đó.",
    )  # fmt: skip
    seasonal = [r.query for r in rows if r.seasonal]
    if seasonal:
        chart.notes.append("Cùng kỳ năm ngoái cũng tăng (có thể do mùa vụ): " + ", ".join(seasonal[:TOP]) + ".")
    return chart


def _share_chart(rows: list[si.ShareRow]) -> Chart:
    table = Table(
        ("Tuần (từ thứ Hai)", "Lượt truy cập có tìm kiếm", "Trong đó đặt hàng", "Tỷ lệ (%)"),
        ("tuan", "luot_truy_cap", "dat_hang", "ty_le_phan_tram"),
        [(r.key, r.visits, r.ordered, None if r.share is None else round(r.share, 1)) for r in rows],
    )
    return line_chart(
        key="ty-le-dat-hang", title="Tìm kiếm rồi đặt hàng", table=table, unit=" %", decimals=1,
        labels=[r.label for r in rows], series=[("Tỷ lệ đặt hàng", [r.share for r in rows])],
        desc="Mỗi tuần: trong các lượt truy cập có tìm kiếm, bao nhiêu phần trăm đặt hàng trong vòng 24 giờ.",
    )  # fmt: skip


def _province_share_chart(rows: list[si.ShareRow]) -> Chart:
    table = Table(
        ("Tỉnh người mua", "Lượt truy cập có tìm kiếm", "Trong đó đặt hàng", "Tỷ lệ (%)"),
        ("tinh_nguoi_mua", "luot_truy_cap", "dat_hang", "ty_le_phan_tram"),
        [(r.label, r.visits, r.ordered, None if r.share is None else round(r.share, 1)) for r in rows],
    )
    return hbar_chart(
        key="ty-le-theo-tinh", title="Tìm rồi đặt hàng, theo tỉnh người mua", table=table, unit=" %", decimals=1,
        labels=[r.label for r in rows[:TOP]], values=[r.share or 0.0 for r in rows[:TOP]],
        desc=f"Trong {si.WEEKS} tuần gần nhất, theo tỉnh của người mua (khi biết).",
    )  # fmt: skip


def search_dashboard(*, province: int | None, place: str, today: datetime.date) -> Dashboard:
    """Everything /so-lieu/tim-kiem/ shows for searches by buyers of one province, or of everyone when None."""
    weeks = si.unmet_weekly(province=province, today=today)
    unmet = si.unmet_terms(province=province, today=today)
    by_week = si.unmet_terms(province=province, today=today, by_week=True)
    rising = si.rising_terms(province=province, today=today)
    shares = si.order_share_by_week(province=province, today=today)
    last4 = weeks[-4:]
    searches, zero = sum(w.searches for w in last4), sum(w.zero for w in last4)
    visits, ordered = sum(s.visits for s in shares[-4:]), sum(s.ordered for s in shares[-4:])
    kpis = [
        Kpi("Lượt tìm 4 tuần", vi_number(searches), place),
        Kpi("Không có kết quả", _pct_text(_pct(zero, searches)), f"{vi_number(zero)} lượt, 4 tuần"),
        Kpi("Tìm rồi đặt hàng", _pct_text(_pct(ordered, visits)), f"của {vi_number(visits)} lượt truy cập, 4 tuần"),
    ]
    charts = [
        _unmet_chart(unmet, si.WEEKS),
        _weekly_chart(weeks),
        _unmet_weeks_chart(by_week, weeks),
        _rising_chart(rising),
        _share_chart(shares),
    ]
    if province is None:
        charts.append(_province_share_chart(si.order_share_by_province(today=today)))
    return Dashboard(place=place, kpis=kpis, charts=charts)
