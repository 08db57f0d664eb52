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
