"""The seller's steps as services (taybac.fulfilment.services): each one transaction over orders, payments and
traceability, so a refusal at any step leaves nothing half-done — no status without its trace event, no lots or
cash kept for an order that did not move — and each checks who may take it."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation
from taybac.catalog.gtin import check_digit
from taybac.catalog.models import Variant
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from taybac.fulfilment.pickup import receive_at_pickup_point
from taybac.fulfilment.services import (
    FulfilmentError,
    cancel_shop_order,
    deliver_shop_order,
    pack_shop_order,
    ship_shop_order,
)
from taybac.orders.lifecycle import TransitionError
from taybac.orders.models import ShopOrder, Status
from taybac.payments.models import LedgerEntry, Payment
from taybac.traceability import log
from taybac.traceability.models import TraceEvent
from taybac.traceability.order_lots import lots_of
from taybac.traceability.services import TraceError, record_harvest
from tests.factories import make_product, make_user
from tests.fulfilment.parcels import harvest_for, make_point, placed_order, shipped_order
from tests.traceability.test_log_rollback import roll_back

pytestmark = pytest.mark.django_db


def _state(shop_order: ShopOrder) -> tuple:
    """Everything a step may write: status, lots on the lines, stock, cash, ledger, trace events, audit."""
    current = ShopOrder.objects.get(pk=shop_order.pk)
    variant = Variant.objects.get(pk=current.lines.get().variant_id)
    return (
        current.status,
        {line: lot.pk for line, lot in lots_of(current).items()},
        variant.quantity,
        variant.allocated,
        Payment.objects.count(),
        LedgerEntry.objects.count(),
        TraceEvent.objects.count(),
        sorted(AuditEntry.objects.values_list("action", flat=True)),
    )


def _packed(**placed) -> ShopOrder:
    shop_order = placed_order(None, **placed)
    return pack_shop_order(actor=shop_order.shop.producer.owner, shop_order=shop_order)


def test_shipping_names_the_lots_and_delivery_sells_them(django_capture_on_commit_callbacks):
    clerk = make_user()
    point = make_point(staff=[clerk])
    shop_order = placed_order(point, payment_method="cod")
    owner, lot = shop_order.shop.producer.owner, harvest_for(shop_order)
    line = shop_order.lines.get()
    pack_shop_order(actor=owner, shop_order=shop_order)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        shipped = ship_shop_order(actor=owner, shop_order=shop_order, lots={line.pk: lot.pk})
    assert shipped.status == Status.SHIPPED and len(sent) >= 1  # the buyer is told once it commits
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    delivered = deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    assert delivered.status == Status.DELIVERED
    steps = [
        (e["bizStep"], e.get("bizLocation", {}).get("id"), e["quantityList"][0]["quantity"])
        for e in (ev.document for ev in lot.events.order_by("leaf_index"))
    ]
    shop_gln, post_gln = shop_order.shop.location.gln, point.location.gln
    assert steps == [
        ("commissioning", f"https://id.gs1.org/414/{shop_gln}", 40),
        ("shipping", f"https://id.gs1.org/414/{shop_gln}", 2),
        ("receiving", f"https://id.gs1.org/414/{post_gln}", 2),
        ("retail_selling", None, 2),
    ]
    shipping = lot.events.get(biz_step="shipping")
    assert "uom" not in shipping.document["quantityList"][0]  # two packs of the variant, not "2 kg" of the harvest
    assert shipping.document["bizTransactionList"] == [
        {"type": "po", "bizTransaction": f"urn:taybac:order:{shop_order.code}"}
    ]
    assert shipping.recorded_by == owner and shipping.on_behalf_of == shop_order.shop.producer
    assert len(shop_gln) == len(post_gln) == 13 and shop_gln != post_gln
    assert all(check_digit(gln[:-1]) == int(gln[-1]) for gln in (shop_gln, post_gln))
    payment = Payment.objects.get()
    assert (payment.method, payment.amount, payment.recorded_by) == ("cash", shop_order.total, owner)
    assert LedgerEntry.objects.get(kind=LedgerEntry.Kind.SALE).amount == shop_order.items_total


def test_lines_without_a_lot_move_without_a_trace_event():
    shop_order = _packed()
    owner = shop_order.shop.producer.owner
    before = log.size()
    ship_shop_order(actor=owner, shop_order=shop_order)
    deliver_shop_order(actor=owner, shop_order=shop_order)
    assert ShopOrder.objects.get(pk=shop_order.pk).status == Status.DELIVERED and log.size() == before


def test_a_helper_acts_for_the_producer_and_strangers_are_refused():
    shop_order = _packed()
    producer = shop_order.shop.producer
    helper = make_user(role="helper")
    grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner)
    stranger, other_seller = make_user(), make_product(name="Chè khác").shop.producer.owner
    before = _state(shop_order)
    for actor in (stranger, other_seller):
        for step in (ship_shop_order, deliver_shop_order, cancel_shop_order, pack_shop_order):
            with pytest.raises(NotAllowed):
                step(actor=actor, shop_order=shop_order)
    assert _state(shop_order) == before
    ship_shop_order(actor=helper, shop_order=shop_order, lots={shop_order.lines.get().pk: None})
    entry = AuditEntry.objects.get(action="shop_order.shipped")
    assert (entry.actor, entry.on_behalf_of) == (helper, producer.owner)


def test_a_refused_lot_ships_nothing():
    """The seller picks a lot of another product: the order stays packed, its stock on the shelf, no event."""
    shop_order = _packed()
    owner = shop_order.shop.producer.owner
    other_variant = make_product(shop=shop_order.shop, name="Chè xanh", category_slug="che").variants.get()
    wrong = record_harvest(actor=owner, variant=other_variant, harvested_on=datetime.date.today(), quantity=5)
    line, right = shop_order.lines.get(), harvest_for(shop_order)
    before = _state(shop_order)
    for lots in ({line.pk: wrong.pk}, {line.pk: 999_999}, {line.pk + 1000: right.pk}):
        with pytest.raises(TraceError):
            ship_shop_order(actor=owner, shop_order=shop_order, lots=lots)
    assert _state(shop_order) == before and before[0] == Status.PACKED


def test_a_refused_status_change_keeps_no_lots():
    """Lots chosen for an order not packed yet: assigning them succeeds, the move to shipped is refused, and the
    lots are not kept either."""
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    lot = harvest_for(shop_order)
    before = _state(shop_order)
    with pytest.raises(TransitionError):
        ship_shop_order(actor=owner, shop_order=shop_order, lots={shop_order.lines.get().pk: lot.pk})
    assert _state(shop_order) == before and before[0] == Status.CONFIRMED and before[1] == {}


def test_a_log_that_refuses_the_shipping_event_leaves_the_order_packed(django_capture_on_commit_callbacks):
    """The last step fails (the trace log is behind its signed checkpoint): lots, status, stock and the shipped
    SMS all go with it."""
    shop_order = _packed()
    owner = shop_order.shop.producer.owner
    with django_capture_on_commit_callbacks(execute=True):
        lot = harvest_for(shop_order)
    with django_capture_on_commit_callbacks(execute=True):
        harvest_for(shop_order)
    roll_back(log.size() - 1)  # an intruder removed the newest leaf: the hub refuses to append
    before = _state(shop_order)
    with django_capture_on_commit_callbacks(execute=True) as sent, pytest.raises(log.LogRollbackError):
        ship_shop_order(actor=owner, shop_order=shop_order, lots={shop_order.lines.get().pk: lot.pk})
    assert _state(shop_order) == before and before[0] == Status.PACKED and not sent


def test_cash_on_delivery_refused_at_any_step_records_no_cash(django_capture_on_commit_callbacks):
    shop_order = _packed(payment_method="cod")
    owner = shop_order.shop.producer.owner
    with pytest.raises(TransitionError):  # not shipped yet
        deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    with django_capture_on_commit_callbacks(execute=True):
        lot = harvest_for(shop_order)
        ship_shop_order(actor=owner, shop_order=shop_order, lots={shop_order.lines.get().pk: lot.pk})
    before = _state(shop_order)
    with pytest.raises(FulfilmentError, match="số tiền đã thu"):
        deliver_shop_order(actor=owner, shop_order=shop_order)
    for amount in (0, -5, 10 * shop_order.total + 1, True):
        with pytest.raises(DomainError):
            deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=amount)
    assert _state(shop_order) == before and before[0] == Status.SHIPPED and before[4:6] == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        harvest_for(shop_order)
    roll_back(log.size() - 1)
    before = _state(shop_order)
    with pytest.raises(log.LogRollbackError):  # the delivery event is refused after the cash was recorded
        deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    assert _state(shop_order) == before


def test_a_second_delivery_counts_the_cash_once():
    shop_order = shipped_order(None, payment_method="cod", with_lot=False)
    owner = shop_order.shop.producer.owner
    deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    with pytest.raises(TransitionError):
        deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    assert Payment.objects.count() == 1 and LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE).count() == 1


def test_cancelling_returns_the_stock_and_is_audited_for_the_owner():
    shop_order = placed_order(None, quantity=3)
    variant = Variant.objects.get(pk=shop_order.lines.get().variant_id)
    assert variant.allocated == 3
    cancelled = cancel_shop_order(actor=shop_order.shop.producer.owner, shop_order=shop_order, reason="Hết hàng")
    variant.refresh_from_db()
    assert cancelled.status == Status.CANCELLED and variant.allocated == 0
    entry = AuditEntry.objects.get(action="shop_order.cancelled")
    assert entry.detail == {"from": "confirmed", "note": "Hết hàng"}
    with pytest.raises(TransitionError), transaction.atomic():
        pack_shop_order(actor=shop_order.shop.producer.owner, shop_order=shop_order)
