"""Who may capture what (capture_scope): a seller, a helper or a scoped partner key names only its own producers'
lots, GTINs, GLNs and SSCCs; identifiers under the hub's prefix that nobody it acts for holds are refused; other
companies' identifiers are free; all or nothing; one fixed set of lookups whatever the number of events."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taybac.accounts.models import Role
from taybac.accounts.services import revoke_delegation
from taybac.catalog.gtin import check_digit
from taybac.core.models import AuditEntry
from taybac.traceability import capture_keys, capture_scope, log, store
from taybac.traceability.capture_scope import Capturer, Key, ScopeError, parse
from taybac.traceability.epcis import build
from taybac.traceability.models import EventLot, TraceEvent
from tests import factories

FOREIGN_GTIN = "04012345000019"  # another company's (GS1 Germany test range), not in our database
FOREIGN_GLN = "4012345000016"


def _gs1(body: str) -> str:
    return body + str(check_digit(body))


def event(**fields: Any) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": "2026-01-05T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "disposition": "non_conformant",
        **fields,
    }


def capture(by: Capturer, *events: dict[str, Any]) -> list[TraceEvent]:
    return store.capture(build.document(list(events), created=datetime.datetime.now(datetime.UTC)), by=by)


def seller(s) -> Capturer:
    return Capturer(user=s.b.producer.owner)


# --- parsing identifiers, both EPCIS forms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "uri,key",
    [
        ("https://id.gs1.org/01/08939999000017/10/LOT%201", Key("gtin", "08939999000017", "LOT 1")),
        ("https://id.gs1.org/01/8939999000017", Key("gtin", "08939999000017")),  # GTIN-13 is the same GTIN
        ("https://resolver.example/some/path/01/08939999000017/21/42", Key("gtin", "08939999000017")),
        ("urn:epc:id:sgtin:8939999.000001.42", Key("gtin", "08939999000017")),
        ("URN:EPC:CLASS:LGTIN:8939999.000001.A-1", Key("gtin", "08939999000017", "A-1")),
        ("urn:epc:idpat:sgtin:8939999.000001.*", Key("gtin", "08939999000017")),
        ("urn:epc:idpat:sgtin:8939999.*.*", Key("other", "8939999")),  # every GTIN of a company
        ("https://id.gs1.org/00/089399990000000017", Key("sscc", "089399990000000017")),
        ("urn:epc:id:sscc:8939999.0000000001", Key("sscc", "089399990000000017")),
        ("https://id.gs1.org/414/8939999000016/254/7", Key("gln", "8939999000016")),
        ("urn:epc:id:sgln:8939999.00001.0", Key("gln", _gs1("893999900001"))),
        ("https://id.gs1.org/417/8939999000016", Key("gln", "8939999000016")),
        ("urn:epc:id:giai:8939999.S1", Key("other", "8939999")),
        ("https://id.gs1.org/8004/8939999S1", Key("other", "8939999S1")),
    ],
)
def test_identifiers_in_both_forms(uri, key):
    assert parse(uri) == key


@pytest.mark.parametrize(
    "uri",
    [
        "geo:22.3,103.8",
        "https://example.com/products/1",
        "urn:uuid:0000",
        "https://id.gs1.org/01/not-a-gtin",
        "urn:epc:id:sgtin:abc.1.2",
        None,
        7,
    ],
)
def test_other_uris_are_no_gs1_key(uri):
    assert parse(uri) is None


# --- every kind of identifier, in every place it can be named --------------------------------------------------


def _lot(s) -> str:
    return build.lot_class(s.tea.gtin, s.lot.code)


def _q(epc_class: str) -> dict[str, Any]:
    return {"epcClass": epc_class, "quantity": 1}


def _sgtin_urn(gtin: str, serial: str = "1") -> str:
    return f"urn:epc:id:sgtin:{gtin[1:8]}.{gtin[0]}{gtin[8:13]}.{serial}"


NOT_YOURS: list[tuple[str, Callable[[Any], dict[str, Any]], str]] = [
    ("another's lot", lambda s: event(quantityList=[_q(_lot(s))]), "quantityList[0].epcClass"),
    (
        "another's lot on the hub's own URL",
        lambda s: event(quantityList=[_q(f"http://127.0.0.1:8000/01/{s.tea.gtin}/10/A-1")]),
        "quantityList[0].epcClass",
    ),
    (
        "another's lot as URN class",
        lambda s: event(
            quantityList=[_q(f"urn:epc:class:lgtin:{s.tea.gtin[1:8]}.{s.tea.gtin[0]}{s.tea.gtin[8:13]}.A-1")]
        ),
        "quantityList[0].epcClass",
    ),
    (
        "another's lot as transformation input",
        lambda s: {
            **event(),
            "type": "TransformationEvent",
            "inputQuantityList": [_q(_lot(s))],
            "action": None,
            "outputEPCList": [_sgtin_urn(FOREIGN_GTIN)],
        },
        "inputQuantityList[0].epcClass",
    ),
    (
        "another's GTIN as class without lot",
        lambda s: event(quantityList=[_q(f"https://id.gs1.org/01/{s.tea.gtin}")]),
        "quantityList[0].epcClass",
    ),
    (
        "another's GTIN as SGTIN Digital Link",
        lambda s: event(epcList=[f"https://id.gs1.org/01/{s.tea.gtin}/21/9"]),
        "epcList[0]",
    ),
    ("another's GTIN as SGTIN URN", lambda s: event(epcList=[_sgtin_urn(s.tea.gtin)]), "epcList[0]"),
    (
        "another's GLN as bizLocation",
        lambda s: event(epcList=[], bizLocation={"id": build.gln_uri(s.a_gln)}),
        "bizLocation.id",
    ),
    (
        "another's GLN with extension as readPoint",
        lambda s: event(epcList=[], readPoint={"id": f"https://id.gs1.org/414/{s.a_gln}/254/3"}),
        "readPoint.id",
    ),
    (
        "another's GLN as source",
        lambda s: event(epcList=[], sourceList=[{"type": "location", "source": build.gln_uri(s.a_gln)}]),
        "sourceList[0].source",
    ),
    (
        "another's GLN as SGLN destination",
        lambda s: event(
            epcList=[],
            destinationList=[{"type": "location", "destination": f"urn:epc:id:sgln:{s.a_gln[:7]}.{s.a_gln[7:12]}.0"}],
        ),
        "destinationList[0].destination",
    ),
    (
        "a post office's GLN",
        lambda s: event(epcList=[], bizLocation={"id": build.gln_uri(s.post_gln)}),
        "bizLocation.id",
    ),
    (
        "another's carton as parentID",
        lambda s: {
            **event(),
            "type": "AggregationEvent",
            "parentID": build.sscc_uri(s.ssccs[0]),
            "childEPCs": [_sgtin_urn(FOREIGN_GTIN)],
        },
        "parentID",
    ),
    (
        "another's carton as SSCC URN in epcList",
        lambda s: event(epcList=[f"urn:epc:id:sscc:{s.ssccs[1][1:8]}.{s.ssccs[1][0]}{s.ssccs[1][8:17]}"]),
        "epcList[0]",
    ),
    (
        "an unallocated GTIN under our prefix",
        lambda s: event(epcList=[f"https://id.gs1.org/01/{_gs1('0893999909999')}/21/1"]),
        "epcList[0]",
    ),
    (
        "an unallocated GLN under our prefix",
        lambda s: event(epcList=[], bizLocation={"id": build.gln_uri(_gs1("893999998765"))}),
        "bizLocation.id",
    ),
    (
        "an unallocated SSCC under our prefix",
        lambda s: event(epcList=[build.sscc_uri(_gs1("08939999000099999"))]),
        "epcList[0]",
    ),
    ("another key type under our prefix", lambda s: event(epcList=["urn:epc:id:giai:8939999.PALLET-7"]), "epcList[0]"),
]


@pytest.mark.parametrize("build_event,field", [c[1:] for c in NOT_YOURS], ids=[c[0] for c in NOT_YOURS])
def test_a_seller_may_not_name_what_is_not_theirs(two_sellers, build_event, field):
    before = (log.size(), TraceEvent.objects.count(), EventLot.objects.count())
    bad = {k: v for k, v in build_event(two_sellers).items() if v is not None}
    if "epcList" in bad and not bad["epcList"]:
        bad["epcList"] = [_sgtin_urn(FOREIGN_GTIN)]  # an ObjectEvent needs something to be about
    own = event(quantityList=[_q(build.lot_class(two_sellers.honey.gtin, "B-1"))])
    with pytest.raises(ScopeError) as refused:
        capture(seller(two_sellers), own, bad)  # the first event alone is fine: all or nothing
    assert refused.value.code == "not_your_identifier" and refused.value.field == f"epcisBody.eventList[1].{field}"
    assert (log.size(), TraceEvent.objects.count(), EventLot.objects.count()) == before
    # The owner of those identifiers (or an operator) may capture the same event.
    if "post office" not in refused.value.message and "prefix" not in refused.value.message:
        assert capture(Capturer(user=two_sellers.a.producer.owner), bad)
    assert capture(Capturer(user=factories.make_user(role=Role.OPERATOR)), {**bad, "eventID": "urn:uuid:1"})


def test_a_seller_names_its_own_things_and_other_companies_freely(two_sellers):
    s = two_sellers
    mine = event(
        epcList=[f"https://id.gs1.org/01/{s.honey.gtin}/21/1", _sgtin_urn(FOREIGN_GTIN)],
        quantityList=[_q(build.lot_class(s.honey.gtin, "B-1")), _q(f"https://id.gs1.org/01/{FOREIGN_GTIN}")],
        bizLocation={"id": build.gln_uri(s.b_gln)},
        readPoint={"id": "geo:21.9,104.1"},
        sourceList=[{"type": "location", "source": build.gln_uri(FOREIGN_GLN)}],
        destinationList=[{"type": "owning_party", "destination": f"https://id.gs1.org/417/{s.b_gln}"}],
    )
    [row] = capture(seller(s), mine)
    assert row.recorded_by == s.b.producer.owner and row.on_behalf_of == s.b.producer and row.capture_key is None
    entry = AuditEntry.objects.get(action="epcis.captured")
    assert entry.actor == s.b.producer.owner and entry.detail["events"] == [row.event_id]


def test_a_helper_captures_under_a_live_delegation_only(two_sellers):
    s = two_sellers
    inspection = event(quantityList=[_q(_lot(s))])
    [row] = capture(Capturer(user=s.helper), inspection)
    assert row.recorded_by == s.helper and row.on_behalf_of == s.a.producer
    assert list(row.lots.all()) == [s.lot]
    entry = AuditEntry.objects.get(action="epcis.captured")
    assert entry.actor == s.helper and entry.on_behalf_of == s.a.producer.owner  # "Lan on behalf of the HTX"
    revoke_delegation(delegation=s.delegation, revoked_by=s.a.producer.owner)
    with pytest.raises(ScopeError):
        capture(Capturer(user=s.helper), event(quantityList=[_q(_lot(s))]))


def test_a_scoped_key_captures_for_its_producers_only(two_sellers):
    s = two_sellers
    key = capture_keys.create(name="Phần mềm kho HTX", producers=[s.a.producer]).key
    [row] = capture(Capturer(key=key), event(quantityList=[_q(_lot(s))]))
    assert row.capture_key == key and row.on_behalf_of == s.a.producer and row.recorded_by is None
    with pytest.raises(ScopeError) as refused:
        capture(Capturer(key=key), event(quantityList=[_q(build.lot_class(s.honey.gtin, "B-1"))]))
    assert "belongs to a producer you do not act for" in refused.value.message
    unlimited = capture_keys.create(name="Hệ thống nội bộ", producers=[], all_producers=True).key
    assert capture(Capturer(key=unlimited), event(quantityList=[_q(build.lot_class(s.honey.gtin, "B-1"))]))


def test_the_lookups_are_batched(two_sellers):
    """The same number of queries for 2 events as for 60, each naming lots, GTINs, GLNs and cartons."""
    s = two_sellers

    def busy(n: int) -> list[dict[str, Any]]:
        return [
            event(
                epcList=[_sgtin_urn(s.tea.gtin, str(i)), build.sscc_uri(s.ssccs[i % 2])],
                quantityList=[_q(_lot(s)), _q(build.lot_class(s.tea.gtin, f"X-{i}"))],
                bizLocation={"id": build.gln_uri(s.a_gln)},
            )
            for i in range(n)
        ]

    counts = []
    for n in (2, 60):
        with CaptureQueriesContext(connection) as queries:
            capture(Capturer(user=s.helper), *busy(n))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert EventLot.objects.filter(lot=s.lot, event__source="capture").count() == 62


def test_the_hub_and_operators_record_on_nobodys_behalf(two_sellers):
    s = two_sellers
    [row] = capture(Capturer(), event(quantityList=[_q(_lot(s))]))
    assert row.on_behalf_of is None and row.recorded_by is None and row.capture_key is None
    operator = factories.make_user(role=Role.OPERATOR)
    [row] = capture(Capturer(user=operator), event(quantityList=[_q(_lot(s))]))
    assert row.on_behalf_of is None and row.recorded_by == operator


def test_events_recorded_through_the_services_say_for_whom(two_sellers):
    s = two_sellers
    harvest = s.lot.events.get(biz_step="commissioning")
    assert harvest.recorded_by == s.a.producer.owner and harvest.on_behalf_of == s.a.producer
    assert {e.on_behalf_of_id for e in s.lot.events.filter(biz_step="packing")} == {s.a.producer.pk}
    assert capture_scope.lots_for_classes([_lot(s), "https://example.com/01/x/10/y"]) == {_lot(s): s.lot}
