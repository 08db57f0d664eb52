"""The stored daily run: known waiting shipments → known consignments and savings, what is left out, a re-run
replaces the day's run, who reads which province, the post office's list, the job and the command."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from taybac.accounts.models import Role
from taybac.accounts.selectors import NotAllowed
from taybac.core.errors import DomainError
from taybac.logistics import consolidation_reports as reports
from taybac.logistics.consolidation import report_csv
from taybac.logistics.consolidation_store import run_consolidation
from taybac.logistics.models import Consignment, ConsolidationRun, PlannedParcel, RateTable, Shipment
from taybac.logistics.tasks import consolidate_today
from tests.factories import make_user
from tests.logistics.consolidation_world import (
    HA_NOI,
    LAO_CAI,
    SON_LA,
    post_office,
    stock,
    waiting_shipment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Sa Pa (Lào Cai) and Mộc Châu (Sơn La) post offices with today's waiting parcels, priced by the seeded table
    (checkout's fees: same province 18,000 + 4,000/kg, region 25,000 + 6,000, nationwide 35,000 + 9,000)."""
    clerk = make_user(full_name="Lý Thị Mai")
    sapa = post_office("BD-SAPA", LAO_CAI, name="Bưu điện Sa Pa", staff=[clerk])
    mocchau = post_office("BD-MOCCHAU", SON_LA, name="Bưu điện Mộc Châu")
    v = stock()
    shipments = {
        "sapa-hn-1": waiting_shipment(v, sapa, dest=HA_NOI, weight_g=1_000),
        "sapa-hn-2": waiting_shipment(v, sapa, dest=HA_NOI, weight_g=1_000, status="created", days_ago=1),
        "sapa-hn-3": waiting_shipment(v, sapa, dest=HA_NOI, weight_g=2_500),
        "sapa-local": waiting_shipment(v, sapa, dest=LAO_CAI, weight_g=1_000),
        "sapa-sonla": waiting_shipment(v, sapa, dest=SON_LA, weight_g=1_000),
        "mc-hn-1": waiting_shipment(v, mocchau, dest=HA_NOI, weight_g=1_000),
        "mc-hn-2": waiting_shipment(v, mocchau, dest=HA_NOI, weight_g=1_000),
    }
    # Not waiting at a post office today: left out of the plan.
    waiting_shipment(v, sapa, dest=HA_NOI, status="in_transit")
    waiting_shipment(v, sapa, dest=HA_NOI, status="at_post_office")  # arrived at the buyer's post office
    waiting_shipment(v, sapa, dest=HA_NOI, status="cancelled")
    waiting_shipment(v, sapa, dest=HA_NOI, carrier="ghn")
    waiting_shipment(v, None, dest=HA_NOI)
    waiting_shipment(v, sapa, dest=HA_NOI, days_ago=20)
    return {"sapa": sapa, "mocchau": mocchau, "clerk": clerk, "shipments": shipments, "variant": v}


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def test_known_shipments_give_known_consignments_and_savings(world) -> None:
    run = run_consolidation(day=_today())
    # Sa Pa → Hà Nội: 1 + 1 + 2.5 kg alone 35,000 + 35,000 + 53,000 = 123,000; pooled 4.5 kg: line haul
    # 17,000 + 4 × 5,000 = 37,000, last mile 18,000 + 18,000 + 26,000 = 62,000 → 99,000, saves 24,000.
    # Mộc Châu → Hà Nội: 2 × 1 kg, 70,000 alone; 17,000 + 5,000 + 2 × 18,000 = 58,000, saves 12,000.
    # Alone: Sa Pa → Lào Cai 18,000 and Sa Pa → Sơn La 25,000 (nobody to pool with).
    rows = {(c.post_office.code, c.hub_province_id): c for c in Consignment.objects.select_related("post_office")}
    assert set(rows) == {("BD-SAPA", HA_NOI), ("BD-MOCCHAU", HA_NOI)}
    sapa = rows[("BD-SAPA", HA_NOI)]
    assert (sapa.parcels, sapa.weight_g, sapa.cost_without, sapa.line_haul, sapa.last_mile, sapa.savings) == (
        3,
        4_500,
        123_000,
        37_000,
        62_000,
        24_000,
    )
    assert sapa.origin_province_id == LAO_CAI and sapa.cost_with == 99_000
    mc = rows[("BD-MOCCHAU", HA_NOI)]
    assert (mc.parcels, mc.cost_without, mc.cost_with, mc.savings) == (2, 70_000, 58_000, 12_000)
    assert (run.parcels, run.pooled_parcels, run.consignments, run.weight_g) == (7, 5, 2, 8_500)
    assert (run.cost_without, run.cost_with, run.savings) == (236_000, 200_000, 36_000)
    assert run.rate_table == RateTable.objects.get(is_active=True)
    s = world["shipments"]
    planned = {p.shipment_id: p for p in PlannedParcel.objects.all()}
    assert set(planned) == {x.pk for x in s.values()}
    assert planned[s["sapa-hn-3"].pk].consignment == sapa and planned[s["sapa-hn-3"].pk].own_price == 53_000
    assert planned[s["sapa-local"].pk].consignment is None and planned[s["sapa-local"].pk].own_price == 18_000
    assert planned[s["sapa-sonla"].pk].dest_province_id == SON_LA and planned[s["sapa-sonla"].pk].own_price == 25_000
    assert sum(p.own_price for p in planned.values() if p.consignment_id == sapa.pk) == sapa.cost_without


