"""Saving the product form is one service and one transaction: a refused OCOP certificate (expiry before issue)
leaves the product exactly as it was, and the page says why, next to the field."""

import pytest

from taybac.catalog.models import OcopCertificate, Product
from taybac.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _form(product: Product, **changes) -> dict:
    return {
        "name": product.name,
        "category": product.category_id,
        "description": "",
        "is_active": "on",
        "ocop_stars": "4",
        "ocop_issuer": "UBND tỉnh Hà Giang",
        "ocop_number": "728/QĐ-UBND",
        "ocop_issued_on": "2025-06-01",
        "ocop_expires_on": "2028-06-01",
        **changes,
    }


def test_a_bad_ocop_expiry_saves_nothing_and_says_why(client, world):
    product = world["honey_product"]
    client.force_login(world["helper"])
    response = client.post(
        f"/ban-hang/san-pham/{product.pk}/",
        _form(product, name="Mật ong bạc hà Mèo Vạc loại 1", season_months=[4, 5], ocop_expires_on="2024-06-01"),
    )
    stored = Product.objects.get(pk=product.pk)
    assert (stored.name, stored.season_months) == (product.name, product.season_months)
    assert response.status_code == 400
    assert response.context["form"].errors == {"ocop_expires_on": ["Ngày hết hạn phải sau ngày cấp."]}
    assert "Ngày hết hạn phải sau ngày cấp." in response.content.decode()
    assert not OcopCertificate.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["product.updated", "ocop.set"]).exists()
    assert response.context["product"].name == product.name  # the page's title too


def test_a_refused_product_change_keeps_the_old_certificate(client, world):
    product = world["honey_product"]
    client.force_login(world["honey"].producer.owner)
    assert client.post(f"/ban-hang/san-pham/{product.pk}/", _form(product)).status_code == 302
    response = client.post(
        f"/ban-hang/san-pham/{product.pk}/", _form(product, ocop_stars="5", ocop_number="1/QĐ", preorder_allowed="on")
    )
    assert response.status_code == 400 and "ngày thu hoạch tới" in response.content.decode()
    certificate = OcopCertificate.objects.get(product=product)
    assert (certificate.stars, certificate.number) == (4, "728/QĐ-UBND")


def test_name_and_certificate_are_saved_together(client, world):
    product = world["honey_product"]
    client.force_login(world["helper"])
    response = client.post(f"/ban-hang/san-pham/{product.pk}/", _form(product, name="Mật ong bạc hà loại 1"))
    assert response["Location"] == "/ban-hang/"
    product.refresh_from_db()
    assert product.name == "Mật ong bạc hà loại 1" and product.ocop.stars == 4
    entries = AuditEntry.objects.filter(action__in=["product.updated", "ocop.set"])
    assert {(e.action, e.actor_id, e.on_behalf_of_id) for e in entries} == {
        ("product.updated", world["helper"].pk, world["honey"].producer.owner_id),
        ("ocop.set", world["helper"].pk, world["honey"].producer.owner_id),
    }
