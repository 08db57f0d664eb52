"""Consolidation pages: who may open the report and the CSV, an officer sees only their province, the CSV's header
and figures, filters that are nonsense give a message (never a 500), the post office's list of today."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from taybac.accounts.models import Role
from taybac.logistics.consolidation import REPORT_HEADER
from taybac.logistics.consolidation_store import run_consolidation
from tests.factories import make_user
from tests.logistics.consolidation_world import HA_NOI, LAO_CAI, SON_LA, post_office, stock, waiting_shipment

pytestmark = pytest.mark.django_db
REPORT, CSV, OFFICE = "/van-hanh/gom-hang/", "/van-hanh/gom-hang/bao-cao.csv", "/buu-dien/gom-hang/"


@pytest.fixture
def planned():
    """Today's run: Sa Pa (Lào Cai) pools 2 parcels for Hà Nội and sends 1 alone; Mộc Châu (Sơn La) pools 2."""
    from django.utils import timezone

    clerk = make_user(full_name="Lý Thị Mai")
    sapa = post_office("BD-SAPA", LAO_CAI, name="Bưu điện Sa Pa", staff=[clerk])
    mocchau = post_office("BD-MOCCHAU", SON_LA, name="Bưu điện Mộc Châu")
    v = stock()
    codes = [waiting_shipment(v, sapa, dest=HA_NOI).tracking_code for _ in range(2)]
    waiting_shipment(v, sapa, dest=LAO_CAI)
    for _ in range(2):
        waiting_shipment(v, mocchau, dest=HA_NOI)
    run = run_consolidation(day=timezone.localdate())
    return {"clerk": clerk, "codes": codes, "run": run}


def _as(role: str, **extra) -> Client:
    client = Client()
    client.force_login(make_user(role=role, **extra))
    return client


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_anonymous_goes_to_sign_in_and_buyers_sellers_helpers_are_refused(client, planned) -> None:
    for url in (REPORT, CSV, OFFICE):
        assert client.get(url)["Location"] == f"/dang-nhap/?next={url}"
    for role in (Role.BUYER, Role.PRODUCER, Role.HELPER):
        c = _as(role)
        assert c.get(REPORT).status_code == 403 and c.get(CSV).status_code == 403
        assert c.get(OFFICE).status_code == 403
    assert _as(Role.OPERATOR).get(OFFICE).status_code == 403  # the counter's list is for post office staff
    operator = _as(Role.OPERATOR)
    assert all(operator.post(url).status_code == 405 for url in (REPORT, CSV, OFFICE))  # read-only pages


def test_operator_sees_every_province_with_totals(planned) -> None:
    page = _as(Role.OPERATOR).get(REPORT).content.decode()
    assert "Lào Cai" in page and "Sơn La" in page and "Bưu điện Sa Pa → Thành phố Hà Nội" in page
    # Sa Pa: 2 × 35,000 → 17,000 + 5,000 + 2 × 18,000 = 58,000 (saves 12,000); the same at Mộc Châu; 18,000 alone.
    assert "24.000 ₫" in page and "158.000 ₫" in page and "134.000 ₫" in page and "15,2 %" in page


def test_officer_sees_only_their_province_whatever_they_ask(planned) -> None:
    officer = _as(Role.OFFICER, officer_province_id=SON_LA)
    page = officer.get(REPORT, {"tinh": LAO_CAI}).content.decode()
    assert "Sơn La" in page and "Bưu điện Mộc Châu" in page
    assert "Lào Cai" not in page and "Bưu điện Sa Pa" not in page and 'name="tinh"' not in page
    rows = _csv(officer.get(CSV, {"tinh": LAO_CAI}))
    assert [r[1] for r in rows[1:]] == [str(SON_LA)]


def test_csv_header_and_figures(planned) -> None:
    from django.utils import timezone

    month = f"{timezone.localdate():%Y-%m}"
    response = _as(Role.OPERATOR).get(CSV, {"thang": month})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="gom-hang-{month}-tat-ca.csv"'
    rows = _csv(response)
    assert tuple(rows[0]) == REPORT_HEADER
    assert rows[0][0] == "thang" and rows[0][-1] == "tiet_kiem_phan_tram"
    by_province = {r[1]: r for r in rows[1:]}
    assert by_province[str(SON_LA)] == [
        month,
        "14",
        "Sơn La",
        "2",
        "2",
        "1",
        "2000",
        "70000",
        "58000",
        "12000",
        "17.1",
    ]
    assert by_province[str(LAO_CAI)][3:] == ["3", "2", "1", "3000", "88000", "76000", "12000", "13.6"]


def test_nonsense_filters_give_messages_not_errors(planned) -> None:
    operator = _as(Role.OPERATOR)
    for query in ({"thang": "2026-13"}, {"thang": "<script>"}, {"tinh": "9" * 40}, {"ngay": "hôm qua"}):
        response = operator.get(REPORT, query)
        assert response.status_code == 200
    assert "Tháng không hợp lệ" in operator.get(REPORT, {"thang": "2026-13"}).content.decode()
    assert "Ngày không hợp lệ" in operator.get(REPORT, {"ngay": "2026-02-30"}).content.decode()
    bad = operator.get(CSV, {"thang": "13-2026"})
    assert bad.status_code == 400 and "Tháng không hợp lệ" in bad.content.decode()
    empty = operator.get(REPORT, {"ngay": "2020-01-01"}).content.decode()
    assert "Không có chuyến gom nào trong ngày này" in empty


def test_post_office_staff_see_todays_consignment_codes(planned) -> None:
    client = Client()
    client.force_login(planned["clerk"])
    page = client.get(OFFICE).content.decode()
    assert "Bưu điện Sa Pa" in page and "Đi Thành phố Hà Nội" in page and "2 kiện" in page
    assert all(code in page for code in planned["codes"]) and "1 kiện khác đi riêng" in page
    assert "Mộc Châu" not in page


def test_report_queries_do_not_grow_with_runs_and_consignments(planned) -> None:
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    operator = _as(Role.OPERATOR)
    with CaptureQueriesContext(connection) as first:
        assert operator.get(REPORT, {"ngay": f"{timezone.localdate():%Y-%m-%d}"}).status_code == 200
    v = stock()
    for i in range(3):
        point = post_office(f"BD-X{i}", LAO_CAI)
        for _ in range(2):
            waiting_shipment(v, point, dest=HA_NOI, days_ago=1)
    run_consolidation(day=timezone.localdate() - datetime.timedelta(days=1))
    with CaptureQueriesContext(connection) as more:
        page = operator.get(REPORT, {"ngay": f"{timezone.localdate() - datetime.timedelta(days=1):%Y-%m-%d}"})
    assert page.content.decode().count("→ Thành phố Hà Nội") == 3
    assert len(more) == len(first)
