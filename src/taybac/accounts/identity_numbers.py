"""Form checks for the identity numbers a seller records: citizen ID (CCCD) and tax codes (MST).

These catch typing mistakes, not fraud: the hub cannot ask the national population database. Rules:
- Citizen ID, 12 digits (Circular 59/2021/TT-BCA art. 7 and its annex; the same scheme as Circular 07/2016):
  digits 1–3 the province code of birth registration (the 63 codes 001–096 of the annex), digit 4 the century and
  sex (0/1 born 1900–1999, 2/3 born 2000–2099; 4–9 are for later centuries and cannot belong to a living seller),
  digits 5–6 the last two digits of the year of birth, digits 7–12 a serial number.
  Since 1 July 2025 the personal tax code is this number (Circular 86/2024/TT-BTC, in force 1 July 2025).
- Tax code, 10 digits, or 13 as "0123456789-001" for a branch (Circular 105/2020/TT-BTC art. 5): digits 3–9 not
  all zero, the 10th digit the check digit of the first nine with weights 31, 29, 23, 19, 17, 13, 7, 5, 3:
  10 − (Σ mod 11); a sum ≡ 0 (mod 11) gives no valid digit, so no code is issued for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from taybac.core.errors import DomainError

# Circular 59/2021/TT-BCA annex (province codes of the 63 pre-2025 provinces; numbers issued keep them).
CITIZEN_ID_PROVINCES = frozenset(
    {1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42}
    | {44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84}
    | {86, 87, 89, 91, 92, 93, 94, 95, 96}
)
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
MAX_INPUT = 40  # characters typed, spaces and dots included

CITIZEN_ID = "citizen_id"
PERSONAL_TAX = "personal_tax"
BUSINESS_TAX = "business_tax"

_SEPARATORS = re.compile(r"[\s.]+")


class IdentityNumberError(DomainError):
    """The number typed does not have the form of its kind; the message says what to fix."""

    code = "invalid_identity_number"


@dataclass(frozen=True)
class IdentityNumber:
    kind: str
    number: str  # normalised: digits, and "-NNN" for a branch tax code

    @property
    def last4(self) -> str:
        return self.number.replace("-", "")[-4:]


def tax_check_digit(first_nine: str) -> int | None:
    """The MST check digit of nine digits, or None when no code can end them (the sum is a multiple of 11)."""
    remainder = sum(w * int(d) for w, d in zip(TAX_WEIGHTS, first_nine, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def _clean(raw: str) -> str:
    if len(raw) > MAX_INPUT:
        raise IdentityNumberError("Số quá dài.", field="number")
    return _SEPARATORS.sub("", raw or "")


def parse_citizen_id(raw: str, *, today: date | None = None) -> str:
    """The 12 digits of a CCCD number, or IdentityNumberError in Vietnamese."""
    number = _clean(raw)
    if not number:
        raise IdentityNumberError("Vui lòng nhập số CCCD (12 số).", field="number")
    if not (number.isascii() and number.isdigit()) or len(number) != 12:
        raise IdentityNumberError("Số CCCD phải gồm đúng 12 chữ số.", field="number")
    if int(number[:3]) not in CITIZEN_ID_PROVINCES:
        raise IdentityNumberError(
            "Ba số đầu của CCCD không phải mã tỉnh nơi đăng ký khai sinh. Vui lòng kiểm tra lại.", field="number"
        )
    century_sex = int(number[3])
    if century_sex > 3:
        raise IdentityNumberError("Số thứ tư của CCCD (thế kỷ và giới tính) không đúng.", field="number")
    year = (1900 if century_sex < 2 else 2000) + int(number[4:6])
    if year > (today or date.today()).year:
        raise IdentityNumberError("Năm sinh trong số CCCD ở tương lai. Vui lòng kiểm tra lại.", field="number")
    return number


def parse_tax_code(raw: str, *, allow_branch: bool) -> str:
    """A 10-digit MST, or "0123456789-001" for a branch when allowed, or IdentityNumberError in Vietnamese."""
    number = _clean(raw)
    if not number:
        raise IdentityNumberError("Vui lòng nhập mã số thuế.", field="number")
    head, dash, branch = number.partition("-")
    if not dash and len(head) == 13 and allow_branch:
        head, branch, dash = head[:10], head[10:], "-"
    digits = head + branch
    if not (digits.isascii() and digits.isdigit()) or len(head) != 10 or (dash and len(branch) != 3):
        shape = "10 số, hoặc 13 số dạng 0123456789-001 cho chi nhánh" if allow_branch else "đúng 10 chữ số"
        raise IdentityNumberError(f"Mã số thuế phải gồm {shape}.", field="number")
    if dash and not allow_branch:
        raise IdentityNumberError("Mã số thuế cá nhân gồm 10 chữ số, không có phần chi nhánh.", field="number")
    if head[2:9] == "0000000" or (dash and branch == "000"):
        raise IdentityNumberError("Mã số thuế không đúng. Vui lòng kiểm tra lại.", field="number")
    if tax_check_digit(head[:9]) != int(head[9]):
        raise IdentityNumberError(
            "Mã số thuế không đúng (sai chữ số kiểm tra). Vui lòng kiểm tra lại từng số.", field="number"
        )
    return f"{head}-{branch}" if dash else head


def parse(kind: str, raw: str, *, today: date | None = None) -> IdentityNumber:
    """Check `raw` as a number of `kind` (a SellerIdentity.IdKind value) and return it normalised."""
    if kind == CITIZEN_ID:
        return IdentityNumber(kind, parse_citizen_id(raw, today=today))
    if kind == PERSONAL_TAX:
        return IdentityNumber(kind, parse_tax_code(raw, allow_branch=False))
    if kind == BUSINESS_TAX:
        return IdentityNumber(kind, parse_tax_code(raw, allow_branch=True))
    raise IdentityNumberError("Vui lòng chọn loại giấy tờ.", field="id_kind")


def masked(number: str) -> str:
    """ "•••• •••• 1234": enough for the seller to recognise their number, useless to anyone else."""
    return f"•••• •••• {number.replace('-', '')[-4:]}"
