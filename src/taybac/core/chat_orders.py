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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from taybac.core.chat_text import find_phones, normalise, read_number, unit_for, untelex

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
# Words saying "I take it". Strong ones ("c" and "ck" are live-chat short forms of chốt) keep a comment an order
# next to a question ("A1 còn ko shop, chốt 2 hũ"); weak ones do not ("A1 ship Sài Gòn mất mấy ngày").
_STRONG_ORDER_WORDS = {"chot", "c", "ck", "lay", "mua", "dat", "order", "oder", "giu"}
# "c" and "ck" order only right before a code ("c A2 sl 3"): elsewhere they are chị ("A1 đẹp c ơi") and
# chuyển khoản ("em ck luôn").
_SHORT_ORDER_WORDS = {"c", "ck"}
_WEAK_ORDER_WORDS = {"gui", "them", "cho", "ship", "de"}
# Orders told about, not placed: "năm ngoái em mua rồi", "hôm qua mình đặt".
_PAST = [("mua", "roi"), ("dat", "roi"), ("da", "mua"), ("da", "dat"), ("hom", "qua"), ("hqua",), ("nam", "ngoai")]
_PAST += [("lan", "truoc"), ("hom", "truoc"), ("bua", "truoc")]
# ... or promised for later: "đợi lương về em chốt A1", "tuần sau em lấy".
_PAST += [("se", "chot"), ("se", "lay"), ("se", "mua"), ("de", "sau"), ("lat", "nua"), ("luong", "ve")]
_PAST += [("tuan", "sau"), ("thang", "sau"), ("lan", "sau"), ("dip", "sau"), ("hom", "khac")]
# "mỗi loại 2 hũ": one quantity for every code named.
_EACH = [("moi", "loai"), ("moi", "thu"), ("moi", "ma"), ("moi", "mau"), ("moi", "vi"), ("moi", "sp")]
# Cancellations. "bỏ" alone is no cancellation (it folds like "bó", a bunch, and "bò"), nor "thôi" before "gian"
# (thời gian, time) and the like; "Huy" inside a sentence is a name (see _NAME_HUY).
_CANCEL = [("huy",), ("khong", "lay"), ("ko", "lay"), ("k", "lay"), ("khong", "chot"), ("ko", "chot")]
_CANCEL += [
    ("bo", "don"),
    ("em", "bo"),
    ("minh", "bo"),
    ("bo", "qua"),
    ("bo", "ra"),
    ("thoi",),
    ("k", "chot"),
    ("khong", "mua"),
    ("ko", "mua"),
    ("k", "mua"),
    ("doi", "y"),
    ("doi", "sang"),
]
_NOT_CANCEL_AFTER_THOI = {"gian", "tiet", "vu", "han", "diem", "trang"}
_NAME_HUY = re.compile(r"(?<=\w )Huy(?!\w)")  # "tên Huy", "anh Huy": a name, not "hủy" typed without marks
# "lấy 2 hũ thì bớt bao nhiêu": a question after a condition asks, even with a firm word and a quantity.
_CONDITIONS = [("thi",), ("neu",)]
_QUESTIONS = [("bao", "nhieu"), ("bn",), ("gia",), ("con", "khong"), ("con", "ko"), ("con", "k"), ("con", "hang")]
_QUESTIONS += [("bao", "lau"), ("bao", "gio"), ("khi", "nao"), ("sao",), ("ntn",), ("the", "nao"), ("co", "khong")]
_QUESTIONS += [("co", "ko"), ("co", "k"), ("hong",), ("nao",), ("gi",), ("j",), ("hok",), ("may",)]
_QUESTIONS += [
    ("chua",),
    ("xem",),
    ("o", "dau"),
    ("dau",),
    ("duoc", "khong"),
    ("duoc", "ko"),
    ("dc", "khong"),
    ("dc", "ko"),
    ("dc", "k"),
    ("duoc", "k"),
]
# "đắt" (expensive) folds to "dat" like "đặt" (to order): when typed with its marks it is read as its southern
# synonym "mắc" first ("A3 đẹp nhưng hơi đắt" is no order); typed without, "hoi dat", "dat qua" are no order either.
_EXPENSIVE = re.compile(r"(?<!\w)đắt(?!\w)", re.IGNORECASE)
_QUESTIONS += [("hoi", "dat"), ("dat", "qua"), ("dat", "vay"), ("dat", "the")]
# A yes/no question ends with "không" (or "chưa"…) however far from "có": "A1 có ship hỏa tốc không".
_QUESTION_ENDINGS = {"khong", "ko", "k", "hong", "hok", "chua", "nhi"}
_SEPARATORS = {",", ";", "+", "&", "va", "voi"}
_QUANTITY_MARKERS = {"x", "sl"}
# A number followed by one of these is money, time or a distance, not a quantity: "50k", "5h", "2 ngày".
_NOT_QUANTITY_AFTER = {"k", "d", "dong", "vnd", "nghin", "ngan", "tr", "trieu", "h", "gio", "phut", "ngay", "tuan"}
_NOT_QUANTITY_AFTER |= {"thang", "tuoi", "km", "m", "lan", "p", "tieng", "don"}
# A number after one of these is part of an address or a name: "số 12", "ngõ 5", "tổ 3", "quận 1".
_NOT_QUANTITY_BEFORE = {"so", "ngo", "ngach", "hem", "kiet", "to", "xom", "thon", "ban", "khu", "phong", "nha", "tang"}
_NOT_QUANTITY_BEFORE |= {"quan", "phuong", "duong", "km", "lo", "ap", "doi", "canh", "size", "dc"}
# Everything after these words is an address: "địa chỉ: 15 Lê Lợi".
_ADDRESS_STARTS = [("dia", "chi"), ("d", "c"), ("dc", "nha")]
# Letters + digits that are not product codes: a quantity ("x3", "sl3") or an address ("q1", "p3").
_ADDRESS_CODES = {"q", "p", "f"}
_GLUED_ORDER_WORD = re.compile(r"(chot|lay|mua|dat)([a-z]{1,4}\d{1,3})")
_CODE_LIKE = re.compile(r"([a-z]{1,4})\d{1,3}")
# Words that may stand beside bare codes in a comment that is only codes ("A2 nha shop").
_FILLERS = {"a", "e", "em", "nha", "nhe", "ad", "shop", "oi", "ah", "ak", "nhen", "please", "luon"}


