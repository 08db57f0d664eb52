"""Routes of the seller identity pages (web/views_identity.py), included by web/urls.py."""

from django.urls import URLPattern, path

from taybac.web import views_identity

urlpatterns: list[URLPattern] = [
    path("ban-hang/danh-tinh/", views_identity.seller_identity, name="seller-identity"),
    path("van-hanh/danh-tinh-nguoi-ban/", views_identity.operator_identities, name="operator-identities"),
    path(
        "van-hanh/danh-tinh-nguoi-ban/bao-cao.csv", views_identity.operator_seller_report, name="operator-seller-report"
    ),
]
