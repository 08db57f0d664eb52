"""Routes of the logistics pages: shipments and labels (docs/logistics.md, "Shipments and labels")."""

from django.urls import path

from taybac.web import views_shipping

urlpatterns = [
    path("ban-hang/don-hang/<int:pk>/van-don/", views_shipping.book, name="seller-shipment-new"),
    path("ban-hang/van-don/<int:pk>/", views_shipping.detail, name="seller-shipment"),
    path("ban-hang/van-don/<int:pk>/huy/", views_shipping.cancel, name="seller-shipment-cancel"),
    path("ban-hang/van-don/<int:pk>/nhan/", views_shipping.label_page, name="shipment-label"),
    path("ban-hang/van-don/<int:pk>/nhan.pdf", views_shipping.label_pdf, name="shipment-label-pdf"),
    path("ban-hang/van-don/<int:pk>/nhan-hang/", views_shipping.carrier_label, name="shipment-carrier-label"),
    path("buu-dien/nhan-gui/", views_shipping.drops, name="pickup-drops"),
    path("buu-dien/nhan-gui/<int:pk>/", views_shipping.drop, name="pickup-drop"),
]
