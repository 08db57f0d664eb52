"""Vietnamese as buyers type it in chat: normalised words, chat spellings, numbers in words, units, phone numbers.

Pure functions with no database, shared by the live-selling comment parser (taybac.core.chat_orders) and the buyer
assistant. Everything works on *folded* text (lower case, no diacritics, đ -> d, the same folding as search:
taybac.core.text.fold), because buyers type with and without diacritics and the folded forms are what both spellings
have in common. Folding merges some words ("ba" three / "bà" grandmother, "cân" weight / "cần" need), so the callers
read numbers and units only where they can be numbers and units (after a number, before a unit, next to a code).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers

from taybac.core.text import fold

# Longest text read. Chat messages are short; the cap bounds the work done on hostile input.
MAX_TEXT_LENGTH = 2000

_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)?")
_REPEATS = re.compile(r"([a-z])\1{2,}")

# Chat spellings (folded) -> folded standard words. Only unambiguous short forms: "k" alone is "không" here, while
# "50k" (money) is a number token and never reaches this table.
CHAT_SPELLINGS: dict[str, str] = {
    "k": "khong",
    "ko": "khong",
    "hok": "khong",
    "hong": "khong",
    "hem": "khong",
    "kh": "khong",
    "khg": "khong",
    "kq": "khong",
    "dc": "duoc",
    "dk": "duoc",
    "dx": "duoc",
    "bn": "bao nhieu",
    "bnh": "bao nhieu",
    "sdt": "so dien thoai",
    "dt": "dien thoai",
    "ib": "inbox",
    "ibx": "inbox",
    "inb": "inbox",
    "sl": "so luong",
    "sp": "san pham",
    "ck": "chuyen khoan",
    "stk": "so tai khoan",
    "dh": "don hang",
    "mik": "minh",
    "mk": "minh",
    "mh": "minh",
    "j": "gi",
    "ntn": "nhu the nao",
    "vs": "voi",
    "r": "roi",
    "bik": "biet",
    "bit": "biet",
    "ak": "a",
    "ah": "a",
    "nhe": "nha",
    "nhen": "nha",
    "ok": "ok",
    "oki": "ok",
    "oke": "ok",
    "okie": "ok",
    "ship": "giao",
    "tks": "cam on",
    "thanks": "cam on",
    "tp": "thanh pho",
    "hn": "ha noi",
    "hcm": "ho chi minh",
    "sg": "sai gon",
    "e": "em",  # "a" and "c" alone stay: folded "ạ", "à", "cá"… would be misread
    "ace": "anh chi em",
}
# "a/e/c", "a/c" and "ac" address the reader: anh, chị, em.
_SLASHED_ADDRESS = re.compile(r"\b(a|c|e)(?:\s*/\s*(a|c|e)){1,2}\b")
_ADDRESS_WORDS = {"a": "anh", "c": "chi", "e": "em"}


def normalise(text: str) -> str:
    """NFC, folded (lower case, no diacritics, đ -> d), letters repeated for emphasis cut ("nhaaa" -> "nha"),
    single spaces. Texts longer than MAX_TEXT_LENGTH are cut at that length."""
    text = unicodedata.normalize("NFC", (text or "")[:MAX_TEXT_LENGTH])
    text = _REPEATS.sub(r"\1", fold(text))
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """The words and numbers of a text, normalised; "2kg" gives "2", "kg"; punctuation is dropped."""
    return _TOKEN.findall(normalise(text))


def expand_chat(text: str) -> list[str]:
    """Tokens with chat spellings written out: "sdt e ko dc" -> so dien thoai em khong duoc; "a/e/c" -> anh chi em."""
    text = _SLASHED_ADDRESS.sub(
        lambda m: " ".join(_ADDRESS_WORDS[w] for w in re.findall(r"[ace]", m.group(0))), normalise(text)
    )
    out: list[str] = []
    for token in _TOKEN.findall(text):
        out.extend(CHAT_SPELLINGS.get(token, token).split())
    return out


# Telex (the usual Vietnamese keyboard) types marks as letters: "oo" ô, "aw" ă, "ow" ơ, "uw" ư, "dd" đ, and a final
# s f r x j for the tones. When the keyboard is off they stay in the text: "choots" for chốt, "hux" for hũ.
_TELEX_LETTERS = [("dd", "d"), ("uwow", "uo"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o")]
_TELEX_LETTERS += [("uw", "u")]
_TELEX_TONE = re.compile(r"^([a-z]*[aeiouy][a-z]*)[sfrxj]$")
_TELEX_HINT = re.compile(r"[sfrxj]$|dd|aw|ow|uw|aa|ee|oo")


def untelex(word: str) -> str:
    """A folded word with its Telex keys read as marks and folded away: "choots" -> "chot", "hux" -> "hu",
    "dduwowcj" -> "duoc". No Vietnamese syllable ends in s, f, r, x or j, so a final one is a tone key. Only for
    looking a word up in a closed list (units, order words): English words lose letters ("thanks" -> "thank")."""
    if not _TELEX_HINT.search(word):
        return word
    word = _TELEX_TONE.sub(r"\1", word)
    for keys, letter in _TELEX_LETTERS:
        word = word.replace(keys, letter)
    return word


# --- numbers in words ----------------------------------------------------------------------------------------------

_DIGIT_WORDS = {
    "khong": 0,
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "bai": 7,  # "bẩy", a northern spelling, folds to "bay"; "bải" is a common slip
    "tam": 8,
    "chin": 9,
}
# Forms a digit takes only after a ten: "hai mươi mốt" 21, "ba mươi tư" 34, "hai lăm" 25.
_UNIT_AFTER_TEN = {"mot": 1, "tu": 4, "lam": 5, "nham": 5}
_TEN = "muoi"  # mười (ten) and mươi (…ty) fold to the same word
_HUNDRED = "tram"
_ZERO_TENS = {"linh", "le"}  # "một trăm linh năm" 105
_HALF_AFTER = "ruoi"  # rưỡi: "hai trăm rưỡi" 250, "một cân rưỡi" 1.5
_COUNT_WORDS = {"chuc": 10, "ta": 12}  # chục (ten of), tá (dozen): "1 chục" 10, "chục trứng" 10
_HALF = "nua"  # nửa: "nửa cân" 0.5


def _tens_and_units(words: list[str], i: int) -> tuple[int, int] | None:
    """0–99 written in words from words[i]: (value, words used)."""
    word = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word == _TEN:  # mười, mười một … mười chín ("mười lăm" 15, "mười tư" 14)
        unit = _DIGIT_WORDS.get(nxt) or _UNIT_AFTER_TEN.get(nxt)
        return (10 + unit, 2) if unit else (10, 1)
    tens = _DIGIT_WORDS.get(word)
    if tens is None:
        return None
    if nxt == _TEN and tens >= 2:  # hai mươi, hai mươi mốt
        after = words[i + 2] if i + 2 < len(words) else ""
        unit = _UNIT_AFTER_TEN.get(after) or _DIGIT_WORDS.get(after)
        return (tens * 10 + unit, 3) if unit else (tens * 10, 2)
    if tens >= 2 and nxt in _UNIT_AFTER_TEN:  # spoken short form: "hai mốt" 21, "ba lăm" 35
        return tens * 10 + _UNIT_AFTER_TEN[nxt], 2
    return tens, 1


def parse_number_words(words: list[str], start: int = 0) -> tuple[Decimal, int] | None:
    """A number written in folded words at words[start]: (value, words used), or None.

    0–999 ("ba" 3, "mười lăm" 15, "hai mươi tư" 24, "một trăm linh năm" 105, "hai trăm rưỡi" 250, "trăm" 100),
    "chục" 10, "tá" 12 and "nửa" 0.5 standing alone. Digits are read by read_number."""
    if start >= len(words):
        return None
    word = words[start]
    if word == _HALF:
        return Decimal("0.5"), 1
    if word in _COUNT_WORDS:
        return Decimal(_COUNT_WORDS[word]), 1
    if word == _HUNDRED:
        hundreds, used = 1, 0
    else:
        head = _tens_and_units(words, start)
        if head is None:
            return None
        value, used = head
        if not (start + used < len(words) and words[start + used] == _HUNDRED and 0 < value < 10):
            return Decimal(value), used
        hundreds = value
    used += 1  # the word "trăm"
    i = start + used
    nxt = words[i] if i < len(words) else ""
    if nxt == _HALF_AFTER:
        return Decimal(hundreds * 100 + 50), used + 1
    if nxt in _ZERO_TENS and i + 1 < len(words) and _DIGIT_WORDS.get(words[i + 1]):
        return Decimal(hundreds * 100 + _DIGIT_WORDS[words[i + 1]]), used + 2
    rest = _tens_and_units(words, i) if nxt else None
    if rest and rest[0] >= 10:  # "hai trăm năm" (250 in speech) is too easily a year: tens must be explicit
        return Decimal(hundreds * 100 + rest[0]), used + rest[1]
    return Decimal(hundreds * 100), used


_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")


def read_number(words: list[str], start: int = 0) -> tuple[Decimal, int] | None:
    """A number at words[start] in digits or words, with "chục"/"tá" as multipliers and a trailing "rưỡi":
    "3" 3, "1,5" 1.5, "1.000" 1000, "ba" 3, "2 chục" 20, "chục rưỡi" 15, "hai rưỡi" 2.5. (value, words used)."""
    if start >= len(words):
        return None
    word = words[start]
    if word[:1].isdigit():
        if _THOUSANDS.fullmatch(word):
            value, used = Decimal(re.sub(r"[.,]", "", word)), 1
        elif _DECIMAL.fullmatch(word):
            value, used = Decimal(word.replace(",", ".")), 1
        else:
            return None  # "1.2.3": a date, a version, no quantity
    else:
        parsed = parse_number_words(words, start)
        if parsed is None:
            return None
        value, used = parsed
    step = Decimal(1)
    nxt = words[start + used] if start + used < len(words) else ""
    if nxt in _COUNT_WORDS and words[start] not in _COUNT_WORDS:
        step = Decimal(_COUNT_WORDS[nxt])
        value, used = value * step, used + 1
    elif words[start] in _COUNT_WORDS:
        step = value
    if start + used < len(words) and words[start + used] == _HALF_AFTER:
        value, used = value + step / 2, used + 1
    return value, used


_WORDS_0_9 = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def number_to_words(n: int) -> str:
    """0–999 in standard Vietnamese words: 15 "mười lăm", 21 "hai mươi mốt", 24 "hai mươi tư", 105 "một trăm linh
    năm". The tests read every number it writes back; replies may spell a quantity out with it."""
    if not 0 <= n <= 999:
        raise ValueError("number_to_words reads 0–999")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    parts: list[str] = [_WORDS_0_9[hundreds], "trăm"] if hundreds else []
    if tens == 0:
        if units and hundreds:
            parts += ["linh", _WORDS_0_9[units]]
        elif not hundreds:
            parts.append(_WORDS_0_9[units])
        return " ".join(parts)
    parts += ["mười"] if tens == 1 else [_WORDS_0_9[tens], "mươi"]
    if units == 1:
        parts.append("một" if tens == 1 else "mốt")
    elif units == 4:
        parts.append("bốn" if tens == 1 else "tư")
    elif units == 5:
        parts.append("lăm")
    elif units:
        parts.append(_WORDS_0_9[units])
    return " ".join(parts)


