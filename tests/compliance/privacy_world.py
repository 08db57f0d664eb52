"""People and purchases for the personal-data tests, built through the real services."""

from __future__ import annotations

import pytest

from taybac.accounts.addresses import AddressInput, add_address
from taybac.accounts.models import User
from taybac.reviews.services import write_review
from tests.factories import make_user
from tests.reviews.purchases import delivered_line


class CapturingSender:
    """A real SmsSender that keeps what it would have sent (phone, text)."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        CapturingSender.sent.append((phone, text))


@pytest.fixture
def sender(settings) -> type[CapturingSender]:
    CapturingSender.sent = []
    settings.TAYBAC_SMS_SENDER = f"{__name__}.CapturingSender"
    return CapturingSender


def buyer_with_history(*, name: str, street: str) -> User:
    """A signed-in buyer with a delivered order (its line reviewed) and a saved address."""
    buyer = make_user(full_name=name)
    line = delivered_line(buyer, phone=buyer.phone, name=name)
    write_review(actor=buyer, line_id=line.pk, stars=5, text=f"Ngon lắm ({name.split()[-1]}).")
    add_address(
        actor=buyer,
        data=AddressInput(
            name=name, phone=buyer.phone or "", province_code=1, commune_code=70, street=street, label="Nhà"
        ),
    )
    return buyer
