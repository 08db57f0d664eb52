"""Harvest sales windows: quota (also under concurrent pre-orders), closing, harvest with shortfall, refunds,
substitutes and the ledger."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from taybac.accounts.selectors import NotAllowed
from taybac.campaigns import window_harvest, window_services
from taybac.campaigns.window_models import SalesWindow, WindowPreorder
from taybac.campaigns.window_selectors import close_expired
from taybac.core.models import OutboxMessage
from taybac.orders.models import ShopOrder, Status
from taybac.orders.services import expire_reservations
from taybac.payments.models import LedgerEntry, Refund
from taybac.payments.providers.base import BankTransfer
from taybac.payments.reconciliation import record_transfer
from tests.campaigns.window_world import window_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def buy(world, quantity, *, phone="0912345678", method="cod", key=None):
    return window_services.preorder(
        buyer=None, window=world.window, quantity=quantity, name="Trần Thị Lan", phone=phone,
        payment_method=method, pickup_point=world.point.code, idempotency_key=key,
        session_key=f"s-{phone}",
    )  # fmt: skip


def pay(shop_order, amount, tx):
    record_transfer(
        transfer=BankTransfer(
            provider="test", transaction_id=tx, account_number="1", amount=amount, direction="in",
            memo=f"TT {shop_order.order.code}", occurred_at=timezone.now(),
        )
    )  # fmt: skip


def test_preorder_is_placed_at_the_window_price_and_the_window_closes_at_quota():
    world = window_world(quota=3)
    first = buy(world, 2)
    line = first.shop_order.lines.get()
    assert (line.unit_price, line.quantity, first.shop_order.status) == (50_000, 2, Status.CONFIRMED)
    with pytest.raises(window_services.WindowError, match="Chỉ còn 1 suất"):
        buy(world, 2, phone="0912345679")
    buy(world, 1, phone="0912345679")
    world.window.refresh_from_db()
    assert (world.window.reserved, world.window.status) == (3, SalesWindow.Status.CLOSED)
    with pytest.raises(window_services.WindowError, match="đã đóng"):
        buy(world, 1, phone="0912345670")


def test_a_replayed_preorder_takes_no_more_units():
    world = window_world(quota=5)
    first = buy(world, 2, key="tap-1")
    again = buy(world, 2, key="tap-1")
    world.window.refresh_from_db()
    assert again.pk == first.pk and world.window.reserved == 2


def test_window_past_its_closing_time_closes_and_refuses():
    world = window_world()
    SalesWindow.objects.filter(pk=world.window.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(window_services.WindowError, match="đã đóng"):
        buy(world, 1)
    assert close_expired() == 1


def test_only_the_producer_or_a_helper_may_open_and_confirm():
    world = window_world()
    stranger = make_user()
    with pytest.raises(NotAllowed):
        window_harvest.confirm_harvest(actor=stranger, window=world.window, harvested_quantity=1)
    with pytest.raises(NotAllowed):
        window_services.cancel_window(actor=stranger, window=world.window)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quota": 0}, "Số suất"),
        ({"quota": 1_000_001}, "Số suất"),
        ({"price": 60_001}, "Giá đặt trước"),
        ({"price": 0}, "Giá đặt trước"),
        ({"delivery_week": datetime.date.today()}, "Tuần giao"),
        ({"payment": "deposit", "deposit_percent": 5}, "cọc"),
    ],
)
def test_opening_is_bounded(changes, message):
    world = window_world()
    now = timezone.now()
    fields = {
        "title": "Vụ mới", "opens_at": now, "closes_at": now + datetime.timedelta(days=10), "quota": 5,
        "price": 40_000, "payment": "full", "deposit_percent": 100,
        "delivery_week": datetime.date.today() + datetime.timedelta(days=30),
    } | changes  # fmt: skip
    with pytest.raises(window_services.WindowError, match=message):
        window_services.open_window(actor=world.owner, shop=world.shop, variant_id=world.plum.pk, **fields)


def test_harvest_fills_first_come_first_served_and_short_buyers_choose():
    world = window_world(quota=10)
    early = buy(world, 3, phone="0912000001", method="vietqr")
    middle = buy(world, 3, phone="0912000002", method="vietqr")
    late = buy(world, 2, phone="0912000003", method="vietqr")
    for i, p in enumerate((early, middle, late)):
        pay(p.shop_order, p.shop_order.total, f"tx-{i}")
    window_harvest.confirm_harvest(actor=world.owner, window=world.window, harvested_quantity=4)
    again = window_harvest.confirm_harvest(actor=world.owner, window=world.window, harvested_quantity=4)
    assert again.status == SalesWindow.Status.HARVESTED
    early.refresh_from_db(), middle.refresh_from_db(), late.refresh_from_db()
    assert (early.outcome, early.filled_quantity) == (WindowPreorder.Outcome.FILLED, 3)
    assert (middle.outcome, middle.filled_quantity, late.filled_quantity) == ("waiting", 1, 0)
    assert OutboxMessage.objects.filter(recipient="+84912000002", body__contains="/dat-truoc/chon/").count() == 1
    with pytest.raises(window_harvest.WindowError, match="Đã xác nhận"):
        window_harvest.confirm_harvest(actor=world.owner, window=world.window, harvested_quantity=5)

    # the middle buyer takes a refund of the 2 missing units: 100.000 đ back, the shop's credit reduced
    token = window_harvest.choice_token(preorder=middle)
    chosen = window_harvest.choose(preorder=window_harvest.preorder_for_token(token=token), refund=True)
    window_harvest.choose(preorder=chosen, refund=True)  # a second submit changes nothing
    so = ShopOrder.objects.get(pk=middle.shop_order_id)
    assert chosen.outcome == WindowPreorder.Outcome.PARTLY
    assert so.lines.get().quantity == 1 and so.items_total == 50_000
    assert list(Refund.objects.filter(shop_order=so).values_list("amount", flat=True)) == [100_000]
    ledger = LedgerEntry.objects.filter(shop_order=so).values_list("kind", "amount")
    # the tax withheld on the paid 150.000 đ (1 % + 0.5 %) is offset and withheld again on the 50.000 đ kept
    assert sorted(ledger) == [("refund", -100_000), ("sale", 150_000), ("tax", -2_250), ("tax", -750), ("tax", 2_250)]

    # the late buyer takes 2 jars of tea instead (50.000 đ each, the window price): nothing to refund
    late_choice = window_harvest.choose(preorder=late, refund=False, substitute_id=world.tea.pk)
    so = ShopOrder.objects.get(pk=late.shop_order_id)
    assert late_choice.outcome == WindowPreorder.Outcome.SUBSTITUTED
    assert [(ln.variant_id, ln.quantity) for ln in so.lines.all()] == [(world.tea.pk, 2)]
    assert so.items_total == 100_000 and not Refund.objects.filter(shop_order=so).exists()
    world.tea.refresh_from_db()
    assert world.tea.allocated == 2


def test_short_buyer_with_nothing_filled_is_cancelled_and_refunded_in_the_ledger():
    world = window_world(quota=5)
    only = buy(world, 2, method="vietqr")
    pay(only.shop_order, only.shop_order.total, "tx-only")
    window_harvest.confirm_harvest(actor=world.owner, window=world.window, harvested_quantity=0)
    done = window_harvest.choose(preorder=only, refund=True)
    so = ShopOrder.objects.get(pk=only.shop_order_id)
    assert (done.outcome, so.status) == (WindowPreorder.Outcome.REFUNDED, Status.CANCELLED)
    assert Refund.objects.get(shop_order=so).amount == so.total
    assert LedgerEntry.objects.filter(shop_order=so, kind="refund").get().amount == -so.items_total
    world.plum.refresh_from_db()
    assert world.plum.harvest_allocated == 0


def test_deposit_window_asks_the_deposit_then_cancels_unpaid_ones_at_harvest():
    world = window_world(quota=10, payment="deposit", deposit_percent=30)
    with pytest.raises(window_services.WindowError, match="VietQR"):
        buy(world, 1)
    paid = buy(world, 3, phone="0912000001", method="vietqr")
    unpaid = buy(world, 1, phone="0912000002", method="vietqr")
    assert paid.deposit == 45_000 and paid.shop_order.reserved_until is None
    pay(paid.shop_order, 45_000, "tx-deposit")
    window_harvest.confirm_harvest(actor=world.owner, window=world.window, harvested_quantity=10)
    paid.refresh_from_db(), unpaid.refresh_from_db()
    assert paid.outcome == WindowPreorder.Outcome.FILLED
    assert ShopOrder.objects.get(pk=paid.shop_order_id).status == Status.AWAITING_PAYMENT
    assert unpaid.outcome == WindowPreorder.Outcome.CANCELLED
    assert ShopOrder.objects.get(pk=unpaid.shop_order_id).status == Status.CANCELLED


def test_cancelling_a_window_refunds_everyone_who_paid():
    world = window_world(quota=5)
    one = buy(world, 2, method="vietqr")
    pay(one.shop_order, one.shop_order.total, "tx-c")
    window_services.cancel_window(actor=world.owner, window=world.window, reason="Mất mùa")
    one.refresh_from_db()
    assert one.outcome == WindowPreorder.Outcome.CANCELLED
    assert Refund.objects.get(shop_order_id=one.shop_order_id).amount == one.shop_order.total


def test_an_unpaid_preorder_past_its_hold_gives_its_units_back_to_the_window():
    world = window_world(quota=3)
    unpaid = buy(world, 3, method="vietqr")
    world.window.refresh_from_db()
    assert world.window.reserved == 3
    with pytest.raises(window_services.WindowError, match="hết suất|đã đóng"):
        buy(world, 1, phone="0912000009")
    expire_reservations(now=timezone.now() + datetime.timedelta(days=1))  # the checkout's expiry job
    assert ShopOrder.objects.get(pk=unpaid.shop_order_id).status == Status.CANCELLED
    assert window_harvest.release_lapsed() == 1
    assert window_harvest.release_lapsed() == 0  # settled once
    unpaid.refresh_from_db(), world.window.refresh_from_db()
    assert unpaid.outcome == WindowPreorder.Outcome.CANCELLED and world.window.reserved == 0
    assert not Refund.objects.filter(shop_order_id=unpaid.shop_order_id).exists()  # nothing was paid


def test_the_producer_cancels_one_preorder_and_its_buyer_is_refunded():
    world = window_world(quota=5)
    one = buy(world, 2, method="vietqr")
    pay(one.shop_order, one.shop_order.total, "tx-one")
    stranger = make_user()
    with pytest.raises(NotAllowed):
        window_services.cancel_preorder(actor=stranger, preorder=one)
    window_services.cancel_preorder(actor=world.owner, preorder=one)
    one.refresh_from_db(), world.window.refresh_from_db()
    assert one.outcome == WindowPreorder.Outcome.CANCELLED and world.window.reserved == 0
    assert Refund.objects.get(shop_order_id=one.shop_order_id).amount == one.shop_order.total
    with pytest.raises(window_services.WindowError, match="đã được xử lý"):
        window_services.cancel_preorder(actor=world.owner, preorder=one)
    assert Refund.objects.filter(shop_order_id=one.shop_order_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_preorders_never_exceed_the_quota():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    world = window_world(quota=7)
    results: list[str] = []
    barrier = threading.Barrier(12)

    def one(i: int) -> None:
        try:
            barrier.wait()
            buy(world, 1, phone=f"09120000{i:02d}")
            results.append("ok")
        except window_services.WindowError:
            results.append("full")
        except Exception as error:  # anything else must show in the assertion
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    world.window.refresh_from_db()
    assert sorted(results) == ["full"] * 5 + ["ok"] * 7
    assert (world.window.reserved, world.window.status) == (7, SalesWindow.Status.CLOSED)
    assert WindowPreorder.objects.count() == 7


def test_a_variant_cheaper_than_the_window_sells_at_its_own_price():
    world = window_world()
    from taybac.catalog.models import Variant

    Variant.objects.filter(pk=world.plum.pk).update(price=45_000)
    world.window.refresh_from_db()
    made = buy(world, 2)
    assert made.shop_order.lines.get().unit_price == 45_000
