"""Tours and homestays (Product.kind service) get no harvest or lot fields in the seller centre: the product
form hides them, the lot forms do not offer their variants and refuse them when posted."""

import datetime

import pytest

from taybac.catalog.models import Category, Product
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(world):
    return make_product(
        shop=world["honey"], name="Homestay nhà sàn Tả Van", category_slug="du-lich-cong-dong", unit="đêm"
    )


def test_the_product_form_of_a_service_has_no_harvest_fields(client, world, tour):
    client.force_login(world["honey"].producer.owner)
    page = client.get(f"/ban-hang/san-pham/{tour.pk}/").content.decode()
    for name in ("season_months", "next_harvest", "preorder_allowed"):
        assert f'name="{name}"' not in page
    goods = client.get(f"/ban-hang/san-pham/{world['honey_product'].pk}/").content.decode()
    assert 'name="season_months"' in goods and 'name="next_harvest"' in goods
    future = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    response = client.post(
        f"/ban-hang/san-pham/{tour.pk}/",
        {
            "name": "Homestay nhà sàn Tả Van",
            "category": tour.category_id,
            "is_active": "on",
            "season_months": ["9"],  # not on the form: not read
            "next_harvest": future,
            "preorder_allowed": "on",
        },
    )
    assert response.status_code == 302
    tour.refresh_from_db()
    assert (tour.season_mask, tour.next_harvest, tour.preorder_allowed) == (0, None, False)
    assert tour.kind == Product.Kind.SERVICE


def test_moving_a_product_to_tourism_with_a_season_is_refused_on_the_form(client, world):
    product = world["honey_product"]
    client.force_login(world["honey"].producer.owner)
    tourism = Category.objects.get(slug="du-lich-cong-dong")
    response = client.post(
        f"/ban-hang/san-pham/{product.pk}/",
        {"name": product.name, "category": tourism.pk, "is_active": "on", "season_months": ["4"]},
    )
    assert response.status_code == 400
    assert "Dịch vụ (du lịch, lưu trú) không có mùa thu hoạch" in response.content.decode()


def test_lot_forms_do_not_offer_or_accept_a_service(client, world, tour):
    client.force_login(world["honey"].producer.owner)
    page = client.get("/ban-hang/lo-hang/moi/").content.decode()
    tour_variant = tour.variants.get()
    assert f'value="{tour_variant.pk}"' not in page
    assert f'value="{world["honey_product"].variants.get().pk}"' in page
    response = client.post(
        "/ban-hang/lo-hang/moi/",
        {
            "token": "0" * 32,
            "variant": tour_variant.pk,
            "harvested_on": datetime.date.today().isoformat(),
            "quantity": 3,
            "province": world["honey"].province_id,
            "commune": world["honey"].commune_id,
        },
    )
    assert response.status_code == 400
    assert "dịch vụ du lịch, lưu trú không có lô" in response.content.decode()
    assert not tour_variant.lots.exists()


def test_the_products_list_offers_no_preorder_quota_for_a_service(client, world, tour):
    Product.objects.filter(pk=tour.pk).update(preorder_allowed=True)  # data from before kinds existed
    client.force_login(world["honey"].producer.owner)
    page = client.get("/ban-hang/").content.decode()
    assert f"/ban-hang/phan-loai/{tour.variants.get().pk}/dat-truoc/" not in page
