"""Routes of the tax pages (web/views_tax.py), included by web/urls.py."""

from django.urls import URLPattern, path, re_path

from taybac.web import views_tax

MONTH = r"(?P<month>20[0-9]{2}-(?:0[1-9]|1[0-2]))"

urlpatterns: list[URLPattern] = [
    path("ban-hang/thue/", views_tax.seller_tax, name="seller-tax"),
    re_path(
        r"^ban-hang/thue/(?P<period>20[0-9]{2}(?:-(?:0[1-9]|1[0-2]))?)/$",
        views_tax.seller_statement,
        name="seller-tax-statement",
    ),
    path("van-hanh/thue/", views_tax.operator_tax, name="operator-tax"),
    re_path(rf"^van-hanh/thue/{MONTH}/$", views_tax.operator_declaration, name="operator-tax-month"),
    re_path(rf"^van-hanh/thue/{MONTH}\.csv$", views_tax.operator_declaration_csv, name="operator-tax-csv"),
    re_path(rf"^van-hanh/thue/{MONTH}/da-nop/$", views_tax.operator_mark_filed, name="operator-tax-filed"),
]