def test_a_re_run_replaces_the_days_run(world) -> None:
    first = run_consolidation(day=_today())
    again = run_consolidation(day=_today())
    assert ConsolidationRun.objects.get() == again and again.pk != first.pk
    assert (again.parcels, again.savings) == (7, 36_000)
    assert PlannedParcel.objects.count() == 7 and Consignment.objects.count() == 2
    Shipment.objects.filter(pk=world["shipments"]["mc-hn-2"].pk).update(status="in_transit")  # collected
    third = run_consolidation(day=_today())
    assert (third.parcels, third.consignments, third.savings) == (6, 1, 24_000)
    assert PlannedParcel.objects.count() == 6 and ConsolidationRun.objects.count() == 1


def test_each_day_has_its_own_run_and_a_day_sees_parcels_dropped_by_then(world) -> None:
    yesterday = run_consolidation(day=_today() - datetime.timedelta(days=1))
    assert yesterday.parcels == 1  # only the parcel dropped yesterday; today's drops did not exist yet
    run_consolidation(day=_today())
    assert ConsolidationRun.objects.count() == 2


def test_an_empty_day_is_stored_with_zeros(db) -> None:
    run = run_consolidation(day=datetime.date(2026, 1, 2))
    assert (run.parcels, run.consignments, run.cost_without, run.savings) == (0, 0, 0, 0)


def test_no_active_table_refuses_and_keeps_the_previous_run(world) -> None:
    run = run_consolidation(day=_today())
    RateTable.objects.update(is_active=False)
    with pytest.raises(DomainError, match="Chưa có bảng giá"):
        run_consolidation(day=_today())
    assert ConsolidationRun.objects.get() == run and PlannedParcel.objects.count() == 7


def test_report_scope_officer_sees_own_province_only(world) -> None:
    run_consolidation(day=_today())
    operator = reports.report_scope(make_user(role=Role.OPERATOR))
    both = reports.report_rows(scope=operator)
    assert [(r.province, r.totals.parcels, r.totals.savings) for r in both] == [
        (SON_LA, 2, 12_000),
        (LAO_CAI, 5, 24_000),
    ]
    assert reports.grand_total(both).savings == 36_000
    officer = make_user(role=Role.OFFICER, officer_province_id=SON_LA)
    scope = reports.report_scope(officer)
    mine = reports.report_rows(scope=scope, province=LAO_CAI)  # asking for another province: still their own
    assert [(r.province, r.totals.parcels) for r in mine] == [(SON_LA, 2)]
    assert [c.origin_province_id for c in reports.day_consignments(scope=scope, day=_today())] == [SON_LA]
    assert "Lào Cai" not in report_csv(rows=mine)
    for role in (Role.BUYER, Role.PRODUCER, Role.HELPER):
        with pytest.raises(NotAllowed):
            reports.report_scope(make_user(role=role))


