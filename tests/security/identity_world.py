"""The seller-identity row of the matrix: the form a seller posts, and the check that the identity written belongs
to the shop the caller acts for (B's for producer B, A's for A and A's helper)."""

from __future__ import annotations

from typing import Any

from taybac.accounts.models import SellerIdentity
from tests.security.conftest import World

NUMBER = "014090123457"  # Sơn La, born 1990: passes the CCCD form check


def identity_form(world: World) -> dict[str, Any]:
    return {
        "tinh": world.shop.province_id,
        "legal_name": "Giàng A Páo",
        "id_kind": "citizen_id",
        "number": NUMBER,
        "street": "Bản Phìn Hồ",
        "commune": world.shop.commune_id,
    }


def identity_written_for_own_shop(world: World, role: str, response: Any) -> None:
    a_recorded = SellerIdentity.objects.filter(producer=world.shop.producer).exists()
    b_recorded = SellerIdentity.objects.filter(producer=world.other_shop.producer).exists()
    if role == "other_producer":
        assert b_recorded and not a_recorded, "producer B's post must record B's identity, not A's"
    elif role in ("owner", "helper"):
        assert a_recorded and not b_recorded, "A's seller or helper must record A's identity"
    else:
        assert not (a_recorded or b_recorded), f"{role} recorded an identity"
