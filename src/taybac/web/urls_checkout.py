"""Checkout's routes beyond the cart and order pages that web/urls.py already lists: the checkout's VietQR as
a PNG to save on a phone."""

from django.urls import URLPattern, path

from taybac.web import views_orders

urlpatterns: list[URLPattern] = [
    path("don-hang/<str:code>/vietqr.png", views_orders.order_qr_png, name="order-qr-png"),
]
