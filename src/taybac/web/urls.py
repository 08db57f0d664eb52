from django.urls import path, re_path

from taybac.web import views_account, views_orders, views_seller, views_store

urlpatterns = [
    path("", views_store.home, name="store-home"),
    path("tim-kiem/", views_store.search, name="store-search"),
    path("tim-kiem/goi-y", views_store.suggest, name="store-suggest"),
    path("san-pham/<int:pk>-<slug:slug>/", views_store.product, name="store-product"),
    path("san-pham/<int:pk>/", views_store.product, name="store-product-short"),
    re_path(r"^01/(?P<gtin>[0-9]{14})/?$", views_store.product_by_digital_link, name="store-digital-link-product"),
    path("gian-hang/<slug:slug>/", views_store.shop, name="store-shop"),
    path("tinh/<slug:slug>/", views_store.province, name="store-province"),
    path("gio-hang/", views_orders.cart_page, name="order-cart"),
    path("gio-hang/sua/", views_orders.cart_set, name="order-cart-set"),
    path("don-hang/<str:code>/", views_orders.order_page, name="order-page"),
    path("tra-cuu/", views_orders.track, name="order-track"),
    path("dang-nhap/", views_account.signin, name="signin"),
    path("dang-nhap/ma/", views_account.signin_code, name="signin-code"),
    path("dang-xuat/", views_account.signout, name="signout"),
    path("ban-hang/", views_seller.home, name="seller-home"),
    path("ban-hang/chon/", views_seller.switch, name="seller-switch"),
    path("ban-hang/dang-ky/", views_seller.signup, name="seller-signup"),
    path("ban-hang/san-pham/moi/", views_seller.product_new, name="seller-product-new"),
    path("ban-hang/san-pham/<int:pk>/anh/", views_seller.product_photos, name="seller-product-photos"),
    path("ban-hang/san-pham/<int:pk>/", views_seller.product_details, name="seller-product-details"),
    path("ban-hang/san-pham/<int:pk>/phan-loai/moi/", views_seller.variant_new, name="seller-variant-new"),
    path("ban-hang/anh/<int:pk>/xoa/", views_seller.photo_remove, name="seller-photo-remove"),
    path("ban-hang/phan-loai/<int:pk>/ton-kho/", views_seller.variant_stock, name="seller-variant-stock"),
    path("ban-hang/uy-quyen/", views_seller.delegations, name="seller-delegations"),
    path("ban-hang/uy-quyen/<int:pk>/thu-hoi/", views_seller.delegation_revoke, name="seller-delegation-revoke"),
    path("ban-hang/nhat-ky/", views_seller.activity, name="seller-activity"),
]
