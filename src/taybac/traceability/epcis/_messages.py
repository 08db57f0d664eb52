"""Turn jsonschema's errors about an EPCIS document into one plain line per field.

jsonschema reports an anyOf/oneOf failure as one error holding every branch's complaints; for GS1's
schema that is dozens of lines about branches the data never meant. Here the branch the data
evidently chose (its types and required keys fit) is followed, and when none fits, one sentence
says what would. Kept apart from `validation` so each module stays readable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

Path = tuple[Any, ...]  # instance path: keys and list indices
Found = tuple[Path, str]  # (path, message) before formatting

_DISCRIMINATING = frozenset({"type", "required", "enum", "const"})
_PLAIN_KEY = re.compile(r"[^.\[\]'\"\s]+\Z")
_LITERAL = re.compile(r"\^([A-Za-z0-9_]+)\$\Z")  # GS1 writes "action must be DELETE" as pattern ^DELETE$

NOT_DATE_TIME = "is not an RFC 3339 date-time with a timezone offset (e.g. 2024-05-01T08:30:00+07:00)"
NOT_OFFSET = "is not a UTC offset of the form ±hh:mm between -13:59 and +14:00"
_PATTERN_HINTS = (
    ("^(?!(urn:epcglobal:cbv", "is a CBV URI; write standard CBV values as bare words (e.g. 'shipping')"),
    ("^(?!(https?:\\/\\/gs1", "is a GS1 Web Vocabulary URI; write the bare term (e.g. 'Temperature')"),
    ("^[A-Z0-9]{2,3}$", "is not a UN/CEFACT unit code (2-3 capital letters or digits, e.g. KGM)"),
    ("^[A-Fa-f0-9]+$", "is not hexadecimal"),
    ("^\\d+(\\.\\d+)*$", "is not a version number like '2.0'"),
)
NOT_EPC = "is not an EPC URI (urn:epc:…) or GS1 Digital Link URI (https://…)"


def leaves(error: ValidationError) -> Iterator[ValidationError]:
    """Follow anyOf/oneOf into the branch the data evidently meant (its type/required keys match)."""
    if error.validator not in ("anyOf", "oneOf") or not error.context or _is_property_name(error):
        yield error
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    plausible = [errs for errs in branches.values() if not any(_discriminates(e) for e in errs)]
    chosen = min(plausible, key=len) if plausible else []
    vocab = any(e.validator == "enum" and not e.relative_path for e in error.context)
    if not chosen or (vocab and all(e.validator == "format" and not e.relative_path for e in chosen)):
        yield error  # "neither a CBV value nor a URI" reads better than either half
        return
    for sub in chosen:
        yield from leaves(sub)


def _discriminates(e: ValidationError) -> bool:
    """A branch failing this way was not the one the data meant (wrong type, key absent, other action)."""
    if e.validator == "pattern" and len(e.relative_path) == 1:
        return bool(_LITERAL.match(str(e.validator_value)))
    return e.validator in _DISCRIMINATING and not e.relative_path


def _is_property_name(error: ValidationError) -> bool:
    schema_path = list(error.absolute_schema_path)
    return any(
        k == "propertyNames" and (i == 0 or schema_path[i - 1] != "properties") for i, k in enumerate(schema_path)
    )


def describe(error: ValidationError) -> list[Found]:
    """(path, message) pairs for one jsonschema error, naming the field and saying why."""
    path, v, value = tuple(error.absolute_path), error.validator, error.instance
    label = _label(path)
    if _is_property_name(error):
        return [
            (
                (*path, value),
                f"{_label((*path, value))}: unexpected field; extension fields need a URI"
                " or prefixed name (e.g. example:myField)",
            )
        ]
    if v == "required" and isinstance(value, dict):
        return [((*path, k), f"{k}: required field is missing") for k in error.validator_value if k not in value]
    if v == "additionalProperties" and isinstance(value, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        return [((*path, k), f"{k}: field not allowed here") for k in value if k not in allowed]
    if v == "format":
        why = {
            "date-time": NOT_DATE_TIME,
            "uri": "is not an absolute URI (urn:… or https://…)",
            "iri": "is not an absolute IRI",
        }.get(error.validator_value)
        why = why or f"is not a valid {error.validator_value}"
        return [(path, f"{label}: {short(value)} {why}")]
    if v == "type":
        want = error.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        got = json_type(value) + ("" if value is None else f" {short(value)}")
        return [(path, f"{label}: expected {want}, got {got}")]
    if v == "enum":
        return [(path, f"{label}: {short(value)} is not one of {', '.join(map(str, error.validator_value))}")]
    if v == "pattern":
        hint = (
            NOT_OFFSET
            if path[-1:] == ("eventTimeZoneOffset",)
            else next(
                (why for start, why in _PATTERN_HINTS if str(error.validator_value).startswith(start)),
                f"does not match {error.validator_value}",
            )
        )
        return [(path, f"{label}: {short(value)} {hint}")]
    if v == "not" and path[-1:] == ("ilmd",):
        return [(path, "ilmd: only allowed when action is ADD")]
    if v == "not" and error.validator_value == {}:
        return [(path, f"{label}: field not allowed here")]
    if v == "minItems":
        n = error.validator_value
        return [(path, f"{label}: needs at least {n} entr{'y' if n == 1 else 'ies'}")]
    if v == "uniqueItems":
        return [(path, f"{label}: contains duplicate entries")]
    if v in ("anyOf", "oneOf") and error.context:
        return _describe_alternatives(error, path, label)
    message = error.message if len(error.message) <= 160 else f"fails the EPCIS schema rule {v!r}"
    return [(path, f"{label}: {message}")]


def _describe_alternatives(error: ValidationError, path: Path, label: str) -> list[Found]:
    """No branch fits: say what would (a missing key, an allowed type, a CBV word or a URI)."""
    top = [e for e in error.context if not e.relative_path]
    missing = sorted(
        {
            k
            for e in top
            if e.validator == "required" and isinstance(e.instance, dict)
            for k in e.validator_value
            if k not in e.instance
        }
    )
    literals = [
        f"{e.relative_path[0]} {e.validator_value[1:-1]}"
        for e in error.context
        if e.validator == "pattern" and _discriminates(e)
    ]
    if missing:
        unless = f" (or {' or '.join(literals)})" if literals else ""
        return [(path, f"{label}: needs at least one of {', '.join(missing)}{unless}")]
    if all(e.validator in ("enum", "format") for e in top) and any(e.validator == "enum" for e in top):
        values = [str(x) for e in top if e.validator == "enum" for x in e.validator_value]
        shown = ", ".join(values[:5]) + (", …" if len(values) > 5 else "")
        return [(path, f"{label}: {short(error.instance)} is neither a standard value ({shown}) nor an absolute URI")]
    types = sorted({str(e.validator_value) for e in top if e.validator == "type"})
    if types and len(types) == len(top):
        return [(path, f"{label}: expected {' or '.join(types)}, got {json_type(error.instance)}")]
    best = best_match(error.context)
    return describe(best) if best is not None and best is not error else [(path, f"{label}: invalid")]


def format_path(path: Sequence[Any]) -> str:
    out = ""
    for seg in path:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif isinstance(seg, str) and _PLAIN_KEY.match(seg):
            out += f".{seg}" if out else seg
        else:
            out += f"[{json.dumps(str(seg), ensure_ascii=False)}]"
    return out


def _label(path: Sequence[Any]) -> str:
    """The field a message is about: ``eventTime`` or ``epcList[0]``; "document" at the root."""
    if not path:
        return "document"
    if isinstance(path[-1], int):
        return format_path(path[-2:]) if len(path) > 1 else f"[{path[-1]}]"
    return format_path(path[-1:])


def sort_key(path: Path) -> tuple[tuple[int, Any], ...]:
    return tuple((0, seg) if isinstance(seg, int) else (1, str(seg)) for seg in path)


def json_type(value: object) -> str:
    names = {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def short(value: object, limit: int = 60) -> str:
    """JSON-ish rendering of the offending value, cut short; never fails on odd Python objects."""
    try:
        text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError, RecursionError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
