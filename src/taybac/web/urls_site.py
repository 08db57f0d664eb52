"""Routes of one part of the site, kept in their own module and included by web/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
