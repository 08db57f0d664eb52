"""The monthly declaration of tax withheld for household sellers (Decree 117/2025/NĐ-CP; due by the 20th of the next
month, Law on Tax Administration 38/2019/QH14 art. 44), its CSV file, and the operator's record that it was filed.

One row per seller × kind: the month's withholding rows summed, offsets of cancelled and returned sales included
(so a row may be lower than the month's sales, or negative). The totals equal the month's TAX entries in the
ledger, which `ledger_tax_total` reads independently for the check.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from taybac.accounts.identity import tax_ids_for_producers
from taybac.accounts.models import Producer, Role, SellerIdentity, User
from taybac.accounts.selectors import NotAllowed
from taybac.catalog.models import TaxKind
from taybac.core import audit, outbox
from taybac.core.errors import DomainError
from taybac.core.text import spreadsheet_safe
from taybac.payments.models import LedgerEntry, TaxDeclarationFiling, TaxWithholding

COLUMNS = ("seller_id", "seller_name", "tax_id", "kind", "revenue", "vat_withheld", "pit_withheld")
MONTH = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")
DUE_DAY = 20


class DeclarationError(DomainError):
    code = "invalid_declaration"


@dataclass(frozen=True)
class Row:
    seller_id: int
    seller_name: str
    tax_id: str
    kind: str
    revenue: int
    vat_withheld: int
    pit_withheld: int

    @property
    def kind_label(self) -> str:
        return TaxKind(self.kind).label


@dataclass(frozen=True)
class Declaration:
    month: str
    rows: list[Row]
    filing: TaxDeclarationFiling | None

    @property
    def revenue(self) -> int:
        return sum(r.revenue for r in self.rows)

    @property
    def vat_withheld(self) -> int:
        return sum(r.vat_withheld for r in self.rows)

    @property
    def pit_withheld(self) -> int:
        return sum(r.pit_withheld for r in self.rows)

    @property
    def due(self) -> datetime.date:
        return due_date(month=self.month)


def parse_month(*, value: str) -> str:
    """`value` if it is a month YYYY-MM (2000–2099), else a DeclarationError."""
    value = (value or "").strip()
    if not MONTH.match(value):
        raise DeclarationError("Tháng phải có dạng NNNN-TT, ví dụ 2026-11.", field="month")
    return value


def due_date(*, month: str) -> datetime.date:
    """The 20th of the month after `month`."""
    year, number = (int(part) for part in parse_month(value=month).split("-"))
    return datetime.date(year + number // 12, number % 12 + 1, DUE_DAY)


def previous_month(*, today: datetime.date | None = None) -> str:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - datetime.timedelta(days=1)).strftime("%Y-%m")


def declaration(*, month: str) -> Declaration:
    """The month's rows (seller × kind, by seller id then kind) and its filing record if any. The seller's name is
    the legal name recorded with their identity (accounts.identity), else the producer's name."""
    month = parse_month(value=month)
    grouped = (
        TaxWithholding.objects.filter(period=month)
        .values("shop__producer_id", "kind")
        .annotate(revenue=Sum("revenue"), vat=Sum("vat"), pit=Sum("pit"))
        .order_by("shop__producer_id", "kind")
    )
    sums = [s for s in grouped if s["revenue"] or s["vat"] or s["pit"]]
    producer_ids = sorted({s["shop__producer_id"] for s in sums})
    names = dict(Producer.objects.filter(pk__in=producer_ids).values_list("pk", "name"))
    names.update(SellerIdentity.objects.filter(producer_id__in=producer_ids).values_list("producer_id", "legal_name"))
    tax_ids = tax_ids_for_producers(producer_ids)
    rows = [
        Row(
            seller_id=s["shop__producer_id"],
            seller_name=names[s["shop__producer_id"]],
            tax_id=tax_ids.get(s["shop__producer_id"], ""),
            kind=s["kind"],
            revenue=s["revenue"],
            vat_withheld=s["vat"],
            pit_withheld=s["pit"],
        )
        for s in sums
    ]
    return Declaration(month=month, rows=rows, filing=TaxDeclarationFiling.objects.filter(period=month).first())


def ledger_tax_total(*, month: str) -> int:
    """The month's TAX ledger entries (Vietnam time), summed: minus the declaration's VAT + PIT."""
    year, number = (int(part) for part in parse_month(value=month).split("-"))
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, number, 1, tzinfo=zone)
    end = datetime.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.TAX, created_at__gte=start, created_at__lt=end)
    return entries.aggregate(total=Sum("amount"))["total"] or 0


def to_csv(*, report: Declaration) -> str:
    """The file: the columns, one line per row, then a totals line (seller_id "TOTAL")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report.rows:
        writer.writerow([spreadsheet_safe(getattr(row, column)) for column in COLUMNS])
    writer.writerow(["TOTAL", "", "", "", report.revenue, report.vat_withheld, report.pit_withheld])
    return out.getvalue()


def is_operator(*, user: User | None) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.OPERATOR))


def mark_filed(*, actor: User, month: str, reference: str) -> TaxDeclarationFiling:
    """Record that the month's declaration was filed (operators only, once per month, audited)."""
    if not is_operator(user=actor):
        raise NotAllowed("Chỉ vận hành sàn ghi nhận tờ khai đã nộp.")
    month = parse_month(value=month)
    reference = " ".join((reference or "").split())
    if not 3 <= len(reference) <= 100:
        raise DeclarationError("Nhập mã hồ sơ cổng thuế trả về (3–100 ký tự).", field="reference")
    if month >= timezone.localdate().strftime("%Y-%m"):
        raise DeclarationError("Chỉ nộp tờ khai của tháng đã kết thúc.", field="month")
    with transaction.atomic():
        if TaxDeclarationFiling.objects.select_for_update().filter(period=month).exists():
            raise DeclarationError(f"Tờ khai tháng {month} đã được ghi nhận là đã nộp.", field="month")
        filing = TaxDeclarationFiling.objects.create(period=month, reference=reference, filed_by=actor)
        audit.record(actor=actor, action="tax.declaration_filed", target=filing, detail={"reference": reference})
    return filing


def remind_unfiled(*, today: datetime.date | None = None) -> int:
    """Tell the operators (SMS, e-mail) when last month had withholdings and its declaration is not marked filed;
    returns how many messages were queued."""
    month = previous_month(today=today)
    if TaxDeclarationFiling.objects.filter(period=month).exists():
        return 0
    if not TaxWithholding.objects.filter(period=month).exists():
        return 0
    due = due_date(month=month).strftime("%d/%m/%Y")
    link = f"{settings.PUBLIC_URL}/van-hanh/thue/{month}/"
    text = f"Tay Bac Hub: to khai thue khau tru thang {month} chua nop. Han {due}. {link}"
    operators = User.objects.filter(is_active=True).filter(role=Role.OPERATOR) | User.objects.filter(
        is_active=True, is_superuser=True
    )
    messages = []
    for user in operators.distinct().order_by("pk"):
        if user.phone:
            messages.append(outbox.sms(phone=user.phone, text=text))
        if user.email:
            messages.append(
                outbox.email(
                    address=user.email,
                    subject=f"Tờ khai thuế khấu trừ tháng {month} chưa nộp (hạn {due})",
                    body=f"Tháng {month} có thuế đã khấu trừ, nộp thay cho hộ kinh doanh nhưng tờ khai chưa được "
                    f"ghi nhận là đã nộp. Hạn nộp: {due}. Tải tệp và ghi nhận tại {link}",
                )
            )
    with transaction.atomic():
        outbox.enqueue(messages)
    return len(messages)
