"""The activity trail of one shop: "<actor> thay mặt <owner>: <what, on which product>".

A shop's trail is what its owner did for themselves plus everything done on the owner's behalf. The owner's
own actions *for other producers* (a cooperative managing delegated shops) belong to those shops' trails,
so entries with someone else as `on_behalf_of` are left out. Targets are loaded in one query per kind, so
the page costs a fixed number of queries however long the trail is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from taybac.accounts.models import Delegation, Producer
from taybac.catalog.models import OcopCertificate, Product, ProductPhoto, Shop, Variant
from taybac.core.models import AuditEntry
from taybac.core.money import format_vnd
from taybac.orders.codes import display as display_order_code
from taybac.orders.models import ShopOrder, Status
from taybac.traceability.models import Lot, LotPhoto

ACTIONS = {
    "account.created": "tạo tài khoản",
    "producer.registered": "đăng ký bán hàng",
    "shop.created": "mở gian hàng",
    "product.created": "đăng sản phẩm",
    "product.updated": "sửa sản phẩm",
    "variant.created": "thêm phân loại",
    "variant.updated": "sửa giá/tồn kho",
    "photo.added": "thêm ảnh",
    "photo.removed": "xóa ảnh",
    "ocop.set": "cập nhật chứng nhận OCOP",
    "variant.quota": "đặt suất đặt trước",
    "delegation.granted": "ủy quyền cho",
    "delegation.revoked": "thu hồi ủy quyền của",
    # the lot's name says "lô" already ("Mật ong bạc hà – lô MV-01"): the actions must not ("ảnh lô lô")
    "lot.harvested": "ghi thu hoạch",
    "lot.processed": "ghi chế biến",
    "lot.packed": "đóng thùng",
    "lot.inspected": "ghi kết quả kiểm tra",
    "lot.photo_added": "thêm ảnh",
    "lot.error_declared": "báo sai và ghi lại một sự kiện của",
    "shop_order.lots": "chọn lô hàng gửi cho đơn",
    **{f"shop_order.{status.value}": f"chuyển đơn sang “{status.label}”:" for status in Status},
}
# target_type → how to load targets and name them
_KINDS = {
    "catalog.product": (Product.objects.all(), lambda p: p.name),
    "catalog.variant": (Variant.objects.select_related("product"), lambda v: f"{v.product.name} – {v.name}"),
    "catalog.productphoto": (ProductPhoto.objects.select_related("product"), lambda ph: ph.product.name),
    "catalog.ocopcertificate": (
        OcopCertificate.objects.select_related("product"),
        lambda c: f"{c.product.name} ({c.stars} sao)",
    ),
    "catalog.shop": (Shop.objects.all(), lambda s: s.name),
    "accounts.delegation": (Delegation.objects.select_related("delegate"), lambda d: str(d.delegate)),
    "orders.shoporder": (ShopOrder.objects.all(), lambda o: display_order_code(o.code)),
    "traceability.lot": (
        Lot.objects.select_related("variant__product"),
        lambda lot: f"{lot.variant.product.name} – lô {lot.code}",
    ),
    "traceability.lotphoto": (
        LotPhoto.objects.select_related("lot__variant__product"),
        lambda ph: f"{ph.lot.variant.product.name} – lô {ph.lot.code}",
    ),
}
LIMIT = 100


@dataclass(frozen=True)
class ActivityRow:
    at: datetime
    actor: str
    on_behalf_of: str  # empty when the owner acted themselves
    action: str
    subject: str
    change: str


def _change(entry: AuditEntry) -> str:
    """Before → after for price and stock changes, the numbers a producer will want to check."""
    before, after = entry.detail.get("before") or {}, entry.detail.get("after") or {}
    parts = []
    if before.get("quantity") != after.get("quantity") and "quantity" in after:
        parts.append(f"tồn {before.get('quantity', '?')} → {after['quantity']}")
    if before.get("price") != after.get("price") and isinstance(after.get("price"), int):
        old = before.get("price")
        parts.append(f"giá {format_vnd(old) if isinstance(old, int) else '?'} → {format_vnd(after['price'])}")
    return ", ".join(parts)


def shop_activity(producer: Producer, *, limit: int = LIMIT) -> list[ActivityRow]:
    """The newest `limit` actions on the producer's shop, described in Vietnamese."""
    owner_id = producer.owner_id
    entries = list(
        AuditEntry.objects.filter(Q(on_behalf_of_id=owner_id) | Q(actor_id=owner_id, on_behalf_of=None))
        .select_related("actor", "on_behalf_of")
        .order_by("-created_at", "-id")[:limit]
    )
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_type in _KINDS and entry.target_id.isascii() and entry.target_id.isdigit():
            wanted.setdefault(entry.target_type, set()).add(int(entry.target_id))
    names: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        queryset, name = _KINDS[kind]
        for obj in queryset.filter(pk__in=ids):
            names[(kind, str(obj.pk))] = name(obj)
    rows = []
    for entry in entries:
        subject = names.get((entry.target_type, entry.target_id), "")
        rows.append(
            ActivityRow(
                at=entry.created_at,
                actor=str(entry.actor) if entry.actor else "Hệ thống",
                on_behalf_of=str(entry.on_behalf_of) if entry.on_behalf_of else "",
                action=ACTIONS.get(entry.action, entry.action),
                subject=subject,
                change=_change(entry) if entry.action == "variant.updated" else "",
            )
        )
    return rows
