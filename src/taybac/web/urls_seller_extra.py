"""Routes of one part of the site, kept in their own module and included by web/urls.py: the seller centre's
confirmation page before cancelling an order (its button posts to `seller-order-step`)."""

from django.urls import URLPattern, path

from taybac.web import views_seller_orders

urlpatterns: list[URLPattern] = [
    path("ban-hang/don-hang/<int:pk>/huy/", views_seller_orders.order_cancel, name="seller-order-cancel"),
]
