"""The sender's address service: the old district asked only where the commune spans several and checked against
them, who may save it (owner, delegated helper), the GPS pin's bounds, the audit trail, and what carriers then get."""

from __future__ import annotations

from decimal import Decimal

import pytest

from taybac.accounts.models import Role
from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from taybac.logistics.addressing import origin_for
from taybac.logistics.models import SenderAddress
from taybac.logistics.senders import district_choices, needs_district_choice, save_sender_address
from tests.factories import make_user
from tests.logistics.sender_world import DONG_VAN, Y_TY, shop_in

pytestmark = pytest.mark.django_db


def save(shop, *, actor=None, street="Thôn Lao Chải", district="", lat=None, lon=None) -> SenderAddress:
    return save_sender_address(
        actor=actor or shop.producer.owner,
        shop=shop,
        street=street,
        legacy_district_code=district,
        latitude=lat,
        longitude=lon,
    )


def test_an_ambiguous_commune_asks_for_the_old_district_until_it_is_given() -> None:
    shop = shop_in(DONG_VAN)
    assert [d.district_name for d in district_choices(shop=shop)] == ["Huyện Đồng Văn", "Huyện Mèo Vạc"]
    assert needs_district_choice(shop=shop)
    with pytest.raises(DomainError) as missing:
        save(shop)
    assert (missing.value.code, missing.value.field) == ("legacy_district_required", "legacy_district_code")
    with pytest.raises(DomainError) as wrong:
        save(shop, district="082")  # huyện Bát Xát is not part of xã Đồng Văn
    assert wrong.value.code == "invalid_legacy_district"
    assert not SenderAddress.objects.exists()
    save(shop, district="027")
    assert not needs_district_choice(shop=shop)
    origin = origin_for(shop=shop)
    assert (origin.street, origin.legacy_district_code, origin.district_name) == (
        "Thôn Lao Chải",
        "027",
        "Huyện Mèo Vạc",
    )


def test_a_single_district_commune_never_asks_and_ignores_a_stray_answer() -> None:
    shop = shop_in(Y_TY, "Hộ Lý A Sử")
    assert not needs_district_choice(shop=shop)
    sender = save(shop, district="026", street="  Bản   Ngải Thầu  ")
    assert (sender.street, sender.legacy_district_code) == ("Bản Ngải Thầu", "")
    assert origin_for(shop=shop).district_name == "Huyện Bát Xát"


def test_saving_again_updates_the_one_address_and_both_are_audited() -> None:
    shop = shop_in(DONG_VAN)
    save(shop, district="026")
    save(shop, district="027", street="Thôn 2")
    assert SenderAddress.objects.get(shop=shop).legacy_district_code == "027"
    entries = AuditEntry.objects.filter(target_type="logistics.senderaddress").order_by("pk")
    assert [e.action for e in entries] == ["sender_address.created", "sender_address.updated"]


def test_a_delegated_helper_may_save_for_the_owner_and_strangers_may_not() -> None:
    shop = shop_in(DONG_VAN)
    owner, helper = shop.producer.owner, make_user(role=Role.HELPER)
    delegation = grant_delegation(producer=shop.producer, delegate=helper, granted_by=owner)
    sender = save(shop, actor=helper, district="026")
    assert sender.updated_by == helper
    entry = AuditEntry.objects.get(action="sender_address.created")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, owner.pk)
    revoke_delegation(delegation=delegation, revoked_by=owner)
    for outsider in (helper, make_user()):
        with pytest.raises(NotAllowed):
            save(shop, actor=outsider, district="027")
    assert SenderAddress.objects.get(shop=shop).legacy_district_code == "026"


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (Decimal("48.85"), Decimal("2.35"), "pin_outside_vietnam"),  # Paris
        (Decimal("22.3"), Decimal("100.1"), "pin_outside_vietnam"),  # Laos, west of Vietnam's box
        (Decimal("22.3"), None, "pin_incomplete"),
    ],
)
def test_a_pin_outside_vietnam_or_half_given_is_refused(lat, lon, code) -> None:
    with pytest.raises(DomainError) as refused:
        save(shop_in(Y_TY), lat=lat, lon=lon)
    assert refused.value.code == code


def test_a_pin_is_kept_to_six_decimals() -> None:
    sender = save(shop_in(Y_TY), lat=Decimal("22.62134567"), lon=Decimal("103.63"))
    sender.refresh_from_db()
    assert (sender.latitude, sender.longitude) == (Decimal("22.621346"), Decimal("103.630000"))


@pytest.mark.parametrize(("street", "code"), [("x" * 201, "street_too_long"), ("Thôn\x001", "invalid_street")])
def test_bad_street_lines_are_refused(street: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        save(shop_in(Y_TY), street=street)
    assert refused.value.code == code


def test_an_unanswered_old_district_keeps_third_party_carriers_away_but_not_the_hub(db) -> None:
    """Xã Đồng Văn spans two old districts: until the seller answers, GHN/GHTK/VNPost get no guessed district."""
    from taybac.logistics import addressing, legacy_address

    shop = shop_in(DONG_VAN)
    origin = addressing.origin_for(shop=shop)
    assert origin.legacy_unsettled
    assert addressing.for_carrier(origin, "hub") == origin
    for carrier in ("ghn", "ghtk", "vnpost"):
        with pytest.raises(DomainError) as refused:
            addressing.for_carrier(origin, carrier)
        assert refused.value.code == "sender_district_unknown"
    district = legacy_address.legacy_districts_for(DONG_VAN)[1].district_code
    SenderAddress.objects.create(shop=shop, legacy_district_code=district)
    settled = addressing.origin_for(shop=shop)
    assert not settled.legacy_unsettled and settled.legacy_district_code == district
    assert addressing.for_carrier(settled, "ghtk") == settled
    assert not addressing.origin_for(shop=shop_in(Y_TY)).legacy_unsettled  # one old district: nothing to ask
