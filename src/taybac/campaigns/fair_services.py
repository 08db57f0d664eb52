"""Online fairs (docs/selling-events.md, "Online fairs"): organisers create and publish a fair, producers apply for
a booth with fair-only prices, organisers approve or refuse (the producer is told by SMS), a booth's live session
joins the fair's schedule, and buyers order from a booth at the fair price while the fair is open.

Who organises: an operator, any fair; an officer, only a fair whose provinces are all their own province (so a
province's report never includes another province's producers without that province's officers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed, require_can_manage
from taybac.campaigns.fair_models import BoothProduct, Fair, FairBooth, FairLiveSession, FairOrder
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.share_models import PageVisit
from taybac.catalog.models import Shop, Variant
from taybac.core import audit, outbox
from taybac.core.errors import DomainError
from taybac.core.text import slugify_vi
from taybac.orders.checkout import MAX_QUANTITY, Contact, LineRequest, place
from taybac.orders.models import Order
from taybac.regions.models import Province

MAX_TITLE = 160
MAX_THEME = 2000
MAX_PROVINCES = 14
MAX_DAYS = 60
PLAN_AHEAD = timedelta(days=365)
MAX_BOOTH_PRODUCTS = 20
MAX_PRICE = 1_000_000_000


class FairError(DomainError):
    """A fair action the rules refuse; the message is for the organiser, the producer or the buyer."""


def is_open(*, fair: Fair, now: datetime | None = None) -> bool:
    """Buyers pay fair prices only while this holds."""
    now = now or timezone.now()
    return fair.published and fair.starts_at <= now < fair.ends_at


def may_organise(*, user: User, province_ids: Sequence[int]) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.role == Role.OPERATOR:
        return True
    return user.role == Role.OFFICER and bool(province_ids) and set(province_ids) == {user.officer_province_id}


def require_organiser(*, user: User, fair: Fair) -> None:
    if not may_organise(user=user, province_ids=list(fair.provinces.values_list("pk", flat=True))):
        raise NotAllowed("Chỉ ban tổ chức hội chợ được làm việc này.")


def _checked_fields(
    *, title: str, theme: str, province_ids: Sequence[int], starts_at: datetime, ends_at: datetime
) -> tuple[str, str, list[Province]]:
    title, theme = (title or "").strip(), (theme or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise FairError(f"Nhập tên hội chợ (tối đa {MAX_TITLE} ký tự).", field="title")
    if len(theme) > MAX_THEME:
        raise FairError(f"Chủ đề tối đa {MAX_THEME} ký tự.", field="theme")
    wanted = set(province_ids)
    provinces = list(Province.objects.filter(pk__in=wanted, in_region=True))
    if not wanted or len(wanted) > MAX_PROVINCES or len(provinces) != len(wanted):
        raise FairError("Chọn các tỉnh của hội chợ.", field="provinces")
    now = timezone.now()
    if not (now - timedelta(days=1) <= starts_at < ends_at <= now + PLAN_AHEAD):
        raise FairError("Ngày kết thúc phải sau ngày bắt đầu, trong vòng một năm tới.", field="ends_at")
    if ends_at - starts_at > timedelta(days=MAX_DAYS):
        raise FairError(f"Một hội chợ kéo dài tối đa {MAX_DAYS} ngày.", field="ends_at")
    return title, theme, provinces


def create_fair(
    *,
    actor: User,
    title: str,
    theme: str,
    province_ids: Sequence[int],
    starts_at: datetime,
    ends_at: datetime,
    applications_close_at: datetime | None = None,
) -> Fair:
    """A draft fair (not shown to buyers until published)."""
    title, theme, provinces = _checked_fields(
        title=title, theme=theme, province_ids=province_ids, starts_at=starts_at, ends_at=ends_at
    )
    if not may_organise(user=actor, province_ids=[p.pk for p in provinces]):
        raise NotAllowed("Cán bộ chỉ tổ chức hội chợ của tỉnh mình.")
    if applications_close_at is not None and applications_close_at > ends_at:
        raise FairError("Hạn đăng ký phải trước khi hội chợ kết thúc.", field="applications_close_at")
    base = slugify_vi(title, max_length=60)
    with transaction.atomic():
        slug, n = base, 1
        while Fair.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        fair = Fair.objects.create(
            slug=slug,
            title=title,
            theme=theme,
            starts_at=starts_at,
            ends_at=ends_at,
            applications_close_at=applications_close_at,
            created_by=actor,
        )
        fair.provinces.set(provinces)
        audit.record(actor=actor, action="fair.created", target=fair, detail={"provinces": len(provinces)})
    return fair


@transaction.atomic
def edit_fair(*, actor: User, fair: Fair, title: str, theme: str, starts_at: datetime, ends_at: datetime) -> Fair:
    """Title, theme and dates (the provinces stay: booths were accepted for them)."""
    require_organiser(user=actor, fair=fair)
    title, theme, _ = _checked_fields(
        title=title,
        theme=theme,
        province_ids=list(fair.provinces.values_list("pk", flat=True)),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    Fair.objects.filter(pk=fair.pk).update(title=title, theme=theme, starts_at=starts_at, ends_at=ends_at)
    audit.record(actor=actor, action="fair.edited", target=fair, detail={})
    fair.refresh_from_db()
    return fair


@transaction.atomic
def publish_fair(*, actor: User, fair: Fair, published: bool = True) -> Fair:
    require_organiser(user=actor, fair=fair)
    Fair.objects.filter(pk=fair.pk).update(published=published)
    audit.record(actor=actor, action="fair.published" if published else "fair.hidden", target=fair, detail={})
    fair.refresh_from_db()
    return fair


def _checked_prices(shop: Shop, prices: Mapping[int, int]) -> dict[int, tuple[Variant, int]]:
    if not prices or len(prices) > MAX_BOOTH_PRODUCTS:
        raise FairError(f"Chọn từ 1 đến {MAX_BOOTH_PRODUCTS} sản phẩm với giá hội chợ.", field="prices")
    variants = {v.pk: v for v in Variant.objects.filter(pk__in=list(prices), shop=shop, is_active=True)}
    if len(variants) != len(prices):
        raise FairError("Chỉ chọn sản phẩm đang bán của gian hàng mình.", field="prices")
    checked = {}
    for pk, price in prices.items():
        variant = variants[pk]
        if not (0 < price <= min(variant.price, MAX_PRICE)):
            raise FairError(f"Giá hội chợ của {variant.name} phải lớn hơn 0 và không cao hơn giá bán.", field="prices")
        checked[pk] = (variant, price)
    return checked


def apply_for_booth(*, actor: User, fair: Fair, shop: Shop, pitch: str, prices: Mapping[int, int]) -> FairBooth:
    """Apply (or apply again after a refusal or withdrawal, or change a pending application): the shop must be in
    one of the fair's provinces and applications open."""
    require_can_manage(actor, shop.producer)
    pitch = (pitch or "").strip()
    if len(pitch) > 300:
        raise FairError("Lời giới thiệu tối đa 300 ký tự.", field="pitch")
    now = timezone.now()
    if not fair.published or now >= fair.ends_at or (fair.applications_close_at and now > fair.applications_close_at):
        raise FairError("Hội chợ không còn nhận đăng ký.")
    if not fair.provinces.filter(pk=shop.province_id).exists():
        raise FairError("Hội chợ này chỉ dành cho nhà sản xuất ở các tỉnh của hội chợ.")
    checked = _checked_prices(shop, prices)
    with transaction.atomic():
        booth, _ = FairBooth.objects.select_for_update().get_or_create(fair=fair, shop=shop)
        if booth.status == FairBooth.Status.APPROVED:
            raise FairError("Gian hàng đã được duyệt; liên hệ ban tổ chức để đổi sản phẩm.")
        booth.status, booth.pitch, booth.reason, booth.decided_by, booth.decided_at = "applied", pitch, "", None, None
        booth.save()
        booth.products.all().delete()
        BoothProduct.objects.bulk_create(
            [
                BoothProduct(booth=booth, variant=variant, fair_price=price, position=i)
                for i, (variant, price) in enumerate(checked.values())
            ]
        )
        audit.record(actor=actor, action="fair.applied", target=booth, detail={"products": len(checked)})
    return booth


