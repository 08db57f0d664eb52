"""Routes of the logistics pages: pickup_runs (docs/logistics.md)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
