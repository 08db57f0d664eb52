"""Photos of a lot (the field, the harvest, the drying racks), resized like product photos.

Resizing is slow, so it runs before the transaction that records the photo; if recording fails the written
renditions are deleted again. A photo is an illustration, not a trace event: it is audited but not logged.
"""

from __future__ import annotations

from django.db import transaction

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.catalog.images import delete_renditions, store_image
from taybac.core import audit
from taybac.traceability.models import Lot, LotPhoto
from taybac.traceability.services import TraceError

MAX_LOT_PHOTOS = 5


def add_lot_photo(*, actor: User, lot: Lot, data: bytes) -> LotPhoto:
    """Store one photo of `lot`, audited "actor on behalf of the lot's producer"."""
    producer = lot.shop.producer
    require_can_manage(actor, producer)
    if lot.photos.count() >= MAX_LOT_PHOTOS:
        raise TraceError(f"Mỗi lô tối đa {MAX_LOT_PHOTOS} ảnh.", field="photos")
    stored = store_image(data=data, folder=f"lots/{lot.pk}")
    try:
        with transaction.atomic():
            Lot.objects.select_for_update().only("pk").get(pk=lot.pk)  # photo adds to one lot queue here
            position = lot.photos.count()
            if position >= MAX_LOT_PHOTOS:
                raise TraceError(f"Mỗi lô tối đa {MAX_LOT_PHOTOS} ảnh.", field="photos")
            photo = LotPhoto.objects.create(
                lot=lot,
                path_stem=stored.path_stem,
                widths=stored.widths,
                width=stored.width,
                height=stored.height,
                position=position,
            )
            audit.record(actor=actor, on_behalf_of=producer.owner, action="lot.photo_added", target=photo)
    except Exception:
        delete_renditions(path_stem=stored.path_stem, widths=stored.widths)
        raise
    return photo