def decide_booth(*, actor: User, booth: FairBooth, approve: bool, reason: str = "") -> FairBooth:
    """Approve or refuse (with a reason the producer reads); the producer's owner gets an SMS either way."""
    require_organiser(user=actor, fair=booth.fair)
    reason = (reason or "").strip()[:300]
    if not approve and not reason:
        raise FairError("Nhập lý do không duyệt để nhà sản xuất biết.", field="reason")
    with transaction.atomic():
        booth = FairBooth.objects.select_for_update().select_related("fair", "shop__producer__owner").get(pk=booth.pk)
        if booth.status == FairBooth.Status.WITHDRAWN:
            raise FairError("Nhà sản xuất đã rút đơn.")
        booth.status = FairBooth.Status.APPROVED if approve else FairBooth.Status.REJECTED
        booth.reason = "" if approve else reason
        booth.decided_by, booth.decided_at = actor, timezone.now()
        booth.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit.record(actor=actor, action="fair.decided", target=booth, detail={"approved": approve})
        phone = booth.shop.producer.owner.phone
        if phone:
            text = (
                f"Tay Bac Hub: gian hang {booth.shop.name} da duoc duyet tham gia {booth.fair.title}."
                if approve
                else f"Tay Bac Hub: {booth.fair.title} chua duyet gian hang {booth.shop.name}: {reason}"
            )
            outbox.enqueue([outbox.sms(phone=phone, text=text[:300])])
    return booth


