"""The quarterly seller-information report for the tax authority, as a CSV file.

A platform reports, each quarter, who sold through it and how much: the seller's name, identity or tax number,
address and revenue (Decree 91/2022/NĐ-CP amending Decree 126/2020/NĐ-CP, now Decree 117/2025/NĐ-CP for platforms
with a payment function). This is the one place besides the monthly tax declaration where the clear number leaves
the database, so every export is audited. `taybac tax sellers --quarter 2026-Q3 --output FILE.csv` and the
operators' download (/van-hanh/danh-tinh-nguoi-ban/) both write `report_csv`.

Revenue of a quarter is what the hub's ledger credited the shop in it (Vietnam time): paid sales, plus hub-funded
vouchers, less the reversals of cancelled or returned orders — the same money the payout report counts.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse

from taybac.accounts.identity import tax_ids_for_producers
from taybac.accounts.models import SellerIdentity
from taybac.catalog.models import Shop
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.core.text import spreadsheet_safe
from taybac.payments.models import LedgerEntry

COLUMNS = (
    "seller_id",
    "legal_name",
    "id_kind",
    "id_number",
    "address",
    "commune",
    "province",
    "shop_url",
    "revenue",
    "identity_status",
)
REVENUE_KINDS = (LedgerEntry.Kind.SALE, LedgerEntry.Kind.REFUND, LedgerEntry.Kind.VOUCHER)
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


class ReportError(DomainError):
    code = "invalid_quarter"


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) of the quarter in Vietnam time."""
        zone = ZoneInfo(settings.TIME_ZONE)
        month = 3 * (self.number - 1) + 1
        start = datetime.datetime(self.year, month, 1, tzinfo=zone)
        end = datetime.datetime(self.year + (month == 10), 1 if month == 10 else month + 3, 1, tzinfo=zone)
        return start, end


def parse_quarter(text: str) -> Quarter:
    """'2026-Q3' (or '2026Q3') → Quarter; a clear Vietnamese error otherwise."""
    match = _QUARTER.match((text or "").strip()[:10])
    if not match or not 2020 <= int(match[1]) <= 2100:
        raise ReportError("Quý phải có dạng NĂM-Q1…Q4, ví dụ 2026-Q3.", field="quarter")
    return Quarter(int(match[1]), int(match[2]))


def previous_quarter(today: datetime.date) -> Quarter:
    """The quarter the next report is due for (the last finished one)."""
    number = (today.month - 1) // 3
    return Quarter(today.year - 1, 4) if number == 0 else Quarter(today.year, number)


@dataclass(frozen=True)
class SellerRow:
    seller_id: int
    legal_name: str
    id_kind: str
    id_number: str
    address: str
    commune: str
    province: str
    shop_url: str
    revenue: int
    identity_status: str  # recorded / missing / synthetic (demo)

    def values(self) -> list[str | int]:
        return [spreadsheet_safe(getattr(self, name)) for name in COLUMNS]


def seller_rows(*, quarter: Quarter) -> list[SellerRow]:
    """One row per shop open before the quarter ended, with its seller's identity (clear number) and revenue."""
    start, end = quarter.bounds()
    revenue = dict(
        LedgerEntry.objects.filter(kind__in=REVENUE_KINDS, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("shop_id")
        .annotate(total=Sum("amount"))
        .values_list("shop_id", "total")
    )
    shops = list(
        Shop.objects.filter(created_at__lt=end)
        .select_related("producer__commune__province")
        .order_by("producer_id", "pk")
    )
    identities = {
        i.producer_id: i
        for i in SellerIdentity.objects.filter(producer__in=[s.producer_id for s in shops]).select_related(
            "commune__province"
        )
    }
    numbers = tax_ids_for_producers(list(identities))
    rows = []
    for shop in shops:
        identity = identities.get(shop.producer_id)
        commune = identity.commune if identity else shop.producer.commune
        rows.append(
            SellerRow(
                seller_id=shop.producer_id,
                legal_name=identity.legal_name if identity else "",
                id_kind=identity.id_kind if identity else "",
                id_number=numbers.get(shop.producer_id, ""),
                address=identity.street if identity else "",
                commune=commune.name,
                province=commune.province.name,
                shop_url=settings.PUBLIC_URL + reverse("store-shop", kwargs={"slug": shop.slug}),
                revenue=int(revenue.get(shop.pk, 0)),
                identity_status=("synthetic" if identity.synthetic else "recorded") if identity else "missing",
            )
        )
    return rows


@dataclass(frozen=True)
class BlockedShop:
    shop: Shop
    owed: int  # what the hub holds for the shop and cannot pay out yet


def blocked_shops() -> list[BlockedShop]:
    """Active shops whose seller has no identity recorded, so payouts wait (payments/payouts.record_payout); the
    ones the hub owes money to first."""
    shops = list(
        Shop.objects.filter(is_active=True, producer__identity__isnull=True).select_related(
            "producer__owner", "commune", "province"
        )
    )
    owed = dict(
        LedgerEntry.objects.filter(shop__in=shops)
        .order_by()
        .values("shop_id")
        .annotate(total=Sum("amount"))
        .values_list("shop_id", "total")
    )
    rows = [BlockedShop(shop=s, owed=int(owed.get(s.pk, 0))) for s in shops]
    return sorted(rows, key=lambda r: (-r.owed, r.shop.name, r.shop.pk))


def report_csv(*, quarter: Quarter, actor: object | None) -> str:
    """The report as CSV text (UTF-8, header row), audited: who exported which quarter, never the numbers."""
    rows = seller_rows(quarter=quarter)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.values())
    audit.record(
        actor=actor,
        action="seller_report.exported",
        detail={
            "quarter": quarter.label,
            "sellers": len(rows),
            "missing": sum(r.identity_status == "missing" for r in rows),
        },
    )
    return out.getvalue()
