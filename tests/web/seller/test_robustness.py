"""Whatever a phone (or a tampered form) sends, the seller pages answer 2xx/3xx/4xx, never 500, and change nothing
they should not."""

import pytest

from taybac.catalog.models import Category
from taybac.core.models import AuditEntry

pytestmark = pytest.mark.django_db

# "²" passes str.isdigit() but int() refuses it; the long number overflows database integers
BAD = ["²", "9" * 30, "-1", "1.5", "\x00", "abc", "", "١٢", "' OR 1=1 --"]


@pytest.mark.parametrize("bad", BAD)
def test_malformed_input_never_500(client, world, bad):
    client.raise_request_exception = False
    client.force_login(world["honey"].producer.owner)
    product = world["honey_product"]
    variant = product.variants.get()
    posts = [
        ("/ban-hang/chon/", {"producer": bad}),
        (
            "/ban-hang/san-pham/moi/",
            {
                "name": bad,
                "category": bad,
                "price": bad,
                "quantity": bad,
                "unit": bad,
                "weight_grams": bad,
                "gtin": bad,
            },
        ),
        (
            "/ban-hang/san-pham/moi/",
            {
                "name": "Mật ong",
                "category": Category.objects.first().pk,
                "price": bad,
                "quantity": 1,
                "unit": "hũ",
                "weight_grams": 100,
                "gtin": bad * 8,
            },
        ),
        (
            f"/ban-hang/san-pham/{product.pk}/",
            {"name": bad, "category": bad, "season_months": [bad], "next_harvest": bad, "ocop_stars": bad},
        ),
        (
            f"/ban-hang/san-pham/{product.pk}/phan-loai/moi/",
            {"name": bad, "unit": bad, "price": bad, "quantity": bad, "weight_grams": bad, "gtin": bad},
        ),
        (f"/ban-hang/phan-loai/{variant.pk}/ton-kho/", {"quantity": bad}),
        ("/ban-hang/uy-quyen/", {"phone": bad}),
    ]
    for url, data in posts:
        status = client.post(url, data).status_code
        assert status < 500, (url, status)
    for url in (f"/ban-hang/dang-ky/?tinh={bad}", f"/dang-nhap/?next={bad}"):
        assert client.get(url).status_code < 500, url
    variant.refresh_from_db()
    assert variant.quantity == 12 and variant.price == 350_000


@pytest.mark.parametrize("bad", BAD)
def test_sign_up_province_and_commune_never_500(client, bad):
    from tests.factories import make_user

    client.raise_request_exception = False
    client.force_login(make_user())
    response = client.post("/ban-hang/dang-ky/", {"tinh": bad, "name": "Hộ A", "kind": "household", "commune": bad})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", ["x", 10**30, None, [1], -5])
def test_tampered_session_choice_falls_back_to_a_managed_producer(client, world, value):
    client.force_login(world["helper"])
    session = client.session
    session["acting_producer_id"] = value
    session.save()
    page = client.get("/ban-hang/").content.decode()
    assert "Mật ong bạc hà" in page and "Chè Shan tuyết" not in page


def test_session_pointing_at_an_undelegated_producer_is_ignored(client, world):
    """A stale or forged session id never selects a shop the user may not manage."""
    client.force_login(world["helper"])
    session = client.session
    session["acting_producer_id"] = world["tea"].producer.pk
    session.save()
    page = client.get("/ban-hang/").content.decode()
    assert "Chè Shan tuyết" not in page and "thay mặt Hộ Giàng A Páo" in page
    client.post(
        "/ban-hang/san-pham/moi/",
        {
            "name": "Chè giả",
            "category": Category.objects.get(slug="che").pk,
            "price": "1000",
            "quantity": 1,
            "unit": "gói",
            "weight_grams": 100,
        },
    )
    assert not world["tea"].products.filter(name="Chè giả").exists()
    assert world["honey"].products.filter(name="Chè giả").exists()
    assert not AuditEntry.objects.filter(on_behalf_of=world["tea"].producer.owner).exists()
