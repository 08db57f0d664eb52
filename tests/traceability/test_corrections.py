"""Declaring an event erroneous from the seller centre (traceability.declare): the declaration and its corrective
event are new log leaves in one transaction, the lot follows the correction, the trace page shows it, and the log
still verifies, with `taybac trace verify` and with the independent verifier."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command

from taybac.accounts.selectors import NotAllowed
from taybac.traceability import log
from taybac.traceability.declare import declare_error
from taybac.traceability.epcis.validation import validate_document
from taybac.traceability.models import EventLot, TraceEvent
from taybac.traceability.services import TraceError, record_harvest, record_inspection, record_packing
from taybac_verify.verifier import fetch_and_verify, verify_bundle
from tests import factories

TODAY = datetime.date.today()


@pytest.fixture
def tea(shop):
    return factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()


@pytest.fixture
def lot(tea):
    """Harvest 0 (120 kg, should have been 12), inspection 1, another lot's harvest 2, cartons 3-4."""
    owner = tea.shop.producer.owner
    lot = record_harvest(actor=owner, variant=tea, harvested_on=TODAY, quantity=120, unit="kg", code="A-1")
    record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX Suối Giàng")
    record_harvest(actor=owner, variant=tea, harvested_on=TODAY, quantity=50, unit="kg", code="B-1")
    record_packing(actor=owner, lot=lot, cartons=2, per_carton=10)
    return lot


def event(leaf: int) -> TraceEvent:
    return TraceEvent.objects.get(leaf_index=leaf)


def fix_weight(lot, **extra):
    options = {"reason": "incorrect_data", "explanation": "Cân nhầm, thêm một số 0", "quantity": 12, **extra}
    return declare_error(actor=lot.shop.producer.owner, lot=lot, event=event(0), **options)


def test_a_wrong_weight_is_declared_with_its_correction_and_the_lot_follows(lot):
    original = event(0).canonical
    declaration = fix_weight(lot)
    assert TraceEvent.objects.count() == 7 and log.size() == 7
    assert event(0).canonical == original  # append-only: the wrong event is untouched
    doc, fixed = declaration.document, event(6).document
    declared = doc["errorDeclaration"]
    assert declaration.leaf_index == 5 and declaration.declares == event(0)
    assert declaration.event_id == event(0).event_id
    assert declared["reason"] == "incorrect_data" and declared["taybac:explanation"] == "Cân nhầm, thêm một số 0"
    assert declared["correctiveEventIDs"] == [fixed["eventID"]] != [doc["eventID"]]
    same = {k: v for k, v in doc.items() if k not in ("recordTime", "errorDeclaration")}
    assert same == {k: v for k, v in event(0).document.items() if k != "recordTime"}
    assert fixed["quantityList"][0]["quantity"] == 12 and fixed["ilmd"] == event(0).document["ilmd"]
    document = {"@context": doc["@context"], "type": "EPCISDocument", "schemaVersion": "2.0"}
    document |= {"creationDate": doc["recordTime"], "epcisBody": {"eventList": [doc, fixed]}}
    assert validate_document(document) == []
    lot.refresh_from_db()
    assert lot.quantity == 12  # derived from the creating event that stands: the corrective one
    assert set(EventLot.objects.filter(event__leaf_index__in=(5, 6)).values_list("lot", flat=True)) == {lot.pk}


def test_a_second_declaration_of_the_same_event_is_refused(lot):
    fix_weight(lot)
    with pytest.raises(TraceError, match="đã được báo sai"):
        fix_weight(lot, quantity=13)
    with pytest.raises(TraceError, match="lần báo sai"):  # nor the declaration itself
        declare_error(
            actor=lot.shop.producer.owner, lot=lot, event=event(5), reason="did_not_occur", explanation="Nhầm"
        )
    assert TraceEvent.objects.count() == 7


def test_an_inspection_that_did_not_happen_needs_no_corrective_event(lot):
    declaration = declare_error(
        actor=lot.shop.producer.owner,
        lot=lot,
        event=event(1),
        reason="did_not_occur",
        explanation="Ghi nhầm, chưa kiểm tra",
    )
    assert "correctiveEventIDs" not in declaration.document["errorDeclaration"]
    assert TraceEvent.objects.count() == 6


def test_a_carton_recorded_on_the_wrong_lot_moves_to_the_right_one(lot, tea):
    other = tea.lots.get(code="B-1")
    declare_error(
        actor=lot.shop.producer.owner,
        lot=lot,
        event=event(3),
        reason="incorrect_data",
        explanation="Thùng này là chè lô B",
        to_lot=other,
    )
    fixed = event(6)
    assert fixed.document["parentID"] == event(3).document["parentID"]
    assert list(fixed.lots.all()) == [other]
    lot.refresh_from_db()
    assert lot.quantity == 120  # not its creating event: the lot keeps its facts


