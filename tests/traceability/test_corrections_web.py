"""The seller centre's lot page and its "Báo sai" form (web/views_lot_corrections.py)."""

from __future__ import annotations

import datetime
import uuid

import pytest

from taybac.accounts.models import Role
from taybac.accounts.services import grant_delegation
from taybac.traceability.models import TraceEvent
from taybac.traceability.services import record_harvest, record_inspection
from tests import factories

TODAY = datetime.date.today()


@pytest.fixture
def lot(shop):
    variant = factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()
    owner = shop.producer.owner
    lot = record_harvest(actor=owner, variant=variant, harvested_on=TODAY, quantity=120, unit="kg", code="A-1")
    record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX Suối Giàng")
    return lot


def declare_url(lot, leaf):
    return f"/ban-hang/lo-hang/{lot.pk}/su-kien/{leaf}/bao-sai/"


def form(**extra):
    return {"token": uuid.uuid4().hex, "reason": "incorrect_data", "explanation": "Cân nhầm", "quantity": "12", **extra}


def test_the_lot_page_lists_events_with_bao_sai_and_the_label_downloads(client, lot):
    client.force_login(lot.shop.producer.owner)
    page = client.get(f"/ban-hang/lo-hang/{lot.pk}/").content.decode()
    assert page.count("Báo sai</a>") == 2 and f'href="{declare_url(lot, 0)}"' in page
    assert f'href="{lot.get_absolute_url()}/nhan-in"' in page and f"{lot.get_absolute_url()}/nhan-in.pdf?kho=24" in page
    assert f"{lot.get_absolute_url()}/nhan-in.pdf?kho=cuon" in page
    listing = client.get("/ban-hang/lo-hang/").content.decode()
    assert f'href="/ban-hang/lo-hang/{lot.pk}/"' in listing


def test_declaring_a_wrong_weight_from_the_seller_centre(client, lot):
    client.force_login(lot.shop.producer.owner)
    form_page = client.get(declare_url(lot, 0)).content.decode()
    assert "Thu hoạch" in form_page and "120 kg" in form_page and 'name="quantity"' in form_page
    response = client.post(declare_url(lot, 0), form())
    assert response.status_code == 302 and response["Location"] == f"/ban-hang/lo-hang/{lot.pk}/"
    lot.refresh_from_db()
    assert lot.quantity == 12 and TraceEvent.objects.count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "Đã báo sai" in page and "Cân nhầm" in page and page.count("Báo sai</a>") == 1  # the inspection only
    assert "Thông tin đúng thay cho" in page


def test_a_helper_may_declare_for_the_producer(client, lot):
    helper = factories.make_user(role=Role.HELPER, full_name="Lò Thị Lan")
    grant_delegation(producer=lot.shop.producer, delegate=helper, granted_by=lot.shop.producer.owner)
    client.force_login(helper)
    response = client.post(declare_url(lot, 1), form(reason="did_not_occur", quantity=""))
    assert response.status_code == 302
    declaration = TraceEvent.objects.get(leaf_index=2)
    assert declaration.recorded_by == helper and declaration.on_behalf_of == lot.shop.producer


def test_refusals_are_shown_on_the_form_and_log_nothing(client, lot):
    client.force_login(lot.shop.producer.owner)
    same = client.post(declare_url(lot, 0), form(quantity="120"))
    assert same.status_code == 400 and "giống hệt" in same.content.decode()
    gone = client.post(declare_url(lot, 0), form(reason="did_not_occur", quantity=""))
    assert gone.status_code == 400 and "tạo lô" in gone.content.decode()
    assert client.post(declare_url(lot, 0), form(explanation="")).status_code == 400
    assert client.get(declare_url(lot, 99)).status_code == 404
    assert TraceEvent.objects.count() == 2


def test_only_the_lots_sellers_see_its_page_or_declare(client, lot):
    client.force_login(factories.make_shop(name="Hộ khác").producer.owner)
    assert client.get(f"/ban-hang/lo-hang/{lot.pk}/").status_code == 403
    assert client.post(declare_url(lot, 0), form()).status_code == 403
    assert TraceEvent.objects.count() == 2


def test_operators_filter_declarations_in_the_admin(client, lot):
    from taybac.accounts.models import User

    client.force_login(lot.shop.producer.owner)
    assert client.post(declare_url(lot, 1), form(reason="did_not_occur", quantity="")).status_code == 302
    client.force_login(User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator"))
    declared = client.get("/quan-tri/traceability/traceevent/", {"declares__isempty": "0"})
    assert declared.status_code == 200 and declared.content.decode().count('class="field-leaf_index"') == 1
    declaration = TraceEvent.objects.get(leaf_index=2)
    assert client.get(f"/quan-tri/traceability/traceevent/{declaration.pk}/change/").status_code == 200
