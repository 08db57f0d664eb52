"""Routes of the live pages (docs/selling-events.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
