"""GS1 GTIN-14 with check digits, and allocation under the hub's company prefix.

A real company prefix must be licensed from GS1 Vietnam; the default in settings is a placeholder.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from taybac.catalog.models import GtinSequence
from taybac.core.errors import DomainError


class GtinError(DomainError):
    """A GTIN that is malformed or has a wrong check digit."""


def check_digit(body: str) -> int:
    """GS1 mod-10 check digit over the digits before it (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalize_gtin(raw: str) -> str:
    """Accept a GTIN-8/12/13/14 and return it as GTIN-14, refusing a wrong check digit."""
    digits = (raw or "").strip().replace(" ", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (8, 12, 13, 14):
        raise GtinError("Mã GTIN phải gồm 8, 12, 13 hoặc 14 chữ số.")
    gtin14 = digits.zfill(14)
    if check_digit(gtin14[:-1]) != int(gtin14[-1]):
        raise GtinError("Mã GTIN sai số kiểm tra (check digit).")
    return gtin14


def allocate_gtin(prefix: str | None = None) -> str:
    """Allocate the next GTIN-14 ("0" + GTIN-13) under the hub's company prefix."""
    prefix = prefix or settings.TAYBAC_GS1_COMPANY_PREFIX
    capacity = 10 ** (12 - len(prefix))
    with transaction.atomic():
        seq, _ = GtinSequence.objects.select_for_update().get_or_create(company_prefix=prefix)
        item = seq.next_item_reference
        if item >= capacity:
            raise GtinError(f"Đã dùng hết {capacity - 1} mã GTIN của tiền tố {prefix}.")
        seq.next_item_reference = item + 1
        seq.save(update_fields=["next_item_reference"])
    body = "0" + prefix + str(item).zfill(12 - len(prefix))
    return body + str(check_digit(body))
