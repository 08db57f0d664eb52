"""EPCIS 2.0 (GS1) document validation; see `validation` and the schema notes in ``data/README.md``."""

from __future__ import annotations

from taybac.traceability.epcis.validation import (
    EpcisValidationError,
    FieldError,
    validate_document,
    validate_or_raise,
    validate_query_document,
)

__all__ = [
    "EpcisValidationError",
    "FieldError",
    "validate_document",
    "validate_or_raise",
    "validate_query_document",
]
