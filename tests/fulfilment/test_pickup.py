"""Post-office staff receive parcels and hand them to buyers: only at their own pickup point, once, with one
trace event at the office's GLN, one SMS to the buyer, and the delivery going through the state machine."""

from __future__ import annotations

import pytest

from taybac.accounts.selectors import NotAllowed
from taybac.core.models import AuditEntry
from taybac.fulfilment.pickup import (
    AT_PICKUP,
    PickupError,
    hand_over_at_pickup_point,
    receive_at_pickup_point,
    was_received,
)
from taybac.fulfilment.selectors import search_code
from taybac.fulfilment.services import FulfilmentError, deliver_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import ShopOrder, Status
from taybac.traceability.models import TraceEvent
from taybac.traceability.order_lots import lots_of
from tests.factories import make_user
from tests.fulfilment.parcels import make_point, shipped_order
from tests.orders.test_notifications import Outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings):
    Outbox.sent = []
    settings.TAYBAC_SMS_SENDER = "tests.orders.test_notifications.Outbox"
    return Outbox.sent


@pytest.fixture
def clerk():
    return make_user(full_name="Lò Thị Nga")


@pytest.fixture
def point(clerk):
    return make_point(staff=[clerk])


def test_receiving_logs_the_lot_at_the_post_office_audits_and_tells_the_buyer(
    clerk, point, outbox, mailoutbox, django_capture_on_commit_callbacks
):
    shop_order = shipped_order(point)
    order = shop_order.order
    order.contact_email = "lan@example.vn"
    order.save(update_fields=["contact_email"])
    [lot] = lots_of(shop_order).values()
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        received = receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    assert received.status == Status.SHIPPED and was_received(shop_order=received)  # arrival is not a status change
    event = lot.events.get(biz_step="receiving")
    doc = event.document
    assert doc["bizLocation"] == {"id": f"https://id.gs1.org/414/{point.location.gln}"}
    assert doc["disposition"] == "in_progress" and doc["quantityList"][0]["quantity"] == 2
    assert doc["bizTransactionList"] == [{"type": "po", "bizTransaction": f"urn:taybac:order:{shop_order.code}"}]
    assert event.recorded_by == clerk and point.location.gln != shop_order.shop.location.gln
    entry = AuditEntry.objects.get(action=AT_PICKUP)
    assert (entry.actor, entry.target_id, entry.detail["pickup_point"]) == (clerk, str(shop_order.pk), "BD-70")
    assert entry.detail["events"] == [event.event_id]
    [(phone, sms)] = outbox
    assert phone == "+84912345678" and sms.isascii() and len(sms) <= 160
    assert "TB-" in sms and shop_order.code[2:6] in sms and "Buu dien phuong Hang Bac" in sms and "tra " not in sms
    mail = mailoutbox[-1]
    assert mail.to == ["lan@example.vn"] and "Bưu điện phường Hàng Bạc" in mail.subject
    assert "1 Hàng Bạc" in mail.body and "7:00–17:00" in mail.body and "tiền mặt" not in mail.body