# --- units ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A unit buyers count in. kg is the weight of one unit in kilograms when the unit is a weight, else None."""

    name: str  # as shown to people
    aliases: tuple[str, ...]  # folded forms typed in chat
    kg: Decimal | None = None


# "cân" is the market's word for a kilogram (chợ: "một cân thịt" = 1 kg), and "lạng" 100 g; the old "cân ta"
# (about 0.6 kg) is no longer what sellers mean. "yến" is 10 kg.
UNITS: tuple[Unit, ...] = (
    Unit("kg", ("kg", "kgs", "ki", "ky", "kilo", "kilogam", "can", "kj"), Decimal(1)),
    Unit("g", ("g", "gr", "gram", "gam"), Decimal("0.001")),
    Unit("lạng", ("lang",), Decimal("0.1")),
    Unit("yến", ("yen",), Decimal(10)),
    Unit("hũ", ("hu", "lo")),
    Unit("gói", ("goi",)),
    Unit("bịch", ("bich",)),
    Unit("túi", ("tui",)),
    Unit("hộp", ("hop",)),
    Unit("chai", ("chai",)),
    Unit("bình", ("binh",)),
    Unit("lít", ("lit", "l")),
    Unit("thùng", ("thung",)),
    Unit("bao", ("bao",)),  # a sack (gạo, ngô): only after a number, so "bao nhiêu" is never a unit
    Unit("quả", ("qua", "trai")),
    Unit("bó", ("bo",)),
    Unit("cái", ("cai", "chiec")),
    Unit("cây", ("cay",)),
    Unit("con", ("con",)),
    Unit("phần", ("phan", "suat")),
    Unit("sản phẩm", ("sp",)),
)
_UNIT_BY_ALIAS = {alias: unit for unit in UNITS for alias in unit.aliases}


