import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from taybac.catalog.models import Variant
from taybac.orders.checkout import CheckoutError, Contact, LineRequest, place_order
from taybac.orders.lifecycle import TransitionError
from taybac.orders.models import Order, OrderLine, ShopOrder, Status
from taybac.orders.services import cancel_shop_order, expire_reservations
from taybac.orders.stock import OutOfStock
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop

BUYER = Contact(name="Trần Thị Lan", phone="0912 345 678")


@pytest.fixture
def address(db):
    return create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")  # Phường Hoàn Kiếm, Hà Nội


@pytest.fixture
def two_shops(db):
    honey = make_product(
        shop=make_shop(name="Hộ Giàng A Páo", province_code=15),
        name="Mật ong bạc hà",
        price=350_000,
        quantity=12,
        weight_grams=700,
    )
    tea = make_product(
        shop=make_shop(name="HTX Chè Suối Giàng", province_code=14),
        name="Chè Shan tuyết",
        category_slug="che",
        price=220_000,
        quantity=30,
        weight_grams=200,
    )
    return honey.variants.get(), tea.variants.get()


def order(address, lines, method="vietqr", key=None):
    return place_order(
        buyer=None, lines=lines, contact=BUYER, payment_method=method, delivery_address=address, idempotency_key=key
    )


def test_order_splits_per_shop_with_totals_and_shipping(address, two_shops):
    honey, tea = two_shops
    placed = order(address, [LineRequest(honey.pk, 2), LineRequest(tea.pk, 3)])
    shop_orders = list(placed.shop_orders.order_by("shop_id"))
    assert len(shop_orders) == 2 and placed.contact_phone == "+84912345678"
    first, second = shop_orders
    assert (first.items_total, first.shipping_fee) == (700_000, 35_000 + 9_000)  # Lào Cai → Hà Nội, 1.4 kg
    assert (second.items_total, second.shipping_fee) == (660_000, 35_000)  # 0.6 kg
    assert all(so.total == so.items_total + so.shipping_fee for so in shop_orders)
    assert all(so.status == Status.AWAITING_PAYMENT and so.reserved_until for so in shop_orders)
    assert len({placed.code, first.code, second.code}) == 3
    honey.refresh_from_db()
    tea.refresh_from_db()
    assert (honey.allocated, tea.allocated) == (2, 3)


def test_a_code_already_taken_is_drawn_again_not_a_failed_checkout(address, two_shops, monkeypatch):
    from taybac.orders import checkout

    honey, tea = two_shops
    first = order(address, [LineRequest(honey.pk, 1), LineRequest(tea.pk, 1)])
    taken = [first.code, *first.shop_orders.values_list("code", flat=True)]
    draws = iter([*taken, taken[0], "TBAAAAAAAA", "TBCCCCCCCC", "TBDDDDDDDD"])  # every old code, then fresh ones
    monkeypatch.setattr(checkout, "new_code", lambda: next(draws))
    second = order(address, [LineRequest(honey.pk, 1), LineRequest(tea.pk, 1)])
    codes = {second.code, *second.shop_orders.values_list("code", flat=True)}
    assert codes == {"TBAAAAAAAA", "TBCCCCCCCC", "TBDDDDDDDD"} and not codes & set(taken)


def test_cod_is_confirmed_without_prepayment(address, two_shops):
    placed = order(address, [LineRequest(two_shops[0].pk, 1)], method="cod")
    shop_order = placed.shop_orders.get()
    assert shop_order.status == Status.CONFIRMED and shop_order.reserved_until is None


def test_idempotency_key_returns_the_same_order(address, two_shops):
    first = order(address, [LineRequest(two_shops[0].pk, 1)], key="abc-123")
    again = order(address, [LineRequest(two_shops[0].pk, 1)], key="abc-123")
    assert first.pk == again.pk and Order.objects.count() == 1
    two_shops[0].refresh_from_db()
    assert two_shops[0].allocated == 1


def test_out_of_stock_rolls_everything_back(address, two_shops):
    honey, tea = two_shops
    with pytest.raises(OutOfStock, match="không còn đủ"):
        order(address, [LineRequest(tea.pk, 3), LineRequest(honey.pk, 13)])
    honey.refresh_from_db()
    tea.refresh_from_db()
    assert (honey.allocated, tea.allocated) == (0, 0)
    assert not Order.objects.exists() and not OrderLine.objects.exists()


