"""The withholding statement a household seller downloads or prints for a month or a year: every sale withheld
for, every offset, and the totals per kind (Decree 117/2025/NĐ-CP: the platform gives sellers a record of the tax
it withheld for them). Only the seller's own rows; the page checks who may see it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Sum

from taybac.accounts.models import Producer
from taybac.catalog.models import TaxKind
from taybac.core.errors import DomainError
from taybac.payments.models import TaxWithholding

PERIOD = re.compile(r"^20[0-9]{2}(-(0[1-9]|1[0-2]))?$")


class StatementError(DomainError):
    code = "invalid_period"


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    revenue: int
    vat: int
    pit: int


@dataclass(frozen=True)
class Statement:
    producer: Producer
    period: str  # YYYY-MM or YYYY
    rows: list[TaxWithholding]
    totals: list[KindTotal]

    @property
    def is_year(self) -> bool:
        return len(self.period) == 4

    @property
    def revenue(self) -> int:
        return sum(t.revenue for t in self.totals)

    @property
    def vat(self) -> int:
        return sum(t.vat for t in self.totals)

    @property
    def pit(self) -> int:
        return sum(t.pit for t in self.totals)


def parse_period(*, value: str) -> str:
    value = (value or "").strip()
    if not PERIOD.match(value):
        raise StatementError("Kỳ phải là một tháng (NNNN-TT) hoặc một năm (NNNN).", field="period")
    return value


def statement(*, producer: Producer, period: str) -> Statement:
    """The producer's withholdings in a month (YYYY-MM) or a year (YYYY), oldest first, with totals per kind."""
    period = parse_period(value=period)
    mine = TaxWithholding.objects.filter(shop__producer=producer)
    mine = mine.filter(period=period) if len(period) == 7 else mine.filter(period__startswith=f"{period}-")
    rows = list(mine.select_related("shop_order").order_by("period", "created_at", "id"))
    sums = {s["kind"]: s for s in mine.values("kind").annotate(revenue=Sum("revenue"), vat=Sum("vat"), pit=Sum("pit"))}
    totals = [
        KindTotal(kind=k, label=TaxKind(k).label, revenue=s["revenue"], vat=s["vat"], pit=s["pit"])
        for k in TaxKind.values
        if (s := sums.get(k))
    ]
    return Statement(producer=producer, period=period, rows=rows, totals=totals)


def periods(*, producer: Producer) -> list[str]:
    """The months the producer has withholdings in, newest first."""
    found = TaxWithholding.objects.filter(shop__producer=producer).values_list("period", flat=True).distinct()
    return sorted(set(found), reverse=True)
