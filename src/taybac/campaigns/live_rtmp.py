"""RTMP ingest (scripts/live/, docs/selling-events.md "Livestream selling"): nginx-rtmp asks the hub whether
a stream key may publish; only the key of a session not yet ended may, and only from this machine."""

from __future__ import annotations

import hmac

from taybac.campaigns.live_models import LiveSession

LOCAL = {"127.0.0.1", "::1"}


def publish_allowed(*, stream_key: str, remote: str) -> LiveSession | None:
    """The session whose key this is, if it may publish now; None otherwise (nginx then drops the stream)."""
    if remote not in LOCAL or not (20 <= len(stream_key) <= 64):
        return None
    session = LiveSession.objects.filter(stream_key=stream_key).exclude(status=LiveSession.Status.ENDED).first()
    if session is None or not hmac.compare_digest(session.stream_key, stream_key):
        return None
    return session
