"""Routes of the voucher pages (web/views_vouchers.py), included by web/urls.py."""

from django.urls import URLPattern, path

from taybac.web import views_vouchers

urlpatterns: list[URLPattern] = [
    path("ban-hang/ma-giam-gia/", views_vouchers.seller_vouchers, name="seller-vouchers"),
    path(
        "ban-hang/ma-giam-gia/<int:voucher_id>/ngung/", views_vouchers.seller_voucher_stop, name="seller-voucher-stop"
    ),
    path("van-hanh/ma-giam-gia/", views_vouchers.operator_vouchers, name="operator-vouchers"),
    path(
        "van-hanh/ma-giam-gia/<int:voucher_id>/ngung/",
        views_vouchers.operator_voucher_stop,
        name="operator-voucher-stop",
    ),
]
