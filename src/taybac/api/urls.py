"""Mounted at /api/v1/ by taybac.urls. Anything under it that matches no endpoint answers in JSON."""
from django.urls import include, path, re_path

from taybac.api.errors import json_client_errors, not_found_view
from taybac.api.main import api

_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback = json_client_errors(_pattern.callback)

urlpatterns = [
    path("", include((_patterns, _app_name), namespace=_namespace)),
    re_path(r"^(?P<path>.*)$", not_found_view),
]
