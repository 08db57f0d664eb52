"""Routes of the pickup-run pages (web/views_pickup_runs.py; docs/logistics.md, "Pickup runs")."""

from django.urls import path

from taybac.web import views_pickup_runs as views

urlpatterns = [
    path("buu-dien/chuyen-lay-hang/", views.office, name="pickup-run-office"),
    path("buu-dien/chuyen-lay-hang/diem/<int:pk>/da-lay/", views.office_collected, name="pickup-run-office-collected"),
    path("ban-hang/chuyen-lay-hang/", views.cooperative, name="pickup-run-coop"),
    path(
        "ban-hang/chuyen-lay-hang/diem/<int:pk>/da-lay/", views.cooperative_collected, name="pickup-run-coop-collected"
    ),
]