def test_a_double_tap_records_and_sends_nothing_more(clerk, point, outbox, django_capture_on_commit_callbacks):
    shop_order = shipped_order(point)
    with django_capture_on_commit_callbacks(execute=True):
        receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    events, entries, sent = TraceEvent.objects.count(), AuditEntry.objects.count(), len(outbox)
    other_clerk = make_user()
    point.staff.add(other_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        receive_at_pickup_point(actor=clerk, shop_order=shop_order)
        receive_at_pickup_point(actor=other_clerk, shop_order=shop_order)  # a colleague taps too
    assert (TraceEvent.objects.count(), AuditEntry.objects.count(), len(outbox)) == (events, entries, sent)


def test_cod_buyers_are_told_how_much_to_bring(clerk, point, outbox, django_capture_on_commit_callbacks):
    shop_order = shipped_order(point, payment_method="cod")
    with django_capture_on_commit_callbacks(execute=True):
        receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    sms = outbox[-1][1]
    assert sms.isascii() and f"tra {shop_order.total:,}d".replace(",", ".") in sms and len(sms) <= 160


def test_only_staff_of_the_orders_own_post_office(clerk, point):
    shop_order = shipped_order(point)
    elsewhere = make_user()
    make_point(code="BD-OTHER", name="Bưu điện xã khác", staff=[elsewhere])
    seller = shop_order.shop.producer.owner
    for actor in (elsewhere, seller, make_user()):
        with pytest.raises(NotAllowed):
            receive_at_pickup_point(actor=actor, shop_order=shop_order)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        receive_at_pickup_point(actor=AnonymousUser(), shop_order=shop_order)
    home_delivery = shipped_order(None, shop=shop_order.shop)
    with pytest.raises(NotAllowed):
        receive_at_pickup_point(actor=clerk, shop_order=home_delivery)
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    with pytest.raises(NotAllowed):
        hand_over_at_pickup_point(actor=elsewhere, shop_order=shop_order)
    assert AuditEntry.objects.filter(action=AT_PICKUP).count() == 1
    assert ShopOrder.objects.get(pk=shop_order.pk).status == Status.SHIPPED


def test_state_checks(clerk, point):
    shop_order = shipped_order(point)
    with pytest.raises(PickupError, match="chưa được ghi nhận đến bưu điện"):
        hand_over_at_pickup_point(actor=clerk, shop_order=shop_order)
    variant = shop_order.lines.get().variant
    packed = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        pickup_point=point.code,
    ).shop_orders.get()
    advance(shop_order=packed, to=Status.PACKED, actor=packed.shop.producer.owner)
    with pytest.raises(PickupError, match="chưa được người bán gửi đi"):
        receive_at_pickup_point(actor=clerk, shop_order=packed)
    deliver_shop_order(actor=shop_order.shop.producer.owner, shop_order=shop_order)  # the seller did it
    with pytest.raises(PickupError, match="đã giao cho người mua"):
        receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    assert not AuditEntry.objects.filter(action=AT_PICKUP).exists()
    assert not TraceEvent.objects.filter(biz_step="receiving").exists()


def test_hand_over_records_the_delivery_once(clerk, point):
    shop_order = shipped_order(point)
    [lot] = lots_of(shop_order).values()
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    delivered = hand_over_at_pickup_point(actor=clerk, shop_order=shop_order)
    assert delivered.status == Status.DELIVERED == ShopOrder.objects.get(pk=shop_order.pk).status
    steps = list(lot.events.order_by("leaf_index").values_list("biz_step", flat=True))
    assert steps == ["commissioning", "shipping", "receiving", "retail_selling"]
    entry = AuditEntry.objects.get(action="shop_order.delivered")
    assert entry.actor == clerk and entry.detail == {"from": "shipped", "note": "Giao tại BD-70"}
    hand_over_at_pickup_point(actor=clerk, shop_order=shop_order)  # double tap
    assert lot.events.count() == 4 and AuditEntry.objects.filter(action="shop_order.delivered").count() == 1


def test_cash_on_delivery_is_collected_at_the_counter(clerk, point):
    from taybac.payments.models import LedgerEntry, Payment

    shop_order = shipped_order(point, payment_method="cod")
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    with pytest.raises(FulfilmentError, match="số tiền đã thu"):
        hand_over_at_pickup_point(actor=clerk, shop_order=shop_order)
    hand_over_at_pickup_point(actor=clerk, shop_order=shop_order, cash_collected=shop_order.total)
    hand_over_at_pickup_point(actor=clerk, shop_order=shop_order, cash_collected=shop_order.total)
    payment = Payment.objects.get()
    assert (payment.method, payment.amount, payment.recorded_by) == ("cash", shop_order.total, clerk)
    assert LedgerEntry.objects.get(kind=LedgerEntry.Kind.SALE).amount == shop_order.items_total
    assert ShopOrder.objects.get(pk=shop_order.pk).status == Status.DELIVERED


def test_lines_without_a_lot_are_received_without_a_trace_event(
    clerk, point, outbox, django_capture_on_commit_callbacks
):
    shop_order = shipped_order(point, with_lot=False)
    with django_capture_on_commit_callbacks(execute=True):
        receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    assert not TraceEvent.objects.filter(biz_step="receiving").exists()
    assert AuditEntry.objects.get(action=AT_PICKUP).detail["events"] == [] and len(outbox) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("TB-ACDE-3479", "TBACDE3479"),
        ("tbacde3479", "TBACDE3479"),
        (" acde 3479 ", "ACDE3479"),
        ("3479", "3479"),
        ("tb-a", None),
        ("", None),
        ("Đơn ²", None),
        ("x" * 100, "X" * 20),
    ],
)
def test_search_code_accepts_codes_as_people_type_them(raw, expected):
    assert search_code(raw) == expected
