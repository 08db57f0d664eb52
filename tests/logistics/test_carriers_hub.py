"""The hub's own network as a carrier: quotes from the active rate table (offline), equal to today's checkout
fee with the seeded table; COD, insurance and remote-commune surcharges once an operator sets them; booking."""

from __future__ import annotations

import pytest

from taybac.core.errors import DomainError
from taybac.logistics import carriers
from taybac.logistics.carriers.base import Address, CarrierError, Parcel, ShipmentRequest
from taybac.logistics.carriers.hub import HubNetwork
from taybac.logistics.models import RateTable, RemoteCommune
from taybac.orders.shipping import ZoneWeightRates
from taybac.regions.models import Commune, Province

pytestmark = pytest.mark.django_db


def _address(commune: Commune) -> Address:
    return Address(province_code=commune.province_id, commune_code=commune.code)


@pytest.mark.parametrize(("to_province", "weight"), [(15, 1), (15, 3500), (4, 1000), (4, 1001), (1, 999), (79, 12_000)])
def test_seeded_quote_equals_todays_checkout_fee(to_province: int, weight: int) -> None:
    origin = Commune.objects.filter(province_id=15).first()
    destination = Commune.objects.filter(province_id=to_province).exclude(pk=origin.pk).first()
    assert origin and destination
    (quote,) = HubNetwork().quote(origin=_address(origin), destination=_address(destination), parcel=Parcel(weight))
    to = Province.objects.get(pk=to_province)
    today = ZoneWeightRates().fee(from_province=15, to_province=to.pk, to_in_region=to.in_region, weight_grams=weight)
    assert quote.total == quote.fee == today and quote.carrier == "hub"


def test_cod_insurance_and_remote_surcharge_come_from_the_table() -> None:
    RateTable.objects.filter(is_active=True).update(
        cod_percent_bp=100,
        cod_min_fee=15_000,
        insurance_free_value=500_000,
        insurance_percent_bp=50,
        remote_surcharge=7_000,
    )
    origin = Commune.objects.filter(province_id=15).first()
    y_ty = Commune.objects.get(pk=2701)
    assert RemoteCommune.objects.filter(commune_code=2701).exists()  # seeded
    (quote,) = HubNetwork().quote(
        origin=_address(origin), destination=_address(y_ty), parcel=Parcel(1500, value=2_000_000, cod_amount=2_500_050)
    )
    assert (quote.fee, quote.cod_fee, quote.insurance_fee, quote.surcharge) == (22_000, 25_001, 10_000, 7_000)
    assert (quote.eta_days_min, quote.eta_days_max) == (1, 2)


def test_without_an_active_table_the_quote_says_so() -> None:
    RateTable.objects.update(is_active=False)
    origin = Commune.objects.filter(province_id=15).first()
    with pytest.raises(DomainError, match="Chưa có bảng giá"):
        HubNetwork().quote(origin=_address(origin), destination=_address(origin), parcel=Parcel(100))


def test_booking_uses_the_order_code_and_the_quoted_total() -> None:
    origin, destination = Commune.objects.filter(province_id=15)[:2]
    request = ShipmentRequest("tb-acde-3479", "standard", _address(origin), _address(destination), Parcel(2500))
    shipment = HubNetwork().create_shipment(request=request)
    assert (shipment.tracking_code, shipment.fee) == ("TB-ACDE-3479", 26_000)
    with pytest.raises(DomainError):
        HubNetwork().create_shipment(
            request=ShipmentRequest("x", "standard", request.origin, request.destination, Parcel(1))
        )
    with pytest.raises(CarrierError):
        HubNetwork().parse_webhook(headers={}, body=b"{}")


def test_bad_parcels_are_refused() -> None:
    for weight in (0, -5, 50_001):
        with pytest.raises(DomainError):
            Parcel(weight)
    with pytest.raises(DomainError):
        Parcel(100, cod_amount=-1)


def test_only_configured_carriers_are_offered(settings) -> None:
    settings.TAYBAC_GHN_TOKEN = settings.TAYBAC_GHTK_TOKEN = ""
    assert list(carriers.configured()) == ["hub"]
    settings.TAYBAC_GHN_TOKEN, settings.TAYBAC_GHN_SHOP_ID = "tok", "885"
    assert list(carriers.configured()) == ["hub", "ghn"]
    settings.TAYBAC_GHTK_TOKEN = "tok2"
    assert list(carriers.configured()) == ["hub", "ghn", "ghtk"]


def test_a_commune_outside_its_province_is_refused() -> None:
    origin = Commune.objects.filter(province_id=15).first()
    hanoi = Commune.objects.filter(province_id=1).first()
    wrong = Address(province_code=15, commune_code=hanoi.pk)
    with pytest.raises(DomainError) as refused:
        HubNetwork().quote(origin=_address(origin), destination=wrong, parcel=Parcel(100))
    assert refused.value.field == "destination"
    with pytest.raises(DomainError) as refused:
        HubNetwork().quote(origin=Address(15, 99_999_999), destination=_address(hanoi), parcel=Parcel(100))
    assert refused.value.field == "origin"
