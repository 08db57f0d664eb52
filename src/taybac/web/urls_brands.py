"""Routes of the brands pages (docs/selling-events.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