@pytest.mark.parametrize(
    "lines, field",
    [
        ([], "lines"),
        ([LineRequest(1, 0)], "lines"),
        ([LineRequest(1, 1000)], "lines"),
        ([LineRequest(999999, 1)], "lines"),
    ],
)
def test_bad_carts_refused(address, two_shops, lines, field):
    with pytest.raises(CheckoutError) as info:
        order(address, lines)
    assert info.value.field == field


def test_delivery_or_pickup_required_and_phone_checked(address, two_shops):
    line = [LineRequest(two_shops[0].pk, 1)]
    with pytest.raises(CheckoutError, match="bưu điện"):
        place_order(buyer=None, lines=line, contact=BUYER, payment_method="cod")
    from taybac.accounts.phone import PhoneError

    with pytest.raises(PhoneError):
        place_order(
            buyer=None,
            lines=line,
            contact=Contact("Lan", "01231234567"),
            payment_method="cod",
            delivery_address=address,
        )


def test_cancellation_returns_stock_once(address, two_shops):
    placed = order(address, [LineRequest(two_shops[0].pk, 5)])
    shop_order = placed.shop_orders.get()
    cancel_shop_order(shop_order=shop_order, actor=None, reason="đổi ý")
    two_shops[0].refresh_from_db()
    assert two_shops[0].allocated == 0
    with pytest.raises(TransitionError):
        cancel_shop_order(shop_order=shop_order, actor=None)
    two_shops[0].refresh_from_db()
    assert two_shops[0].allocated == 0


def test_unpaid_reservations_expire_and_return_stock(address, two_shops):
    placed = order(address, [LineRequest(two_shops[0].pk, 4)])
    cod = order(address, [LineRequest(two_shops[0].pk, 1)], method="cod")
    assert expire_reservations(now=timezone.now()) == 0
    assert expire_reservations(now=timezone.now() + timedelta(hours=2)) == 1
    assert placed.shop_orders.get().status == Status.CANCELLED
    assert cod.shop_orders.get().status == Status.CONFIRMED
    two_shops[0].refresh_from_db()
    assert two_shops[0].allocated == 1


def test_inactive_variant_cannot_be_bought(address, two_shops):
    Variant.objects.filter(pk=two_shops[0].pk).update(is_active=False)
    with pytest.raises(CheckoutError, match="không còn bán"):
        order(address, [LineRequest(two_shops[0].pk, 1)])


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_ten_units_make_exactly_ten_orders():
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    product = make_product(name="Mật ong bạc hà", quantity=10)
    variant = product.variants.get()
    results: list[str] = []
    barrier = threading.Barrier(50)

    def buy(i: int) -> None:
        try:
            barrier.wait()
            order(address, [LineRequest(variant.pk, 1)], key=f"buyer-{i}")
            results.append("ok")
        except OutOfStock:
            results.append("out")
        except Exception as error:  # anything else (e.g. a connection limit) must show in the assertion
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    variant.refresh_from_db()
    assert sorted(results) == ["ok"] * 10 + ["out"] * 40
    assert (variant.quantity, variant.allocated, variant.available) == (10, 10, 0)
    assert ShopOrder.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_racing_itself_makes_one_order():
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    variant = make_product(name="Mật ong bạc hà", quantity=10).variants.get()
    placed: list[int] = []
    barrier = threading.Barrier(8)

    def tap() -> None:
        try:
            barrier.wait()
            placed.append(order(address, [LineRequest(variant.pk, 2)], key="same-tap").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    variant.refresh_from_db()
    assert len(placed) == 8 and len(set(placed)) == 1
    assert Order.objects.count() == 1 and variant.allocated == 2


def test_expire_command(address, two_shops, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.TAYBAC_RESERVATION_MINUTES = -1  # already past its hold when placed
    order(address, [LineRequest(two_shops[0].pk, 2)])
    out = StringIO()
    call_command("expire_reservations", stdout=out)
    assert out.getvalue().strip() == "1 shop order(s) expired."
    two_shops[0].refresh_from_db()
    assert two_shops[0].allocated == 0
