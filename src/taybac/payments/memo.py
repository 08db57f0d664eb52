"""Finding payment codes in transfer memos, however banks mangle them.

Banks upper- or lower-case the memo, drop or add hyphens, dots and spaces, prefix their own references
("MBVCB.3278.…") and append "CT tu … toi …". Codes have a fixed shape (PREFIX + 8 characters of ALPHABET),
so the rule is: uppercase, strip Vietnamese marks, delete every character that is not a letter or digit,
then look for PREFIX followed by 8 alphabet characters anywhere in that stream. Candidates come back in
order of appearance; the caller checks which exist.
"""

from __future__ import annotations

import re

from taybac.core.text import strip_marks
from taybac.orders.codes import ALPHABET, BODY_LENGTH, PREFIX

_CODE = re.compile(f"(?=({PREFIX}[{ALPHABET}]{{{BODY_LENGTH}}}))")


def _stream(memo: str) -> str:
    return "".join(ch for ch in strip_marks(memo).upper() if ch.isascii() and ch.isalnum())


def find_payment_codes(memo: str) -> list[str]:
    """Every plausible code in the memo, first seen first, without duplicates (overlaps included)."""
    found: list[str] = []
    for match in _CODE.finditer(_stream(memo)):
        code = match.group(1)
        if code not in found:
            found.append(code)
    return found
