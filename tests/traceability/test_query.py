"""EPCIS SimpleEventQuery over stored events (taybac.traceability.query.find_events): each parameter alone, values
of one parameter ORed, parameters ANDed, CBV short names and URIs alike, cursor pages in leaf order, one query."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from taybac.traceability import store
from taybac.traceability.capture_scope import Capturer
from taybac.traceability.epcis import build
from taybac.traceability.query import MATCH_FIELDS, find_events
from taybac.traceability.store import parse_time

UTC = datetime.UTC
L1 = "https://id.gs1.org/414/8939999000016"
L2 = "urn:epc:id:sgln:8939999.00002.0"
EPC_A = "urn:epc:id:sgtin:8939999.000001.1"
EPC_B = "https://id.gs1.org/01/08939999000017/21/B1"
EPC_C = "urn:epc:id:sgtin:8939999.000001.3"
EPC_D = "urn:epc:id:sgtin:8939999.000001.4"
EPC_E = "urn:epc:id:sgtin:8939999.000001.5"
PALLET = "urn:epc:id:sscc:8939999.0000000001"
SENSOR = "urn:epc:id:giai:8939999.S1"
CLASS_1 = "https://id.gs1.org/01/08939999000017/10/LOT1"
CLASS_2 = "urn:epc:class:lgtin:8939999.000001.LOT2"
CLASS_3 = "https://id.gs1.org/01/08939999000024/10/LOT3"
CLASS_4 = "https://id.gs1.org/01/08939999000024/10/LOT4"
DRYING = "https://ns.taybac.example/bizstep/drying"  # not a CBV step: stored and matched as the URI


def _q(epc_class: str, amount: float = 10) -> dict[str, Any]:
    return {"epcClass": epc_class, "quantity": amount, "uom": "KGM"}


def sample_events() -> list[dict[str, Any]]:
    """Five events, one of each type, with known values (ids e1…e5, months 1…5 of 2025)."""

    def base(n: int, kind: str, **fields: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "eventID": f"urn:uuid:00000000-0000-4000-8000-00000000000{n}",
            "eventTime": f"2025-0{n}-01T07:00:00+07:00",
            "eventTimeZoneOffset": "+07:00",
            **fields,
        }

    return [
        base(
            1,
            "ObjectEvent",
            action="ADD",
            bizStep="commissioning",
            disposition="active",
            bizLocation={"id": L1},
            epcList=[EPC_A],
            quantityList=[_q(CLASS_1)],
        ),
        base(
            2,
            "AggregationEvent",
            action="ADD",
            bizStep="packing",
            disposition="in_progress",
            bizLocation={"id": L2},
            parentID=PALLET,
            childEPCs=[EPC_B],
            childQuantityList=[_q(CLASS_2)],
        ),
        base(
            3,
            "TransformationEvent",
            bizStep=DRYING,
            bizLocation={"id": L1},
            inputEPCList=[EPC_C],
            outputEPCList=[EPC_D],
            inputQuantityList=[_q(CLASS_1, 5)],
            outputQuantityList=[_q(CLASS_3, 2)],
        ),
        base(
            4,
            "TransactionEvent",
            action="ADD",
            bizStep="shipping",
            disposition="in_transit",
            parentID=PALLET,
            epcList=[EPC_A],
            quantityList=[_q(CLASS_4)],
            bizTransactionList=[{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8939999000016:PO1"}],
        ),
        base(
            5,
            "AssociationEvent",
            action="ADD",
            bizStep="assembling",
            parentID=SENSOR,
            childEPCs=[EPC_E],
            childQuantityList=[_q(CLASS_3)],
        ),
    ]


RECORDED = [datetime.datetime(2025, 6, d, tzinfo=UTC) for d in (1, 2)]


def capture_at(monkeypatch, moment: datetime.datetime, events: list[dict[str, Any]]):
    monkeypatch.setattr(store.timezone, "now", lambda: moment)
    rows = store.capture(build.document(events, created=moment), by=Capturer())
    monkeypatch.undo()
    return rows


@pytest.fixture
def stored(db, monkeypatch):
    """e1–e3 recorded on 1 June 2025, e4–e5 on 2 June, in this leaf order."""
    events = sample_events()
    return capture_at(monkeypatch, RECORDED[0], events[:3]) + capture_at(monkeypatch, RECORDED[1], events[3:])


def ids(*numbers: int) -> list[str]:
    return [f"urn:uuid:00000000-0000-4000-8000-00000000000{n}" for n in numbers]


def at(text: str) -> datetime.datetime:
    return parse_time(text)


CASES = [
    ({}, [1, 2, 3, 4, 5]),
    ({"event_types": ["ObjectEvent"]}, [1]),
    ({"event_types": ["AggregationEvent", "AssociationEvent"]}, [2, 5]),
    ({"event_types": ["TransformationEvent", "TransactionEvent"]}, [3, 4]),
    ({"ge_event_time": at("2025-03-01T07:00:00+07:00")}, [3, 4, 5]),  # inclusive
    ({"ge_event_time": at("2025-03-01T00:00:01Z")}, [4, 5]),  # 07:00+07:00 is 00:00Z
    ({"lt_event_time": at("2025-03-01T00:00:00Z")}, [1, 2]),  # exclusive
    ({"ge_event_time": at("2025-02-01T00:00:00Z"), "lt_event_time": at("2025-04-01T00:00:00Z")}, [2, 3]),
    ({"ge_record_time": RECORDED[1]}, [4, 5]),
    ({"lt_record_time": RECORDED[1]}, [1, 2, 3]),
    ({"biz_steps": ["commissioning"]}, [1]),  # GS1's JSON schema wants CBV words bare; queries may use URIs
    ({"biz_steps": ["urn:epcglobal:cbv:bizstep:commissioning"]}, [1]),
    ({"biz_steps": ["https://ref.gs1.org/cbv/BizStep-commissioning", DRYING]}, [1, 3]),
    ({"biz_steps": ["drying"]}, []),
    ({"biz_steps": ["https://ref.gs1.org/cbv/BizStep-packing", "shipping"]}, [2, 4]),
    ({"dispositions": ["in_progress"]}, [2]),
    ({"dispositions": ["urn:epcglobal:cbv:disp:active", "in_transit"]}, [1, 4]),
    ({"biz_locations": [L1]}, [1, 3]),
    ({"biz_locations": [L2, "urn:epc:id:sgln:0.0.0"]}, [2]),
    ({"event_ids": ids(5, 2)}, [2, 5]),
    ({"match": {"MATCH_epc": [EPC_A]}}, [1, 4]),
    ({"match": {"MATCH_epc": [EPC_B, EPC_E]}}, [2, 5]),  # childEPCs
    ({"match": {"MATCH_epc": [EPC_C, PALLET]}}, []),  # inputs and parents are not epcList/childEPCs
    ({"match": {"MATCH_parentID": [PALLET]}}, [2, 4]),
    ({"match": {"MATCH_inputEPC": [EPC_C, EPC_D]}}, [3]),
    ({"match": {"MATCH_outputEPC": [EPC_D]}}, [3]),
    ({"match": {"MATCH_anyEPC": [PALLET]}}, [2, 4]),
    ({"match": {"MATCH_anyEPC": [SENSOR, EPC_C]}}, [3, 5]),
    ({"match": {"MATCH_anyEPC": [EPC_D]}}, [3]),
    ({"match": {"MATCH_epcClass": [CLASS_1]}}, [1]),  # not event 3: that is an input
    ({"match": {"MATCH_epcClass": [CLASS_2, CLASS_3]}}, [2, 5]),  # childQuantityList; not outputs
    ({"match": {"MATCH_inputEPCClass": [CLASS_1]}}, [3]),
    ({"match": {"MATCH_outputEPCClass": [CLASS_3]}}, [3]),
    ({"match": {"MATCH_anyEPCClass": [CLASS_1]}}, [1, 3]),
    ({"match": {"MATCH_anyEPCClass": [CLASS_3, CLASS_4]}}, [3, 4, 5]),
    ({"match": {"MATCH_anyEPCClass": [EPC_A]}}, []),  # an instance is not a class
    # different parameters: all must hold
    ({"biz_steps": ["commissioning", DRYING], "event_types": ["ObjectEvent"]}, [1]),
    ({"match": {"MATCH_anyEPC": [PALLET], "MATCH_epc": [EPC_A]}}, [4]),
    ({"biz_locations": [L1], "ge_record_time": RECORDED[1]}, []),
    ({"match": {"MATCH_epc": []}, "event_ids": []}, [1, 2, 3, 4, 5]),  # empty lists: no filter
]


@pytest.mark.parametrize("filters,expected", CASES, ids=[str(i) for i in range(len(CASES))])
def test_each_filter(stored, filters, expected):
    assert find_events(**filters).event_ids == ids(*expected)


def test_events_come_back_as_stored_in_leaf_order(stored):
    page = find_events()
    assert page.leaf_indexes == [row.leaf_index for row in stored] == sorted(page.leaf_indexes)
    assert page.events == [row.document for row in stored]
    assert page.next_after is None
    original = sample_events()[0]
    assert page.events[0] == {**original, "recordTime": "2025-06-01T00:00:00.000Z"}


def test_pages_follow_the_cursor(stored):
    first = find_events(limit=2)
    assert first.event_ids == ids(1, 2) and first.next_after == stored[1].leaf_index
    second = find_events(limit=2, after=first.next_after)
    assert second.event_ids == ids(3, 4) and second.next_after == stored[3].leaf_index
    last = find_events(limit=2, after=second.next_after)
    assert last.event_ids == ids(5) and last.next_after is None
    assert find_events(limit=5).next_after is None  # exactly full: no empty extra page
    assert find_events(after=stored[-1].leaf_index).events == []
    # the cursor combines with filters
    filtered = find_events(biz_locations=[L1], limit=1)
    assert filtered.event_ids == ids(1)
    assert find_events(biz_locations=[L1], limit=1, after=filtered.next_after).event_ids == ids(3)


def test_one_query_whatever_the_filters(stored, django_assert_num_queries):
    everything = {
        "event_types": ["ObjectEvent", "TransactionEvent"],
        "ge_event_time": at("2025-01-01T00:00:00Z"),
        "lt_event_time": at("2026-01-01T00:00:00Z"),
        "ge_record_time": RECORDED[0],
        "lt_record_time": RECORDED[1] + datetime.timedelta(days=1),
        "biz_steps": ["shipping"],
        "dispositions": ["in_transit"],
        "biz_locations": [],
        "event_ids": ids(4, 1),
        "match": {
            "MATCH_epc": [EPC_A],
            "MATCH_parentID": [PALLET],
            "MATCH_anyEPC": [PALLET, EPC_A],
            "MATCH_epcClass": [CLASS_4],
            "MATCH_anyEPCClass": [CLASS_4],
        },
    }
    with django_assert_num_queries(1):
        assert find_events(**everything, after=0, limit=1000).event_ids == ids(4)
    with django_assert_num_queries(1):
        assert find_events(match={name: [EPC_A] for name in MATCH_FIELDS}).event_ids == []
    with django_assert_num_queries(1):
        assert len(find_events(limit=1000).events) == 5


def test_bad_arguments():
    with pytest.raises(ValueError, match="limit"):
        find_events(limit=0)
    with pytest.raises(ValueError, match="limit"):
        find_events(limit=1001)
    with pytest.raises(ValueError, match="MATCH_nothing"):
        find_events(match={"MATCH_nothing": ["x"]})


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2025-09-01T07:30:00+07:00", datetime.datetime(2025, 9, 1, 0, 30, tzinfo=UTC)),
        ("2025-09-01T00:30:00Z", datetime.datetime(2025, 9, 1, 0, 30, tzinfo=UTC)),
        ("2025-09-01t00:30:00.123456789z", datetime.datetime(2025, 9, 1, 0, 30, 0, 123456, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime.datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),  # leap second
        ("0001-01-01T00:00:00+14:00", datetime.datetime.min.replace(tzinfo=UTC)),  # before year 1 in UTC
        ("9999-12-31T23:59:59-14:00", datetime.datetime.max.replace(tzinfo=UTC)),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


def test_extreme_instants_are_valid_bounds(stored):
    assert find_events(
        ge_event_time=parse_time("0001-01-01T00:00:00+14:00"), lt_event_time=parse_time("9999-12-31T23:59:59-14:00")
    ).event_ids == ids(1, 2, 3, 4, 5)
