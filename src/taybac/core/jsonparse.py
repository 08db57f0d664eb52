"""JSON from outside, with its depth and numbers bounded before Python builds anything.

`json.loads` recurses once per nested array or object and raises RecursionError near 1,000 levels (a 500
where a caller catches only ValueError), and it turns any run of digits into an int (up to 4,300 digits) that
a database column cannot hold. `loads_bounded` refuses both with a `JsonBoundsError` (a ValueError): the depth is
counted by a scan outside strings before parsing, numbers are checked as the parser meets them. It also refuses
strings no database can store: the NUL character (PostgreSQL's text and jsonb refuse it) and lone UTF-16
surrogates (not encodable as UTF-8), both only reachable through \\u escapes.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 32
MAX_INT_DIGITS = 20  # 2**64 has 20 digits: anything longer is no count, amount or id
MAX_NUMBER_CHARS = 40  # a float's text, mantissa and exponent (the longest double needs 24)

# A JSON string (escapes included; an unterminated one runs to the end, so no input makes the scan quadratic) or
# one bracket: strings are skipped whole, so brackets inside them don't count.
_TOKENS = re.compile(r'"(?:[^"\\]++|\\[\s\S]?)*+(?:"|\Z)|[\[\]{}]')


class JsonBoundsError(ValueError):
    """The text is not JSON, or is JSON nested or numbered beyond the bounds; the message says which."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, counting only brackets outside strings."""
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif mark in "]}":
            depth -= 1
    return deepest


def _unstorable(value: Any) -> bool:
    """True if a string anywhere in `value` holds NUL or a lone surrogate."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unstorable(key) or _unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_unstorable(item) for item in value)
    return False


def loads_bounded(raw: bytes | str, *, max_depth: int = MAX_DEPTH, max_int_digits: int = MAX_INT_DIGITS) -> Any:
    """`json.loads(raw)`, refusing nesting deeper than `max_depth`, integers longer than `max_int_digits` digits,
    floats that are not finite, the non-JSON constants NaN and Infinity, and strings holding NUL or lone
    surrogates."""
    if isinstance(raw, (bytes, bytearray)):
        try:
            text = raw.decode(json.detect_encoding(raw))
        except UnicodeDecodeError:
            raise JsonBoundsError("The body is not UTF-8 (or UTF-16/32) text.") from None
    else:
        text = raw
    if nesting_depth(text) > max_depth:
        raise JsonBoundsError(f"JSON nested deeper than {max_depth} levels.")

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > max_int_digits:
            raise JsonBoundsError(f"A number has more than {max_int_digits} digits.")
        return int(digits)

    def real(literal: str) -> float:
        if len(literal) > MAX_NUMBER_CHARS or not math.isfinite(number := float(literal)):
            raise JsonBoundsError(f"A number is too long or out of range: {literal[:MAX_NUMBER_CHARS]}")
        return number

    def constant(name: str) -> None:
        raise JsonBoundsError(f"{name} is not a JSON number.")

    try:
        value = json.loads(text, parse_int=integer, parse_float=real, parse_constant=constant)
    except JsonBoundsError:
        raise
    except (ValueError, RecursionError) as error:  # RecursionError: only if max_depth was set near the limit
        raise JsonBoundsError(f"Not JSON: {error}") from None
    if "\\u" in text and _unstorable(value):
        raise JsonBoundsError("A string holds NUL (\\u0000) or a lone surrogate (\\ud800–\\udfff).")
    return value
