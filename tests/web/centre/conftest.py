import pytest

from taybac.accounts.services import grant_delegation
from tests.factories import make_product, make_shop, make_user


class CapturingSender:
    """A real SmsSender: keeps the sign-in codes it would have sent."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        CapturingSender.sent.append((phone, text.split()[0]))  # the SMS starts with the code


@pytest.fixture
def otp_outbox(settings):
    CapturingSender.sent = []
    settings.TAYBAC_SMS_SENDER = "tests.web.centre.conftest.CapturingSender"
    return CapturingSender.sent


@pytest.fixture
def world(db):
    """Two producers; a helper with a delegation from the first only."""
    honey = make_shop(name="Hộ Giàng A Páo", province_code=15)
    tea = make_shop(name="HTX Chè Suối Giàng", province_code=14)
    honey_product = make_product(shop=honey, name="Mật ong bạc hà")
    tea_product = make_product(shop=tea, name="Chè Shan tuyết", category_slug="che")
    helper = make_user(role="helper", full_name="Nguyễn Thị Hoa")
    grant_delegation(producer=honey.producer, delegate=helper, granted_by=honey.producer.owner)
    return {"honey": honey, "tea": tea, "honey_product": honey_product, "tea_product": tea_product, "helper": helper}
