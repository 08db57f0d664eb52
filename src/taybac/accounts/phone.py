"""Vietnamese phone numbers: validated with phonenumbers.is_valid_number, stored in E.164."""

from __future__ import annotations

import phonenumbers

from taybac.core.errors import DomainError


class PhoneError(DomainError):
    """A phone number that is not a valid Vietnamese mobile number."""


def normalize_phone(raw: str, *, mobile_only: bool = True) -> str:
    """'0912 345 678' -> '+84912345678'. Old 11-digit numbers are refused (is_possible_number lets them through)."""
    text = (raw or "").strip()
    if not text:
        raise PhoneError("Vui lòng nhập số điện thoại.")
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        raise PhoneError("Số điện thoại không hợp lệ.") from None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise PhoneError("Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678.")
    if mobile_only and phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise PhoneError("Vui lòng dùng số di động để nhận mã xác nhận.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """'+84912345678' -> '0912 345 678' as Vietnamese people write it."""
    return phonenumbers.format_number(phonenumbers.parse(e164, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL)
