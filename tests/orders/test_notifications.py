import pytest

from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.stock import OutOfStock
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop


class Outbox:
    """A real MessageSender that keeps what it would have sent."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        Outbox.sent.append((phone, text))


@pytest.fixture
def outbox(settings):
    Outbox.sent = []
    settings.TAYBAC_SMS_SENDER = "tests.orders.test_notifications.Outbox"
    return Outbox.sent


def test_buyer_and_producer_are_told_after_commit(db, outbox, django_capture_on_commit_callbacks):
    shop = make_shop(name="Hộ Giàng A Páo")
    variant = make_product(shop=shop, quantity=3).variants.get()
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(buyer=None, lines=[LineRequest(variant.pk, 1)], contact=Contact("Lan", "0912345678"),
                            payment_method="vietqr", delivery_address=address)
    phones = [phone for phone, _ in outbox]
    assert phones == ["+84912345678", shop.producer.owner.phone]
    assert order.code[2:6] in outbox[0][1] and "cho thanh toan" in outbox[1][1]
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OutOfStock):
        place_order(buyer=None, lines=[LineRequest(variant.pk, 5)], contact=Contact("Lan", "0912345678"),
                    payment_method="vietqr", delivery_address=address)
    assert outbox == []  # nothing is sent for an order that did not happen
