"""SMS text: the GSM 03.38 default alphabet (GSM-7), so a message fits one 160-character segment.

Vietnamese letters with marks are not in GSM-7; one of them forces the whole message into UCS-2, where a
segment holds only 70 characters, and cheap phones and some gateways mangle them. SMS texts are therefore
written without marks ("Bưu điện xã" -> "Buu dien xa", with core.text's normaliser) and money as "350.000d"
("₫" is not in GSM-7). Reference: 3GPP TS 23.038, section 6.2.1 (default alphabet and its extension table).
"""

from __future__ import annotations

import math

from taybac.core.text import strip_marks

# The default alphabet (one septet each) and the extension table (escape + one septet: two each).
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("^{}\\[~]|€\f")
SINGLE_SEGMENT = 160  # septets in one message
CONCATENATED_SEGMENT = 153  # septets per part once a message is split (the rest carries the part header)

# What strip_marks leaves that is still outside GSM-7, written the way a Vietnamese reader expects.
_REPLACE = str.maketrans(
    {
        "₫": "d",
        "×": "x",
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "\u00a0": " ",
        "\t": " ",
    }
)


def to_gsm7(text: str) -> str:
    """Text that every phone shows as written: marks removed (đ -> d), "₫" -> "d", other characters outside
    GSM-7 dropped. Only for SMS: pages and e-mails keep full Vietnamese."""
    plain = strip_marks(text).translate(_REPLACE)
    return "".join(ch for ch in plain if ch in BASIC or ch in EXTENSION)


def is_gsm7(text: str) -> bool:
    return all(ch in BASIC or ch in EXTENSION for ch in text)


def septets(text: str) -> int:
    """Length in GSM-7 septets: extension characters cost two."""
    return sum(2 if ch in EXTENSION else 1 for ch in text)


def segments(text: str) -> int:
    """How many SMS parts a GSM-7 text is sent as (each part is billed as one message)."""
    length = septets(text)
    return 1 if length <= SINGLE_SEGMENT else math.ceil(length / CONCATENATED_SEGMENT)


def money(amount: int) -> str:
    """An amount of đồng for an SMS: 350000 -> "350.000d" (core.money.format_vnd writes "350.000 ₫")."""
    return f"{amount:,}".replace(",", ".") + "d"
