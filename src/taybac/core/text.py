"""Vietnamese text normalisation for search and lookup: case- and diacritic-insensitive."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and fold đ/Đ to d: "Đường phèn" -> "duong phen".

    NFD decomposition removes tone and vowel marks, but đ is a separate letter (U+0111) with no
    decomposition, so it is mapped explicitly.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).lower()


def fold_words(text: str) -> list[str]:
    """Folded words of a text, punctuation dropped."""
    return [w for w in _NON_WORD.split(fold(text)) if w]


def slugify_vi(text: str, max_length: int = 60) -> str:
    """A URL slug from Vietnamese text: "Mật ong bạc hà" -> "mat-ong-bac-ha"."""
    slug = "-".join(fold_words(text))[:max_length].strip("-")
    return slug or "sp"
