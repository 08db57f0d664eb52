"""The rule of production advice (docs/insights.md, "Production advice"): a shop's season of a category, the
province's planned supply against forecast demand over the same weeks, and when that is a glut or a shortage.

Thresholds are ratios, widened by the forecast's backtest MASE so a poor forecast warns less:
  threshold = BASE_RATIO × (1 + min(MASE, MAX_MASE) / 2)      (MASE 0 → 1.5, 1 → 2.25, 2 or worse → 3;
                                                             no backtest, so no MASE: the widest, 3)
  glut      when supply > demand × threshold and supply − demand ≥ MIN_GAP units
  shortage  when supply × threshold < demand and demand − supply ≥ MIN_GAP units

Supply is planned for the whole season, demand is known only for the weeks the forecast covers: when the forecast
stops before the season ends, the supply compared is spread evenly over the season's weeks still ahead and only
the covered weeks' part is counted (share = covered weeks ÷ weeks ahead).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from taybac.catalog.models import Category, Product, Shop
from taybac.catalog.seasons import months_from_mask
from taybac.insights import advice_selectors as sel
from taybac.insights.models import DemandForecast, ForecastRun

HORIZON_WEEKS = 26  # seasons starting within the next 26 weeks are compared
BASE_RATIO = 1.5
MAX_MASE = 2.0
MIN_GAP = 20  # units: smaller differences are noise for a household
MIN_HISTORY_WEEKS = 52  # a season is compared with a forecast that has seen at least one year
MIN_COVERED_WEEKS = 4  # forecast weeks inside the season, at least


class Outcome:
    GLUT = "glut"
    SHORTAGE = "shortage"
    BALANCED = "balanced"
    NO_SEASON = "no_season"
    NO_FORECAST = "no_forecast"
    SHORT_HISTORY = "short_history"
    FORECAST_SHORT = "forecast_short"


# Why there is no warning, for the seller centre (plain Vietnamese).
REASONS = {
    Outcome.GLUT: "Số liệu mới nhất cho thấy có thể thừa hàng. Gợi ý sẽ có sau lần cập nhật hàng tuần.",
    Outcome.SHORTAGE: "Số liệu mới nhất cho thấy có thể thiếu hàng. Gợi ý sẽ có sau lần cập nhật hàng tuần.",
    Outcome.BALANCED: "Cung và cầu trong tỉnh gần cân bằng. Chưa có gì phải lo.",
    Outcome.NO_SEASON: "Không có vụ thu hoạch trong 6 tháng tới.",
    Outcome.NO_FORECAST: "Chưa có dự báo nhu cầu cho ngành hàng này ở tỉnh của bạn, nên chưa cảnh báo được.",
    Outcome.SHORT_HISTORY: "Ngành hàng này ở tỉnh của bạn chưa đủ 1 năm số liệu bán hàng, nên chưa cảnh báo được.",
    Outcome.FORECAST_SHORT: "Dự báo hiện có chưa phủ tới vụ của bạn. Sẽ xem lại khi có dự báo mới.",
}


@dataclass(frozen=True)
class Season:
    start: datetime.date  # Monday
    end: datetime.date  # Sunday


@dataclass
class Assessment:
    shop: Shop
    category: Category
    outcome: str
    season: Season | None = None
    window: Season | None = None  # the weeks compared: the season's part still ahead that the forecast covers
    weeks: int = 0
    supply: sel.Supply = field(default_factory=sel.Supply)  # the shop's, for the whole season
    share: float = 1.0  # weeks compared ÷ the season's weeks still ahead: the supply is spread over the season
    shop_supply: int = 0  # the shop's supply × share
    province_supply: int = 0  # the province's supply × share
    planning_shops: int = 0
    demand: int = 0
    threshold: float = 0.0
    forecast: DemandForecast | None = None

    @property
    def gap(self) -> int:
        return abs(self.province_supply - self.demand)

    @property
    def reason(self) -> str:
        return REASONS.get(self.outcome, "")


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def season_months(products: Iterable[Product], *, today: datetime.date) -> set[int]:
    """Months the shop harvests the category: its products' season months and the month of a coming harvest."""
    months: set[int] = set()
    for product in products:
        months.update(months_from_mask(product.season_mask))
        if product.next_harvest is not None and product.next_harvest >= today:
            months.add(product.next_harvest.month)
    return months


def _runs(months: set[int]) -> list[tuple[int, int]]:
    """(first month, length) of each run of consecutive months, across the new year; quarters when all year."""
    if len(months) == 12:
        return [(1, 3), (4, 3), (7, 3), (10, 3)]
    runs = []
    for start in sorted(m for m in months if (m - 2) % 12 + 1 not in months):
        length = 1
        while (start + length - 1) % 12 + 1 in months:
            length += 1
        runs.append((start, length))
    return runs


