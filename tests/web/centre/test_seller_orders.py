import pytest

from taybac.core.models import AuditEntry
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Status
from taybac.regions.services import create_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def cod_order(world):
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    order = place_order(
        buyer=None,
        lines=[LineRequest(world["honey_product"].variants.get().pk, 2)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method="cod",
        delivery_address=address,
    )
    return order.shop_orders.get()


def test_helper_packs_and_ships_for_the_producer(client, world, cod_order):
    client.force_login(world["helper"])
    page = client.get("/ban-hang/don-hang/").content.decode()
    assert cod_order.code[2:6] in page and "Trần Thị Lan" in page and "Đã đóng gói" in page
    client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "packed"})
    client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "shipped"})
    cod_order.refresh_from_db()
    assert cod_order.status == Status.SHIPPED
    entry = AuditEntry.objects.get(action="shop_order.shipped")
    assert (entry.actor_id, entry.on_behalf_of_id) == (world["helper"].pk, world["honey"].producer.owner_id)


def test_invalid_or_forbidden_steps(client, world, cod_order):
    client.force_login(world["helper"])
    client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "delivered"})  # skipping packing and shipping
    cod_order.refresh_from_db()
    assert cod_order.status == Status.CONFIRMED
    assert client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "confirmed"}).status_code == 403
    client.force_login(world["tea"].producer.owner)
    assert client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "packed"}).status_code == 403
    assert cod_order.code[2:6] not in client.get("/ban-hang/don-hang/").content.decode()


def test_cash_collected_at_delivery_is_recorded_once_from_the_order_list(client, world, cod_order):
    from taybac.payments.models import LedgerEntry, Payment

    client.force_login(world["helper"])
    for step in ("packed", "shipped"):
        client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": step})
    page = client.get("/ban-hang/don-hang/").content.decode()
    assert 'name="thu"' in page and f'value="{cod_order.total}"' in page
    bad = client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "delivered", "thu": "abc"}, follow=True)
    assert "Số tiền không hợp lệ" in bad.content.decode() and not Payment.objects.exists()
    total_typed = f"{cod_order.total:,}".replace(",", ".")  # "700.000" as people write it
    client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "delivered", "thu": total_typed})
    again = client.post(f"/ban-hang/don-hang/{cod_order.pk}/", {"to": "delivered", "thu": total_typed}, follow=True)
    assert "Không thể chuyển đơn" in again.content.decode()
    cod_order.refresh_from_db()
    payment = Payment.objects.get()
    assert cod_order.status == Status.DELIVERED and (payment.method, payment.amount) == ("cash", cod_order.total)
    assert LedgerEntry.objects.get(kind=LedgerEntry.Kind.SALE).amount == cod_order.items_total
    entry = AuditEntry.objects.get(action="shop_order.delivered")
    assert (entry.actor_id, entry.on_behalf_of_id) == (world["helper"].pk, world["honey"].producer.owner_id)
