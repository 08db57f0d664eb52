"""Who may review what: the buyer of a delivered order line, within REVIEW_WINDOW_DAYS of its delivery.

"The buyer" is the signed-in user the order was placed by, or a guest order placed with the phone number the
user signed in with (the sign-in code proved it) — the same rule as "Đơn mua" (orders.selectors.orders_of_buyer).
The delivery time is the audit entry the order state machine wrote when the shop order became delivered.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from taybac.accounts.models import User
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from taybac.orders.models import OrderLine, Status

REVIEW_WINDOW_DAYS = 30
REVIEWABLE_STATUSES = (Status.DELIVERED, Status.COMPLETED)
DELIVERED_ACTION = f"shop_order.{Status.DELIVERED}"


def bought_by(user: User) -> Q:
    """Order lines of orders this user placed (signed in, or as a guest with their proven phone)."""
    mine = Q(shop_order__order__buyer=user)
    if user.phone:
        mine |= Q(shop_order__order__contact_phone=user.phone)
    return mine


def delivered_at(shop_order_ids: list[int]) -> dict[int, datetime.datetime]:
    """When each shop order became delivered (one query for the lot)."""
    entries = AuditEntry.objects.filter(
        action=DELIVERED_ACTION, target_type="orders.shoporder", target_id__in=[str(i) for i in shop_order_ids]
    ).values_list("target_id", "created_at")
    found: dict[int, datetime.datetime] = {}
    for target_id, at in entries:
        found[int(target_id)] = max(at, found.get(int(target_id), at))
    return found


def window_open(delivered: datetime.datetime | None, now: datetime.datetime | None = None) -> bool:
    if delivered is None:
        return False
    return (now or timezone.now()) <= delivered + datetime.timedelta(days=REVIEW_WINDOW_DAYS)


def line_to_review(*, user: User, line_id: int) -> OrderLine:
    """The user's order line if they may review it now; otherwise a refusal that says why."""
    line = (
        OrderLine.objects.filter(bought_by(user), pk=line_id)
        .select_related("shop_order__order", "variant__product", "review")
        .first()
    )
    if line is None:
        raise DomainError("Không tìm thấy sản phẩm này trong các đơn hàng của bạn.", code="not_found")
    if line.shop_order.status not in REVIEWABLE_STATUSES:
        raise DomainError("Chỉ đánh giá được sau khi bạn đã nhận hàng.", code="not_delivered")
    if hasattr(line, "review"):
        raise DomainError("Bạn đã đánh giá sản phẩm này trong đơn hàng này.", code="conflict")
    if not window_open(delivered_at([line.shop_order_id]).get(line.shop_order_id)):
        raise DomainError(
            f"Đã quá {REVIEW_WINDOW_DAYS} ngày kể từ khi nhận hàng: không thể đánh giá nữa.", code="review_closed"
        )
    return line
