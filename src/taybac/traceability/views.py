"""HTTP face of the transparency log (public contract, docs/traceability.md): checkpoint, key, entries, proofs.

Plain Django views, not ninja operations: the checkpoint and key are text/plain C2SP formats, and every answer
is small and cacheable. JSON errors use the API's envelope `{"error": {"code", "message"}}`; a malformed or
out-of-range parameter is a 400, never a 500. Proofs read O(log n) stored subtree hashes; a lot's bundle
reads them all in a bounded number of queries, whatever the number of events.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from taybac.traceability import log
from taybac.traceability.models import Lot, TraceEvent
from taybac_verify import tlog

MAX_ENTRIES = 1000  # leaves per /log/entries page; a client asks again from the last index + 1
_UINT = re.compile(r"[0-9]{1,19}")  # ASCII digits only: no sign, spaces, "_" or non-ASCII digits int() accepts
MAX_INT = 2**63 - 1  # what a database integer holds
IMMUTABLE = "public, max-age=31536000, immutable"  # a proof for fixed sizes never changes in an append-only log
NO_CACHE = "no-cache"


class BadParameter(ValueError):
    """A query parameter is missing, malformed or out of range: a 400 with the API's error envelope."""


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _uint(request: HttpRequest, name: str) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        raise BadParameter(f"the query parameter {name} is required (a non-negative integer)")
    if not _UINT.fullmatch(raw) or int(raw) > MAX_INT:
        raise BadParameter(f"{name} must be an integer from 0 to {MAX_INT}, got {raw[:40]!r}")
    return int(raw)


def _json_view(view: Callable[..., JsonResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; BadParameter and LogError become 400s in the error envelope."""

    @require_safe
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (BadParameter, log.LogError) as exc:
            return error(400, "invalid", str(exc))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _text(body: str, *, status: int = 200, cache: str = NO_CACHE) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = cache
    return response


def behind(exc: log.LogRollbackError) -> JsonResponse:
    """503: the database is older than a checkpoint the hub has published; serving it would hide entries."""
    response = error(503, "log_behind", f"The log cannot be served: {exc}.")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """GET /log/checkpoint: the latest signed checkpoint note, exactly as signed; never one older than the
    newest the hub has committed (503 then, see log.signed_head)."""
    try:
        latest = log.servable_checkpoint()
    except log.LogRollbackError as exc:
        return behind(exc)
    if latest is None:
        return _text("The log is empty: no checkpoint has been signed yet.\n", status=404)
    return _text(latest.note)


@require_safe
def key(request: HttpRequest) -> HttpResponse:
    """GET /log/key: the C2SP verifier key; it changes only if the operator rotates the key."""
    return _text(log.public_key() + "\n", cache="public, max-age=86400")


@_json_view
def entries(request: HttpRequest) -> JsonResponse:
    """GET /log/entries?start=A&end=B: leaves A <= i < B in one query, at most MAX_ENTRIES of them.

    Past the end of the log the page is short (or empty); a full page is cached for good.
    """
    start, end = _uint(request, "start"), _uint(request, "end")
    if end <= start:
        raise BadParameter(f"end must be greater than start, got start={start} end={end}")
    end = min(end, start + MAX_ENTRIES)
    rows = (
        TraceEvent.objects.filter(leaf_index__gte=start, leaf_index__lt=end)
        .order_by("leaf_index")
        .values_list("leaf_index", "canonical")
    )
    items = [{"index": i, "leaf": base64.b64encode(text.encode("utf-8")).decode("ascii")} for i, text in rows]
    response = JsonResponse({"items": items})
    response["Cache-Control"] = IMMUTABLE if len(items) == end - start else NO_CACHE
    return response


@_json_view
def inclusion_proof(request: HttpRequest) -> JsonResponse:
    """GET /log/proof/inclusion?index=I&tree_size=N: RFC 9162 audit path, leaf side first."""
    index, tree_size = _uint(request, "index"), _uint(request, "tree_size")
    hashes = log.inclusion_proof(index, tree_size)
    response = JsonResponse(
        {"leaf_index": index, "tree_size": tree_size, "hashes": [tlog.encode_hash(h) for h in hashes]}
    )
    response["Cache-Control"] = IMMUTABLE
    return response


@_json_view
def consistency_proof(request: HttpRequest) -> JsonResponse:
    """GET /log/proof/consistency?first=M&second=N: RFC 9162 consistency proof (0 < M <= N <= size)."""
    first, second = _uint(request, "first"), _uint(request, "second")
    hashes = log.consistency_proof(first, second)
    response = JsonResponse({"first": first, "second": second, "hashes": [tlog.encode_hash(h) for h in hashes]})
    response["Cache-Control"] = IMMUTABLE
    return response


@require_safe
def bundle(request: HttpRequest, gtin: str, lot: str) -> HttpResponse:
    """GET /log/bundle/{gtin14}/{lot}: everything needed to check a lot's history offline.

    The latest checkpoint, the verifier key, and every event about the lot (as input, output or object) with
    its leaf bytes and its inclusion proof in that checkpoint's tree.
    """
    found = Lot.objects.filter(variant__gtin=gtin, code=lot).values_list("pk", flat=True).first()
    if found is None:
        return error(404, "not_found", f"No lot {lot} of GTIN {gtin} on this hub.")
    try:
        latest = log.servable_checkpoint()
    except log.LogRollbackError as exc:
        return behind(exc)
    if latest is None:
        return error(404, "not_found", "The log is empty: no checkpoint has been signed yet.")
    tree_size = latest.size
    rows = list(
        TraceEvent.objects.filter(lot_links__lot_id=found, leaf_index__lt=tree_size)
        .distinct()
        .order_by("leaf_index")
        .values_list("leaf_index", "canonical")
    )
    try:
        proofs = log.inclusion_proofs([index for index, _ in rows], tree_size)
    except log.LogError as exc:  # a stored node is missing: the hub's own data is damaged
        return error(500, "log_damaged", f"Cannot build a proof: {exc}. Run `taybac trace verify`.")
    response = JsonResponse(
        {
            "origin": log.origin(),
            "key": log.public_key(),
            "checkpoint": latest.note,
            "tree_size": tree_size,
            "gtin": gtin,
            "lot": lot,
            "events": [
                {
                    "index": index,
                    "leaf": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                    "proof": [tlog.encode_hash(h) for h in proofs[index]],
                }
                for index, text in rows
            ],
        }
    )
    response["Cache-Control"] = NO_CACHE
    return response


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Anything else under /log/ answers in JSON, like /api/v1/."""
    return error(404, "not_found", f"No log endpoint at {request.path}.")