def unit_for(word: str) -> Unit | None:
    """The unit a folded word names: "can" -> kg (market sense), "hu"/"lo" -> hũ; None for other words."""
    return _UNIT_BY_ALIAS.get(word)


# --- phone numbers --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneMatch:
    e164: str
    start: int  # span in the text given (after NFC)
    end: int


# Where a Vietnamese number may begin: 0, 84, +84 or (+84), not inside a longer number.
_PHONE_HEAD = re.compile(r"(?<![0-9+])(?:\(\s*\+?\s*84\s*\)|\+\s*84|84|0)")
_PHONE_SEPARATORS = " .-"


def _digits_after(text: str, j: int) -> list[tuple[str, int]]:
    """Up to 10 digits from text[j], each with the index after it; one or two separators may stand between."""
    out: list[tuple[str, int]] = []
    while len(out) < 10:
        k = j
        while k < len(text) and text[k] in _PHONE_SEPARATORS and k - j < 2:
            k += 1
        if k >= len(text) or not text[k].isdigit():
            break
        out.append((text[k], k + 1))
        j = k + 1
    return out


def _valid_vn(international: bool, digits: str) -> str | None:
    if international and digits.startswith("0"):
        digits = digits[1:]  # "+84 0912…": the trunk 0 written after the country code
    try:
        number = phonenumbers.parse(("+84" if international else "0") + digits, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_phones(text: str) -> list[PhoneMatch]:
    """Vietnamese phone numbers in a text, in E.164, with where they are: "0912.345.678", "+84 912 345 678",
    "84912345678", "(+84) 912-345-678", "sđt0912345678". Each candidate is validated by phonenumbers (Google's
    libphonenumber metadata), so a run of digits that is no valid Vietnamese number is not a phone, and a number
    glued to more digits is none either. Reads the first MAX_TEXT_LENGTH characters."""
    text = text[:MAX_TEXT_LENGTH]
    found: list[PhoneMatch] = []
    pos = 0
    while (head := _PHONE_HEAD.search(text, pos)) is not None:
        pos = head.start() + 1
        digits = _digits_after(text, head.end())
        international = head.group(0) != "0"
        for n in (10, 9):  # the longest valid reading: fixed lines have 10 digits, mobiles 9
            if len(digits) < n or (digits[n - 1][1] < len(text) and text[digits[n - 1][1]].isdigit()):
                continue
            e164 = _valid_vn(international, "".join(d for d, _ in digits[:n]))
            if e164:
                found.append(PhoneMatch(e164, head.start(), digits[n - 1][1]))
                pos = digits[n - 1][1]
                break
    return found
