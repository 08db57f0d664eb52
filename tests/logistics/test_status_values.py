"""The stored shipment statuses are exactly the carriers' statuses (they are defined apart to avoid an import cycle)."""

from taybac.logistics.carriers.base import TrackingStatus
from taybac.logistics.models import ShipmentStatus


def test_shipment_status_values_are_the_tracking_statuses() -> None:
    assert [s.value for s in ShipmentStatus] == [s.value for s in TrackingStatus]
    assert all(label and label[0].isupper() for label in ShipmentStatus.labels)
