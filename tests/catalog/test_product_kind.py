"""A product's kind follows its category when created (community tourism is a service); services take no
harvest fields (season, next harvest, harvest pre-order), whoever calls the catalogue."""

import datetime

import pytest

from taybac.catalog.models import Category, Product
from taybac.catalog.services import CatalogError, create_product, set_harvest_quota, update_product
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def _tour(**extra) -> Product:
    return make_product(name="Homestay nhà sàn Tả Van", category_slug="du-lich-cong-dong", unit="đêm", **extra)


def test_kind_follows_the_category_on_create():
    assert _tour().kind == Product.Kind.SERVICE
    assert make_product().kind == Product.Kind.GOODS


@pytest.mark.parametrize(
    "harvest",
    [
        {"season_months": [9, 10]},
        {"next_harvest": datetime.date.today() + datetime.timedelta(days=30)},
        {"preorder_allowed": True, "next_harvest": datetime.date.today() + datetime.timedelta(days=30)},
    ],
)
def test_a_service_refuses_harvest_fields(harvest):
    shop = make_shop()
    with pytest.raises(CatalogError) as refused:
        create_product(
            actor=shop.producer.owner,
            shop=shop,
            name="Tour mùa lúa chín",
            category=Category.objects.get(slug="du-lich-cong-dong"),
            price=450_000,
            quantity=10,
            weight_grams=1,
            **harvest,
        )
    assert refused.value.field in harvest and "Dịch vụ" in refused.value.message
    assert not Product.objects.exists()


def _update(product: Product, category_slug: str, **harvest) -> Product:
    return update_product(
        actor=product.shop.producer.owner,
        product=product,
        name=product.name,
        category=Category.objects.get(slug=category_slug),
        description="",
        season_months=harvest.get("season_months", ()),
        next_harvest=harvest.get("next_harvest"),
        preorder_allowed=harvest.get("preorder_allowed", False),
        geographical_indication="",
    )


def test_operator_kind_is_kept_and_a_new_category_sets_it_again():
    product = make_product(category_slug="thit-kho")
    Product.objects.filter(pk=product.pk).update(kind=Product.Kind.TRANSPORT)  # an operator's choice (admin)
    product.refresh_from_db()
    assert _update(product, "thit-kho").kind == Product.Kind.TRANSPORT
    assert _update(product, "du-lich-cong-dong").kind == Product.Kind.SERVICE
    assert _update(product, "mat-ong", season_months=[4]).kind == Product.Kind.GOODS


def test_a_goods_product_moved_to_tourism_must_drop_its_season():
    product = make_product(season_months=[4, 5])
    with pytest.raises(CatalogError) as refused:
        _update(product, "du-lich-cong-dong", season_months=[4, 5])
    assert refused.value.field == "season_months"
    product.refresh_from_db()
    assert product.kind == Product.Kind.GOODS and product.category.slug == "mat-ong"


def test_a_service_sells_no_harvest_quota():
    tour = _tour()
    with pytest.raises(CatalogError) as refused:
        set_harvest_quota(actor=tour.shop.producer.owner, variant=tour.variants.get(), quota=5)
    assert refused.value.field == "harvest_quota"
