"""Recording lots and chain events: each one is an EPCIS event that validates against GS1's schema, a leaf of
the log whose bytes are the stored canonical JSON, and a signed checkpoint over the new tree."""

from __future__ import annotations

import datetime
import json

import pytest

from taybac.accounts.selectors import NotAllowed
from taybac.catalog.gtin import check_digit
from taybac.traceability import log
from taybac.traceability.epcis import build
from taybac.traceability.epcis.validation import validate_document
from taybac.traceability.models import Checkpoint, EventLot, LogNode, TraceEvent
from taybac.traceability.services import (
    TraceError,
    record_harvest,
    record_inspection,
    record_packing,
    record_processing,
)
from taybac_verify import note, tlog
from tests import factories

TODAY = datetime.date.today()


@pytest.fixture
def tea(shop):
    product = factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="gói")
    return product.variants.get()


def harvest(variant, **extra):
    owner = variant.shop.producer.owner
    return record_harvest(
        actor=owner,
        variant=variant,
        harvested_on=extra.pop("harvested_on", TODAY),
        quantity=extra.pop("quantity", 120),
        unit=extra.pop("unit", "kg"),
        **extra,
    )


def test_a_harvest_is_a_valid_epcis_event_and_a_log_leaf(tea):
    lot = harvest(
        tea, latitude="22.3364", longitude="103.8438", practices="Không phun thuốc", certificates=["VietGAP số 12/2026"]
    )
    assert lot.code == TODAY.strftime("%y%m%d") + "-1" and lot.commune == tea.shop.commune
    event = lot.events.get()
    doc = event.document
    assert doc["type"] == "ObjectEvent" and doc["action"] == "ADD" and doc["bizStep"] == "commissioning"
    assert doc["quantityList"] == [
        {"epcClass": f"https://id.gs1.org/01/{tea.gtin}/10/{lot.code}", "quantity": 120, "uom": "KGM"}
    ]
    assert doc["readPoint"] == {"id": "geo:22.33640,103.84380"}
    assert doc["ilmd"]["taybac:certificates"] == ["VietGAP số 12/2026"]
    assert validate_document(build.document([doc], created=datetime.datetime.now(datetime.UTC))) == []
    # The leaf hash stored in the tree is the hash of the canonical text, and the checkpoint signs the root.
    assert bytes(LogNode.objects.get(level=0, index=event.leaf_index).hash) == tlog.leaf_hash(event.canonical.encode())
    checkpoint = note.open_checkpoint(log.latest_checkpoint().note, log.public_key(), log.origin())
    assert checkpoint.size == log.size() == event.leaf_index + 1
    assert checkpoint.root_hash == log.root_at(checkpoint.size)


