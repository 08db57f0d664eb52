"""The demo's lots: a honey and a tea story with their events, shown in the seller centre, loaded once."""
from __future__ import annotations

from taybac.accounts.models import User
from taybac.demo.loader import load_demo_data
from taybac.traceability.models import EventLot, Lot, LotPhoto, TraceEvent


def test_demo_lots_tell_a_story(loaded):
    honey = Lot.objects.get(code="MV-BH-01")
    assert honey.latitude is not None and honey.photos.count() == 1
    assert sorted(honey.events.values_list("biz_step", flat=True)) == ["commissioning", "inspecting"] + ["packing"] * 4
    black = Lot.objects.get(code="HSP-HT-01")
    leaves = Lot.objects.get(code="HSP-BUP-01")
    transformation = black.events.get(event_type="TransformationEvent")
    assert set(EventLot.objects.filter(event=transformation).values_list("lot", "role")) == {
        (leaves.pk, "input"), (black.pk, "output")}
    assert black.shop == leaves.shop and black.variant != leaves.variant
    assert (loaded["media"] / f"{honey.photos.get().path_stem}-320.webp").exists()


def test_the_demo_producer_sees_the_lots_in_the_seller_centre(loaded, client):
    honey = Lot.objects.select_related("shop__producer__owner").get(code="MV-BH-01")
    client.force_login(User.objects.get(pk=honey.shop.producer.owner_id))
    page = client.get("/ban-hang/lo-hang/").content.decode()
    assert "Lô MV-BH-01" in page and "6 sự kiện" in page


def test_loading_twice_records_no_new_lot_or_event(loaded):
    before = (Lot.objects.count(), TraceEvent.objects.count(), LotPhoto.objects.count())
    load_demo_data()
    assert (Lot.objects.count(), TraceEvent.objects.count(), LotPhoto.objects.count()) == before == (3, 13, 2)
