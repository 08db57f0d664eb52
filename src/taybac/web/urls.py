from django.urls import include, path, re_path

from taybac.web import views_store

urlpatterns = [
    path("", views_store.home, name="store-home"),
    path("tim-kiem/", views_store.search, name="store-search"),
    path("tim-kiem/goi-y", views_store.suggest, name="store-suggest"),
    path("san-pham/<int:pk>-<slug:slug>/", views_store.product, name="store-product"),
    path("san-pham/<int:pk>/", views_store.product, name="store-product-short"),
    re_path(r"^01/(?P<gtin>[0-9]{14})/?$", views_store.product_by_digital_link, name="store-digital-link-product"),
    path("gian-hang/<slug:slug>/", views_store.shop, name="store-shop"),
    path("tinh/<slug:slug>/", views_store.province, name="store-province"),
    path("", include("taybac.web.seller.urls")),
]
