import pytest

from taybac.core.models import AuditEntry
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Status
from taybac.regions.services import create_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def cod_order(world):
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    order = place_order(buyer=None, lines=[LineRequest(world["honey_product"].variants.get().pk, 2)],
                        contact=Contact("Trần Thị Lan", "0912345678"), payment_method="cod", delivery_address=address)
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
