"""Routes of the logistics pages: logistics_reports (docs/logistics.md)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