@transaction.atomic
def withdraw_booth(*, actor: User, booth: FairBooth) -> FairBooth:
    require_can_manage(actor, booth.shop.producer)
    FairBooth.objects.filter(pk=booth.pk).update(status=FairBooth.Status.WITHDRAWN)
    audit.record(actor=actor, action="fair.withdrawn", target=booth, detail={})
    booth.refresh_from_db()
    return booth


def schedule_booth_live(*, actor: User, booth: FairBooth, session: LiveSession) -> FairLiveSession:
    """Put one of the booth's own live sessions, starting during the fair, on the fair's schedule."""
    require_can_manage(actor, booth.shop.producer)
    fair = booth.fair
    if booth.status != FairBooth.Status.APPROVED:
        raise FairError("Gian hàng cần được duyệt trước.")
    if session.shop_id != booth.shop_id or session.status == LiveSession.Status.ENDED:
        raise FairError("Chọn một buổi phát sắp tới của gian hàng mình.", field="session")
    if not (fair.starts_at <= session.scheduled_start < fair.ends_at):
        raise FairError("Buổi phát phải bắt đầu trong thời gian hội chợ.", field="session")
    try:
        with transaction.atomic():
            slot = FairLiveSession.objects.create(fair=fair, booth=booth, session=session)
    except IntegrityError:
        raise FairError("Buổi phát này đã có trong lịch một hội chợ.", field="session") from None
    audit.record(actor=actor, action="fair.live_scheduled", target=booth, detail={"session": session.pk})
    return slot


def booth_price(*, item: BoothProduct, now: datetime | None = None) -> int:
    """What a buyer pays: the fair price while the fair is open and the booth approved, else the usual price."""
    booth = item.booth
    if booth.status == FairBooth.Status.APPROVED and is_open(fair=booth.fair, now=now):
        return min(item.fair_price, item.variant.price)
    return item.variant.price


def order_from_booth(
    *,
    buyer: User | None,
    booth: FairBooth,
    item_id: int,
    quantity: int,
    name: str,
    phone: str,
    payment_method: str,
    pickup_point: str,
    session_key: str | None,
    idempotency_key: str | None,
) -> Order:
    """One booth product at the price looked up here (never from the form), recorded as the booth's order."""
    item = BoothProduct.objects.select_related("variant", "booth__fair").filter(booth=booth, pk=item_id).first()
    if item is None or booth.status != FairBooth.Status.APPROVED:
        raise FairError("Sản phẩm không có trong gian hàng.", field="product")
    if not (1 <= quantity <= MAX_QUANTITY):
        raise FairError(f"Số lượng từ 1 đến {MAX_QUANTITY}.", field="quantity")
    with transaction.atomic():
        order = place(
            buyer=buyer,
            lines=[LineRequest(variant_id=item.variant_id, quantity=quantity)],
            contact=Contact(name=name, phone=phone),
            payment_method=payment_method,
            pickup_point=pickup_point,
            session_key=session_key,
            idempotency_key=idempotency_key,
            unit_prices={item.variant_id: booth_price(item=item)},
        ).order
        for shop_order in order.shop_orders.all():
            FairOrder.objects.get_or_create(
                shop_order=shop_order, defaults={"booth": booth, "revenue": shop_order.items_total}
            )
    return order


def count_page_visit(*, target: str, target_id: int, day: date | None = None) -> None:
    """One visit to a fair's or booth's page today: a guarded increment (the row is created once per day)."""
    day = day or timezone.localdate()
    updated = PageVisit.objects.filter(target=target, target_id=target_id, day=day).update(count=F("count") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            PageVisit.objects.create(target=target, target_id=target_id, day=day, count=1)
    except IntegrityError:  # another request created today's row first
        PageVisit.objects.filter(target=target, target_id=target_id, day=day).update(count=F("count") + 1)
