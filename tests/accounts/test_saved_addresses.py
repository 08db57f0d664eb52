"""A buyer's saved addresses: validated against the 2025 units, one default, at most MAX_ADDRESSES, only their own."""

from __future__ import annotations

import pytest

from taybac.accounts.addresses import (
    MAX_ADDRESSES,
    AddressError,
    AddressInput,
    add_address,
    delete_address,
    edit_address,
    set_default_address,
)
from taybac.accounts.models import SavedAddress
from taybac.accounts.selectors import NotAllowed, saved_addresses_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HOAN_KIEM = AddressInput(
    name="Trần Thị Lan", phone="0912 345 678", province_code=1, commune_code=70, street="12 Hàng Bạc"
)


def _data(**changes) -> AddressInput:
    return AddressInput(**{**HOAN_KIEM.__dict__, **changes})


def test_the_first_address_is_the_default_and_a_new_default_replaces_it():
    buyer = make_user()
    home = add_address(actor=buyer, data=HOAN_KIEM)
    assert home.is_default and home.phone == "+84912345678" and home.commune.province_id == 1
    office = add_address(actor=buyer, data=_data(street="1 Tràng Tiền", label="Cơ quan"))
    assert not office.is_default
    set_default_address(actor=buyer, address=office)
    assert [(a.pk, a.is_default) for a in saved_addresses_of(buyer)] == [(office.pk, True), (home.pk, False)]
    delete_address(actor=buyer, address=office)
    home.refresh_from_db()
    assert home.is_default  # the remaining address takes over as the default


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"commune_code": 4465}, "commune"),  # a commune of Lào Cai with Hà Nội chosen
        ({"commune_code": None}, "commune"),
        ({"province_code": None}, "province"),
        ({"phone": "0123"}, "phone"),
        ({"name": "  "}, "name"),
        ({"street": "x" * 201}, "street"),
        ({"label": "x" * 41}, "label"),
    ],
)
def test_an_address_that_does_not_fit_together_is_refused(changes, field):
    with pytest.raises(AddressError) as refused:
        add_address(actor=make_user(), data=_data(**changes))
    assert refused.value.field == field and not SavedAddress.objects.exists()


def test_at_most_max_addresses_per_buyer():
    buyer = make_user()
    for n in range(MAX_ADDRESSES):
        add_address(actor=buyer, data=_data(street=f"{n} Hàng Bạc"))
    with pytest.raises(AddressError, match=f"đủ {MAX_ADDRESSES}"):
        add_address(actor=buyer, data=_data(street="Thêm nữa"))
    assert SavedAddress.objects.filter(user=buyer).count() == MAX_ADDRESSES
    add_address(actor=make_user(), data=HOAN_KIEM)  # the limit is per buyer


def test_nobody_edits_or_deletes_another_buyers_address():
    owner, stranger = make_user(), make_user()
    address = add_address(actor=owner, data=HOAN_KIEM)
    with pytest.raises(NotAllowed):
        edit_address(actor=stranger, address=address, data=_data(street="Của tôi"))
    with pytest.raises(NotAllowed):
        delete_address(actor=stranger, address=address)
    with pytest.raises(NotAllowed):
        set_default_address(actor=stranger, address=address)
    address.refresh_from_db()
    assert address.street == "12 Hàng Bạc" and saved_addresses_of(stranger) == []


def test_edit_changes_the_fields_and_keeps_one_default():
    buyer = make_user()
    first = add_address(actor=buyer, data=HOAN_KIEM)
    second = add_address(actor=buyer, data=_data(street="2 Hàng Bạc"))
    edited = edit_address(actor=buyer, address=second, data=_data(street="3 Hàng Bạc", make_default=True))
    first.refresh_from_db()
    assert edited.street == "3 Hàng Bạc" and edited.is_default and not first.is_default
