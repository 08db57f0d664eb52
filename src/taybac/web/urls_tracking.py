"""Routes of the logistics pages: tracking — the carriers' status webhooks (docs/logistics.md)."""

from django.urls import path

from taybac.web import views_tracking

urlpatterns = [
    path(
        "webhooks/van-chuyen/<slug:carrier>/<str:token>/",
        views_tracking.carrier_webhook,
        name="carrier-webhook",
    ),
]
