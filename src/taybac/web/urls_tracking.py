"""Routes of the logistics pages: tracking (docs/logistics.md)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
