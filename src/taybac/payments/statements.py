"""Importing a bank statement (CSV) so transfers the notification service missed are matched too.

Columns (header row, any order, case-insensitive): transaction_id, date (YYYY-MM-DD HH:MM:SS or
DD/MM/YYYY), amount (đồng; "1.250.000" accepted), description. Credits only: negative amounts are money
leaving the account. Every row goes through the same matching as a webhook, and a row whose transaction id
was already notified changes nothing.
"""
from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from taybac.core.errors import DomainError
from taybac.payments.models import BankTransaction
from taybac.payments.providers.base import BankTransfer
from taybac.payments.reconciliation import record_transfer

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
REQUIRED = ("transaction_id", "date", "amount", "description")
MAX_ROWS = 20_000


class StatementError(DomainError):
    code = "invalid_statement"


@dataclass(frozen=True)
class ImportResult:
    rows: int
    new: int
    outcomes: dict[str, int]


def _when(text: str, line: int) -> datetime.datetime:
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).replace(tzinfo=VIETNAM)
        except ValueError:
            continue
    raise StatementError(f"Dòng {line}: ngày '{text}' không đúng định dạng.", field="date")


def _amount(text: str, line: int) -> int:
    cleaned = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-")
    if not digits.isdigit():
        raise StatementError(f"Dòng {line}: số tiền '{text}' không hợp lệ.", field="amount")
    return sign * int(digits)


def parse_statement(data: bytes, *, provider: str = "statement") -> list[BankTransfer]:
    """All rows or none: one bad row refuses the file with its line number."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError("Tệp phải là CSV mã hóa UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = {h.strip().lower(): h for h in (reader.fieldnames or []) if h}
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise StatementError(f"Thiếu cột: {', '.join(missing)}.")
    transfers = []
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise StatementError(f"Tối đa {MAX_ROWS} dòng mỗi lần.")
        value = {c: (row.get(headers[c]) or "") for c in REQUIRED}
        if not value["transaction_id"].strip():
            raise StatementError(f"Dòng {line}: thiếu mã giao dịch.", field="transaction_id")
        amount = _amount(value["amount"], line)
        transfers.append(BankTransfer(provider=provider, transaction_id=value["transaction_id"].strip()[:64],
                                      account_number="", amount=abs(amount), direction="in" if amount > 0 else "out",
                                      memo=value["description"][:500], occurred_at=_when(value["date"], line),
                                      raw={k: str(v) for k, v in row.items() if k}))
    return transfers


def import_statement(data: bytes, *, provider: str = "statement") -> ImportResult:
    transfers = parse_statement(data, provider=provider)
    outcomes: dict[str, int] = {}
    new = 0
    for transfer in transfers:
        tx, created = record_transfer(transfer)
        new += created
        outcomes[tx.outcome] = outcomes.get(tx.outcome, 0) + 1
    return ImportResult(rows=len(transfers), new=new, outcomes=outcomes)


def needs_review() -> list[BankTransaction]:
    review = [BankTransaction.Outcome.PARTIAL, BankTransaction.Outcome.OVERPAID, BankTransaction.Outcome.LATE,
              BankTransaction.Outcome.UNMATCHED]
    return list(BankTransaction.objects.filter(outcome__in=review).select_related("shop_order"))
