"""Security headers on every response, and one-line logs for refused requests.

The Content-Security-Policy itself is django-csp's (settings.CONTENT_SECURITY_POLICY); two places that are
not ours need small, path-scoped exceptions, kept here so the hub's own pages stay strict:
- the Django admin (/quan-tri/) writes a few inline <style> blocks: styles only, never scripts;
- Swagger UI (/api/v1/docs) styles its widgets inline as well;
and the live page (/truc-tiep/) frames YouTube/Facebook/TikTok and reads the events stream (live_page_policy).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse

_INLINE_STYLES = {"style-src": [UNSAFE_INLINE]}


def _third_party_prefixes() -> tuple[str, ...]:
    return (reverse("admin:index"), "/api/v1/docs")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with the admin's and the API docs' inline styles allowed on their paths only."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(_third_party_prefixes()):
            parts.update = {**(parts.update or {}), **_INLINE_STYLES}
        if not report_only and request.path_info.startswith("/truc-tiep/"):
            parts.update = {**(parts.update or {}), **live_page_policy()}
        return parts


def live_page_policy() -> dict[str, list[str]]:
    """The live page (campaigns, docs/selling-events.md): the video providers' embeds, the events stream (another
    port in the demo) and hls.js's media from blob: URLs; nothing else is loosened."""
    from taybac.campaigns.live_embed import FRAME_ORIGINS
    from taybac.campaigns.live_selectors import events_url

    events = events_url(0).removesuffix("live/0/")
    connect = ["'self'"] + ([events] if events.startswith("http") else [])
    return {"frame-src": list(FRAME_ORIGINS), "connect-src": connect, "media-src": ["'self'", "blob:"]}


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header (settings.TAYBAC_PERMISSIONS_POLICY) that Django does not set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.TAYBAC_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response


class ClientErrorsOneLine(logging.Filter):
    """Logs a 4xx that Django reports with its exception (403 PermissionDenied, 400 SuspiciousOperation) as
    one line: the message already names the path and the reason, and a refused request is not a bug."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            reason = record.exc_info[1]
            if reason is not None and str(reason):
                record.msg = f"{record.getMessage()} ({type(reason).__name__}: {reason})"
                record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
