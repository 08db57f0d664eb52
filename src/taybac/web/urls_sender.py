"""Routes of the logistics pages: sender (docs/logistics.md)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
