from taybac.accounts.models import User
from tests.factories import make_product


def test_staff_password_is_argon2_and_admin_works(client, db):
    make_product()
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator")
    assert User.objects.get(username="vanhanh").password.startswith("argon2$")
    response = client.post("/quan-tri/login/?next=/quan-tri/", {"username": "vanhanh", "password": "mat-khau-dai-123"})
    assert response.status_code == 302
    for url in ("/quan-tri/", "/quan-tri/catalog/product/", "/quan-tri/accounts/producer/",
                "/quan-tri/core/auditentry/", "/quan-tri/regions/commune/?q=ta+phin"):
        assert client.get(url).status_code == 200, url


def test_admin_refuses_wrong_password(client, db):
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator")
    response = client.post("/quan-tri/login/?next=/quan-tri/", {"username": "vanhanh", "password": "sai"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
