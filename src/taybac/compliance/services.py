"""Writes for a person's rights over their data (Law 91/2025/QH15; Decree 356/2025/NĐ-CP): a copy of their data
and the deletion of their account.

Deletion is confirmed with a one-time code sent to the account's phone (re-authentication: a borrowed unlocked
phone with a signed-in session is not enough). It de-identifies rather than removes the user row, because
orders, payments and tax records must be kept 10 years (Law on Accounting 88/2015/QH13 art. 41) and point to it:
name, phone, e-mail and username go, saved addresses are deleted, reviews show "Người mua đã xoá tài khoản", the
account can no longer sign in, messages sent to the phone are deleted. The orders keep their contact until the
retention job de-identifies them when the period ends (compliance/retention.py). A seller whose shop still has
orders in progress or money the hub owes it is told what blocks the deletion. Each domain erases its own tables
through its own function (accounts, reviews, catalog, core.outbox); this module decides when, in one transaction.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.otp import check_code, issue_code
from taybac.accounts.services import erase_personal_data, revoke_delegations_granted_by
from taybac.catalog.models import Shop
from taybac.catalog.services import close_shops_of
from taybac.compliance import consent
from taybac.compliance.models import ConsentRecord, DataRequest
from taybac.compliance.retention import ACCOUNTING_YEARS
from taybac.compliance.selectors import export_data
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.core.money import format_vnd
from taybac.core.outbox import forget_recipient
from taybac.orders.models import ShopOrder, Status
from taybac.payments.payouts import balance
from taybac.reviews.services import DELETED_AUTHOR as DELETED_AUTHOR  # shown on a deleted account's reviews
from taybac.reviews.services import anonymise_reviews_of

ZIP_OVER = 512 * 1024  # bytes of JSON above which the copy is sent zipped
EXPORTS_PER_DAY = 5
OPEN = (Status.PLACED, Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED, Status.SHIPPED, Status.DELIVERED)
STAFF_ROLES = (Role.OFFICER, Role.OPERATOR)


class DataRequestError(DomainError):
    code = "data_request_refused"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_my_data(*, actor: User) -> ExportFile:
    """The actor's data as JSON (zipped when large), recorded as a done export request; at most
    EXPORTS_PER_DAY a day."""
    since = timezone.now() - timedelta(days=1)
    with transaction.atomic():
        if DataRequest.objects.filter(user=actor, kind=DataRequest.Kind.EXPORT, created_at__gte=since).count() >= (
            EXPORTS_PER_DAY
        ):
            raise DataRequestError("Bạn đã tải dữ liệu nhiều lần hôm nay, vui lòng thử lại ngày mai.")
        DataRequest.objects.create(
            user=actor, kind=DataRequest.Kind.EXPORT, status=DataRequest.Status.DONE, completed_at=timezone.now()
        )
        data = export_data(actor)
    stamp = timezone.now().strftime("%Y%m%d")
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    if len(body) <= ZIP_OVER:
        return ExportFile(f"du-lieu-cua-toi-{stamp}.json", "application/json", body)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"du-lieu-cua-toi-{stamp}.json", body)
    return ExportFile(f"du-lieu-cua-toi-{stamp}.zip", "application/zip", buffer.getvalue())


def deletion_blockers(*, user: User) -> list[str]:
    """Why the account cannot be deleted yet, in words for the user (empty: it can)."""
    if user.role in STAFF_ROLES or user.is_staff:
        return ["Tài khoản cán bộ và vận hành do quản trị viên của sàn xoá khi thôi nhiệm vụ."]
    if not user.phone:
        return ["Tài khoản không có số điện thoại để nhận mã xác nhận; vui lòng liên hệ sàn."]
    shop = Shop.objects.filter(producer__owner=user).first()
    if shop is None:
        return []
    blockers = []
    open_orders = ShopOrder.objects.filter(shop=shop, status__in=OPEN).count()
    if open_orders:
        blockers.append(f"Gian hàng còn {open_orders} đơn đang xử lý hoặc trong thời hạn trả hàng.")
    owed = balance(shop=shop)
    if owed > 0:
        blockers.append(f"Sàn còn nợ gian hàng {format_vnd(owed)} chưa chuyển; hãy chờ lần thanh toán tới.")
    return blockers


def request_deletion(*, actor: User, network: str) -> DataRequest:
    """Start a deletion: refused with the blockers (recorded), else a code is sent to the account's phone."""
    blockers = deletion_blockers(user=actor)
    if blockers:
        DataRequest.objects.create(
            user=actor, kind=DataRequest.Kind.DELETE, status=DataRequest.Status.REFUSED, note=" ".join(blockers)[:300]
        )
        raise DataRequestError(" ".join(blockers))
    assert actor.phone  # deletion_blockers refuses accounts without one
    issue_code(phone=actor.phone, network=network)  # rate-limited like sign-in codes
    with transaction.atomic():
        DataRequest.objects.filter(user=actor, kind=DataRequest.Kind.DELETE, status=DataRequest.Status.PENDING).update(
            status=DataRequest.Status.REFUSED, note="Thay bằng yêu cầu mới."
        )
        request = DataRequest.objects.create(user=actor, kind=DataRequest.Kind.DELETE)
        audit.record(actor=actor, action="data.delete_requested", target=request)
    return request


def pending_deletion(*, user: User) -> DataRequest | None:
    return DataRequest.objects.filter(
        user=user, kind=DataRequest.Kind.DELETE, status=DataRequest.Status.PENDING
    ).first()


def confirm_deletion(*, actor: User, code: str, network: str) -> DataRequest:
    """Check the code, then de-identify the account in one transaction; refused if a blocker appeared since."""
    request = pending_deletion(user=actor)
    if request is None:
        raise DataRequestError("Chưa có yêu cầu xoá tài khoản nào đang chờ xác nhận.")
    assert actor.phone
    check_code(phone=actor.phone, code=code, network=network)
    blockers = deletion_blockers(user=actor)
    if blockers:
        DataRequest.objects.filter(pk=request.pk).update(
            status=DataRequest.Status.REFUSED, note=" ".join(blockers)[:300], completed_at=timezone.now()
        )
        raise DataRequestError(" ".join(blockers))
    with transaction.atomic():
        _deidentify(actor)
        kept_until = timezone.now().year + ACCOUNTING_YEARS
        request.status, request.completed_at = DataRequest.Status.DONE, timezone.now()
        request.note = f"Đơn hàng, thanh toán, thuế giữ đến hết năm {kept_until} theo Luật Kế toán, rồi khử nhận dạng."
        request.save(update_fields=["status", "completed_at", "note"])
        audit.record(actor=actor, action="data.account_deleted", target=request)
    return request


def _deidentify(user: User) -> None:
    """Remove what identifies the person; keep the rows the law requires (orders, payments, tax, audit). Each
    domain erases its own tables (docs/architecture.md); the caller holds the one transaction."""
    phone, email = user.phone, user.email
    if consent.has_consent(user=user, purpose=ConsentRecord.Purpose.MARKETING):
        consent.set_consent(user=user, purpose=ConsentRecord.Purpose.MARKETING, granted=False)
    anonymise_reviews_of(user=user)
    close_shops_of(owner=user)
    revoke_delegations_granted_by(owner=user)  # a helper may no longer act for a producer who left, shop open or not
    forget_recipient(phone=phone, email=email)
    erase_personal_data(user=user)
