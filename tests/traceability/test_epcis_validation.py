"""EPCIS 2.0 document validation: GS1's own examples pass, broken documents get field-level errors.

Pure module, no database. The examples under ``epcis_examples/`` are GS1's published JSON-LD
documents (gs1/EPCIS, folder ``JSON/``), copied byte for byte; see the README there.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from jsonschema.validators import validator_for

from taybac.traceability.epcis import (
    EpcisValidationError,
    FieldError,
    validate_document,
    validate_or_raise,
    validate_query_document,
    validation,
)

EXAMPLES_DIR = Path(__file__).parent / "epcis_examples"
EXAMPLES = sorted(EXAMPLES_DIR.rglob("*.jsonld"))
# GS1 examples known to fail their own schema: {relative path: reason}. None at commit 2b888be;
# an entry here becomes a strict xfail, so a fixed example (or a fixed validator) is noticed.
KNOWN_INVALID: dict[str, str] = {}
SCHEMA_GIT_BLOB = "4a83ec4eb17dd55f0cb9f285ffaefc5e63bdc95d"  # gs1/EPCIS@2b888be:EPCIS-JSON-Schema.json


def load(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))


def _params() -> list[Any]:
    out = []
    for path in EXAMPLES:
        rel = path.relative_to(EXAMPLES_DIR).as_posix()
        marks = [pytest.mark.xfail(reason=KNOWN_INVALID[rel], strict=True)] if rel in KNOWN_INVALID else []
        out.append(pytest.param(path, id=rel, marks=marks))
    return out


# --- the shipped schema ----------------------------------------------------------------------------


def test_schema_ships_verbatim_as_package_data() -> None:
    raw = resources.files("taybac.traceability.epcis").joinpath("data", "EPCIS-JSON-Schema.json").read_bytes()
    assert hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest() == SCHEMA_GIT_BLOB
    schema = validation.load_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert validator_for(schema) is Draft7Validator
    Draft7Validator.check_schema(schema)


def test_format_checker_enforces_formats_the_schema_only_declares() -> None:
    checker = validation._format_checker()
    assert checker.conforms("2005-04-03T20:33:31.116-06:00", "date-time")
    assert not checker.conforms("2005-04-03T20:33:31", "date-time")  # no offset
    assert not checker.conforms("2005-04-03T20:33:31Z\n", "date-time")
    assert checker.conforms("urn:epc:id:sgtin:0614141.107346.2017", "uri")
    assert not checker.conforms("sgtin 0614141", "uri")
    assert not checker.conforms("urn:epc:id:sgtin:1.2.3\n", "uri")
    assert checker.conforms("https://vi.wikipedia.org/wiki/Tây_Bắc_Bộ", "iri")


def test_module_is_pure() -> None:
    """No Django: the validator must run in scripts and third-party checks without settings."""
    code = "import sys, taybac.traceability.epcis; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- GS1's published examples ----------------------------------------------------------------------


def test_all_gs1_examples_were_copied() -> None:
    assert len(EXAMPLES) == 47
    names = {p.name for p in EXAMPLES}
    for expected in (
        "Example_9.6.1-ObjectEvent.jsonld",
        "Example_9.6.3-AggregationEvent.jsonld",
        "Example_9.6.4-TransformationEvent.jsonld",
        "Example-TransactionEvents-2020_07_03y.jsonld",
        "AssociationEvent-a.jsonld",
        "SensorDataExample17.jsonld",
        "EPCISQueryDocument.jsonld",
        "Example_9.6.1-ObjectEvent-with-error-declaration.jsonld",
        "Example_9.6.4-TransformationEventWithDigitalLink.jsonld",
        "transaction_event_all_possible_fields.jsonld",
    ):
        assert expected in names


@pytest.mark.parametrize("path", _params())
def test_gs1_example_is_valid(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    check = validate_query_document if doc["type"] == "EPCISQueryDocument" else validate_document
    assert check(doc) == []


def test_valid_document_passes_validate_or_raise() -> None:
    assert validate_or_raise(load("Example_9.6.1-ObjectEvent.jsonld")) is None


def test_query_document_and_document_are_not_interchangeable() -> None:
    query = load("EPCISQueryDocument.jsonld")
    expected = FieldError("type", "type: is 'EPCISQueryDocument'; expected 'EPCISDocument'")
    assert validate_document(query) == [expected]
    doc = load("Example_9.6.1-ObjectEvent.jsonld")
    assert [e.path for e in validate_query_document(doc)] == ["type"]


# --- broken documents ------------------------------------------------------------------------------

OBJECT = "Example_9.6.1-ObjectEvent.jsonld"
AGGREGATION = "Example_9.6.3-AggregationEvent.jsonld"
FULL_OBJECT = "WithFullCombinationOfFields/object_event_all_possible_fields.jsonld"
E0 = "epcisBody.eventList[0]"
Q0 = f"{E0}.quantityList[0]"


def event(doc: dict[str, Any], i: int = 0) -> dict[str, Any]:
    return doc["epcisBody"]["eventList"][i]


def setter(key: str, value: Any, i: int = 0) -> Callable[[dict[str, Any]], None]:
    return lambda d: event(d, i).__setitem__(key, value)


def set_item(key: str, index: int, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: event(d)[key].__setitem__(index, value)


def set_quantity(value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: event(d)["quantityList"][0].__setitem__("quantity", value)


BROKEN = [
    # (example, mutation, path, words the message must contain)
    (
        OBJECT,
        setter("eventTime", "2024-13-01T00:00:00Z"),
        f"{E0}.eventTime",
        "eventTime: '2024-13-01T00:00:00Z' is not an RFC 3339 date-time",
    ),
    (OBJECT, setter("eventTime", "2024-02-30T10:00:00+07:00"), f"{E0}.eventTime", "not an RFC 3339"),
    (OBJECT, setter("eventTime", "2024-05-01T08:30:00"), f"{E0}.eventTime", "with a timezone offset"),
    (OBJECT, setter("eventTime", "01/05/2024"), f"{E0}.eventTime", "not an RFC 3339 date-time"),
    (OBJECT, setter("recordTime", "2024-05-01 08:30"), f"{E0}.recordTime", "recordTime: '2024-05-01 08:30'"),
    (OBJECT, setter("eventTime", 1714527000), f"{E0}.eventTime", "eventTime: expected string, got number"),
    (
        OBJECT,
        lambda d: event(d).pop("eventTimeZoneOffset"),
        f"{E0}.eventTimeZoneOffset",
        "eventTimeZoneOffset: required field is missing",
    ),
    (OBJECT, lambda d: event(d).pop("eventTime"), f"{E0}.eventTime", "eventTime: required field is missing"),
    (OBJECT, setter("eventTimeZoneOffset", "+7:00"), f"{E0}.eventTimeZoneOffset", "±hh:mm"),
    (OBJECT, setter("eventTimeZoneOffset", "+14:30"), f"{E0}.eventTimeZoneOffset", "±hh:mm"),
    (OBJECT, setter("type", "FooEvent"), f"{E0}.type", "'FooEvent' is not an EPCIS event type"),
    (OBJECT, lambda d: event(d).pop("type"), f"{E0}.type", "type: required field is missing"),
    (OBJECT, set_item("epcList", 0, "lô chè 42"), f"{E0}.epcList[0]", "epcList[0]: 'lô chè 42' is not an EPC URI"),
    (OBJECT, set_item("epcList", 1, "epc:0614141"), f"{E0}.epcList[1]", "not an EPC URI"),
    (OBJECT, set_item("epcList", 0, 7), f"{E0}.epcList[0]", "expected string, got number"),
    (OBJECT, setter("action", "MOVE"), f"{E0}.action", "action: 'MOVE' is not one of OBSERVE, ADD, DELETE"),
    (OBJECT, setter("action", "add"), f"{E0}.action", "is not one of OBSERVE, ADD, DELETE"),
    (OBJECT, lambda d: event(d).pop("action"), f"{E0}.action", "action: required field is missing"),
    (OBJECT, lambda d: event(d).pop("epcList"), E0, "needs at least one of epcList, quantityList"),
    (OBJECT, setter("colour", "green"), f"{E0}.colour", "colour: unexpected field"),
    (OBJECT, setter("readPoint", {"id": "kho Sa Pa"}), f"{E0}.readPoint.id", "not an absolute URI"),
    (OBJECT, setter("bizLocation", {"id": "Mộc Châu"}), f"{E0}.bizLocation.id", "not an absolute URI"),
    (OBJECT, setter("bizStep", "urn:epcglobal:cbv:bizstep:shipping"), f"{E0}.bizStep", "bare words"),
    (OBJECT, setter("bizStep", "ship it"), f"{E0}.bizStep", "neither a standard value"),
    (FULL_OBJECT, set_quantity(-5), f"{Q0}.quantity", "quantity: -5 must be a finite, non-negative"),
    (FULL_OBJECT, set_quantity("200"), f"{Q0}.quantity", "quantity: expected number, got string"),
    (FULL_OBJECT, set_quantity(float("nan")), f"{Q0}.quantity", "finite"),
    (FULL_OBJECT, set_quantity(True), f"{Q0}.quantity", "expected number, got boolean"),
    (
        FULL_OBJECT,
        lambda d: event(d)["quantityList"][0].__setitem__("epcClass", "chè"),
        f"{Q0}.epcClass",
        "epcClass: 'chè' is not an EPC URI",
    ),
    (FULL_OBJECT, lambda d: event(d)["quantityList"][0].__setitem__("uom", "kg"), f"{Q0}.uom", "UN/CEFACT"),
    (FULL_OBJECT, setter("action", "OBSERVE"), f"{E0}.ilmd", "ilmd: only allowed when action is ADD"),
    (AGGREGATION, setter("parentID", "pallet 1"), f"{E0}.parentID", "parentID: 'pallet 1' is not an EPC URI"),
    (AGGREGATION, set_item("childEPCs", 0, "x"), f"{E0}.childEPCs[0]", "not an EPC URI"),
    (
        AGGREGATION,
        lambda d: [event(d).pop(k) for k in ("childEPCs", "childQuantityList")],
        E0,
        "needs at least one of childEPCs, childQuantityList (or action DELETE)",
    ),
    (
        "Example-TransactionEvents-2020_07_03y.jsonld",
        setter("bizTransactionList", []),
        f"{E0}.bizTransactionList",
        "needs at least 1 entry",
    ),
    (
        OBJECT,
        setter("bizTransactionList", [{"type": "po"}]),
        f"{E0}.bizTransactionList[0].bizTransaction",
        "bizTransaction: required field is missing",
    ),
    (OBJECT, lambda d: d.__setitem__("creationDate", "hôm qua"), "creationDate", "not an RFC 3339 date-time"),
    (OBJECT, lambda d: d.pop("@context"), "@context", "@context: required field is missing"),
    (OBJECT, lambda d: d.__setitem__("epcisBody", []), "epcisBody", "epcisBody: expected object, got array"),
    (OBJECT, lambda d: d["epcisBody"].pop("eventList"), "epcisBody.eventList", "required field is missing"),
    (OBJECT, lambda d: d.__setitem__("type", "ObjectEvent"), "type", "expected 'EPCISDocument'"),
    (OBJECT, lambda d: d.pop("type"), "type", "type: is missing; expected 'EPCISDocument'"),
    (OBJECT, lambda d: d.__setitem__("my.field", 1), '["my.field"]', "unexpected field"),
]


@pytest.mark.parametrize(("example", "mutate", "path", "words"), BROKEN, ids=[f"{b[2]}:{b[3][:30]}" for b in BROKEN])
def test_broken_document_gives_one_precise_error(
    example: str, mutate: Callable[[dict[str, Any]], None], path: str, words: str
) -> None:
    doc = load(example)
    mutate(doc)
    errors = validate_document(doc)
    assert [e.path for e in errors] == [path], errors
    assert words in errors[0].message
    with pytest.raises(EpcisValidationError) as raised:
        validate_or_raise(doc)
    assert isinstance(raised.value, ValueError)
    assert raised.value.errors == tuple(errors)
    assert path in str(raised.value)


@pytest.mark.parametrize(
    "doc",
    [[], "EPCISDocument", None, 42, 1.5, True, b"{}"],
    ids=["list", "str", "null", "int", "float", "bool", "bytes"],
)
def test_top_level_must_be_an_object(doc: object) -> None:
    [error] = validate_document(doc)
    assert error.path == "" and error.message.startswith("document: expected a JSON object, got ")


def test_extension_fields_and_digital_link_identifiers_are_accepted() -> None:
    doc = load(OBJECT)
    event(doc)["example:myField"] = {"example:nested": [1, "two"]}
    event(doc)["epcList"].append("https://id.gs1.org/01/09521141123454/21/lo-che-42")
    event(doc)["readPoint"] = {"id": "geo:21.5894,103.9965"}
    event(doc)["eventTime"] = "2024-05-01T08:30:00.5+07:00"
    event(doc)["eventTimeZoneOffset"] = "+07:00"
    assert validate_document(doc) == []


def test_independent_errors_in_one_event_are_all_reported_once() -> None:
    doc = load(OBJECT)
    event(doc)["eventTime"] = "tomorrow"
    event(doc)["action"] = "MOVE"
    event(doc)["epcList"] = ["a", "b"]
    assert [e.path for e in validate_document(doc)] == [
        f"{E0}.action",
        f"{E0}.epcList[0]",
        f"{E0}.epcList[1]",
        f"{E0}.eventTime",
    ]


def test_errors_are_capped_per_event_and_per_document() -> None:
    doc = load(OBJECT)
    template = event(doc)
    bad_epcs = [f"lot {i}" for i in range(30)]
    doc["epcisBody"]["eventList"] = [dict(template, epcList=bad_epcs) for _ in range(20)]
    errors = validate_document(doc)
    assert len(errors) == validation.MAX_ERRORS
    assert [e.path for e in errors[: validation.MAX_ERRORS_PER_EVENT]] == [
        f"{E0}.epcList[{i}]" for i in range(validation.MAX_ERRORS_PER_EVENT)
    ]
    assert errors[-1] == FieldError("", f"{20 * validation.MAX_ERRORS_PER_EVENT - 49} more errors not shown")


def test_one_bad_field_in_many_events_names_each_event() -> None:
    doc = load(OBJECT)
    doc["epcisBody"]["eventList"] = [dict(event(doc), action="MOVE") for _ in range(3)]
    assert [e.path for e in validate_document(doc)] == [f"epcisBody.eventList[{i}].action" for i in range(3)]


# --- properties ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "urn:epc:id:sgtin:0614141.107346.2017",
            "2024-05-01T08:30:00+07:00",
            "+07:00",
            "ObjectEvent",
            "ADD",
            "https://id.gs1.org/01/09521141123454",
            "example:x",
            "",
        ]
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def _containers(node: Any) -> list[Any]:
    found = [node] if isinstance(node, (dict, list)) else []
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found += _containers(child)
    return found


@st.composite
def mutated_examples(draw: st.DrawFn) -> Any:
    doc = json.loads(draw(st.sampled_from(EXAMPLES)).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        targets = _containers(doc)
        if not targets:
            break
        node = draw(st.sampled_from(targets))
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        action = draw(st.sampled_from(["replace", "delete", "add"] if keys else ["add"]))
        if action == "add" and isinstance(node, list):
            node.append(draw(json_values))
        elif action == "add":
            node[draw(st.text(max_size=12))] = draw(json_values)
        elif action == "delete":
            del node[draw(st.sampled_from(keys))]
        else:
            node[draw(st.sampled_from(keys))] = draw(json_values)
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_examples())
def test_mutations_only_ever_return_errors_deterministically(doc: Any) -> None:
    before = copy.deepcopy(doc)
    for check in (validate_document, validate_query_document):
        errors = check(doc)
        assert isinstance(errors, list) and len(errors) <= validation.MAX_ERRORS
        assert all(isinstance(e, FieldError) and isinstance(e.path, str) and e.message for e in errors)
        assert check(copy.deepcopy(doc)) == errors
    assert repr(doc) == repr(before)  # not mutated (repr: NaN != NaN)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_arbitrary_json_never_crashes(doc: Any) -> None:
    errors = validate_document(doc)
    assert errors and validate_document(doc) == errors


offsets = st.integers(-(13 * 60 + 59), 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=datetime(1000, 1, 1), timezones=offsets))
def test_any_offset_aware_iso_timestamp_is_a_valid_event_time(when: datetime) -> None:
    doc = load(OBJECT)
    stamp = when.isoformat()
    event(doc)["eventTime"] = stamp
    event(doc)["eventTimeZoneOffset"] = stamp[-6:]
    assert validate_document(doc) == []
    event(doc)["eventTime"] = when.replace(tzinfo=None).isoformat()
    assert [e.path for e in validate_document(doc)] == [f"{E0}.eventTime"]
