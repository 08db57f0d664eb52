"""The buyer's pages (web/views_buyer.py) and the seller centre's returns (web/views_seller_returns.py).

The look-up (/tra-cuu/) and the order list (/don-mua/) keep their routes in web/urls.py; their views delegate
to views_buyer."""

from django.urls import URLPattern, path

from taybac.web import views_buyer, views_seller_returns

urlpatterns: list[URLPattern] = [
    path("don-hang/<str:code>/huy/<str:shop_code>/", views_buyer.cancel, name="buyer-cancel"),
    path("don-hang/<str:code>/tra-hang/<str:shop_code>/", views_buyer.return_request, name="buyer-return"),
    path("dia-chi/", views_buyer.address_book, name="buyer-addresses"),
    path("dia-chi/<int:pk>/", views_buyer.address_edit, name="buyer-address-edit"),
    path("dia-chi/<int:pk>/xoa/", views_buyer.address_delete, name="buyer-address-delete"),
    path("dia-chi/<int:pk>/mac-dinh/", views_buyer.address_default, name="buyer-address-default"),
    path("ban-hang/tra-hang/", views_seller_returns.returns, name="seller-returns"),
    path("ban-hang/tra-hang/<int:pk>/", views_seller_returns.answer, name="seller-return-answer"),
]
