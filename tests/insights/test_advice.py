"""Production advice on known supply and forecasts (tests/insights/advice_world.py): the warnings, their numbers
and suggestions, the thresholds, stale warnings removed, and one SMS per shop × category × season."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from taybac.catalog.models import Variant
from taybac.core.models import OutboxMessage
from taybac.core.sms import is_gsm7, segments
from taybac.insights import tasks
from taybac.insights.advice import refresh_warnings, send_warning_sms, sms_text
from taybac.insights.advice_rules import Outcome, Season, assess_shop, judge, next_season, threshold
from taybac.insights.models import ForecastRun, ProductionWarning
from tests.insights import advice_world as aw

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> aw.World:
    return aw.build()


def test_a_glut_of_honey_with_the_numbers_behind_it(world):
    result = refresh_warnings(today=aw.TODAY)
    assert (result.created, result.updated, result.deleted) == (3, 0, 0)  # A and B honey, C tea; not the peer
    a = ProductionWarning.objects.get(shop=world.a)
    assert a.kind == "glut" and a.category == world.honey and a.province_id == aw.LAO_CAI
    assert (a.season_start, a.season_end) == (aw.SEASON_START, aw.SEASON_END)
    # A: quota 300 − 20 taken, plus the 50-jar lot less the 5 sold (the kg lot is left out).
    assert a.shop_supply == 280 + 45
    assert a.province_supply == 325 + 200  # with B's quota
    assert a.forecast_demand == 13 * 5
    kinds = [s["kind"] for s in a.suggestions]
    assert kinds == ["preorder", "fair", "price", "other_provinces"]
    by_kind = {s["kind"]: s for s in a.suggestions}
    assert by_kind["preorder"]["numbers"] == {"quota_left": 280, "expected_surplus": 525 - 65}
    assert "280 suất" in by_kind["preorder"]["text"] and "460" in by_kind["preorder"]["text"]
    assert by_kind["fair"]["numbers"] == {"shop_supply": 325, "expected_surplus": 460}
    assert by_kind["price"]["numbers"] == {"shop_price": 350_000, "median_price": 320_000, "products_compared": 3}
    assert "350.000 đ/hũ" in by_kind["price"]["text"] and "320.000 đ/hũ" in by_kind["price"]["text"]
    assert by_kind["other_provinces"]["numbers"]["provinces"] == [
        {"province": "Thành phố Hà Nội", "orders": 1, "share_percent": 100}
    ]
    assert ProductionWarning.objects.get(shop=world.b).shop_supply == 200


def test_stock_counts_as_goods_on_hand_when_lots_say_less(world):
    Variant.objects.filter(shop=world.b).update(quantity=30)  # B records no lots: its 30 jars in stock count
    refresh_warnings(today=aw.TODAY)
    assert ProductionWarning.objects.get(shop=world.b).shop_supply == 200 + 30
    assert ProductionWarning.objects.get(shop=world.a).province_supply == 325 + 230


def test_a_shortage_of_tea_suggests_more_quota_and_the_price(world):
    refresh_warnings(today=aw.TODAY)
    c = ProductionWarning.objects.get(shop=world.c)
    assert (c.kind, c.shop_supply, c.province_supply, c.forecast_demand) == ("shortage", 10, 10, 1300)
    by_kind = {s["kind"]: s for s in c.suggestions}
    # C plans all the province's tea, so all the shortfall is its to take.
    assert by_kind["raise_quota"]["numbers"] == {"quota_left": 10, "suggested_more": 1290, "province_shortfall": 1290}
    assert by_kind["plan_more"]["numbers"] == {
        "forecast_demand": 1300,
        "province_supply": 10,
        "province_shortfall": 1290,
    }
    assert "preorder_price" not in by_kind  # one tea in the province: no median to compare with


def test_thresholds_widen_with_the_forecast_error():
    assert threshold(0.0) == 1.5 and threshold(1.0) == 2.25 and threshold(5.0) == 3.0
    assert judge(supply=250, demand=100, ratio=threshold(0.5)) == Outcome.GLUT
    assert judge(supply=250, demand=100, ratio=threshold(2.0)) == Outcome.BALANCED  # a poor forecast warns less
    assert judge(supply=30, demand=100, ratio=threshold(0.5)) == Outcome.SHORTAGE
    assert judge(supply=0, demand=15, ratio=1.5) == Outcome.BALANCED  # under MIN_GAP units: noise


def test_seasons_from_the_harvest_calendar():
    assert next_season({6, 7, 8}, today=aw.TODAY) == Season(start=aw.SEASON_START, end=aw.SEASON_END)
    # Across the new year, seen from June: November–February, starting within 26 weeks.
    winter = next_season({11, 12, 1, 2}, today=aw.TODAY)
    assert (winter.start, winter.end) == (datetime.date(2026, 10, 26), datetime.date(2027, 2, 28))
    assert next_season({3}, today=aw.TODAY) is None  # March 2027 is more than 26 weeks away
    assert next_season(set(), today=aw.TODAY) is None
    year_round = next_season(set(range(1, 13)), today=aw.TODAY)  # compared quarter by quarter
    assert (year_round.start, year_round.end) == (datetime.date(2026, 3, 30), datetime.date(2026, 7, 5))


def test_no_forecast_or_short_history_gives_no_warning_and_says_why(world):
    ForecastRun.objects.all().delete()
    refresh_warnings(today=aw.TODAY)
    assert not ProductionWarning.objects.exists()
    assert [a.outcome for a in assess_shop(shop=world.a, today=aw.TODAY)] == [Outcome.NO_FORECAST]
    run = aw.done_run()
    aw.forecast(run, world.honey, per_week=5, observations=30)
    aw.forecast(run, world.tea, per_week=100, observations=51)
    refresh_warnings(today=aw.TODAY)
    assert not ProductionWarning.objects.exists()
    (honey,) = assess_shop(shop=world.a, today=aw.TODAY)
    assert honey.outcome == Outcome.SHORT_HISTORY and "1 năm" in honey.reason


def test_a_forecast_without_backtest_warns_only_at_the_widest_threshold(world, client):
    ForecastRun.objects.all().delete()
    run = aw.done_run()
    aw.forecast(run, world.honey, per_week=14, mase=None)  # 182 jars: 525 is 2.9 times that, under 3
    aw.forecast(run, world.tea, per_week=100, mase=None)  # 1,300 packs against 10: still a shortage
    refresh_warnings(today=aw.TODAY)
    assert list(ProductionWarning.objects.values_list("kind", flat=True)) == ["shortage"]
    (honey,) = assess_shop(shop=world.a, today=aw.TODAY)
    assert (honey.outcome, honey.threshold, honey.demand) == (Outcome.BALANCED, 3.0, 182)
    client.force_login(world.c.producer.owner)
    assert "chưa kiểm tra được độ chính xác" in client.get("/ban-hang/canh-bao-mua-vu/").content.decode()


def test_only_the_latest_done_run_counts(world):
    # A later run that failed is ignored; a later done run where honey is balanced replaces the glut.
    ForecastRun.objects.create(
        status=ForecastRun.Status.FAILED, history_end=datetime.date(2026, 6, 8), horizon_weeks=26
    )
    refresh_warnings(today=aw.TODAY)
    assert ProductionWarning.objects.filter(category=world.honey).count() == 2
    later = aw.done_run()
    aw.forecast(later, world.honey, per_week=40)  # 520 jars: balanced with 525
    result = refresh_warnings(today=aw.TODAY)
    assert not ProductionWarning.objects.filter(category=world.honey, resolved_at__isnull=True).exists()
    assert (result.resolved, result.deleted) == (3, 0)  # the two honey warnings, and tea: no tea forecast now


def test_a_forecast_ending_before_the_season_compares_that_part_only(world, client):
    ForecastRun.objects.all().delete()
    aw.forecast(aw.done_run(), world.honey, per_week=5, weeks=5)  # 8 June … 6 July: 5 of the season's 13 weeks
    refresh_warnings(today=aw.TODAY)
    a = ProductionWarning.objects.get(shop=world.a)
    # The season's supply spread over its 13 weeks ahead, 5 of them counted; demand 5 weeks × 5.
    assert (a.shop_supply, a.province_supply, a.forecast_demand) == (round(325 * 5 / 13), round(525 * 5 / 13), 25)
    client.force_login(world.a.producer.owner)
    assert "Dự báo chỉ tới tuần 06/07" in client.get("/ban-hang/canh-bao-mua-vu/").content.decode()


def test_stale_warnings_are_removed_when_the_season_passes(world):
    refresh_warnings(today=aw.TODAY)
    assert ProductionWarning.objects.count() == 3
    refresh_warnings(today=datetime.date(2026, 9, 14))  # the season ended on 6 September; next one is 2027
    assert not ProductionWarning.objects.exists()


def test_a_warning_keeps_its_row_and_sms_while_the_risk_stays(world):
    refresh_warnings(today=aw.TODAY)
    first = ProductionWarning.objects.get(shop=world.a)
    assert send_warning_sms() == 3
    Variant.objects.filter(shop=world.b).update(harvest_quota=150)
    result = refresh_warnings(today=aw.TODAY + datetime.timedelta(days=7))
    assert (result.created, result.updated) == (0, 3)
    again = ProductionWarning.objects.get(shop=world.a)
    assert again.pk == first.pk and again.sms_sent_at is not None and again.province_supply == 325 + 150


def test_a_risk_that_goes_and_comes_back_in_the_season_is_told_once(world, client):
    refresh_warnings(today=aw.TODAY)
    assert send_warning_sms() == 3
    first = ProductionWarning.objects.get(shop=world.a)
    aw.forecast(aw.done_run(), world.honey, per_week=40)  # balanced now: the honey warnings are resolved, not lost
    refresh_warnings(today=aw.TODAY)
    assert ProductionWarning.objects.get(pk=first.pk).resolved_at is not None
    client.force_login(world.a.producer.owner)
    assert "Có thể THỪA" not in client.get("/ban-hang/canh-bao-mua-vu/").content.decode()  # hidden while resolved
    aw.forecast(aw.done_run(), world.honey, per_week=5)  # the glut comes back in the same season
    refresh_warnings(today=aw.TODAY)
    back = ProductionWarning.objects.get(shop=world.a)
    assert back.pk == first.pk and back.resolved_at is None and back.sms_sent_at == first.sms_sent_at
    assert send_warning_sms() == 0  # the producer was told about this season already


def test_one_sms_per_warning_even_when_the_job_runs_twice(world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: aw.TODAY)  # the job reads the clock: the world's day
    tasks.refresh_production_advice.call_local()
    tasks.refresh_production_advice.call_local()
    told = OutboxMessage.objects.filter(channel="sms", body__contains="canh-bao-mua-vu")
    assert told.count() == 3 and len({m.recipient for m in told}) == 3
    assert send_warning_sms() == 0


def test_the_sms_fits_one_gsm7_segment(world, settings):
    settings.PUBLIC_URL = "https://" + "x" * 32  # 40 characters: the longest address that keeps one segment
    refresh_warnings(today=aw.TODAY)
    assert send_warning_sms() == 3
    assert send_warning_sms() == 0  # told once
    messages = OutboxMessage.objects.filter(channel="sms").exclude(body__contains="don hang").order_by("id")
    texts = {m.recipient: m.body for m in messages if "canh-bao-mua-vu" in m.body}
    assert len(texts) == 3
    a = ProductionWarning.objects.get(shop=world.a)
    body = texts[world.a.producer.owner.phone]
    assert body == sms_text(warning=a)
    assert body.startswith("Tay Bac Hub: co the THUA Mat ong vu 1/6-6/9. Ca tinh co 525, nguoi mua can 65. Xem goi y: ")
    assert all(is_gsm7(t) and segments(t) == 1 for t in texts.values()), [len(t) for t in texts.values()]
    assert ProductionWarning.objects.filter(sms_sent_at__isnull=True).count() == 0
    a.category.name = "Mật ong bạc hà cao nguyên đá Đồng Văn, hũ thuỷ tinh, loại đặc biệt"  # 66 characters
    a.province_supply, a.forecast_demand = 12_345, 6_789
    settings.PUBLIC_URL = "https://cho.taybachub.vn"
    long = sms_text(warning=a)  # the name is cut to what is left of the segment
    assert segments(long) == 1 and long.startswith("Tay Bac Hub: co the THUA Mat ong bac ha ")
    assert long.endswith(
        "vu 1/6-6/9. Ca tinh co 12.345, nguoi mua can 6.789. Xem goi y: https://cho.taybachub.vn/ban-hang/canh-bao-mua-vu/"
    )