@dataclass
class _Quantity:
    position: int
    value: Decimal
    unit: str | None
    kg: Decimal | None
    end: int  # index after its last word


def _words_at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(phrase)]) == phrase


def _has_phrase(words: list[str], phrases: Sequence[tuple[str, ...]]) -> bool:
    return any(_words_at(words, i, p) for i in range(len(words)) for p in phrases)


def _cancels(words: list[str]) -> bool:
    """Whether the words take an order back ("huỷ A2", "không lấy nữa"), "thời gian giao" aside."""
    return any(
        _words_at(words, i, p)
        and not (p == ("thoi",) and words[i + 1 : i + 2] and words[i + 1] in _NOT_CANCEL_AFTER_THOI)
        for i in range(len(words))
        for p in _CANCEL
    )


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
        return _Quantity(i, Decimal("1.5"), unit.name, unit.kg * Decimal("1.5"), i + 2), 2  # "cân rưỡi" 1.5 kg
    number = read_number(words, start)
    if number is None:
        return None, 1
    value, used = number
    end = start + used
    after = words[end] if end < len(words) else ""
    before = words[i - 1] if i > 0 else ""
    if after == "h" and (i - 1) in codes_at:
        after = "hu"  # "A3 2h": right after a code, h is hũ; elsewhere an hour ("trước 5h")
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
    return _Quantity(i, value, unit.name if unit else None, kg, end), end - i