@pytest.mark.parametrize(
    ("leaf", "options", "message"),
    [
        (0, {"reason": "did_not_occur"}, "tạo lô"),
        (0, {"reason": "incorrect_data", "quantity": None}, "số lượng đúng"),
        (0, {"reason": "incorrect_data", "quantity": 120}, "giống hệt"),
        (0, {"reason": "incorrect_data", "explanation": " "}, "vì sao"),
        (0, {"reason": "wrong"}, "lý do"),
        (2, {"reason": "incorrect_data"}, "không thuộc lô"),
        (1, {"reason": "did_not_occur", "quantity": 3}, "không cần"),
    ],
)
def test_bad_declarations_are_refused_in_vietnamese_and_log_nothing(lot, leaf, options, message):
    options = {"explanation": "Ghi nhầm số cân", "quantity": 12, **options}
    with pytest.raises(TraceError, match=message):
        declare_error(actor=lot.shop.producer.owner, lot=lot, event=event(leaf), **options)
    assert TraceEvent.objects.count() == 5


def test_only_those_who_manage_the_lot_may_declare(lot):
    stranger = factories.make_shop(name="Hộ khác").producer.owner
    with pytest.raises(NotAllowed):
        declare_error(actor=stranger, lot=lot, event=event(0), reason="did_not_occur", explanation="Phá")
    assert TraceEvent.objects.count() == 5


def test_a_repeated_submit_returns_the_first_declaration(lot):
    first = fix_weight(lot, request_key="web:abc")
    assert fix_weight(lot, request_key="web:abc") == first
    assert TraceEvent.objects.count() == 7


def test_the_trace_page_shows_the_correction_and_why(client, lot):
    fix_weight(lot)
    page = client.get(lot.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "Đã xác minh" in html
    assert '<time id="su-kien-0"' in html and "tl-void" in html and "<del>" in html
    assert "Đã báo sai" in html and "Ghi sai thông tin" in html and "Cân nhầm, thêm một số 0" in html
    assert 'href="#su-kien-6"' in html and 'href="#su-kien-0"' in html
    assert "Số lượng của lô</dt><dd>12 kg" in html
    data = client.get(lot.get_absolute_url(), HTTP_ACCEPT="application/json").json()
    assert data["lot"]["quantity"] == 12 and data["verification"]["verified"]
    [correction] = data["corrections"]
    assert correction["leaf_index"] == 0 and correction["declaration_leaf_index"] == 5
    assert correction["corrective_event_ids"] == [event(6).event_id] and correction["reason"] == "incorrect_data"


def test_trace_verify_and_the_independent_verifier_still_verify(client, lot, capsys):
    fix_weight(lot)
    call_command("trace", "verify")
    out = capsys.readouterr().out
    assert "Result: VERIFIED" in out
    bundle = client.get(f"/log/bundle/{lot.variant.gtin}/{lot.code}").json()
    report = verify_bundle(bundle, trusted_key=log.public_key())
    assert report.ok, report.text()
    assert any("event #5 declares event #0" in line and "corrected by event #6" in line for line in report.checked)


def test_the_verifier_reads_the_whole_log_with_declarations_and_finds_nothing_missing(client, lot):
    """`taybac-verify` as a third party runs it: bundle, key, and the scan of every leaf (a small log is read
    whole), with a declaration and a corrective event in the log."""
    from tests.traceability.test_verifier import client_fetch, lot_url

    fix_weight(lot)
    requests: list[str] = []
    report = fetch_and_verify(lot_url(lot), trusted_key=log.public_key(), fetch=client_fetch(client, requests))
    assert report.ok, report.text()
    assert "/log/entries?start=0&end=7" in requests  # every leaf read: the bundle holds all the lot's events
    assert any("event #5 declares event #0" in line for line in report.checked)


def test_the_verifier_fails_a_declaration_that_is_not_the_event_repeated(client, lot):
    """A hub that logged a 'declaration' changing the event itself is caught by the independent verifier."""
    fix_weight(lot)
    bundle = client.get(f"/log/bundle/{lot.variant.gtin}/{lot.code}").json()
    from taybac_verify import corrections
    from taybac_verify.bundle import Report

    original, declared = event(0).document, event(5).document
    declared["quantityList"][0]["quantity"] = 1
    report = Report()
    corrections.check_declarations(report, [(0, json.dumps(original).encode()), (5, json.dumps(declared).encode())])
    assert not report.ok and "quantityList differ" in report.problems[0]
    assert bundle["events"]  # the real bundle (checked above) holds the same two leaves, unaltered


def test_trace_verify_names_a_tampered_declaration_link(lot, capsys):
    fix_weight(lot)
    TraceEvent.objects.filter(leaf_index=5).update(declares=event(1))  # the wrong event
    with pytest.raises(SystemExit):
        call_command("trace", "verify")
    assert "event #5" in capsys.readouterr().out


def test_the_database_itself_keeps_one_declaration_per_event_and_event_ids_unique(lot):
    """Behind the checks under the log lock: a second declaration of an event, or a second plain event with an
    eventID, cannot be stored even by code that skips them."""
    from django.db import IntegrityError, transaction

    fix_weight(lot)
    first = event(5)
    for declares in (event(0), None):
        with pytest.raises(IntegrityError), transaction.atomic():
            TraceEvent.objects.create(
                leaf_index=99,
                canonical=first.canonical,
                event_id=first.event_id,
                event_type=first.event_type,
                event_time=first.event_time,
                record_time=first.record_time,
                source=first.source,
                declares=declares,
            )