def test_second_lot_same_day_gets_the_next_code_and_codes_are_checked(tea):
    harvest(tea)
    assert harvest(tea).code.endswith("-2")
    assert harvest(tea, code="shan-01").code == "SHAN-01"
    with pytest.raises(TraceError, match="đã có lô"):
        harvest(tea, code="SHAN-01")
    for bad in ("lô 1", "A" * 21, "-A/B"):
        with pytest.raises(TraceError):
            harvest(tea, code=bad)
    with pytest.raises(TraceError, match="sau hôm nay"):
        harvest(tea, harvested_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(TraceError, match="GPS"):
        harvest(tea, latitude="91", longitude="0")
    with pytest.raises(TraceError, match="Số lượng"):
        harvest(tea, quantity=0)


def test_failed_records_leave_no_leaf(tea):
    before = (log.size(), TraceEvent.objects.count(), Checkpoint.objects.count())
    with pytest.raises(TraceError):
        harvest(tea, quantity=-1)
    assert (log.size(), TraceEvent.objects.count(), Checkpoint.objects.count()) == before


def test_only_the_producer_or_a_delegated_helper_records(tea):
    with pytest.raises(NotAllowed):
        record_harvest(actor=factories.make_user(), variant=tea, harvested_on=TODAY, quantity=1)


def test_processing_packing_inspection(tea, shop):
    leaves_a, leaves_b = harvest(tea, quantity=100), harvest(tea, quantity=60)
    dried = factories.make_product(shop=shop, name="Chè Shan tuyết sấy", category_slug="che").variants.get()
    owner = shop.producer.owner
    output = record_processing(
        actor=owner, inputs=[(leaves_a, 100), (leaves_b, 60)], variant=dried, quantity=32, unit="kg", produced_on=TODAY
    )
    transformation = output.events.get()
    assert transformation.event_type == "TransformationEvent"
    roles = sorted(EventLot.objects.filter(event=transformation).values_list("lot_id", "role"))
    assert roles == sorted([(leaves_a.pk, "input"), (leaves_b.pk, "input"), (output.pk, "output")])
    ssccs = record_packing(actor=owner, lot=output, cartons=2, per_carton=16)
    assert len(ssccs) == 2 and all(len(s) == 18 and check_digit(s[:-1]) == int(s[-1]) for s in ssccs)
    inspection = record_inspection(actor=owner, lot=output, passed=True, inspector="HTX Suối Giàng")
    assert inspection.disposition == "conformant"
    events = [e.document for e in output.events.order_by("leaf_index")]
    assert [e["type"] for e in events] == ["TransformationEvent", "AggregationEvent", "AggregationEvent", "ObjectEvent"]
    assert validate_document(build.document(events, created=datetime.datetime.now(datetime.UTC))) == []


def test_stored_text_is_rfc8785_canonical(tea):
    event = harvest(tea).events.get()
    doc = json.loads(event.canonical)
    assert event.canonical == json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_operators_see_lots_and_events_but_cannot_edit_them(client, tea):
    from taybac.accounts.models import User

    lot = harvest(tea)
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator")
    client.force_login(User.objects.get(username="vanhanh"))
    for url in (
        "/quan-tri/traceability/lot/",
        "/quan-tri/traceability/traceevent/",
        "/quan-tri/traceability/checkpoint/",
        "/quan-tri/traceability/location/?q=893",
    ):
        assert client.get(url).status_code == 200, url
    event = lot.events.get()
    assert client.get(f"/quan-tri/traceability/traceevent/{event.pk}/change/").status_code == 200  # view only
    response = client.post(f"/quan-tri/traceability/traceevent/{event.pk}/change/", {"canonical": "{}"})
    assert response.status_code == 403
    assert client.post(f"/quan-tri/traceability/traceevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.document["type"] == "ObjectEvent"


def test_the_key_file_names_the_log_for_good(settings, tmp_path):
    """Moving the hub to a new public URL must not rename its log (old checkpoints would stop verifying);
    an explicit TAYBAC_LOG_ORIGIN that contradicts the key is a configuration error, said plainly."""
    from django.core.exceptions import ImproperlyConfigured

    settings.DATA_DIR, settings.TAYBAC_LOG_ORIGIN = tmp_path, ""
    settings.PUBLIC_URL = "https://cho.example.vn"
    assert log.origin() == "cho.example.vn/log"
    first_key = log.public_key()
    settings.PUBLIC_URL = "https://taybac.example.vn"
    assert log.origin() == "cho.example.vn/log" and log.public_key() == first_key
    settings.TAYBAC_LOG_ORIGIN = "taybac.example.vn/log"
    with pytest.raises(ImproperlyConfigured, match="cannot be renamed"):
        log.signer()
    assert (tmp_path / "keys" / "log-signer.key").stat().st_mode & 0o077 == 0


def test_a_repeated_request_finds_its_events_instead_of_logging_them_twice(tea):
    owner = tea.shop.producer.owner
    lot, other = harvest(tea), harvest(tea)
    ssccs = record_packing(actor=owner, lot=lot, cartons=2, per_carton=10, request_key="web:abc")
    size = log.size()
    assert record_packing(actor=owner, lot=lot, cartons=2, per_carton=10, request_key="web:abc") == ssccs
    first = record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX", request_key="web:def")
    assert record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX", request_key="web:def") == first
    assert log.size() == size + 1
    with pytest.raises(TraceError, match="lô khác"):
        record_inspection(actor=owner, lot=other, passed=True, inspector="HTX", request_key="web:def")
    assert sorted(TraceEvent.objects.exclude(request_key=None).values_list("request_key", flat=True)) == [
        "web:abc#0",
        "web:abc#1",
        "web:def#0",
    ]
