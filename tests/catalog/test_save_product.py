"""catalog.services.save_product: the product form's details and its OCOP certificate in one transaction."""

import datetime

import pytest

from taybac.accounts.selectors import NotAllowed
from taybac.catalog import services
from taybac.catalog.models import OcopCertificate, Product
from tests.factories import make_user

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


def _save(product: Product, *, actor=None, ocop=None, **changes) -> Product:
    fields = {
        "name": product.name,
        "category": product.category,
        "description": "",
        "season_months": [],
        "next_harvest": None,
        "preorder_allowed": False,
        "geographical_indication": "",
        **changes,
    }
    return services.save_product(actor=actor or product.shop.producer.owner, product=product, ocop=ocop, **fields)


def _ocop(**changes) -> services.OcopInput:
    return services.OcopInput(
        **{
            "stars": 4,
            "issuer": "UBND tỉnh Lào Cai",
            "number": "12/QĐ",
            "issued_on": DAY,
            "expires_on": DAY + datetime.timedelta(days=1000),
            **changes,
        }
    )


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"expires_on": DAY}, "ocop_expires_on"),
        ({"stars": 6}, "ocop_stars"),
        ({"issuer": " "}, "ocop_issuer"),
        ({"number": "x" * 61}, "ocop_number"),
    ],
)
def test_a_refused_certificate_keeps_the_product_as_it_was(product, bad, field):
    before = product.name
    with pytest.raises(services.CatalogError) as refused:
        _save(product, name="Tên mới", ocop=_ocop(**bad))
    assert refused.value.field == field
    assert product.name == Product.objects.get(pk=product.pk).name == before
    assert not OcopCertificate.objects.exists()


def test_both_saved_and_the_certificate_kept_when_not_given(product):
    _save(product, name="Tên mới", ocop=_ocop())
    _save(product, name="Tên mới hơn")
    product.refresh_from_db()
    assert product.name == "Tên mới hơn" and product.ocop.stars == 4


def test_only_the_shops_managers(product):
    with pytest.raises(NotAllowed):
        _save(product, actor=make_user(), name="Tên mới", ocop=_ocop())
    assert Product.objects.get(pk=product.pk).name != "Tên mới" and not OcopCertificate.objects.exists()
