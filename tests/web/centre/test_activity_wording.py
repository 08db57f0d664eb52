"""The activity trail names a lot once: "thêm ảnh Mật ong bạc hà – lô MV-01", never "ảnh lô lô"."""

import datetime

import pytest

from taybac.traceability.photos import add_lot_photo
from taybac.traceability.services import record_harvest, record_packing
from tests.catalog.test_images import jpeg_bytes

pytestmark = pytest.mark.django_db


def test_lot_actions_name_the_lot_once(client, world):
    owner = world["honey"].producer.owner
    variant = world["honey_product"].variants.get()
    lot = record_harvest(actor=owner, variant=variant, harvested_on=datetime.date.today(), quantity=30, code="MV-01")
    add_lot_photo(actor=world["helper"], lot=lot, data=jpeg_bytes(400, 300))
    record_packing(actor=owner, lot=lot, cartons=2, per_carton=10)
    client.force_login(owner)
    page = client.get("/ban-hang/nhat-ky/").content.decode()
    assert "thêm ảnh <i>Mật ong bạc hà – lô MV-01</i>" in page
    assert "ghi thu hoạch <i>Mật ong bạc hà – lô MV-01</i>" in page
    assert "đóng thùng <i>Mật ong bạc hà – lô MV-01</i>" in page
    assert "lô lô" not in page and "lô <i>" not in page
