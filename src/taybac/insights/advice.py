"""Production advice: store each shop's glut and shortage warnings, and tell each producer once by SMS
(docs/insights.md, "Production advice"). Run by the weekly job after the forecasts are refreshed
(insights/tasks.py); the rule itself is in advice_rules.py, the suggestions in advice_suggestions.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from taybac.core import outbox
from taybac.core.sms import SINGLE_SEGMENT, to_gsm7
from taybac.insights import advice_selectors as sel
from taybac.insights.advice_rules import Assessor, Outcome, group_products
from taybac.insights.advice_suggestions import number, suggestions_for
from taybac.insights.models import ProductionWarning

SMS_MIN_NAME = 8  # the category name keeps at least this much, even if the SMS then takes two segments
SMS_BATCH = 500  # warnings told per job run at most; the rest go on the next run


@dataclass(frozen=True)
class RefreshResult:
    created: int
    updated: int
    resolved: int
    deleted: int


@transaction.atomic
def refresh_warnings(*, today: datetime.date | None = None) -> RefreshResult:
    """Assess every shop × category with a season ahead against the latest done forecast run: upsert a warning
    for each glut or shortage, mark the others resolved (the risk went away), and delete those whose season has
    ended.

    One transaction: readers see the old set or the new one, never half of it. A warning keeps its row (and so its
    sms_sent_at) until its season ends, even when the figures change or the risk goes away and comes back: the
    producer is told once per shop × category × season."""
    today = today or timezone.localdate()
    assessor = Assessor(today=today, run=sel.latest_done_run())
    keep: set[int] = set()
    created = updated = 0
    for items in group_products(sel.seasonal_products()).values():
        shop, category = items[0].shop, items[0].category
        result = assessor.assess(shop=shop, category=category, products=items)
        if result.outcome not in (Outcome.GLUT, Outcome.SHORTAGE) or result.season is None:
            continue
        warning, was_created = ProductionWarning.objects.update_or_create(
            shop=shop,
            category=category,
            season_start=result.season.start,
            defaults={
                "province_id": shop.province_id,
                "kind": result.outcome,
                "season_end": result.season.end,
                "shop_supply": result.shop_supply,
                "province_supply": result.province_supply,
                "forecast_demand": result.demand,
                "forecast": result.forecast,
                "suggestions": suggestions_for(result, products=items, today=today),
                "resolved_at": None,
            },
        )
        keep.add(warning.pk)
        created += was_created
        updated += not was_created
    others = ProductionWarning.objects.exclude(pk__in=keep)
    deleted, _ = others.filter(season_end__lt=today).delete()
    resolved = others.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    return RefreshResult(created=created, updated=updated, resolved=resolved, deleted=deleted)


def sms_text(*, warning: ProductionWarning) -> str:
    """The warning in one GSM-7 SMS (core/sms.py): what, when, the two totals and the page's link. The category's
    name is cut so the text fits one 160-character segment while TAYBAC_PUBLIC_URL is at most 40 characters."""
    what = "THUA" if warning.kind == ProductionWarning.Kind.GLUT else "THIEU"
    start, end = warning.season_start, warning.season_end
    head = f"Tay Bac Hub: co the {what} "
    tail = to_gsm7(
        f" vu {start.day}/{start.month}-{end.day}/{end.month}. Ca tinh co {number(warning.province_supply)}, "
        f"nguoi mua can {number(warning.forecast_demand)}. Xem goi y: {settings.PUBLIC_URL}/ban-hang/canh-bao-mua-vu/"
    )
    room = max(SINGLE_SEGMENT - len(head) - len(tail), SMS_MIN_NAME)
    return head + to_gsm7(warning.category.name)[:room].strip() + tail


def send_warning_sms(*, now: datetime.datetime | None = None) -> int:
    """Queue one SMS per warning not yet told (to the shop owner's phone); returns how many were queued.

    Each warning is claimed with one guarded UPDATE (sms_sent_at still empty) in the transaction that stores
    its message, so two runs, or two workers, never tell the same warning twice."""
    now = now or timezone.now()
    pending = (
        ProductionWarning.objects.filter(
            sms_sent_at__isnull=True, resolved_at__isnull=True, shop__producer__owner__phone__isnull=False
        )
        .exclude(shop__producer__owner__phone="")
        .select_related("category", "province", "shop__producer__owner")
        .order_by("id")[:SMS_BATCH]
    )
    sent = 0
    for warning in pending:
        with transaction.atomic():
            claimed = ProductionWarning.objects.filter(pk=warning.pk, sms_sent_at__isnull=True).update(sms_sent_at=now)
            if not claimed:
                continue
            phone = warning.shop.producer.owner.phone or ""
            outbox.enqueue([outbox.sms(phone=phone, text=sms_text(warning=warning))])
            sent += 1
    return sent
