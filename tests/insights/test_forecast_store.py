"""Stored forecasts: known orders → known weekly series (Monday weeks in Vietnam time, zeros, cancelled and unpaid
orders left out), the refresh storing a done run with its weeks, a failed run replacing nothing, old runs pruned,
and the reads (`forecast_demand` over a date range, partial weeks)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from taybac.accounts.models import Role
from taybac.insights import forecast_store as store
from taybac.insights import tasks
from taybac.insights.forecast_selectors import (
    category_forecasts,
    forecast_demand,
    forecast_end,
    latest_run,
    product_forecast,
)
from taybac.insights.forecasting.io import Series
from taybac.insights.models import DemandForecast, ForecastRun, ForecastWeek
from taybac.orders.models import ShopOrder
from tests.factories import make_user
from tests.insights.forecast_world import LAO_CAI, LAST_WEEK, TODAY, honey_shop, local, order, weekly_history

pytestmark = pytest.mark.django_db
D = datetime.date


def test_weeks_cut_at_monday_midnight_in_vietnam_and_uncounted_orders_left_out() -> None:
    honey = honey_shop()
    order(honey, 2, local(D(2026, 5, 25), 0, 30))  # Monday 00:30 in Vietnam (Sunday 17:30 UTC): week of 25 May
    order(honey, 3, local(D(2026, 5, 24), 23, 30))  # Sunday 23:30: the week of 18 May
    order(honey, 4, local(D(2026, 5, 27), 12))  # week of 25 May: 2 + 4 = 6
    order(honey, 9, local(D(2026, 5, 26), 12), status="cancelled")  # never counted
    order(honey, 8, local(D(2026, 5, 26), 13), status="awaiting_payment")  # unpaid: not counted
    order(honey, 5, local(D(2026, 6, 8), 9))  # the current, incomplete week: not read
    units = store.weekly_units(by_product=False, since=D(2026, 5, 18), until=LAST_WEEK)
    key = store.Key(honey.category_id, LAO_CAI)
    assert units == {key: {D(2026, 5, 18): 3, D(2026, 5, 25): 6}}
    by_product = store.weekly_units(by_product=True, since=D(2026, 5, 18), until=LAST_WEEK)
    assert by_product == {store.Key(honey.category_id, LAO_CAI, honey.pk): {D(2026, 5, 18): 3, D(2026, 5, 25): 6}}
    assert store.weekly_units(by_product=False, since=D(2026, 5, 18), until=LAST_WEEK, province_id=14) == {}


def test_series_runs_from_first_sale_to_last_complete_week_with_zeros() -> None:
    key = store.Key(1, LAO_CAI)
    weeks = {D(2026, 3, 2): 4, D(2026, 3, 16): 6, D(2026, 4, 6): 3, D(2026, 4, 20): 5}
    one = store.series_of(weeks=weeks, key=key, until=D(2026, 6, 1), min_weeks=13, min_sale_weeks=4)
    assert isinstance(one, Series) and one.series_id == "category-1-province-15" and one.frequency == "W"
    assert one.dates[0] == D(2026, 3, 2) and one.dates[-1] == D(2026, 6, 1) and len(one.dates) == 14
    assert one.values[:4] == (4.0, 0.0, 6.0, 0.0) and sum(one.values) == 18 and one.values[-1] == 0.0
    # too few weeks since the first sale, or too few weeks with sales: no series
    assert store.series_of(weeks=weeks, key=key, until=D(2026, 5, 25), min_weeks=14, min_sale_weeks=4) is None
    assert store.series_of(weeks=weeks, key=key, until=D(2026, 6, 1), min_weeks=13, min_sale_weeks=5) is None
    assert store.last_complete_week(today=TODAY) == LAST_WEEK
    assert store.last_complete_week(today=D(2026, 6, 8)) == LAST_WEEK  # on a Monday the week just ended is complete


def test_refresh_stores_a_done_run_with_its_weeks_and_reads_it_back() -> None:
    honey = honey_shop()
    weekly_history(honey)
    run = store.refresh_forecasts(today=TODAY, horizon=5)
    assert run.status == ForecastRun.Status.DONE and run.error == "" and run.finished_at is not None
    assert run.history_end == LAST_WEEK and run.series_count == 1  # the product has 14 weeks: fewer than 26
    forecast = DemandForecast.objects.get(run=run)
    assert (forecast.category_id, forecast.province_id, forecast.product_id) == (honey.category_id, LAO_CAI, None)
    assert forecast.observations == 14 and forecast.baseline == "naive"  # under two years: naive is the baseline
    weeks = list(ForecastWeek.objects.filter(forecast=forecast).values_list("week_start", "quantity"))
    assert [w for w, _q in weeks] == [D(2026, 6, 8) + datetime.timedelta(weeks=i) for i in range(5)]
    assert all(q >= 0 for _w, q in weeks)
    assert latest_run() == run
    [stored] = category_forecasts(province_id=LAO_CAI)
    assert stored.forecast == forecast and stored.weeks == weeks
    assert category_forecasts(province_id=14) == [] and product_forecast(product_id=honey.pk) is None
    # Wednesday 10 June to Tuesday 16 June: 5 days of the first week, 2 of the second.
    units, used = forecast_demand(category_id=honey.category_id, province_id=LAO_CAI, start=D(2026, 6, 10),
                                  end=D(2026, 6, 16))  # fmt: skip
    assert used == forecast and units == pytest.approx(weeks[0][1] * 5 / 7 + weeks[1][1] * 2 / 7)
    assert forecast_end(forecast=forecast) == D(2026, 7, 12)
    far, _ = forecast_demand(category_id=honey.category_id, province_id=LAO_CAI, start=D(2026, 8, 1),
                             end=D(2026, 8, 31))  # fmt: skip
    assert far == 0.0
    assert forecast_demand(category_id=honey.category_id, province_id=14, start=TODAY, end=TODAY) == (0.0, None)


def test_a_failed_run_replaces_nothing_and_old_runs_are_pruned() -> None:
    honey = honey_shop()
    weekly_history(honey)
    done = store.refresh_forecasts(today=TODAY, horizon=3)
    failed = store.refresh_forecasts(today=TODAY, horizon=0)  # the engine refuses a horizon of 0
    assert failed.status == ForecastRun.Status.FAILED and "horizon" in failed.error and failed.finished_at
    assert not DemandForecast.objects.filter(run=failed).exists()
    assert latest_run() == done and len(category_forecasts(province_id=LAO_CAI)) == 1
    later = [store.refresh_forecasts(today=TODAY, horizon=3) for _ in range(store.KEEP_RUNS)]
    assert set(ForecastRun.objects.values_list("pk", flat=True)) == {r.pk for r in later}
    assert latest_run() == later[-1]
    assert store.refresh_if_stale(today=TODAY) is None  # a done run already covers the last complete week
    assert store.refresh_if_stale(today=TODAY + datetime.timedelta(weeks=1)) is not None


def test_no_orders_is_a_done_run_with_nothing_in_it() -> None:
    run = store.refresh_forecasts(today=TODAY)
    assert run.status == ForecastRun.Status.DONE and run.series_count == 0 and latest_run() == run


def test_dashboard_section_officer_own_province_operator_chosen_with_csv() -> None:
    cache.clear()
    honey = honey_shop()
    weekly_history(honey)
    today = datetime.date.today()
    # the same history, moved so that its last week is the last complete week before today
    shift = store.last_complete_week(today=today) - LAST_WEEK
    for so in ShopOrder.objects.all():
        ShopOrder.objects.filter(pk=so.pk).update(created_at=so.created_at + shift)
    run = store.refresh_forecasts(horizon=13)
    slug = honey.category.slug
    officer, other = Client(), Client()
    officer.force_login(make_user(role=Role.OFFICER, officer_province_id=LAO_CAI))
    other.force_login(make_user(role=Role.OFFICER, officer_province_id=14))
    page = officer.get("/so-lieu/tinh/", {"tinh": 14}).content.decode()  # an officer's province is fixed
    assert f'id="du-bao-{slug}"' in page and "Dự báo nhu cầu 13 tuần tới" in page
    assert "so với" in page and "cách lấy tuần gần nhất" in page  # a short series: naive is the baseline
    forecast = DemandForecast.objects.get(run=run)
    assert ("· không tốt hơn cách lấy tuần gần nhất" in page) is (not forecast.beats_baseline)
    assert f'id="du-bao-{slug}"' not in other.get("/so-lieu/tinh/").content.decode()
    rows = officer.get("/so-lieu/tinh/", {"csv": f"du-bao-{slug}"}).content.decode("utf-8").lstrip("\ufeff")
    lines = rows.strip().split("\r\n")
    assert lines[0] == "week_start,units_sold,forecast" and len(lines) == 1 + 26 + 13
    assert lines[-1].startswith(str(run.history_end + datetime.timedelta(weeks=13)))
    assert sum(int(line.split(",")[1]) for line in lines[1:27]) == 27  # 4 + 6 + 3 + 5 + 2 + 7
    operator = Client()
    operator.force_login(make_user(role=Role.OPERATOR))
    assert f'id="du-bao-{slug}"' in operator.get("/so-lieu/tinh/", {"tinh": LAO_CAI}).content.decode()
    assert "Chọn một tỉnh để xem dự báo" in operator.get("/so-lieu/tinh/").content.decode()
    assert operator.get("/so-lieu/tinh/", {"tinh": str(LAO_CAI), "csv": "du-bao-khong-co"}).status_code == 404


def test_the_weekly_job_runs_early_monday_in_vietnam() -> None:
    job = tasks.refresh_stored_forecasts.s()  # the task Huey's scheduler asks
    assert job.validate_datetime(datetime.datetime(2026, 6, 7, 20, 30))  # Sunday 20:30 UTC = Monday 03:30 UTC+7
    assert not job.validate_datetime(datetime.datetime(2026, 6, 8, 20, 30))
    tasks.refresh_stored_forecasts_if_stale()  # Huey runs it inline in tests
    run = latest_run()
    assert run is not None and run.history_end == store.last_complete_week(today=datetime.date.today())


def test_a_product_with_half_a_year_of_sales_gets_its_own_forecast_in_the_seller_centre() -> None:
    honey = honey_shop()
    first = D(2025, 11, 24)  # 28 weeks before the week of 1 June; sales in 9 of them
    for week in (0, 3, 6, 9, 12, 15, 18, 22, 27):
        order(honey, 2 + week % 3, local(first + datetime.timedelta(weeks=week, days=1), 9))
    run = store.refresh_forecasts(today=TODAY, horizon=4)
    assert run.series_count == 2  # the category in Lào Cai, and the product
    stored = product_forecast(product_id=honey.pk, run=run)
    assert stored is not None and stored.forecast.observations == 28 and len(stored.weeks) == 4
    seller = Client()
    seller.force_login(honey.shop.producer.owner)
    page = seller.get(f"/ban-hang/san-pham/{honey.pk}/").content.decode()
    assert 'id="du-bao"' in page and "Dự báo 4 tuần tới" in page and "MASE" in page
