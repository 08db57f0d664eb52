"""Order codes: short, safe to read aloud and to type into a bank-transfer memo, where they are the
payment reference (payments finds them there: payments.memo).

Format: "TB" + 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6).
Displayed as TB-XXXX-XXXX; banks drop the hyphens, change the case and add words, so matching works on
the memo with everything but letters and digits removed.
"""

from __future__ import annotations

import secrets

PREFIX = "TB"
ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
BODY_LENGTH = 8


def new_code() -> str:
    """A fresh random code, one of 23^8 (about 7.8 * 10^10)."""
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))


def display(code: str) -> str:
    """'TBACDE3479' -> 'TB-ACDE-3479'."""
    body = code[len(PREFIX) :]
    return f"{PREFIX}-{body[:4]}-{body[4:]}"