def next_season(months: set[int], *, today: datetime.date) -> Season | None:
    """The season (a run of harvest months, from the Monday of its first day's week to the Sunday of its last
    day's week) going on now or starting within HORIZON_WEEKS; None when there is none."""
    this_monday = monday(today)
    latest_start = this_monday + datetime.timedelta(weeks=HORIZON_WEEKS)
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        for start_month, length in _runs(months):
            first = datetime.date(year, start_month, 1)
            last_index = year * 12 + start_month - 1 + length - 1
            last_year, last_month = divmod(last_index, 12)
            last = datetime.date(last_year, last_month + 1, calendar.monthrange(last_year, last_month + 1)[1])
            season = Season(start=monday(first), end=monday(last) + datetime.timedelta(days=6))
            if season.end >= this_monday and season.start <= latest_start:
                found.append(season)
    return min(found, key=lambda s: s.start) if found else None


def threshold(mase: float) -> float:
    return BASE_RATIO * (1 + min(max(mase, 0.0), MAX_MASE) / 2)


def judge(*, supply: int, demand: int, ratio: float) -> str:
    if supply > demand * ratio and supply - demand >= MIN_GAP:
        return Outcome.GLUT
    if supply * ratio < demand and demand - supply >= MIN_GAP:
        return Outcome.SHORTAGE
    return Outcome.BALANCED


class Assessor:
    """Assesses shops against one forecast run, caching the province figures shared by its shops."""

    def __init__(self, *, today: datetime.date, run: ForecastRun | None) -> None:
        self.today = today
        self.run = run
        self._forecasts: dict[tuple[int, int], DemandForecast | None] = {}
        self._supply: dict[tuple[int, int, datetime.date], dict[int, sel.Supply]] = {}

    def forecast(self, *, category_id: int, province_id: int) -> DemandForecast | None:
        key = (category_id, province_id)
        if key not in self._forecasts:
            self._forecasts[key] = (
                sel.category_forecast(run=self.run, category_id=category_id, province_id=province_id)
                if self.run is not None
                else None
            )
        return self._forecasts[key]

    def supply(self, *, province_id: int, category_id: int, until: datetime.date) -> dict[int, sel.Supply]:
        key = (province_id, category_id, until)
        if key not in self._supply:
            self._supply[key] = sel.planned_supply(
                province_id=province_id, category_id=category_id, today=self.today, until=until
            )
        return self._supply[key]

    def assess(self, *, shop: Shop, category: Category, products: list[Product]) -> Assessment:
        """One shop × category: the comparison and its outcome (see the module's rule)."""
        season = next_season(season_months(products, today=self.today), today=self.today)
        if season is None:
            return Assessment(shop=shop, category=category, outcome=Outcome.NO_SEASON)
        result = Assessment(shop=shop, category=category, outcome=Outcome.NO_FORECAST, season=season)
        forecast = self.forecast(category_id=category.pk, province_id=shop.province_id)
        if forecast is None:
            return result
        result.forecast = forecast
        if forecast.observations < MIN_HISTORY_WEEKS:
            result.outcome = Outcome.SHORT_HISTORY
            return result
        start = max(season.start, monday(self.today))
        weeks = [w for w in forecast.weeks.all() if start <= w.week_start <= season.end]
        if len(weeks) < MIN_COVERED_WEEKS:
            result.outcome = Outcome.FORECAST_SHORT
            return result
        window = Season(start=weeks[0].week_start, end=weeks[-1].week_start + datetime.timedelta(days=6))
        supplies = self.supply(province_id=shop.province_id, category_id=category.pk, until=season.end)
        remaining = ((season.end - start).days + 1) // 7
        result.share = min(len(weeks) / remaining, 1.0)
        result.window = window
        result.weeks = len(weeks)
        result.supply = supplies.get(shop.pk, sel.Supply())
        result.shop_supply = round(result.supply.total * result.share)
        result.province_supply = round(sum(s.total for s in supplies.values()) * result.share)
        result.planning_shops = sum(1 for s in supplies.values() if s.total > 0)
        result.demand = round(sum(w.quantity for w in weeks))
        result.threshold = threshold(MAX_MASE if forecast.mase is None else forecast.mase)
        result.outcome = judge(supply=result.province_supply, demand=result.demand, ratio=result.threshold)
        return result


def group_products(products: Iterable[Product]) -> dict[tuple[int, int], list[Product]]:
    """Products by (shop id, category id), in the order given."""
    groups: dict[tuple[int, int], list[Product]] = {}
    for product in products:
        groups.setdefault((product.shop_id, product.category_id), []).append(product)
    return groups


def assess_shop(*, shop: Shop, today: datetime.date) -> list[Assessment]:
    """Every category the shop grows with a harvest calendar, assessed now (the seller centre's explanations)."""
    assessor = Assessor(today=today, run=sel.latest_done_run())
    groups = group_products(sel.seasonal_products(shop_ids=[shop.pk]))
    return [assessor.assess(shop=shop, category=items[0].category, products=items) for items in groups.values()]
