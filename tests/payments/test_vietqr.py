"""VietQR payloads: published samples, strict decoding, and an independent decoder over random payloads.

Where each vector comes from (public sources; every payload was also decoded by hand, field by field):
* subiz/vietqr (github.com/subiz/vietqr, MIT): README.md and vietqr_test.go (`ExampleString`, `TestQR`,
  `TestCrc32`); the repository keeps a copy of NAPAS's VietQR specification under spec/.
* giautm/emvqr-go (github.com/giautm/emvqr-go): emvqr_test.go `Test_BuildPayload`, a VietQR with tag 62 before 38.
* NAPAS's VietQR (IBFT) specification examples "dynamic QR to card" (good) and "static QR to account" (bad:
  its sub-tag 01 declares 12 characters and holds 13), as reproduced in many public libraries' tests.
* unicubevn/vietqr-payment-js README.md (bad: the purpose declares 35 characters, holds 30, and the CRC fails).
* The CRC-16/CCITT-FALSE check value 29B1 for "123456789": Greg Cook's CRC RevEng catalogue (CRC-16/IBM-3740,
  alias CRC-16/CCITT-FALSE); the algorithm is the one EMVCo's merchant-presented QR specification names for tag 63
  (ISO/IEC 13239, polynomial 0x1021, initial value 0xFFFF).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taybac.payments.vietqr import VietQRError, build_payload, clean_purpose, crc, parse_payload, qr_svg
from tests.payments.qr_decode import decode_qr

GOOD = [  # (payload, bin, account, amount, purpose)
    # subiz/vietqr README.md and vietqr_test.go ExampleString
    (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
        "62170813ung ho lu lut6304C15C",
        "970415",
        "0011001932418",
        120000,
        "ung ho lu lut",
    ),
    # subiz/vietqr vietqr_test.go TestQR (static, no amount)
    (
        "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4",
        "970423",
        "0099999999",
        None,
        "",
    ),
    # subiz/vietqr vietqr_test.go TestQR
    (
        "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802VN"
        "62200816test text string6304D9C6",
        "970422",
        "0023457923442",
        40123,
        "test text string",
    ),
    # giautm/emvqr-go emvqr_test.go Test_BuildPayload (tag order is free)
    (
        "00020101021262110807tien le38560010A0000007270126000697041501121133666688880208QRIBFTTA5303704540460005802VN"
        "63046893",
        "970415",
        "113366668888",
        6000,
        "tien le",
    ),
    # NAPAS specification "dynamic QR to card" example (bill number NPS6869), also in subiz/vietqr TestCrc32
    (
        "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC530370454061800005802VN"
        "62340107NPS68690819thanh toan don hang6304A203",
        "970403",
        "9704031101234567",
        180000,
        "thanh toan don hang",
    ),
]
BAD = [
    # NAPAS specification "static QR to account" example: sub-tag 01 declares 12 characters, holds 13
    "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5",
    # unicubevn/vietqr-payment-js README.md: purpose declares 35 characters, holds 30; CRC wrong
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
    "62390835THANH TOAN BILL 12-12 CHO JEAN6304F6B3",
]
CRC_VECTORS = [  # (data, CRC): subiz/vietqr vietqr_test.go TestCrc32, and the RevEng catalogue's check value
    ("00", "2EC9"),
    ("01", "3EE8"),
    ("00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN6304", "4F52"),
    (
        "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN"
        "62340107NPS68690819thanh toan don hang6304",
        "2E2E",
    ),
    ("123456789", "29B1"),
]


def reference_crc(data: bytes) -> int:
    """CRC-16/CCITT-FALSE bit by bit, as the specification describes it (no code shared with vietqr.py)."""
    value = 0xFFFF
    for byte in data:
        value ^= byte << 8
        for _ in range(8):
            value = (value << 1 ^ 0x1021 if value & 0x8000 else value << 1) & 0xFFFF
    return value


def independent_decode(text: str) -> dict[str, str]:
    """A second, deliberately naive-but-strict TLV reader (no code shared with vietqr.py)."""

    def walk(s: str) -> dict[str, str]:
        out, i = {}, 0
        while i < len(s):
            tag, n = s[i : i + 2], int(s[i + 2 : i + 4])
            assert len(s[i + 4 : i + 4 + n]) == n, "length mismatch"
            out[tag] = s[i + 4 : i + 4 + n]
            i += 4 + n
        return out

    assert f"{reference_crc(text[:-4].encode()):04X}" == text[-4:], "crc"
    top = walk(text)
    acct = walk(walk(top["38"])["01"])
    return {
        "bin": acct["00"],
        "account": acct["01"],
        "amount": top.get("54"),
        "purpose": walk(top["62"]).get("08", "") if "62" in top else "",
        "currency": top["53"],
        "country": top["58"],
    }


@pytest.mark.parametrize("payload, bin_, account, amount, purpose", GOOD)
def test_published_samples_decode(payload, bin_, account, amount, purpose):
    decoded = parse_payload(payload)
    assert (decoded["bin"], decoded["account"], decoded["amount"], decoded["purpose"]) == (
        bin_,
        account,
        amount,
        purpose,
    )
    assert decoded["currency"] == "704" and decoded["country"] == "VN"


@pytest.mark.parametrize("data, expected", CRC_VECTORS)
def test_crc_vectors(data, expected):
    assert crc(data) == expected == f"{reference_crc(data.encode()):04X}"


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=512))
def test_crc_equals_the_bitwise_reference(text):
    """binascii.crc_hqx with initial value 0xFFFF is CRC-16/CCITT-FALSE on any ASCII payload."""
    assert crc(text) == f"{reference_crc(text.encode('ascii')):04X}"


@pytest.mark.parametrize("payload", BAD)
def test_malformed_published_examples_are_refused(payload):
    with pytest.raises(VietQRError):
        parse_payload(payload)


def test_builder_reproduces_the_published_dynamic_example():
    assert build_payload(bin="970415", account="0011001932418", amount=120000, purpose="ung ho lu lut") == GOOD[0][0]
    assert build_payload(bin="970423", account="0099999999", amount=None) == GOOD[1][0]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bin": "97041"},
        {"account": "12ab"},
        {"account": "1" * 20},
        {"amount": 0},
        {"amount": 10**13},
        {"amount": True},
        {"purpose": "x" * 26},
        {"service": "QRPUSH"},
    ],
)
def test_builder_refuses_bad_fields(kwargs):
    args = {"bin": "970415", "account": "0011001932418", "amount": 1000, "purpose": "TBACDE3479", **kwargs}
    with pytest.raises(VietQRError):
        build_payload(**args)


def test_purpose_folds_vietnamese():
    assert clean_purpose("Thanh toán đơn TB-ACDE-3479!") == "Thanh toan don TB ACDE 3479"


@given(
    bin_=st.text("0123456789", min_size=6, max_size=6),
    account=st.text("0123456789", min_size=1, max_size=19),
    amount=st.integers(min_value=1, max_value=9_999_999_999_999),
    purpose=st.text("ABCDEFGHJKMNPQRTUVWXY0123456789", min_size=0, max_size=25),
)
def test_random_payloads_decode_independently(bin_, account, amount, purpose):
    payload = build_payload(bin=bin_, account=account, amount=amount, purpose=purpose)
    assert independent_decode(payload) == {
        "bin": bin_,
        "account": account,
        "amount": str(amount),
        "purpose": purpose,
        "currency": "704",
        "country": "VN",
    }
    assert parse_payload(payload)["amount"] == amount


@given(position=st.integers(min_value=0, max_value=200), replacement=st.sampled_from("0123456789ABCXYZ "))
def test_any_single_character_change_is_detected(position, replacement):
    payload = build_payload(bin="970415", account="0011001932418", amount=350000, purpose="TBACDE3479")
    position %= len(payload)
    if payload[position] == replacement:
        return
    with pytest.raises(VietQRError):
        parse_payload(payload[:position] + replacement + payload[position + 1 :])


def test_svg_is_inline_ready():
    svg = qr_svg(build_payload(bin="970415", account="0011001932418", amount=350000, purpose="TBACDE3479"))
    assert svg.startswith("<svg") and "<?xml" not in svg and len(svg) < 20_000


@settings(max_examples=25, deadline=None)
@given(
    bin_=st.sampled_from(["970436", "970415", "970422", "970418"]),
    account=st.from_regex(r"[0-9]{6,19}", fullmatch=True),
    amount=st.integers(1, 10**10),
    purpose=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789 -", max_size=25),
)
def test_the_drawn_qr_code_decodes_to_the_payload(bin_, account, amount, purpose):
    """Draw the code the way the page does (segno, error correction M) and read it back with ZXing."""
    import io

    import segno

    payload = build_payload(bin=bin_, account=account, amount=amount, purpose=purpose)
    png = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(png, kind="png", scale=4, border=2)
    text = decode_qr(png.getvalue())
    assert text == payload and parse_payload(text)["amount"] == amount
