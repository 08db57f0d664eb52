"""The indicator pages' content: headline figures and charts for a province (or the hub), and the public summary.

Composes insights.indicators (the queries) with insights.charts and insights.maps (the drawing), so the view only
picks the scope and renders. The public summary shows aggregates only: no person, no commune of a buyer, and the
order and sales figures of a province with fewer than PUBLIC_MIN_SHOPS selling shops are left out (one or two
households' takings are personal data). Both pages are cached for CACHE_SECONDS per day and data version: the
whole hub's figures take seconds on 200,000 orders (bench/dashboard_bench.py), and anyone may open the public one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max

from taybac.accounts.models import Producer
from taybac.catalog.models import Product
from taybac.insights import indicators as ind
from taybac.insights.charts import (
    Chart,
    Table,
    column_chart,
    hbar_chart,
    line_chart,
    share_chart,
    vi_number,
)
from taybac.insights.maps import dot_map
from taybac.orders.models import ShopOrder

MONTHS = 24  # the monthly charts
WINDOW = 12  # the other indicators: the last 12 months, this one included
PUBLIC_MIN_SHOPS = 3
CACHE_SECONDS = 600
TOP_PLACES = 10


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Dashboard:
    place: str
    kpis: list[Kpi]
    charts: list[Chart]

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def _month_label(month: datetime.date) -> str:
    return f"{month.month:02d}/{month.year % 100:02d}"


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _pct_text(value: float | None) -> str:
    return "—" if value is None else f"{vi_number(value, 1)} %"


def _producers_chart(rows: list[ind.KindRow]) -> Chart:
    table = Table(
        ("Loại", "Nhà sản xuất", "Có gian hàng đang mở", "Có đơn trong 12 tháng"),
        ("loai", "nha_san_xuat", "co_gian_hang_dang_mo", "co_don_12_thang"),
        [(r.label, r.producers, r.live_shop, r.selling) for r in rows],
    )
    return share_chart(
        key="nha-san-xuat", title="Nhà sản xuất theo loại", table=table,
        desc="Mỗi loại nhà sản xuất chia theo có hay chưa có gian hàng đang mở bán.",
        labels=[r.label for r in rows],
        parts=[("Có gian hàng đang mở", [r.live_shop for r in rows]),
               ("Chưa có", [r.producers - r.live_shop for r in rows])],
    )  # fmt: skip


def _products_chart(rows: list[ind.CategoryRow]) -> Chart:
    table = Table(
        ("Nhóm hàng", "Sản phẩm", "Có OCOP"),
        ("nhom_hang", "san_pham", "ocop"),
        [(r.name, r.products, r.ocop) for r in rows],
    )
    return share_chart(
        key="san-pham", title="Sản phẩm đang bán và tỷ lệ OCOP", table=table,
        desc="Mỗi nhóm hàng chia theo sản phẩm có chứng nhận OCOP còn hạn và sản phẩm khác.",
        labels=[r.name for r in rows],
        parts=[("OCOP", [r.ocop for r in rows]), ("Khác", [r.products - r.ocop for r in rows])],
    )  # fmt: skip


def _monthly_charts(rows: list[ind.MonthRow]) -> list[Chart]:
    labels = [_month_label(r.month) for r in rows]
    table = Table(
        ("Tháng", "Đơn hàng", "Doanh số (đ)", "Phí vận chuyển (đ)", "Đơn COD", "Doanh số COD (đ)",
         "Phí vận chuyển / giá trị hàng (%)"),
        ("thang", "don_hang", "doanh_so_dong", "phi_van_chuyen_dong", "don_cod", "doanh_so_cod_dong",
         "phi_van_chuyen_phan_tram"),
        [(r.month.strftime("%Y-%m"), r.orders, r.sales, r.shipping, r.cod_orders, r.cod_sales,
          _percent(r.shipping, r.sales)) for r in rows],
    )  # fmt: skip
    recent = rows[-WINDOW:]
    return [
        column_chart(
            key="doanh-so", title="Doanh số theo tháng", unit=" ₫", table=table, labels=labels,
            desc=f"Giá trị hàng của các đơn đã xác nhận, {len(rows)} tháng gần nhất (tháng này chưa hết).",
            values=[r.sales for r in rows],
        ),
        line_chart(
            key="don-hang", title="Số đơn theo tháng và cách thanh toán", table=table, labels=labels,
            desc="Đơn thanh toán chuyển khoản (không dùng tiền mặt) và đơn trả tiền khi nhận hàng (COD) mỗi tháng.",
            series=[("Chuyển khoản", [r.cashless_orders for r in rows]), ("COD", [r.cod_orders for r in rows])],
        ),
        share_chart(
            key="thanh-toan", title="Tỷ lệ không dùng tiền mặt", table=table,
            desc="Mỗi tháng trong 12 tháng gần nhất: phần đơn chuyển khoản và phần đơn COD.",
            labels=[_month_label(r.month) for r in recent],
            parts=[("Chuyển khoản", [r.cashless_orders for r in recent]), ("COD", [r.cod_orders for r in recent])],
        ),
        line_chart(
            key="phi-van-chuyen", title="Phí vận chuyển so với giá trị hàng", unit=" %", decimals=1, table=table,
            desc="Người mua trả bao nhiêu phần trăm giá trị hàng cho vận chuyển, mỗi tháng.", labels=labels,
            series=[("Phí vận chuyển / giá trị hàng", [_percent(r.shipping, r.sales) for r in rows])],
        ),
    ]  # fmt: skip


def _delivery_chart(times: ind.DeliveryTimes) -> Chart:
    table = Table(("Thời gian giao", "Đơn"), ("thoi_gian_giao", "don"), list(times.buckets))
    return hbar_chart(
        key="thoi-gian-giao", title="Thời gian từ lúc đặt đến lúc nhận", table=table,
        desc="Số đơn đã giao trong 12 tháng gần nhất theo số ngày từ lúc đặt đến lúc người mua nhận.",
        labels=[label for label, _n in times.buckets], values=[n for _label, n in times.buckets], unit=" đơn",
    )  # fmt: skip


def _buyers_chart(rows: list[ind.PlaceRow]) -> Chart:
    table = Table(
        ("Tỉnh người mua", "Đơn hàng", "Doanh số (đ)"),
        ("tinh_nguoi_mua", "don_hang", "doanh_so_dong"),
        [(r.name, r.orders, r.sales) for r in rows],
    )
    shown = rows[:TOP_PLACES]
    chart = hbar_chart(
        key="nguoi-mua", title="Người mua ở đâu", table=table, unit=" đơn",
        labels=[r.name for r in shown], values=[r.orders for r in shown],
        desc=f"Số đơn trong 12 tháng gần nhất theo tỉnh nhận hàng, {len(shown)} tỉnh nhiều nhất.",
    )  # fmt: skip
    if len(rows) > TOP_PLACES:  # a note, not a bar: their sum would dwarf the provinces shown
        rest = sum(r.orders for r in rows[TOP_PLACES:])
        chart.notes.append(f"Và {len(rows) - TOP_PLACES} tỉnh khác: {vi_number(rest)} đơn (xem bảng số liệu).")
    return chart


def _region_chart(rows: list[ind.ProvinceRow], *, public: bool) -> Chart:
    def hidden(r: ind.ProvinceRow) -> bool:
        return public and r.selling_shops < PUBLIC_MIN_SHOPS

    table = Table(
        ("Tỉnh", "Nhà sản xuất", "Gian hàng đang mở", "Sản phẩm", "Sản phẩm OCOP", "Đơn 12 tháng",
         "Doanh số 12 tháng (đ)", "Không dùng tiền mặt (%)", "Phí vận chuyển (%)", "Ngày giao trung bình"),
        ("tinh", "nha_san_xuat", "gian_hang_dang_mo", "san_pham", "san_pham_ocop", "don_12_thang",
         "doanh_so_12_thang_dong", "khong_tien_mat_phan_tram", "phi_van_chuyen_phan_tram", "ngay_giao_trung_binh"),
        [(r.name, r.producers, r.live_shops, r.products, r.ocop_products,
          None if hidden(r) else r.orders, None if hidden(r) else r.sales,
          None if hidden(r) else _percent(r.orders - r.cod_orders, r.orders),
          None if hidden(r) else _percent(r.shipping, r.sales),
          None if hidden(r) or r.mean_delivery_days is None else round(r.mean_delivery_days, 1)) for r in rows],
    )  # fmt: skip
    chart = hbar_chart(
        key="chin-tinh", title="Các tỉnh trong vùng: doanh số 12 tháng", table=table, unit=" ₫",
        desc="Doanh số 12 tháng gần nhất của các gian hàng ở từng tỉnh trong vùng, đặt cạnh nhau.",
        labels=[r.name for r in rows], values=[0 if hidden(r) else r.sales for r in rows],
    )  # fmt: skip
    if public and any(hidden(r) for r in rows):
        chart.notes.append(
            f"“—”: tỉnh có dưới {PUBLIC_MIN_SHOPS} gian hàng có đơn, không công bố để không lộ doanh thu của từng hộ."
        )
    return chart


def _kpis(kinds: list[ind.KindRow], products: list[ind.CategoryRow], months: list[ind.MonthRow],
          times: ind.DeliveryTimes, stars: dict[int, int]) -> list[Kpi]:  # fmt: skip
    producers, live = sum(k.producers for k in kinds), sum(k.live_shop for k in kinds)
    n_products, ocop = sum(c.products for c in products), sum(c.ocop for c in products)
    recent = months[-WINDOW:]
    orders, sales = sum(m.orders for m in recent), sum(m.sales for m in recent)
    cod, shipping = sum(m.cod_orders for m in recent), sum(m.shipping for m in recent)
    mean = "—" if times.mean_days is None else f"{vi_number(times.mean_days, 1)} ngày"
    return [
        Kpi("Nhà sản xuất", vi_number(producers), f"{_pct_text(_percent(live, producers))} có gian hàng đang mở"),
        Kpi("Sản phẩm đang bán", vi_number(n_products),
            f"{_pct_text(_percent(ocop, n_products))} OCOP ({stars[3]}/{stars[4]}/{stars[5]} sản phẩm 3/4/5 sao)"),
        Kpi("Đơn hàng 12 tháng", vi_number(orders), f"doanh số {vi_number(sales)} ₫"),
        Kpi("Không dùng tiền mặt", _pct_text(_percent(orders - cod, orders)), "số đơn chuyển khoản, 12 tháng"),
        Kpi("Phí vận chuyển", _pct_text(_percent(shipping, sales)), "so với giá trị hàng, 12 tháng"),
        Kpi("Thời gian giao", mean, f"trung bình, {vi_number(times.delivered)} đơn đã giao"),
    ]  # fmt: skip


def province_dashboard(*, province: int | None, place: str, today: datetime.date) -> Dashboard:
    """Everything the officer's (or operator's) page shows for one province, or for the hub when None."""
    since = ind.window_start(today=today, months=WINDOW)
    kinds = ind.producers_by_kind(province=province, since=since)
    products = ind.products_by_category(province=province, today=today)
    stars = ind.ocop_by_stars(province=province, today=today)
    months = ind.monthly_orders(province=province, today=today, months=MONTHS)
    times = ind.delivery_times(province=province, since=since)
    charts = [_producers_chart(kinds), _products_chart(products), *_monthly_charts(months), _delivery_chart(times),
              _buyers_chart(ind.buyer_provinces(province=province, since=since))]  # fmt: skip
    if province is None:
        charts.append(_region_chart(ind.region_comparison(since=since, today=today), public=False))
    charts.append(
        dot_map(
            key="ban-do", title=f"Bản đồ nhà sản xuất và người mua: {place}",
            desc="Chấm xanh: số nhà sản xuất ở mỗi xã; vòng cam: số đơn hàng giao đến mỗi xã (12 tháng).",
            frame_communes=ind.map_frame(province=province), producers=ind.producer_communes(province=province),
            buyers=ind.buyer_communes(province=province, since=since),
        )
    )  # fmt: skip
    return Dashboard(place, _kpis(kinds, products, months, times, stars), charts)


def _public(today: datetime.date) -> Dashboard:
    since = ind.window_start(today=today, months=WINDOW)
    region = ind.region_comparison(since=since, today=today)
    kinds = ind.producers_by_kind(province=None, since=since)
    products = ind.products_by_category(province=None, today=today)
    stars = ind.ocop_by_stars(province=None, today=today)
    times = ind.delivery_times(province=None, since=since)
    months = ind.monthly_orders(province=None, today=today, months=MONTHS)
    charts = [_region_chart(region, public=True), _producers_chart(kinds), _products_chart(products)]
    if sum(r.selling_shops for r in region) >= PUBLIC_MIN_SHOPS:
        charts += [*_monthly_charts(months)[:3], _delivery_chart(times)]
    charts.append(
        dot_map(
            key="ban-do", title="Bản đồ nhà sản xuất trong vùng",
            desc="Chấm xanh: số nhà sản xuất ở mỗi xã của chín tỉnh trong vùng.",
            frame_communes=ind.map_frame(province=None), producers=ind.producer_communes(province=None), buyers=None,
        )
    )  # fmt: skip
    kpis = _kpis(kinds, products, months, times, stars)
    if sum(r.selling_shops for r in region) < PUBLIC_MIN_SHOPS:
        kpis = kpis[:2]
    return Dashboard("Cả vùng", kpis, charts)


def _cached(name: str, today: datetime.date, build: Callable[[], Dashboard]) -> Dashboard:
    """`build()`'s result, kept CACHE_SECONDS per day and data version (the newest order, producer and product):
    a new order shows at once, a status change within CACHE_SECONDS."""
    version = (
        ShopOrder.objects.aggregate(m=Max("id"))["m"],
        Producer.objects.aggregate(m=Max("id"))["m"],
        Product.objects.aggregate(m=Max("id"))["m"],
    )
    key = "-".join(str(part) for part in ("insights", name, today.isoformat(), *version))
    cached = cache.get(key)
    if isinstance(cached, Dashboard):
        return cached
    board = build()
    cache.set(key, board, CACHE_SECONDS)
    return board


def public_summary(*, today: datetime.date) -> Dashboard:
    """The public page's content, cached (anyone may open it)."""
    return _cached("public", today, lambda: _public(today))


def cached_province_dashboard(*, province: int | None, place: str, today: datetime.date) -> Dashboard:
    """province_dashboard, cached: the whole hub takes seconds on 200,000 orders (docs/insights.md)."""
    return _cached(
        f"province{province or 0}", today, lambda: province_dashboard(province=province, place=place, today=today)
    )
