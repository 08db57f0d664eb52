"""Routes of the logistics pages: the sender's address (docs/logistics.md, "The sender's address")."""

from django.urls import path

from taybac.web import views_sender

urlpatterns = [
    path("ban-hang/dia-chi-gui-hang/", views_sender.sender_address, name="seller-sender-address"),
]
