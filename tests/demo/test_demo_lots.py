"""The demo's lots: a honey and a tea story with their events, shown in the seller centre, loaded once."""

from __future__ import annotations

from taybac.accounts.models import User
from taybac.demo.loader import load_demo_data
from taybac.traceability.models import EventLot, Lot, LotPhoto, TraceEvent


def test_demo_lots_tell_a_story(loaded):
    honey = Lot.objects.get(code="MV-BH-01")
    assert honey.latitude is not None and honey.photos.count() == 1
    assert sorted(honey.events.values_list("biz_step", flat=True)) == (
        ["commissioning", "inspecting"] + ["packing"] * 4 + ["shipping"]
    )  # shipped in a demo order
    black = Lot.objects.get(code="HSP-HT-01")
    leaves = Lot.objects.get(code="HSP-BUP-01")
    transformation = black.events.get(event_type="TransformationEvent")
    assert set(EventLot.objects.filter(event=transformation).values_list("lot", "role")) == {
        (leaves.pk, "input"),
        (black.pk, "output"),
    }
    assert black.shop == leaves.shop and black.variant != leaves.variant
    assert (loaded["media"] / f"{honey.photos.get().path_stem}-320.webp").exists()


def test_the_demo_producer_sees_the_lots_in_the_seller_centre(loaded, client):
    honey = Lot.objects.select_related("shop__producer__owner").get(code="MV-BH-01")
    client.force_login(User.objects.get(pk=honey.shop.producer.owner_id))
    page = client.get("/ban-hang/lo-hang/").content.decode()
    assert "Lô MV-BH-01" in page and "7 sự kiện" in page


def test_loading_twice_records_no_new_lot_or_event(loaded):
    before = (Lot.objects.count(), TraceEvent.objects.count(), LotPhoto.objects.count())
    load_demo_data()
    assert (
        (Lot.objects.count(), TraceEvent.objects.count(), LotPhoto.objects.count()) == before == (3, 16, 2)
    )  # 13 lot events + 2 shipped orders + 1 arrival


def test_the_demo_post_office_has_parcels_with_their_lots(loaded, client):
    """One parcel on its way, one waiting at Bưu điện phường Sa Pa; the tea's journey reaches the post office."""
    from taybac.regions.models import PickupPoint

    point = PickupPoint.objects.get(staff__phone="+84917000001")
    client.force_login(point.staff.get())
    page = client.get("/buu-dien/").content.decode()
    assert "Đang chuyển đến (1)" in page and "Chờ người mua đến nhận (1)" in page
    tea = Lot.objects.get(code="HSP-HT-01")
    steps = list(tea.events.order_by("leaf_index").values_list("biz_step", flat=True))
    assert steps[-2:] == ["shipping", "receiving"]
    assert tea.events.get(biz_step="receiving").biz_location.endswith(point.location.gln)
