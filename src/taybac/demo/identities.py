"""Demo sellers' identities: made-up numbers that pass the form checks, marked synthetic, so payouts, the shop pages'
seller line, the tax declaration and the quarterly seller report have something to show. One seller with money
owed is left without, so the blocked payout is visible (seller centre, operators' payout page and blocked list)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Sum

from taybac.accounts.identity_numbers import BUSINESS_TAX, CITIZEN_ID, tax_check_digit
from taybac.accounts.identity_services import record_identity
from taybac.accounts.models import Producer, SellerIdentity
from taybac.demo.plan import ProducerPlan
from taybac.payments.models import LedgerEntry

# Citizen-ID province codes of the region (Circular 59/2021/TT-BCA annex): Hà Giang, Cao Bằng, Lào Cai, Điện Biên,
# Lai Châu, Sơn La, Yên Bái.
REGION_CODES = (2, 4, 10, 11, 12, 14, 15)


def _citizen_id(index: int) -> str:
    century_sex = index % 2  # born in the 1900s, male or female
    return f"{REGION_CODES[index % len(REGION_CODES)]:03d}{century_sex}{70 + index % 25:02d}{900000 + index:06d}"


def _business_tax_code(index: int) -> str:
    """A 10-digit code with a valid check digit (the first nine are made up; 99 is no issuing office's prefix)."""
    serial = index
    while True:
        first_nine = f"99{5000000 + serial:07d}"
        check = tax_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
        serial += 1000


def _left_blank(producers: list[Producer]) -> Producer | None:
    """A seller other than the first demo login whom the hub owes money, else the last one."""
    owed = dict(
        LedgerEntry.objects.filter(shop__producer__in=producers)
        .order_by()
        .values("shop__producer")
        .annotate(total=Sum("amount"))
        .values_list("shop__producer", "total")
    )
    return next((p for p in producers[1:] if (owed.get(p.pk) or 0) > 0), producers[-1] if producers else None)


def ensure_demo_identities(plans: list[ProducerPlan], created: Counter) -> None:
    if SellerIdentity.objects.filter(synthetic=True).exists():
        return
    by_phone = {
        p.owner.phone: p for p in Producer.objects.filter(owner__phone__in=[plan.phone for plan in plans])
        .select_related("owner")
    }  # fmt: skip
    producers = [by_phone[plan.phone] for plan in plans if plan.phone in by_phone]
    blank = _left_blank(producers)
    for index, producer in enumerate(producers):
        if producer == blank:
            continue
        business = producer.kind != Producer.Kind.HOUSEHOLD
        record_identity(
            producer=producer,
            actor=producer.owner,
            legal_name=producer.name if business else (producer.owner.full_name or producer.name),
            id_kind=BUSINESS_TAX if business else CITIZEN_ID,
            number=_business_tax_code(index) if business else _citizen_id(index),
            street="Thôn Trung Tâm (địa chỉ mẫu)",
            commune_code=producer.commune_id,
            synthetic=True,
        )
        created["seller identities"] += 1
