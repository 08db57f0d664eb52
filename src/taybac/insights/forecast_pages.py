"""The forecast section of the province dashboard: per category, the last weeks sold and the next weeks forecast
as one SVG line (insights.charts), the chosen model and its backtest accuracy against the baseline's, in plain
Vietnamese, and a mark where the model does not beat the baseline (docs/insights.md, "Stored forecasts ...")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from taybac.insights.charts import Chart, Table, line_chart, vi_number
from taybac.insights.forecast_selectors import StoredForecast, category_forecasts, latest_run, product_forecast
from taybac.insights.forecast_store import weekly_units
from taybac.insights.models import DemandForecast, ForecastRun

HISTORY_WEEKS = 26  # weeks sold drawn before the forecast
MODEL_NAMES = {
    "seasonal_naive": "lấy cùng kỳ năm trước",
    "naive": "lấy tuần gần nhất",
    "mstl": "MSTL (tách mùa vụ và xu hướng)",
    "theta": "Theta",
    "decomposed": "tách mùa vụ (STL) rồi làm trơn hàm mũ",
    "ets": "làm trơn hàm mũ (ETS)",
    "ses": "làm trơn hàm mũ đơn giản",
    "drift": "xu hướng gần đây (drift)",
    "ensemble": "trung bình các mô hình",
}


def _model_name(code: str) -> str:
    return MODEL_NAMES.get(code, code)


@dataclass(frozen=True)
class ForecastCard:
    chart: Chart
    stored: StoredForecast
    accuracy: str  # the sentence shown beside the chart
    mark: str  # beside the title when the model does not beat the baseline; empty when it does


@dataclass(frozen=True)
class ForecastSection:
    run: ForecastRun | None
    cards: list[ForecastCard]

    def chart(self, key: str) -> Chart | None:
        return next((card.chart for card in self.cards if card.chart.key == key), None)


def _label(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}"


def _baseline(forecast: DemandForecast) -> str:
    return "cách lấy cùng kỳ năm trước" if forecast.baseline == "seasonal_naive" else "cách lấy tuần gần nhất"


def _mark(forecast: DemandForecast) -> str:
    if forecast.mase is None or forecast.baseline_mase is None:
        return "chưa kiểm tra được sai số"
    return "" if forecast.beats_baseline else f"không tốt hơn {_baseline(forecast)}"


def _accuracy(stored: StoredForecast) -> str:
    """Backtest MASE of the model and of the baseline, said plainly (smaller is better)."""
    f = stored.forecast
    baseline = _baseline(f)
    if f.mase is None or f.baseline_mase is None:
        # The engine backtests a seasonal model only on cuts that leave two full years to learn from.
        why = "cần thêm vài tháng số liệu ngoài hai năm" if f.baseline == "seasonal_naive" else "chuỗi còn ngắn"
        return (
            f"Mô hình: {_model_name(f.model)}, học từ {f.observations} tuần. Chưa thử lại được trên số liệu cũ "
            f"({why}) nên chưa có sai số để so với {baseline}."
        )
    verdict = "tốt hơn" if f.beats_baseline else "không tốt hơn"
    return (
        f"Mô hình: {_model_name(f.model)}. Sai số dự báo khi thử lại trên {f.backtest_origins} lần cắt quá khứ "
        f"(MASE) là {vi_number(f.mase, 2)}, so với {vi_number(f.baseline_mase, 2)} của {baseline}: {verdict} "
        f"(số nhỏ hơn là tốt hơn; học từ {f.observations} tuần)."
    )


def _card(stored: StoredForecast, history: dict[datetime.date, int], run: ForecastRun) -> ForecastCard:
    f = stored.forecast
    first = run.history_end - datetime.timedelta(weeks=HISTORY_WEEKS - 1)
    past = [first + datetime.timedelta(weeks=i) for i in range(HISTORY_WEEKS)]
    labels = [_label(day) for day in past] + [_label(day) for day, _q in stored.weeks]
    sold: list[float | None] = [float(history.get(day, 0)) for day in past] + [None] * len(stored.weeks)
    # The forecast line starts at the last week sold, so the two lines join.
    ahead: list[float | None] = [None] * (len(past) - 1) + [sold[len(past) - 1]] + [q for _d, q in stored.weeks]
    table = Table(
        ("Tuần bắt đầu", "Đã bán", "Dự báo"),
        ("week_start", "units_sold", "forecast"),
        [(day.isoformat(), history.get(day, 0), None) for day in past]
        + [(day.isoformat(), None, round(q, 1)) for day, q in stored.weeks],
    )
    key = f"du-bao-{f.category.slug}"
    title = f"Dự báo {f.category.name}"
    desc = (
        f"Số đơn vị bán mỗi tuần của ngành {f.category.name} ở {f.province.name}: {HISTORY_WEEKS} tuần qua và "
        f"{len(stored.weeks)} tuần tới (đường nét đứt), tổng dự báo {vi_number(stored.total)}."
    )
    chart = line_chart(
        key=key, title=title, desc=desc, labels=labels, series=[("Đã bán", sold), ("Dự báo", ahead)], table=table
    )
    return ForecastCard(chart, stored, _accuracy(stored), _mark(f))


def forecast_section(*, province_id: int) -> ForecastSection:
    """The cards of a province's categories from the latest done run (three queries in all)."""
    run = latest_run()
    if run is None:
        return ForecastSection(None, [])
    stored = category_forecasts(province_id=province_id, run=run)
    since = run.history_end - datetime.timedelta(weeks=HISTORY_WEEKS - 1)
    units = weekly_units(by_product=False, since=since, until=run.history_end, province_id=province_id)
    history = {key.category_id: weeks for key, weeks in units.items()}
    return ForecastSection(run, [_card(one, history.get(one.forecast.category_id, {}), run) for one in stored])


@dataclass(frozen=True)
class ProductForecast:
    stored: StoredForecast
    accuracy: str
    mark: str


def product_summary(*, product_id: int) -> ProductForecast | None:
    """A product's own forecast for the seller centre, when it had history enough to get one."""
    stored = product_forecast(product_id=product_id)
    if stored is None:
        return None
    return ProductForecast(stored, _accuracy(stored), _mark(stored.forecast))
