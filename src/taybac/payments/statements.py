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
from taybac.payments.providers.base import MAX_TRANSACTION_ID, MAX_TRANSFER_AMOUNT, BankTransfer
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
    sign = -1 if cleaned[:1] == "-" else 1
    digits = cleaned[1:] if cleaned[:1] in "+-" else cleaned
    if not (digits.isascii() and digits.isdigit()):
        raise StatementError(f"Dòng {line}: số tiền '{text[:40]}' không hợp lệ.", field="amount")
    if len(digits) > len(str(MAX_TRANSFER_AMOUNT)) or int(digits) > MAX_TRANSFER_AMOUNT:
        raise StatementError(
            f"Dòng {line}: số tiền vượt quá {MAX_TRANSFER_AMOUNT:,} đồng.".replace(",", "."), field="amount"
        )
    return sign * int(digits)


def _transaction_id(text: str, line: int) -> str:
    """Kept whole, like a notified id: a longer one is refused, never cut (cut ids could collide)."""
    value = text.strip()
    if not value:
        raise StatementError(f"Dòng {line}: thiếu mã giao dịch.", field="transaction_id")
    if len(value) > MAX_TRANSACTION_ID:
        raise StatementError(f"Dòng {line}: mã giao dịch dài quá {MAX_TRANSACTION_ID} ký tự.", field="transaction_id")
    return value


def _transfer(row: dict, headers: dict[str, str], line: int, provider: str) -> BankTransfer:
    value = {c: (row.get(headers[c]) or "") for c in REQUIRED}
    transaction_id = _transaction_id(value["transaction_id"], line)
    amount = _amount(value["amount"], line)
    return BankTransfer(
        provider=provider,
        transaction_id=transaction_id,
        account_number="",
        amount=abs(amount),
        direction="in" if amount > 0 else "out",
        memo=value["description"][:500],
        occurred_at=_when(value["date"], line),
        raw={k: str(v) for k, v in row.items() if k},
    )


def parse_statement(data: bytes, *, provider: str = "statement") -> list[BankTransfer]:
    """All rows or none: one bad row refuses the file with its line number."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError("Tệp phải là CSV mã hóa UTF-8.") from None
    if "\x00" in text:  # no bank writes it, and PostgreSQL cannot store it
        raise StatementError("Tệp có ký tự NUL: không phải tệp CSV sao kê.")
    reader = csv.DictReader(io.StringIO(text))
    transfers = []
    try:
        headers = {h.strip().lower(): h for h in (reader.fieldnames or []) if h}
        missing = [c for c in REQUIRED if c not in headers]
        if missing:
            raise StatementError(f"Thiếu cột: {', '.join(missing)}.")
        for line, row in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                raise StatementError(f"Tối đa {MAX_ROWS} dòng mỗi lần.")
            transfers.append(_transfer(row, headers, line, provider))
    except csv.Error as error:  # e.g. a cell over the csv module's 128 KB field limit
        raise StatementError(f"Không đọc được CSV (gần dòng {reader.line_num + 1}: {error}).") from None
    return transfers


def import_statement(data: bytes, *, provider: str = "statement") -> ImportResult:
    transfers = parse_statement(data, provider=provider)
    outcomes: dict[str, int] = {}
    new = 0
    for transfer in transfers:
        tx, created = record_transfer(transfer=transfer)
        new += created
        outcomes[tx.outcome] = outcomes.get(tx.outcome, 0) + 1
    return ImportResult(rows=len(transfers), new=new, outcomes=outcomes)


def needs_review() -> list[BankTransaction]:
    review = [
        BankTransaction.Outcome.PARTIAL,
        BankTransaction.Outcome.OVERPAID,
        BankTransaction.Outcome.LATE,
        BankTransaction.Outcome.UNMATCHED,
    ]
    return list(BankTransaction.objects.filter(outcome__in=review).select_related("shop_order"))
