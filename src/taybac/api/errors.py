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
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from taybac.core.errors import DomainError

logger = logging.getLogger("django.request")

# Where the API is mounted (taybac.urls): every answer under it is JSON, even Django's own error pages.
API_PREFIX = "/api/v1/"

# DomainError codes that mean something other than "bad request".
_DOMAIN_STATUS = {"unauthenticated": 401, "forbidden": 403, "not_found": 404, "conflict": 409}
# The code an HTTP status gets when nothing more precise is known (ninja's HttpError, Django's handlers).
_STATUS_CODE = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


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


# Responses every endpoint documents besides its success; what each means on an operation is said with
# `refusals(...)` (a generic description is filled in by taybac.api.main for the rest).
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# What each error status means on any operation, unless the operation says more precisely with `refusals`.
GENERIC_REFUSALS: dict[int, str] = {
    400: "`bad_request`: a body that cannot be parsed. Operations with domain rules list their codes here.",
    401: "`unauthenticated`: no session cookie or API key, or one that is not valid.",
    403: "`forbidden`: signed in, but not allowed to act on this resource; or the CSRF header is missing.",
    404: "`not_found`: no such resource, or it is not public.",
    409: "`conflict`: the request clashes with what is already stored.",
    413: "`too_large`: the request body is over the server's limit.",
    415: "`unsupported_media_type`: the body is not sent as the content type this operation reads.",
    422: "`validation_error`: a parameter or body field does not match this document; `details` names each one.",
}


def refusals(when: dict[int, str]) -> dict[str, Any]:
    """`openapi_extra` saying when an operation answers each error status, e.g. which domain rules give a 400.

    OpenAPI cannot state rules across parameters (price_min ≤ price_max) or about stored data (a variant that
    exists, stock): the description is where clients, and schemathesis' readers, learn them.
    """
    return {"responses": {status: {"description": text} for status, text in when.items()}}  # int keys, as ninja's


class NotFound(Http404):
    """A resource named in the URL does not exist (or is not public)."""


def error_payload(
    code: str, message: str, *, field: str | None = None, details: list[dict[str, str]] | None = None
) -> dict[str, Any]:
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
        return api.create_response(
            request,
            error_payload("validation_error", f"Invalid request. {summary}".strip(), details=details),
            status=422,
        )

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
        """ninja's own refusals, e.g. its session auth's "CSRF check Failed" (403 forbidden)."""
        code = "error" if exc.status_code >= 500 else _STATUS_CODE.get(exc.status_code, "bad_request")
        return api.create_response(request, error_payload(code, str(exc)), status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return api.create_response(
            request, error_payload("too_large", f"The request body is over {limit} bytes."), status=413
        )

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def _malformed_body(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A body Django cannot parse (e.g. multipart without a boundary) is the client's fault."""
        return api.create_response(request, error_payload("bad_request", f"Malformed request body: {exc}"), status=400)

    @api.exception_handler(Exception)
    def _bug(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A bug: logged with its traceback (as Django logs 500s), answered in the envelope, never a 4xx."""
        if settings.DEBUG:
            raise exc
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
        )
        return api.create_response(
            request, error_payload("server_error", "Internal error; it has been logged."), status=500
        )


@csrf_exempt  # it changes nothing; without this, CsrfViewMiddleware answers a POST with its HTML 403 page
def not_found_view(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown URLs under /api/v1/ answer in JSON, whatever the method, not with the HTML 404 page."""
    return JsonResponse(error_payload("not_found", f"No API endpoint at {request.path}."), status=404)


# --- Django's error handlers (taybac.urls, CSRF_FAILURE_VIEW): JSON under /api/v1/, the site's pages elsewhere ---


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX) or request.path_info == API_PREFIX.rstrip("/")


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_payload(code, message), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 for API clients, other malformed requests 400."""
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return _json_error(413, "too_large", f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
    return _json_error(400, "bad_request", "Malformed request.")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403."""
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return _json_error(403, "forbidden", "You are not allowed to do this.")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404."""
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return _json_error(404, "not_found", f"No API endpoint at {request.path}.")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 (Django has already logged the traceback)."""
    if not is_api(request):
        return defaults.server_error(request)
    return _json_error(500, "server_error", "Internal error; it has been logged.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: API clients learn what to send instead of getting Django's HTML page."""
    if not is_api(request):
        return csrf.csrf_failure(request, reason)
    return _json_error(
        403,
        "forbidden",
        f"CSRF check failed ({reason}): send the csrftoken cookie and its value in the X-CSRFToken header.",
    )


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
                payload = error_payload(
                    "method_not_allowed", f"Method {request.method} is not allowed here; use {allowed}."
                )
            else:
                payload = error_payload("bad_request", response.reason_phrase or "Bad request.")
            converted = HttpResponse(json.dumps(payload), status=response.status_code, content_type="application/json")
            if response.has_header("Allow"):
                converted["Allow"] = response["Allow"]
            return converted
        return response

    return wrapper
