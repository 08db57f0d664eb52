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
        order = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 1)],
            contact=Contact("Lan", "0912345678"),
            payment_method="vietqr",
            delivery_address=address,
        )
    phones = [phone for phone, _ in outbox]
    assert phones == ["+84912345678", shop.producer.owner.phone]
    assert order.code[2:6] in outbox[0][1] and "cho thanh toan" in outbox[1][1]
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OutOfStock):
        place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 5)],
            contact=Contact("Lan", "0912345678"),
            payment_method="vietqr",
            delivery_address=address,
        )
    assert outbox == []  # nothing is sent for an order that did not happen


def test_emails_go_to_buyer_and_producer_after_commit(db, outbox, mailoutbox, django_capture_on_commit_callbacks):
    from taybac.orders.lifecycle import advance
    from taybac.orders.models import Status

    shop = make_shop(name="HTX Chè Shan Tuyết")
    owner = shop.producer.owner
    owner.email = "htx@example.vn"
    owner.save()
    variant = make_product(shop=shop, quantity=3, name="Chè Shan tuyết").variants.get()
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 2)],
            contact=Contact("Lan", "0912345678", " lan@example.vn "),
            payment_method="cod",
            delivery_address=address,
        )
    assert order.contact_email == "lan@example.vn"
    assert [m.to for m in mailoutbox] == [["lan@example.vn"], ["htx@example.vn"]]
    assert "Chè Shan tuyết" in mailoutbox[0].body and "× 2" in mailoutbox[0].body
    assert f"/tra-cuu/?ma={order.code}" in mailoutbox[0].body
    shop_order = order.shop_orders.get()
    advance(shop_order=shop_order, to=Status.PACKED, actor=None)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        advance(shop_order=shop_order, to=Status.SHIPPED, actor=None)
    assert [m.to for m in mailoutbox] == [["lan@example.vn"]] and "đang được giao" in mailoutbox[0].subject
    assert outbox[-1][0] == "+84912345678" and "dang duoc giao" in outbox[-1][1]


@pytest.mark.parametrize("email", ["lan@", "not an email", "a@b." + "c" * 300])
def test_bad_email_is_refused_in_vietnamese(db, email):
    from taybac.orders.checkout import CheckoutError

    variant = make_product(quantity=3).variants.get()
    with pytest.raises(CheckoutError, match="email không hợp lệ"):
        place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 1)],
            contact=Contact("Lan", "0912345678", email),
            payment_method="cod",
            delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
        )


def test_sms_texts_are_one_gsm7_segment_with_absolute_links(db, outbox, settings, django_capture_on_commit_callbacks):
    """Every order SMS fits one 160-character GSM-7 segment for a usual order (no "₫", no marks) and its links
    work from a phone's SMS app: absolute, from TAYBAC_PUBLIC_URL."""
    import re

    from taybac.core.sms import is_gsm7, money, segments
    from taybac.orders import notifications
    from taybac.orders.lifecycle import advance
    from taybac.orders.models import Status
    from taybac.regions.models import PickupPoint

    settings.PUBLIC_URL = "https://cho.taybachub.vn"
    shop = make_shop(name="Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Chè Shan tuyết Suối Giàng")
    variant = make_product(shop=shop, quantity=50, price=1_250_000, name="Chè Shan tuyết cổ thụ").variants.get()
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    point = PickupPoint(name="Bưu điện văn hoá xã Tả Phìn, thị xã Sa Pa, tỉnh Lào Cai", address=address)
    with django_capture_on_commit_callbacks(execute=True):
        vietqr = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 9)],
            contact=Contact("Lan", "0912345678"),
            payment_method="vietqr",
            delivery_address=address,
        )
        cod = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 8)],
            contact=Contact("Lan", "0912345678"),
            payment_method="cod",
            delivery_address=address,
        )
        notifications.shop_order_paid(vietqr.shop_orders.get())
        shop_order = cod.shop_orders.get()
        advance(shop_order=shop_order, to=Status.PACKED, actor=None)
        advance(shop_order=shop_order, to=Status.SHIPPED, actor=None)
        notifications.shop_order_at_pickup(shop_order, point)
    texts = [text for _, text in outbox]
    assert len(texts) == 7  # placed x2 (buyer, producer), paid, shipped, at the post office
    for text in texts:
        assert is_gsm7(text) and len(text) <= 160 and segments(text) == 1, text
        for link in re.findall(r"\S*/\S*", text):
            assert link.startswith("https://cho.taybachub.vn/"), text
    assert f"https://cho.taybachub.vn/tra-cuu/?ma={vietqr.code}" in texts[0]
    assert "https://cho.taybachub.vn/ban-hang/don-hang/" in texts[1] and "11.250.000d" in texts[1]
    assert texts[-1].endswith(f"tra {money(shop_order.total)}.")
    assert "Buu dien van hoa xa Ta Phin" in texts[-1]


def test_a_pickup_order_sms_names_the_post_office_in_one_segment(
    db, outbox, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The buyer's order SMS says where to collect (a long post office name is cut, the text stays one GSM-7
    segment); the e-mail adds the address and opening hours, and the one transfer for the whole order."""
    from taybac.core.sms import is_gsm7, segments
    from taybac.regions.models import PickupPoint

    settings.PUBLIC_URL = "https://cho.taybachub.vn"
    variant = make_product(shop=make_shop(name="Hộ Giàng A Páo"), quantity=3).variants.get()
    point = PickupPoint.objects.create(
        code="BD-TP",
        name="Bưu điện văn hoá xã Tả Phìn, thị xã Sa Pa, tỉnh Lào Cai",
        address=create_address(province_code=1, commune_code=70, street="Thôn Tả Phìn"),
        opening_hours="7:00–17:00",
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 1)],
            contact=Contact("Lan", "0912345678", "lan@example.com"),
            payment_method="vietqr",
            pickup_point=point.code,
        )
    text = outbox[0][1]
    assert "nhan tai Buu dien van hoa xa Ta Phin" in text and order.code[2:6] in text
    assert is_gsm7(text) and len(text) <= 160 and segments(text) == 1, text
    body = mailoutbox[0].body
    assert "Nhận hàng tại Bưu điện văn hoá xã Tả Phìn" in body and "Thôn Tả Phìn" in body and "7:00–17:00" in body
    assert f"nội dung {order.code}" in body
