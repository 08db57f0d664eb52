"""One error shape for every 4xx the API returns: `{"error": {"code", "message", ...}}`.

Clients get the same envelope whether ninja rejected the parameters, a selector found nothing, the
domain refused the request, or the URL matched no endpoint at all.
"""
from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from taybac.core.errors import DomainError

logger = logging.getLogger("django.request")

# DomainError codes that mean something other than "bad request".
_DOMAIN_STATUS = {"unauthenticated": 401, "forbidden": 403, "not_found": 404, "conflict": 409}


class FieldProblem(Schema):
    field: str
    location: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None
    details: list[FieldProblem] | None = None


class ErrorOut(Schema):
    error: ErrorBody


# Responses every read endpoint documents besides 200.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class NotFound(Http404):
    """A resource named in the URL does not exist (or is not public)."""


def error_payload(code: str, message: str, *, field: str | None = None,
                  details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    if details:
        body["details"] = details
    return {"error": body}


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    details = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        location = loc[0] if loc else "request"
        field = ".".join(loc[1:]) or location
        details.append({"field": field, "location": location, "message": str(err.get("msg", "invalid"))})
    return details


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's `{"detail": ...}` bodies by the hub's error envelope."""

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = _validation_details(exc.errors)
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
        return api.create_response(request, error_payload("validation_error", f"Invalid request. {summary}".strip(),
                                                          details=details), status=422)

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = _DOMAIN_STATUS.get(exc.code, 400)
        return api.create_response(request, error_payload(exc.code, exc.message, field=exc.field), status=status)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) if isinstance(exc, NotFound) else "Not found."
        return api.create_response(request, error_payload("not_found", message), status=404)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, error_payload("unauthenticated", str(exc)), status=exc.status_code)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = "error" if exc.status_code >= 500 else "bad_request"
        return api.create_response(request, error_payload(code, str(exc)), status=exc.status_code)

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def _malformed_body(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A body Django cannot parse (e.g. multipart without a boundary) is the client's fault."""
        return api.create_response(request, error_payload("bad_request", f"Malformed request body: {exc}"),
                                   status=400)

    @api.exception_handler(Exception)
    def _bug(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A bug: logged with its traceback (as Django logs 500s), answered in the envelope, never a 4xx."""
        if settings.DEBUG:
            raise exc
        logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500,
                                                                                    "request": request})
        return api.create_response(request, error_payload("server_error", "Internal error; it has been logged."),
                                   status=500)


def not_found_view(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown URLs under /api/v1/ answer in JSON, not with the HTML 404 page."""
    return JsonResponse(error_payload("not_found", f"No API endpoint at {request.path}."), status=404)


def json_client_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn the few plain-text 4xx answers ninja gives outside operations (405, 404) into the error envelope."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found_view(request)
        if 400 <= response.status_code < 500 and "json" not in response.get("Content-Type", ""):
            if response.status_code == 405:
                allowed = response.get("Allow", "GET")
                payload = error_payload("method_not_allowed",
                                        f"Method {request.method} is not allowed here; use {allowed}.")
            else:
                payload = error_payload("bad_request", response.reason_phrase or "Bad request.")
            converted = HttpResponse(json.dumps(payload), status=response.status_code, content_type="application/json")
            if response.has_header("Allow"):
                converted["Allow"] = response["Allow"]
            return converted
        return response

    return wrapper
