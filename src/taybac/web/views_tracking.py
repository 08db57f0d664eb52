"""Carriers' status webhooks: POST /webhooks/van-chuyen/<carrier>/<token>/ (docs/logistics.md, "Tracking and
webhooks"). A plain view, not part of the API document: carriers post their own formats.

GHN and GHTK sign nothing, so the URL registered with each carrier carries a long random secret; it is handed to
the adapter as `X-Taybac-Webhook-Token` and compared there in constant time. Answers are short and say nothing
useful to a prober: an unknown or unconfigured carrier is 404, a wrong secret 403 (both empty). A payload the
adapter cannot read is 400 with the precise reason (only a holder of the secret gets that far). A tracking code
the hub never booked is 200 (logged) so the carrier stops retrying; anything the hub stores is applied through
`fulfilment.tracking.apply_shipment_events`, which makes a retried webhook a no-op.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from taybac.core.client_address import client_network
from taybac.core.errors import DomainError
from taybac.fulfilment.tracking import apply_shipment_events
from taybac.logistics.carriers import configured
from taybac.logistics.carriers.base import CarrierError, TrackingEvent
from taybac.logistics.carriers.ghn import TOKEN_HEADER
from taybac.logistics.models_shipping import ShipmentEvent
from taybac.logistics.tracking_selectors import shipment_for

logger = logging.getLogger("taybac.web.webhooks")

MAX_BODY = 64 * 1024
MAX_TOKEN = 200
PER_MINUTE = 300  # requests per carrier and client network; GHN and GHTK send a few per parcel


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _over_limit(carrier: str, network: str) -> int:
    """Seconds to wait when this network has used this minute's requests (fixed window in the cache: per
    process with the default local-memory cache, shared when a shared cache is configured)."""
    now = time.time()
    key = f"webhook:{carrier}:{network}:{int(now // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    return 0 if count <= PER_MINUTE else max(1, 60 - int(now % 60))


@csrf_exempt
@require_POST
def carrier_webhook(request: HttpRequest, carrier: str, token: str) -> HttpResponse:
    wait = _over_limit(carrier[:20], client_network(request))
    if wait:
        response = _error(429, "rate_limited", "Quá nhiều yêu cầu; thử lại sau.")
        response["Retry-After"] = str(wait)
        return response
    adapter = configured().get(carrier)
    if adapter is None or carrier == "hub" or len(token) > MAX_TOKEN:  # the hub network has no webhook
        return HttpResponse(status=404)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return _error(413, "too_large", f"Nội dung quá lớn (tối đa {MAX_BODY} byte).")
    body = request.body
    if len(body) > MAX_BODY:
        return _error(413, "too_large", f"Nội dung quá lớn (tối đa {MAX_BODY} byte).")
    try:
        events = adapter.parse_webhook(headers={TOKEN_HEADER: token}, body=body)
    except CarrierError as error:
        if error.code == "webhook_refused":
            logger.warning("%s webhook refused from %s", carrier, client_network(request))
            return HttpResponse(status=403)
        return _error(400, error.code, error.message)
    by_code: dict[str, list[TrackingEvent]] = defaultdict(list)
    for event in events:
        by_code[event.tracking_code].append(event)
    applied = 0
    for code, found in by_code.items():
        shipment = shipment_for(carrier=carrier, tracking_code=code)
        if shipment is None:
            logger.warning("%s webhook for unknown tracking code %r ignored", carrier, code[:40])
            continue
        try:
            update = apply_shipment_events(shipment=shipment, events=found, source=ShipmentEvent.Source.WEBHOOK)
        except DomainError as error:
            logger.warning("%s webhook for %s refused: %s", carrier, code[:40], error.message)
            return _error(400, error.code, error.message)
        applied += len(update.new)
    return JsonResponse({"ok": True, "new_events": applied})
