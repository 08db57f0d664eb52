"""Every step of a trace page says who recorded it: the producer, a helper on its behalf, a partner's key, a post
office (its staff), or Tây Bắc Hub — in the HTML and the JSON, without a query per event."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction

from taybac.accounts.models import Role
from taybac.accounts.services import grant_delegation
from taybac.regions.models import PickupPoint
from taybac.traceability import capture_keys, store
from taybac.traceability.capture_scope import Capturer
from taybac.traceability.epcis import build
from taybac.traceability.order_steps import record_order_step
from taybac.traceability.services import record_inspection
from tests.factories import make_user
from tests.web.trace.conftest import sell_and_deliver
from tests.web.trace.test_trace_page import PAGE_QUERIES, html

pytestmark = pytest.mark.django_db

HTX = "HTX Chè Shan tuyết Suối Giàng"


def steps(response) -> list[tuple[str, str]]:
    """(title, recorder) of every timeline line."""
    return re.findall(
        r'<li class="tl-[^"]*"><time[^>]*>[^<]*</time><b>([^<]+)</b>.*?<small>Ghi bởi: ([^<]+)</small>',
        html(response),
        re.S,
    )


def test_each_kind_of_recorder_is_named(client, story, django_assert_num_queries):
    dried, owner, producer = story["dried"], story["owner"], story["producer"]
    helper = make_user(role=Role.HELPER, full_name="Lò Thị Lan")
    grant_delegation(producer=producer, delegate=helper, granted_by=owner)
    record_inspection(actor=helper, lot=dried, passed=True, inspector="Tổ kiểm tra HTX")
    key = capture_keys.create(name="Kho lạnh Sa Pa", producers=[producer]).key
    lot_class = build.lot_class(story["tea_variant"].gtin, dried.code)
    store.capture(
        build.document(
            [
                {
                    "type": "ObjectEvent",
                    "eventTime": "2026-01-05T08:00:00+07:00",
                    "eventTimeZoneOffset": "+07:00",
                    "action": "OBSERVE",
                    "bizStep": "storing",
                    "quantityList": [{"epcClass": lot_class, "quantity": 10}],
                }
            ],
            created=datetime.datetime.now(datetime.UTC),
        ),
        by=Capturer(key=key),
    )
    clerk = make_user(role=Role.BUYER, full_name="Chị Hoa bưu điện")
    shop_order = sell_and_deliver(story["tea_variant"], dried, owner, quantity=1)
    point = PickupPoint.objects.get(code="BD-HANGBAC")
    point.staff.add(clerk)
    with transaction.atomic():
        record_order_step(shop_order=shop_order, step="receiving", actor=clerk, pickup_point=point)

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(dried.get_absolute_url())
    found = steps(response)
    assert ("Chế biến", HTX) in found and ("Gửi hàng", HTX) in found
    assert ("Kiểm tra: đạt", f"Lò Thị Lan thay mặt {HTX}") in found
    assert ("Sự kiện ObjectEvent · storing", "đối tác Kho lạnh Sa Pa") in found
    assert ("Nhận tại bưu điện", "Tây Bắc Hub") in found  # recorded by the system (no user)
    assert found[-1] == ("Nhận tại bưu điện", "Bưu điện Hàng Bạc")  # by its staff
    assert len(found) == len(re.findall(r'<li class="tl-', html(response)))  # every line says it
    assert clerk.phone not in html(response) and helper.phone not in html(response)  # never a phone number

    with django_assert_num_queries(PAGE_QUERIES):
        body = client.get(dried.get_absolute_url(), HTTP_ACCEPT="application/json").json()
    assert len(body["recorded_by"]) == len(body["events"])
    kinds = {r["kind"] for r in body["recorded_by"]}
    assert kinds == {"producer", "helper", "partner", "post_office", "hub"}
    partner = next(r for r in body["recorded_by"] if r["kind"] == "partner")
    assert partner == {"kind": "partner", "label": "đối tác Kho lạnh Sa Pa", "producer": HTX}
