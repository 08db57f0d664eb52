"""Who recorded a trace event, as every trace page says it: the producer, a helper on the producer's behalf,
a partner's capture key, a post office (its staff), or the hub itself (system steps and operators)."""

from __future__ import annotations

from dataclasses import dataclass

from taybac.traceability.models import TraceEvent

# What to select_related from an EventLot so that naming the recorder costs no query per event.
RECORDER_RELATED = ("event__recorded_by", "event__on_behalf_of", "event__capture_key", "event__pickup_point")
HUB_NAME = "Tây Bắc Hub"


@dataclass(frozen=True)
class Recorder:
    """Who recorded an event, as its trace page says it ("Ghi bởi: …") and its JSON gives it."""

    kind: str  # producer | helper | partner | post_office | hub
    label: str
    producer: str = ""

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, **({"producer": self.producer} if self.producer else {})}


def recorder(event: TraceEvent) -> Recorder:
    """From the columns kept beside the event (select_related: recorded_by, on_behalf_of, capture_key,
    pickup_point). A helper is named by full name only, never by phone number."""
    producer = event.on_behalf_of
    if event.capture_key is not None:
        return Recorder("partner", f"đối tác {event.capture_key.name}", producer.name if producer else "")
    if event.pickup_point is not None:
        return Recorder("post_office", event.pickup_point.name)
    if producer is None:
        return Recorder("hub", HUB_NAME)
    user = event.recorded_by
    if user is None or user.pk == producer.owner_id:
        return Recorder("producer", producer.name, producer.name)
    helper = user.full_name or "người hỗ trợ"
    return Recorder("helper", f"{helper} thay mặt {producer.name}", producer.name)
