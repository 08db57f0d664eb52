"""Mounted at /api/v1/ by taybac.urls. Anything under it that matches no endpoint answers in JSON."""

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from taybac.api.errors import json_client_errors, not_found_view
from taybac.api.main import api


@csrf_exempt  # read-only: other methods get the JSON 405, not CsrfViewMiddleware's HTML 403
@require_safe
def api_index(request: HttpRequest, **kwargs) -> JsonResponse:
    """GET /api/v1/: where the machine-readable and the human-readable descriptions are."""
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri("openapi.json"),
            "docs": request.build_absolute_uri("docs"),
        }
    )


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    assert isinstance(_pattern, URLPattern)  # ninja lists its operations' paths, no includes
    # ninja's own root view only raises 404; it keeps its name because ninja reverses it.
    _pattern.callback = json_client_errors(api_index if _pattern.name == "api-root" else _pattern.callback)

urlpatterns = [
    path("", include((_patterns, _app_name), namespace=_namespace)),
    re_path(r"^(?P<path>.*)$", not_found_view),
]
