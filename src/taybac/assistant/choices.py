"""Which of the options the assistant listed a later message picks: a variant ("loại 500g", "hũ to", "cái thứ 2")
or a pickup point ("số 1", "bưu điện phường Sa Pa").

The listed options are kept in the conversation's state as `choice` = {"kind": "variant" | "pickup", "options":
[...], ...} until one is picked or the buyer moves on; a message that picks nothing is answered as usual.
"""

from __future__ import annotations

import re

from taybac.catalog.models import Variant
from taybac.core.chat_text import expand_chat
from taybac.core.text import fold

_ORDINAL_WORDS = {"mot": 1, "nhat": 1, "dau": 1, "hai": 2, "nhi": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
# "cái thứ 2", "loại số 3", "số 1", "thứ hai", "điểm 2": a position in the list, never a quantity ("lấy 2 hũ")
_ORDINAL = re.compile(
    r"\b(?:(?:cai|loai|con|diem|buu dien|lua chon|phuong an|dong)\s+(?:thu\s+|so\s+)?|thu\s+|so\s+)"
    r"(\d|mot|nhat|dau|hai|nhi|ba|bon|tu|nam)\b"
)
_LAST = re.compile(r"\b(?:cai|loai|diem) cuoi\b")
SIZE_WORDS = {"to", "lon", "dai", "nho", "be", "mini"}
_BIG = {"to", "lon", "dai"}


def position(text: str, count: int) -> int | None:
    """The 0-based position a message names among `count` listed options, else None. A message that is only
    a number ("2") names a position too."""
    words = expand_chat(text)
    joined = " ".join(words)
    if len(words) == 1 and words[0].isdigit():
        n = int(words[0])
    elif _LAST.search(joined):
        n = count
    elif match := _ORDINAL.search(joined):
        raw = match.group(1)
        n = int(raw) if raw.isdigit() else _ORDINAL_WORDS[raw]
    else:
        return None
    return n - 1 if 1 <= n <= count else None


def names_position(text: str) -> bool:
    """Whether the message points at a position ("cái thứ 5"), in range or not."""
    return bool(_ORDINAL.search(" ".join(expand_chat(text))))


def _number_unit(name: str) -> str:
    return fold(name).replace(" ", "")


def pick_variant(text: str, variants: list[Variant], *, size: str, unit: str) -> Variant | None:
    """The variant a message picks among those listed: by pack size ("500g" in its name), by position, by the
    only one in the unit named ("hũ"), or the biggest/smallest by price for "to"/"nhỏ"."""
    if size:
        number, size_unit = size.split(" ", 1)
        matching = [v for v in variants if f"{number}{size_unit}" in _number_unit(v.name)]
        if len(matching) == 1:
            return matching[0]
    at = position(text, len(variants))
    if at is not None:
        return variants[at]
    in_unit = [v for v in variants if unit and fold(v.unit) == fold(unit)]
    if set(expand_chat(text)) & SIZE_WORDS:
        pool = sorted(in_unit or variants, key=lambda v: v.price)
        if len(pool) > 1:
            return pool[-1] if set(expand_chat(text)) & _BIG else pool[0]
    return in_unit[0] if len(in_unit) == 1 else None
