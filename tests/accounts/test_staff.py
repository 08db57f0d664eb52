from taybac.accounts.models import User
from tests.factories import committed, make_product


def test_staff_password_is_argon2_and_admin_works(client, db):
    make_product()
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator")
    assert User.objects.get(username="vanhanh").password.startswith("argon2$")
    response = client.post("/quan-tri/login/?next=/quan-tri/", {"username": "vanhanh", "password": "mat-khau-dai-123"})
    assert response.status_code == 302
    for url in (
        "/quan-tri/",
        "/quan-tri/catalog/product/",
        "/quan-tri/accounts/producer/",
        "/quan-tri/core/auditentry/",
        "/quan-tri/regions/commune/?q=ta+phin",
    ):
        assert client.get(url).status_code == 200, url


def test_admin_refuses_wrong_password(client, db):
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator")
    response = client.post("/quan-tri/login/?next=/quan-tri/", {"username": "vanhanh", "password": "sai"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_operator_edit_in_admin_reaches_search(client, db):
    from taybac.search.services import search_products

    product = make_product(name="Mật ong bạc hà")
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator")
    client.force_login(User.objects.get(username="vanhanh"))  # the password login itself: the test above
    variant = product.variants.get()
    form = {
        "shop": product.shop_id,
        "category": product.category_id,
        "name": "Mật ong hoa rừng",
        "slug": product.slug,
        "kind": product.kind,
        "description_html": "",
        "geographical_indication": "",
        "season_mask": 0,
        "is_active": "on",
        "variants-TOTAL_FORMS": 1,
        "variants-INITIAL_FORMS": 1,
        "variants-0-id": variant.pk,
        "variants-0-product": product.pk,
        "variants-0-sku": variant.sku,
        "variants-0-name": variant.name,
        "variants-0-unit": variant.unit,
        "variants-0-weight_grams": variant.weight_grams,
        "variants-0-price": variant.price,
        "variants-0-quantity": variant.quantity,
        "variants-0-gtin": variant.gtin,
        "variants-0-is_active": "on",
        "ocop-TOTAL_FORMS": 0,
        "ocop-INITIAL_FORMS": 0,
    }
    with committed():  # the admin's transaction commits, then search reindexes
        response = client.post(f"/quan-tri/catalog/product/{product.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [p.pk for p in search_products(query="hoa rung", log=False).items] == [product.pk]
    assert search_products(query="bac ha", log=False).count == 0


def test_officer_must_be_scoped_to_a_province(db):
    import pytest
    from django.db import IntegrityError, transaction

    from tests.factories import make_user

    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(role="officer")
    officer = make_user(role="officer", officer_province_id=14)
    assert officer.officer_province.name == "Sơn La"
