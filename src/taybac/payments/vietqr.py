"""NAPAS VietQR: the EMVCo merchant-presented QR payload that Vietnamese banking apps scan to pre-fill a transfer.

Layout (EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode v1.1, and NAPAS's VietQR /
IBFT QR format that profiles it; the test vectors in tests/payments/test_vietqr.py name their public sources):
00 format "01", 01 "12" dynamic (amount set) / "11" static, 38 merchant account {00 GUID A000000727, 01 {00 BIN,
01 account}, 02 service QRIBFTTA}, 53 currency 704, 54 amount, 58 country VN, 62 {08 purpose}, 63 CRC-16/
CCITT-FALSE (polynomial 0x1021, initial 0xFFFF: `binascii.crc_hqx`) over everything before it including "6304",
upper-case hex.
"""

from __future__ import annotations

import binascii
import io
import re

import segno

from taybac.core.errors import DomainError
from taybac.core.text import strip_marks

NAPAS_GUID = "A000000727"
SERVICES = {"QRIBFTTA", "QRIBFTTC"}  # to an account / to a card
MAX_PURPOSE = 25
_PURPOSE_CHARS = re.compile(r"[^A-Za-z0-9 ]+")


class VietQRError(DomainError):
    code = "invalid_vietqr"


def crc(payload: str) -> str:
    """The tag-63 value: CRC-16/CCITT-FALSE of the payload up to and including "6304", four upper-case hex digits."""
    return f"{binascii.crc_hqx(payload.encode('ascii'), 0xFFFF):04X}"


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(f"Field {tag} is longer than 99 characters.")
    return f"{tag}{len(value):02d}{value}"


def clean_purpose(text: str) -> str:
    """Memo text banks accept: ASCII letters, digits and spaces; Vietnamese loses its marks ("Đơn" -> "Don"),
    case is kept."""
    return " ".join(_PURPOSE_CHARS.sub(" ", strip_marks(text)).split())


def build_payload(*, bin: str, account: str, amount: int | None, purpose: str = "", service: str = "QRIBFTTA") -> str:
    """The payload string; `amount` None makes a static QR (the payer types the amount)."""
    if not (isinstance(bin, str) and bin.isdigit() and len(bin) == 6):
        raise VietQRError("Bank BIN must be 6 digits.", field="bin")
    if not (isinstance(account, str) and account.isdigit() and 1 <= len(account) <= 19):
        raise VietQRError("Account number must be 1–19 digits.", field="account")
    if service not in SERVICES:
        raise VietQRError("Service must be QRIBFTTA or QRIBFTTC.", field="service")
    if amount is not None and (
        isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 9_999_999_999_999
    ):
        raise VietQRError("Amount must be a whole number of đồng from 1 to 13 digits.", field="amount")
    memo = clean_purpose(purpose)
    if len(memo) > MAX_PURPOSE:
        raise VietQRError(f"Purpose is longer than {MAX_PURPOSE} characters.", field="purpose")
    beneficiary = _tlv("00", bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", service)
    body = _tlv("00", "01") + _tlv("01", "11" if amount is None else "12") + _tlv("38", merchant) + _tlv("53", "704")
    if amount is not None:
        body += _tlv("54", str(amount))
    body += _tlv("58", "VN")
    if memo:
        body += _tlv("62", _tlv("08", memo))
    body += "6304"
    return body + crc(body)


def _fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    i = 0
    while i < len(text):
        if i + 4 > len(text) or not text[i : i + 4].isdigit():
            raise VietQRError(f"Malformed TLV at position {i}.")
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        value = text[i + 4 : i + 4 + length]
        if len(value) != length:
            raise VietQRError(f"Field {tag} declares {length} characters but has {len(value)}.")
        if tag in fields:
            raise VietQRError(f"Field {tag} appears twice.")
        fields[tag] = value
        i += 4 + length
    return fields


def parse_payload(text: str) -> dict[str, object]:
    """Strict decode: every length checked, the CRC verified, the NAPAS fields extracted."""
    if not isinstance(text, str) or not text.isascii() or len(text) < 8 or text[-8:-4] != "6304":
        raise VietQRError("Not a VietQR payload (no CRC field at the end).")
    if crc(text[:-4]) != text[-4:].upper():
        raise VietQRError("CRC mismatch: the payload was altered or mistyped.")
    top = _fields(text)
    merchant = _fields(top.get("38", ""))
    beneficiary = _fields(merchant.get("01", ""))
    if merchant.get("00") != NAPAS_GUID or "00" not in beneficiary or "01" not in beneficiary:
        raise VietQRError("No NAPAS beneficiary (tag 38) in the payload.")
    extra = _fields(top["62"]) if "62" in top else {}
    return {
        "dynamic": top.get("01") == "12",
        "bin": beneficiary["00"],
        "account": beneficiary["01"],
        "service": merchant.get("02"),
        "currency": top.get("53"),
        "country": top.get("58"),
        "amount": int(top["54"]) if "54" in top else None,
        "purpose": extra.get("08", ""),
        "bill_number": extra.get("01", ""),
    }


def qr_svg(payload: str) -> str:
    """A compact inline SVG (no XML declaration), error correction M, for the payment page."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        buffer, kind="svg", border=2, xmldecl=False, svgns=True, nl=False, omitsize=True, title="VietQR"
    )
    return buffer.getvalue().decode("ascii")


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """The same code as a PNG a phone can save to its gallery and open in a banking app's "scan from image"
    (error correction M, a 4-module quiet zone as ISO/IEC 18004 asks; about 400 px square at scale 8)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