def test_report_month_filter_and_bad_month(world) -> None:
    run_consolidation(day=_today())
    scope = reports.report_scope(make_user(role=Role.OPERATOR))
    month = f"{_today():%Y-%m}"
    assert reports.months() == [month]
    assert len(reports.report_rows(scope=scope, month=month)) == 2
    assert reports.report_rows(scope=scope, month="2001-01") == []
    for bad in ("2026-13", "12-2026", "x" * 500, "1999-12"):
        with pytest.raises(DomainError, match="Tháng không hợp lệ"):
            reports.report_rows(scope=scope, month=bad)


def test_post_office_sees_what_to_hand_to_the_line_haul(world) -> None:
    run_consolidation(day=_today())
    (office,) = reports.office_plan(user=world["clerk"], day=_today())
    assert office.point == world["sapa"] and office.alone == 2
    (c,) = office.consignments
    s = world["shipments"]
    assert c.consignment.hub_province_id == HA_NOI
    assert c.tracking_codes == sorted(s[k].tracking_code for k in ("sapa-hn-1", "sapa-hn-2", "sapa-hn-3"))
    with pytest.raises(NotAllowed):
        reports.office_plan(user=make_user(), day=_today())


def test_the_daily_job_runs_at_17_30_local_and_plans_today(world) -> None:
    assert consolidate_today.task_class().validate_datetime(
        datetime.datetime(2026, 12, 7, 10, 30)
    )  # UTC = 17:30 in Vietnam
    assert not consolidate_today.task_class().validate_datetime(datetime.datetime(2026, 12, 7, 17, 30))
    consolidate_today.call_local()
    run = ConsolidationRun.objects.get()
    assert run.day == _today() and run.savings == 36_000


def test_the_command_plans_a_day_and_explains_refusals(world, capsys) -> None:
    call_command("logistics", "consolidate", "--day", f"{_today():%Y-%m-%d}")
    assert "7 parcels, 5 pooled in 2 consignments" in capsys.readouterr().out
    assert ConsolidationRun.objects.get().savings == 36_000
    with pytest.raises(CommandError, match="not a date"):
        call_command("logistics", "consolidate", "--day", "2026-02-30")
    RateTable.objects.update(is_active=False)
    with pytest.raises(CommandError, match="Chưa có bảng giá") as error:
        call_command("logistics", "consolidate")
    assert error.value.returncode == 2


def test_parcels_taken_in_by_the_post_office_are_planned(db) -> None:
    """The real drop-off (fulfilment/shipments.py) leaves hub parcels "picked_up" at the shop's commune post
    office: exactly what the run pools."""
    from taybac.fulfilment.shipments import record_post_office_drop
    from taybac.orders.checkout import Contact, LineRequest, place_order
    from taybac.regions.services import create_address
    from tests.factories import make_product, make_shop
    from tests.logistics.consolidation_world import commune_in

    clerk = make_user(full_name="Lý Thị Mai")
    shop = make_shop(name="HTX Chè Suối Giàng", province_code=LAO_CAI)
    point = post_office("BD-SHOP", LAO_CAI, staff=[clerk])
    assert point.address.commune_id == shop.commune_id
    variant = make_product(shop=shop, quantity=50, weight_grams=800).variants.get()
    hanoi = commune_in(HA_NOI, 1)
    for _ in range(2):
        order = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 1)],
            contact=Contact("Trần Thị Lan", "0912345678"),
            payment_method="cod",
            delivery_address=create_address(province_code=HA_NOI, commune_code=hanoi.pk, street="12 Hàng Bạc"),
        )
        shipment = record_post_office_drop(actor=clerk, shop_order=order.shop_orders.get(), point=point)
        assert shipment.status == "picked_up" and shipment.origin_point == point
    run = run_consolidation(day=_today())
    assert (run.parcels, run.consignments, run.savings) == (2, 1, 12_000)  # 2 × 35,000 → 17,000 + 5,000 + 36,000
