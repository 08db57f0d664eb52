import pytest
from django.core.exceptions import ImproperlyConfigured

from taybac.payments.banks import BANKS, bank_by_bin, bank_by_name, choices


def test_bins_are_unique_six_digit_napas_bins():
    bins = [bank.bin for bank in BANKS]
    assert len(bins) == len(set(bins)) and all(b.isdigit() and len(b) == 6 and b.startswith("9704") for b in bins)


def test_lookups():
    assert bank_by_bin("970436").short_name == "Vietcombank"
    assert bank_by_name("viet capital bank").bin == "970454" and bank_by_name("MB").bin == "970422"
    assert bank_by_bin("123456") is None and bank_by_name("") is None
    assert len(choices()) == len(BANKS)


def test_payment_page_refuses_an_unknown_hub_bin(db, settings):
    from taybac.orders.checkout import Contact, LineRequest, place_order
    from taybac.payments.requests import transfer_request
    from taybac.regions.services import create_address
    from tests.factories import make_product

    variant = make_product().variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    assert transfer_request(order.shop_orders.get()).bank_name == "MB"
    settings.TAYBAC_HUB_BANK_BIN = "123456"
    with pytest.raises(ImproperlyConfigured):
        transfer_request(order.shop_orders.get())
