"""Vietnamese text normalisation for search and lookup: case- and diacritic-insensitive."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def strip_marks(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case: "Đơn hàng" -> "Don hang".

    NFD decomposition removes the marks, but đ is a separate letter (U+0111) with no decomposition,
    so it is mapped explicitly.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def fold(text: str) -> str:
    """Lower-case and strip diacritics, đ/Đ to d: "Đường phèn" -> "duong phen"."""
    return strip_marks(text).lower()


def fold_words(text: str) -> list[str]:
    """Folded words of a text, punctuation dropped."""
    return [w for w in _NON_WORD.split(fold(text)) if w]


def slugify_vi(text: str, max_length: int = 60) -> str:
    """A URL slug from Vietnamese text: "Mật ong bạc hà" -> "mat-ong-bac-ha"."""
    slug = "-".join(fold_words(text))[:max_length].strip("-")
    return slug or "sp"


# Vietnamese collation (the order of a Vietnamese dictionary and of ICU's "vi" tailoring): the alphabet is
# a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, so ă/â follow a, Đ follows every D word, and so on;
# tones are secondary, in the order ngang, huyền, hỏi, ngã, sắc, nặng (à < ả < ã < á < ạ), so "Ba Bể" < "Bà Rịa"
# < "Bắc Kạn" and words differing only in tone stay together. Case is tertiary (lower first). Sorting is done in
# Python so SQLite and PostgreSQL (whose collations differ and rarely include vi) give the same order.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_OTHER_MARK = 6  # a mark foreign to Vietnamese (ç, ü…): after the tones, still secondary
# Words naming the kind of unit, filed after the name: "Tỉnh Lào Cai" under L, "Thành phố Hà Nội" under H.
_UNIT_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu ", "thi tran ", "quan ", "huyen ", "thi xa ")


def _collation_element(cluster: str) -> tuple[int, int, int]:
    """(primary, secondary, tertiary) weights of one letter and its combining marks (decomposed)."""
    lower = cluster.lower()
    tertiary = 1 if cluster != lower else 0
    base, marks = lower[0], lower[1:]
    if base == "đ":
        return ord("d") * 4 + 1, 0, tertiary
    letter = sum(_LETTER_MARKS.get(m, 0) for m in marks if m in _LETTER_MARKS)
    tones = [_TONES.get(m, _OTHER_MARK) for m in marks if m not in _LETTER_MARKS]
    secondary = tones[0] if tones else 0
    if "a" <= base <= "z":
        # ă (breve) and â (circumflex) both follow a: breve 1 sorts before circumflex 2; ơ (horn 3) after ô.
        return ord(base) * 4 + min(letter, 3), secondary, tertiary
    if base.isspace():
        return 1, 0, 0  # word by word: "Ba Vì" before "Bac"
    if base.isdigit():
        return 2 + int(unicodedata.digit(base, 0)), secondary, tertiary
    if base.isalpha():
        return 1000 + ord(base), secondary, tertiary  # other scripts after the Latin alphabet
    return 20, 0, 0  # punctuation: one weight, before digits and letters


def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    """A key that sorts Vietnamese text in Vietnamese alphabetical order (see above); equal keys mean equal text."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    clusters: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch  # a mark belongs to the letter before it
        else:
            clusters.append(ch)
    elements = [_collation_element(cluster) for cluster in clusters]
    return (
        tuple(e[0] for e in elements),
        tuple(e[1] for e in elements),
        tuple(e[2] for e in elements),
        text,
    )


def without_unit_prefix(name: str) -> str:
    """The name of a province or commune without the kind of unit: "Thành phố Hà Nội" -> "Hà Nội"."""
    name = " ".join((name or "").split())
    folded = fold(name)
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return name[len(prefix) :]
    return name


def place_sort_key(name: str) -> tuple[object, ...]:
    """Provinces and communes are filed under their name, not their kind: "Xã Tả Phìn" under T, after "Tà Xùa";
    the full name breaks ties ("Phường Mộc Châu" and "Xã Mộc Châu")."""
    return (vietnamese_sort_key(without_unit_prefix(name)), vietnamese_sort_key(name))


def mask_phone(phone: str) -> str:
    """A phone number for a log line that must not disclose it: "+84912345001" -> "+84 91* *** 001".

    Enough remains to tell two numbers apart while reading a log (the network's prefix and the last three
    digits), not enough to call or text the person."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("84") and len(digits) > 9:
        prefix, national = "+84 ", digits[2:]
    elif digits.startswith("0"):
        prefix, national = "0", digits[1:]
    else:
        prefix, national = "", digits
    if len(national) < 6:
        return "***"
    shown = national[:2] + "*" * (len(national) - 5) + national[-3:]
    groups = [shown[max(0, i - 3) : i] for i in range(len(shown), 0, -3)][::-1]
    return prefix + " ".join(groups)


def spreadsheet_safe(value: str | int) -> str | int:
    """A CSV cell a spreadsheet will not run as a formula: text starting "=", "+", "-" or "@" (names typed by
    sellers end up in the operators' files) is quoted with a leading apostrophe; numbers pass as they are."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value