def _tokens(text: str) -> list[str]:
    """Folded tokens of a comment with its phones removed; a code's letters and digits split by "-" are joined."""
    text = _NAME_HUY.sub("Hui", _EXPENSIVE.sub("mắc", text.replace("\n", " , ")))
    text = _SPACED_CODE.sub(r"\1\2", normalise(text))
    out: list[str] = []
    for token in _TOKEN.findall(text):
        head = re.match(r"([a-z]+)(\d+)$", token)
        glued = _GLUED_ORDER_WORD.fullmatch(token)
        if head and head.group(1) in _QUANTITY_MARKERS:  # "x3", "sl3": marker and number
            out += [head.group(1), head.group(2)]
        elif glued:  # "chốtA1"
            out += [glued.group(1), glued.group(2)]
        elif token.isalpha() and len(token) > 2 and not unit_for(token):
            out.append(untelex(token))  # "choots" chốt typed with the keyboard's Telex off
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
    has_symbols = any(unicodedata.category(ch) == "So" for ch in text)  # "A1 😍" is a remark, not "A1"
    phones = find_phones(text)
    for match in reversed(phones):
        text = text[: match.start] + " , " + text[match.end :]
    words = _tokens(text)
    if not words or _has_phrase(words, _PAST):
        return None
    if any(w[0].isdigit() and read_number([w]) is None for w in words):
        return None  # "12.34.56": a number nobody can read as a quantity
    codes_at: dict[int, str] = {}
    for i, word in enumerate(words):
        if word in by_key:
            codes_at[i] = by_key[word]
        elif (like := _CODE_LIKE.fullmatch(word)) and like.group(1) not in _ADDRESS_CODES:
            return None  # a code this session does not sell: ask rather than guess
    quantities = _quantities(words, codes_at)
    # A cancellation takes back the codes of its own part of the comment ("chốt A1 2 hũ, A2 không lấy nữa").
    segments = [(a, b) for a, b in _segments(words, codes_at) if not _cancels(words[a:b])]
    codes_at = {i: code for i, code in codes_at.items() if any(a <= i < b for a, b in segments)}
    quantities = [q for q in quantities if any(a <= q.position < b for a, b in segments)]
    if not codes_at:
        return None
    strong = any(
        w in _STRONG_ORDER_WORDS and (w not in _SHORT_ORDER_WORDS or i + 1 in codes_at) for i, w in enumerate(words)
    )
    asks_after_condition = any(
        _has_phrase(words[i + 1 :], _QUESTIONS) for i in range(len(words)) if _has_phrase(words[i : i + 1], _CONDITIONS)
    )  # "lấy 2 hũ thì bớt bao nhiêu" asks; "còn thì chốt em 1" orders
    firm = strong and (quantities or phones) and not asks_after_condition
    asks = _has_phrase(words, _QUESTIONS) or "?" in text or words[-1] in _QUESTION_ENDINGS
    if asks and not firm:
        return None  # "A2 giá bao nhiêu", "A1 đặt trước được không"
    if _has_phrase(words, _EACH) and len(quantities) == 1:
        each = quantities[0]
        lines: list[tuple[str, OrderLine | None]] | None = [
            (code, OrderLine(code, each.value, each.unit, each.kg)) for _, code in sorted(codes_at.items())
        ]
    else:
        lines = _assign(words, segments, codes_at, quantities)
    if lines is None:
        return None
    says_order = strong or bool(phones) or bool(_WEAK_ORDER_WORDS & set(words))
    only_codes = not has_symbols and all(
        i in codes_at or w in _SEPARATORS or w in _FILLERS for i, w in enumerate(words)
    )
    if any(line is None for _, line in lines) and not (says_order or only_codes):
        return None  # "A2 đẹp quá"
    result = tuple(line or OrderLine(code, Decimal(1)) for code, line in lines)
    if len(result) > MAX_LINES or len({line.code for line in result}) != len(result):
        return None
    for line in result:
        if not 0 < line.quantity <= MAX_QUANTITY:
            return None
        if line.quantity != line.quantity.to_integral_value() and line.kg is None:
            return None  # half a jar: only weights come in fractions
    return OrderComment(lines=result, phone=phones[0].e164 if phones else None)


def _quantities(words: list[str], codes_at: dict[int, str]) -> list[_Quantity]:
    """Every quantity in the words, in order; a weight right after a counted unit is the pack's size ("3 gói 100g")."""
    found: list[_Quantity] = []
    i = 0
    while i < len(words) and not any(_words_at(words, i, phrase) for phrase in _ADDRESS_STARTS):
        if i in codes_at or words[i] in _SEPARATORS:
            i += 1
            continue
        quantity, used = _read_quantity(words, i, set(codes_at))
        if quantity is not None:
            last = found[-1] if found else None
            is_size = last and last.unit and last.kg is None and quantity.kg is not None and last.end == i
            if not is_size:
                found.append(quantity)
        i += max(used, 1)
    return found


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
    words: list[str], segments: list[tuple[int, int]], codes_at: dict[int, str], quantities: list[_Quantity]
) -> list[tuple[str, OrderLine | None]] | None:
    """Each code with its quantity (None if it has none), in order; None if a code gets two quantities."""
    lines: list[tuple[str, OrderLine | None]] = []
    for a, b in segments:
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
            spread = owner[p] and any(w in _SEPARATORS for w in words[owner[p][0].position : owner[p][-1].end])
            if len(distinct) > 1 or spread:
                return None  # "A2 2 3", "TC1 1 cái đỏ, 1 cái xanh": which is it?
            first = owner[p][0] if owner[p] else None
            line = OrderLine(codes_at[p], first.value, first.unit, first.kg) if first else None
            lines.append((codes_at[p], line))
    return lines
