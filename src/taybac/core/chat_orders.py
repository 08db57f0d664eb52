"""Reading "chốt đơn" comments of a live selling session: which product codes, how many, which phone.

Buyers watching a live session order by comment: "chốt A2 x3 0912345678", "chot a2 ba hu 0912.345.678",
"lấy 2 hũ M1 nhé sdt 0987654321", "A2 5". parse_order_comment turns such a comment into lines the producer
confirms in one tap, and returns None for anything else ("đẹp quá", "A2 giá bao nhiêu", "huỷ A2"). It would rather
miss an order than invent one: an ambiguous comment (two quantities for one code, an unknown code, a quantity of 0
or above MAX_QUANTITY, half a jar) is None, and the producer still sees it in the chat.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from taybac.core.chat_text import find_phones, normalise, read_number, unit_for

MAX_COMMENT_LENGTH = 500  # longer comments are not read (live chat comments are a line or two)
MAX_QUANTITY = 999
MAX_LINES = 10  # lines one comment may order
# A product code in a session: 1–4 letters then 1–3 digits, "A1", "M2", "CHE1" (what live sellers show on screen).
CODE_PATTERN = re.compile(r"[A-Za-z]{1,4}[0-9]{1,3}")


@dataclass(frozen=True)
class OrderLine:
    """One product ordered: its code as the session spells it, a quantity (whole, except for weights: "nửa cân"
    is 0.5 kg), the unit named ("hũ", "kg"…, None if the buyer named none) and the weight in kg when it is one."""

    code: str
    quantity: Decimal
    unit: str | None = None
    kg: Decimal | None = None


@dataclass(frozen=True)
class OrderComment:
    """An order read from a comment: one or more lines (different codes, in the comment's order) and the phone
    number written in it (E.164, the first one if several), or None."""

    lines: tuple[OrderLine, ...]
    phone: str | None = None


def is_valid_code(code: str) -> bool:
    """Whether a product code can be read in comments (see CODE_PATTERN); sessions should refuse other codes."""
    return bool(CODE_PATTERN.fullmatch(code or ""))


_TOKEN = re.compile(r"[a-z]+\d+|\d+(?:[.,]\d+)*|[a-z]+|[,;+&]")
_SPACED_CODE = re.compile(r"\b([a-z]{1,4})[-_.](\d{1,3})\b")
# Words saying "I take it" ("c" and "ck" are chat short forms of chốt used in live sessions).
_ORDER_WORDS = {"chot", "c", "ck", "lay", "mua", "dat", "order", "oder", "gui", "them", "cho", "ship", "giu"}
_CANCEL = [("huy",), ("khong", "lay"), ("ko", "lay"), ("k", "lay"), ("khong", "chot"), ("ko", "chot"), ("bo",)]
_CANCEL += [("thoi",), ("k", "chot"), ("khong", "mua"), ("ko", "mua"), ("k", "mua"), ("doi", "y")]
_QUESTIONS = [("bao", "nhieu"), ("bn",), ("gia",), ("con", "khong"), ("con", "ko"), ("con", "k"), ("con", "hang")]
_QUESTIONS += [("bao", "lau"), ("bao", "gio"), ("khi", "nao"), ("sao",), ("ntn",), ("the", "nao"), ("co", "khong")]
_QUESTIONS += [("co", "ko"), ("co", "k"), ("hong",), ("nao",), ("gi",), ("j",), ("hok",)]
_SEPARATORS = {",", ";", "+", "&", "va", "voi"}
_QUANTITY_MARKERS = {"x", "sl"}
# A number followed by one of these is money, time or a distance, not a quantity: "50k", "5h", "2 ngày".
_NOT_QUANTITY_AFTER = {"k", "d", "dong", "vnd", "nghin", "ngan", "tr", "trieu", "h", "gio", "phut", "ngay", "tuan"}
_NOT_QUANTITY_AFTER |= {"thang", "tuoi", "km", "m", "lan", "p", "tieng"}
# A number after one of these is part of an address or a name: "số 12", "ngõ 5", "tổ 3", "quận 1".
_NOT_QUANTITY_BEFORE = {"so", "ngo", "ngach", "hem", "kiet", "to", "xom", "thon", "ban", "khu", "phong", "nha", "tang"}
_NOT_QUANTITY_BEFORE |= {"quan", "phuong", "duong", "km", "lo", "ap", "doi", "canh"}
# Letters + digits that are not product codes: a quantity ("x3", "sl3") or an address ("q1", "p3").
_ADDRESS_CODES = {"q", "p", "f"}
_CODE_LIKE = re.compile(r"([a-z]{1,4})\d{1,3}")
# Words that may stand beside bare codes in a comment that is only codes ("A2 nha shop").
_FILLERS = {"a", "e", "em", "nha", "nhe", "ad", "shop", "oi", "ah", "ak", "nhen", "please", "luon"}


@dataclass
class _Quantity:
    position: int
    value: Decimal
    unit: str | None
    kg: Decimal | None


def _words_at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(phrase)]) == phrase


def _has_phrase(words: list[str], phrases: list[tuple[str, ...]]) -> bool:
    return any(_words_at(words, i, p) for i in range(len(words)) for p in phrases)


def _read_quantity(words: list[str], i: int, codes_at: set[int]) -> tuple[_Quantity | None, int]:
    """A quantity at words[i] (number, unit, "rưỡi") -> (quantity or None if it is none, words used)."""
    word = words[i]
    explicit = False
    if word in _QUANTITY_MARKERS or (word == "so" and i + 1 < len(words) and words[i + 1] == "luong"):
        explicit, start = True, i + (2 if word == "so" else 1)
    else:
        start = i
    unit = unit_for(word)
    if unit and unit.kg and i + 1 < len(words) and words[i + 1] == "ruoi":
        return _Quantity(i, Decimal("1.5"), unit.name, unit.kg * Decimal("1.5")), 2  # "cân rưỡi" 1.5 kg
    number = read_number(words, start)
    if number is None:
        return None, 1
    value, used = number
    end = start + used
    after = words[end] if end < len(words) else ""
    before = words[i - 1] if i > 0 else ""
    if after in _NOT_QUANTITY_AFTER or (not explicit and before in _NOT_QUANTITY_BEFORE):
        return None, end - i + (after in _NOT_QUANTITY_AFTER)
    unit = unit_for(after)
    if unit:
        end += 1
        if end < len(words) and words[end] == "ruoi":
            value, end = value + Decimal("0.5"), end + 1
    elif not (explicit or words[start][0].isdigit() or (i - 1) in codes_at or end in codes_at):
        return None, end - i  # "ba", "năm", "sáu" are numbers only next to a code or before a unit
    kg = value * unit.kg if unit and unit.kg is not None else None
    return _Quantity(i, value, unit.name if unit else None, kg), end - i


def _tokens(text: str) -> list[str] | None:
    """Folded tokens of a comment with its phones removed; a code's letters and digits split by "-" are joined."""
    text = _SPACED_CODE.sub(r"\1\2", normalise(text.replace("\n", " , ")))
    out: list[str] = []
    for token in _TOKEN.findall(text):
        head = re.match(r"([a-z]+)(\d+)$", token)
        if head and head.group(1) in _QUANTITY_MARKERS:  # "x3", "sl3": marker and number
            out += [head.group(1), head.group(2)]
        else:
            out.append(token)
    return out


def parse_order_comment(text: str, codes: Collection[str]) -> OrderComment | None:
    """The order in a live-chat comment, or None when it is not one (or not clearly one).

    codes are the session's product codes (see CODE_PATTERN; any other raises ValueError), matched without regard
    to case or diacritics. A code with no quantity counts 1 when the comment says it orders ("chốt A2"), gives a
    phone, or is only codes; a code next to a question ("A2 giá bao nhiêu") or a cancellation ("huỷ A2") is no
    order. Never raises on any text; comments over MAX_COMMENT_LENGTH characters are None."""
    by_key: dict[str, str] = {}
    for code in codes:
        if not is_valid_code(code):
            raise ValueError(f"product code {code!r} does not match {CODE_PATTERN.pattern}")
        by_key[code.lower()] = code
    if not text or len(text) > MAX_COMMENT_LENGTH or not by_key:
        return None
    text = unicodedata.normalize("NFC", text)
    phones = find_phones(text)
    for match in reversed(phones):
        text = text[: match.start] + " , " + text[match.end :]
    words = _tokens(text)
    if not words or _has_phrase(words, _CANCEL):
        return None
    codes_at: dict[int, str] = {}
    for i, word in enumerate(words):
        if word in by_key:
            codes_at[i] = by_key[word]
        elif (like := _CODE_LIKE.fullmatch(word)) and like.group(1) not in _ADDRESS_CODES:
            return None  # a code this session does not sell: ask rather than guess
    if not codes_at:
        return None
    quantities: list[_Quantity] = []
    i = 0
    while i < len(words):
        if i in codes_at or words[i] in _SEPARATORS:
            i += 1
            continue
        quantity, used = _read_quantity(words, i, set(codes_at))
        if quantity is not None:
            quantities.append(quantity)
        i += max(used, 1)
    says_order = bool(_ORDER_WORDS & set(words)) or bool(phones)
    if not says_order and _has_phrase(words, _QUESTIONS):
        return None
    lines = _assign(words, codes_at, quantities)
    if lines is None:
        return None
    only_codes = all(i in codes_at or w in _SEPARATORS or w in _FILLERS for i, w in enumerate(words))
    if any(line is None for _, line in lines) and not (says_order or only_codes):
        return None
    result = tuple(line or OrderLine(code, Decimal(1)) for code, line in lines)
    if len(result) > MAX_LINES or len({line.code for line in result}) != len(result):
        return None
    for line in result:
        if not 0 < line.quantity <= MAX_QUANTITY:
            return None
        if line.quantity != line.quantity.to_integral_value() and line.kg is None:
            return None  # half a jar: only weights come in fractions
    return OrderComment(lines=result, phone=phones[0].e164 if phones else None)


def _segments(words: list[str], codes_at: dict[int, str]) -> list[tuple[int, int]]:
    """Spans of words split at separators; a span without a code joins the span before it (or after, if first)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i, word in enumerate([*words, ","]):
        if word in _SEPARATORS:
            if i > start:
                spans.append((start, i))
            start = i + 1
    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for a, b in spans:
        has_code = any(a <= i < b for i in codes_at)
        if pending is not None:
            a, pending = pending[0], None
        if has_code:
            merged.append((a, b))
        elif merged:
            merged[-1] = (merged[-1][0], b)
        else:
            pending = (a, b)
    return merged


def _assign(
    words: list[str], codes_at: dict[int, str], quantities: list[_Quantity]
) -> list[tuple[str, OrderLine | None]] | None:
    """Each code with its quantity (None if it has none), in order; None if a code gets two quantities."""
    lines: list[tuple[str, OrderLine | None]] = []
    for a, b in _segments(words, codes_at):
        positions = sorted(i for i in codes_at if a <= i < b)
        found = [q for q in quantities if a <= q.position < b]
        owner: dict[int, list[_Quantity]] = {p: [] for p in positions}
        code_first = not found or positions[0] < found[0].position
        for q in found:
            if code_first:
                owner[max(p for p in positions if p < q.position)].append(q)
            else:
                later = [p for p in positions if p > q.position]
                owner[later[0] if later else positions[-1]].append(q)
        for p in positions:
            distinct = {(q.value, q.unit) for q in owner[p]}
            if len(distinct) > 1:
                return None  # "A2 2 3": which is it?
            first = owner[p][0] if owner[p] else None
            line = OrderLine(codes_at[p], first.value, first.unit, first.kg) if first else None
            lines.append((codes_at[p], line))
    return lines
