"""GS1 keys the hub allocates under its company prefix: GLNs for places, SSCCs for cartons.

Like GTINs (catalog.gtin), they need a licensed prefix in production; TAYBAC_GS1_COMPANY_PREFIX is a
placeholder until GS1 Vietnam issues one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from taybac.catalog.gtin import GtinError, check_digit
from taybac.catalog.models import Shop
from taybac.regions.models import PickupPoint
from taybac.traceability.models import KeySequence, Location


def _next_reference(kind: str, digits: int) -> tuple[str, str]:
    prefix = settings.TAYBAC_GS1_COMPANY_PREFIX
    capacity = 10 ** (digits - len(prefix))
    with transaction.atomic():
        seq, _ = KeySequence.objects.select_for_update().get_or_create(company_prefix=prefix, kind=kind)
        reference = seq.next_reference
        if reference >= capacity:
            raise GtinError(f"Đã dùng hết {capacity - 1} mã {kind.upper()} của tiền tố {prefix}.")
        seq.next_reference = reference + 1
        seq.save(update_fields=["next_reference"])
    return prefix, str(reference).zfill(digits - len(prefix))


def allocate_gln() -> str:
    """GLN-13: company prefix + location reference + check digit."""
    prefix, reference = _next_reference(KeySequence.Kind.GLN, 12)
    body = prefix + reference
    return body + str(check_digit(body))


def allocate_sscc() -> str:
    """SSCC-18: extension digit 0 + company prefix + serial reference + check digit (a carton's id)."""
    prefix, serial = _next_reference(KeySequence.Kind.SSCC, 16)
    body = "0" + prefix + serial
    return body + str(check_digit(body))


def shop_location(shop: Shop) -> Location:
    """The shop's GLN, allocated the first time an event happens there."""
    location = Location.objects.filter(shop=shop).first()
    return location or Location.objects.create(gln=allocate_gln(), name=shop.name, shop=shop)


def pickup_location(point: PickupPoint) -> Location:
    location = Location.objects.filter(pickup_point=point).first()
    return location or Location.objects.create(gln=allocate_gln(), name=point.name, pickup_point=point)
