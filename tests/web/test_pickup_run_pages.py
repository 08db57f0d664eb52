"""The pickup-run pages: plan, read the run sheet, mark a stop collected; refusals for everyone else; the sheet's
queries do not grow with its stops."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taybac.accounts.models import Producer, Role
from taybac.accounts.services import grant_delegation
from taybac.logistics.models_planning import PickupRun, PickupStop
from tests.factories import make_user
from tests.logistics.pickup_world import LAO_CAI, TA_VAN, post_office, shop_at, waiting_order

OFFICE = "/buu-dien/chuyen-lay-hang/"
COOP = "/ban-hang/chuyen-lay-hang/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**extra) -> dict:
    return {
        "ngay": timezone.localdate().isoformat(),
        "so_xe": 1,
        "tai_trong": 100,
        "gio_di": "07:30",
        "so_gio": 8,
    } | extra


@pytest.fixture
def clerk(db):
    return make_user(full_name="Lò Thị Nga")


@pytest.fixture
def point(clerk):
    return post_office(staff=(clerk,))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_staff_plan_the_run_and_read_the_sheet(clerk, point):
    pinned = shop_at("Hộ Giàng A Páo", commune_code=TA_VAN, pin=(22.3012, 103.8899))
    waiting_order(pinned, quantity=2, weight_grams=1500)
    waiting_order(shop_at("HTX Chè Tả Van", commune_code=TA_VAN))
    client = _client(clerk)
    empty = client.get(OFFICE)
    assert empty.status_code == 200 and "Chưa có chuyến lấy hàng cho ngày này" in _text(empty)
    assert OFFICE in client.get("/buu-dien/").content.decode()  # linked from the post office's home

    response = client.post(OFFICE, _form())

    assert response.status_code == 302
    assert response["Location"] == f"{OFFICE}?diem={point.pk}&ngay={timezone.localdate().isoformat()}"
    page = _text(client.get(response["Location"]))
    run = PickupRun.objects.get()
    assert f"2 điểm · 2 kiện · 4,0 kg · {run.distance_m / 1000:.1f}".replace(".", ",") in page
    assert "Xe 1 · 2 điểm" in page and "Xuất phát <b>07:30</b>" in page
    phone = pinned.producer.owner.phone
    assert f'href="tel:{phone}"' in page
    assert 'href="geo:22.301200,103.889900?q=22.301200,103.889900"' in page
    assert 'href="geo:22.349700,103.837000?q=22.349700,103.837000"' in page  # the depot: Sa Pa's commune point
    assert "<small>22.301200, 103.889900</small>" in page  # printed instead of the map buttons
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=22.301200%2C103.889900" in page
    assert page.count(">Đã lấy</button>") == 2 and "vị trí GPS" in page and "trung tâm Xã Tả Van" in page
    first = run.stops.get(sequence=1)
    assert re.search(rf'id="diem-{first.pk}".*?<span class="eta">(\d\d:\d\d)</span>', page)


def test_marking_a_stop_collected_shows_on_the_sheet(clerk, point):
    waiting_order(shop_at("Hộ Giàng A Páo", commune_code=TA_VAN))
    client = _client(clerk)
    client.post(OFFICE, _form())
    stop = PickupStop.objects.get()

    response = client.post(f"{OFFICE}diem/{stop.pk}/da-lay/")

    assert response.status_code == 302 and response["Location"].endswith(f"#diem-{stop.pk}")
    page = _text(client.get(response["Location"]))
    assert "Đã lấy lúc" in page and ">Đã lấy</button>" not in page and "đã lấy 1/1 điểm" in page
    assert client.post(f"{OFFICE}diem/{stop.pk}/da-lay/").status_code == 302  # a second tap: same answer
    # the wrong side's URL does not know the stop
    assert client.post(f"{COOP}diem/{stop.pk}/da-lay/").status_code == 404


def test_refusals_are_clear_and_change_nothing(clerk, point):
    client = _client(clerk)
    nothing = client.post(OFFICE, _form())
    assert nothing.status_code == 400 and "Không có hàng nào chờ lấy" in _text(nothing)
    waiting_order(shop_at("Hộ Giàng A Páo", commune_code=TA_VAN), weight_grams=30_000)
    heavy = client.post(OFFICE, _form(tai_trong=20))
    assert heavy.status_code == 400 and "nặng hơn sức chở một xe (20 kg)" in _text(heavy)
    bad = client.post(OFFICE, _form(so_xe=0, gio_di="7h", ngay="hôm nay"))
    assert bad.status_code == 400 and "Nhập giờ dạng 07:30." in _text(bad)
    assert not PickupRun.objects.exists()


def test_only_that_post_offices_staff(clerk, point):
    waiting_order(shop_at("Hộ Giàng A Páo", commune_code=TA_VAN))
    other = make_user()
    post_office(commune_code=LAO_CAI, staff=(other,))
    outsider = _client(other)
    assert outsider.get(f"{OFFICE}?diem={point.pk}").status_code == 403
    assert outsider.post(OFFICE, _form(diem=point.pk)).status_code == 403
    assert _client(make_user()).get(OFFICE).status_code == 403
    assert Client().get(OFFICE).status_code == 302
    _client(clerk).post(OFFICE, _form())
    stop = PickupStop.objects.get()
    assert outsider.post(f"{OFFICE}diem/{stop.pk}/da-lay/").status_code == 403
    assert PickupStop.objects.get().collected_at is None
    operator = _client(make_user(role=Role.OPERATOR))
    assert operator.post(OFFICE, _form(diem=point.pk)).status_code == 302  # operators name the post office


def test_a_cooperative_plans_for_itself_and_its_members(db):
    owner = make_user()
    coop_shop = shop_at("HTX Chè Tả Van", commune_code=TA_VAN, kind=Producer.Kind.COOPERATIVE, owner=owner)
    member = shop_at("Hộ thành viên", commune_code=TA_VAN, pin=(22.29, 103.87))
    grant_delegation(producer=member.producer, delegate=owner, granted_by=member.producer.owner)
    stranger = shop_at("Hộ bên cạnh", commune_code=TA_VAN)
    for shop in (coop_shop, member, stranger):
        waiting_order(shop)
    client = _client(owner)

    response = client.post(COOP, _form())

    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "HTX Chè Tả Van" in page and "Hộ thành viên" in page and "Hộ bên cạnh" not in page
    stop = PickupStop.objects.get(shop=member)
    assert client.post(f"{COOP}diem/{stop.pk}/da-lay/").status_code == 302
    assert _client(stranger.producer.owner).get(COOP).status_code == 403  # a household is not a cooperative
    assert _client(member.producer.owner).post(f"{COOP}diem/{stop.pk}/da-lay/").status_code == 403


def test_the_sheets_queries_do_not_grow_with_its_stops(clerk, point):
    client = _client(clerk)
    counts = []
    for n in (2, 6):
        PickupRun.objects.all().delete()
        for i in range(n):
            waiting_order(shop_at(f"Hộ {n}-{i}", commune_code=TA_VAN, pin=(22.28 + i / 100, 103.86)))
        assert client.post(OFFICE, _form(so_xe=2, tai_trong=500)).status_code == 302
        with CaptureQueriesContext(connection) as queries:
            assert client.get(OFFICE).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
