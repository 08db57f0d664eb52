"""Routes of the insights pages: the indicator dashboard, forecasts (docs/insights.md)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
