"""A producer (or a helper acting for one) declares one of a lot's events erroneous, from the seller centre.

One transaction, under the log lock: the error declaration (the event repeated, same eventID, with
`errorDeclaration`) and its corrective event (the same event with the right quantity, or about the right lot)
become two new log leaves; the lot's derived columns follow (corrections.refresh_lots); the audit says who did
it. The same checks as EPCIS capture apply (corrections.check, capture_scope.check), and the two events are
validated against GS1's schema before they are logged. Nothing already logged changes.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.core import audit
from taybac.traceability import capture_scope, corrections, log
from taybac.traceability.capture_scope import Capturer, ScopeError
from taybac.traceability.epcis import build
from taybac.traceability.epcis.validation import EpcisValidationError, validate_or_raise
from taybac.traceability.models import EventLot, Lot, TraceEvent
from taybac.traceability.services import TraceError
from taybac.traceability.store import replayed, store_events
from taybac.traceability.verification import lot_classes

MAX_EXPLANATION = 300
ORDER_TRANSACTION = "urn:taybac:order:"
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


def correctable(*, document: dict[str, Any]) -> bool:
    """Events a seller may declare erroneous here: not a declaration, not an order's shipping or delivery step
    (those follow the order's status; the hub corrects them with the order)."""
    if corrections.declares(document):
        return False
    transactions = document.get("bizTransactionList") or []
    return not any(str(t.get("bizTransaction", "")).startswith(ORDER_TRANSACTION) for t in transactions)


def _creates(doc: dict[str, Any], role: str) -> bool:
    return role == EventLot.Role.OUTPUT or (
        doc.get("type") == "ObjectEvent" and doc.get("action") == "ADD" and "ilmd" in doc
    )


def _corrected(doc: dict[str, Any], lot: Lot, *, quantity: int | None, to_lot: Lot | None) -> dict[str, Any]:
    """The corrective event: the same event, new eventID, with the lot's quantity or the lot itself replaced."""
    fixed = copy.deepcopy(doc)
    fixed.pop("recordTime", None)
    fixed["eventID"] = f"urn:uuid:{uuid.uuid4()}"
    classes = lot_classes(lot)
    changed = False
    for name in QUANTITY_LISTS:
        for element in fixed.get(name) or []:
            if element.get("epcClass") not in classes:
                continue
            if quantity is not None and element.get("quantity") != quantity:
                element["quantity"] = quantity
                changed = True
            if to_lot is not None:
                element["epcClass"] = build.lot_class(to_lot.variant.gtin, to_lot.code)
                changed = True
    if not changed:
        raise TraceError("Thông tin sửa lại giống hệt sự kiện đã ghi: hãy nhập số lượng đúng hoặc chọn lô đúng.")
    return fixed


def _declaration(doc: dict[str, Any], *, reason: str, explanation: str, corrective: str | None) -> dict[str, Any]:
    declared = copy.deepcopy(doc)
    declared.pop("recordTime", None)
    context = declared.get("@context")
    entries = context if isinstance(context, list) else [context] if context else []
    if not any(isinstance(e, dict) and e.get("taybac") == build.TAYBAC_NAMESPACE for e in entries):
        declared["@context"] = [*entries, {"taybac": build.TAYBAC_NAMESPACE}]  # for taybac:explanation
    declared["errorDeclaration"] = {
        "declarationTime": build.timestamp(timezone.now()),
        "reason": reason,
        **({"correctiveEventIDs": [corrective]} if corrective else {}),
        corrections.EXPLANATION: explanation,
    }
    return declared


@transaction.atomic
def declare_error(
    *,
    actor: User,
    lot: Lot,
    event: TraceEvent,
    reason: str,
    explanation: str,
    quantity: int | None = None,
    to_lot: Lot | None = None,
    request_key: str | None = None,
) -> TraceEvent:
    """Declare `event` (one of `lot`'s) erroneous for `reason`, logging the corrective event with it.

    `incorrect_data` needs the right `quantity` (of this lot, in the event) or the right lot (`to_lot`, of the
    same shop); `did_not_occur` takes neither. Returns the declaration. With `request_key` (the form's token) a
    repeated submit returns the first one's declaration.
    """
    log.lock()
    require_can_manage(actor, lot.shop.producer)
    if earlier := replayed(request_key):
        return earlier[0]
    link = EventLot.objects.filter(event=event, lot=lot).order_by("role").first()
    if link is None:
        raise TraceError("Sự kiện này không thuộc lô hàng này.")
    doc = event.document
    if not correctable(document=doc):
        raise TraceError("Sự kiện này đi theo đơn hàng (gửi, nhận, giao) hoặc là một lần báo sai: không báo sai ở đây.")
    if TraceEvent.objects.filter(declares=event).exists():
        raise TraceError("Sự kiện này đã được báo sai rồi. Mỗi sự kiện chỉ báo sai một lần.")
    if reason not in corrections.REASONS:
        raise TraceError("Hãy chọn lý do: ghi sai thông tin, hoặc việc này không xảy ra.", field="reason")
    explanation = " ".join((explanation or "").split())
    if not 3 <= len(explanation) <= MAX_EXPLANATION:
        raise TraceError(
            f"Hãy ghi vì sao sự kiện này sai (3 đến {MAX_EXPLANATION} ký tự); người mua sẽ đọc được.",
            field="explanation",
        )
    creates = _creates(doc, link.role)
    corrective: dict[str, Any] | None = None
    if reason == "did_not_occur":
        if creates:
            raise TraceError(
                "Sự kiện tạo lô không báo “không xảy ra” được: hãy chọn “ghi sai thông tin” và nhập số lượng đúng.",
                field="reason",
            )
        if quantity is not None or to_lot is not None:
            raise TraceError("Việc không xảy ra thì không cần nhập số lượng hay lô đúng.", field="reason")
    else:
        if quantity is None and to_lot is None:
            raise TraceError("Hãy nhập số lượng đúng hoặc chọn lô đúng.", field="quantity")
        if quantity is not None and not 1 <= quantity <= corrections.MAX_QUANTITY:
            raise TraceError("Số lượng phải là số nguyên từ 1 đến 10.000.000.", field="quantity")
        if to_lot is not None and (creates or to_lot.shop_id != lot.shop_id or to_lot.pk == lot.pk):
            raise TraceError(
                "Lô đúng phải là một lô khác của gian hàng, và sự kiện tạo lô không chuyển sang lô khác được.",
                field="to_lot",
            )
        corrective = _corrected(doc, lot, quantity=quantity, to_lot=to_lot)
    fix_id = corrective["eventID"] if corrective else None
    events = [_declaration(doc, reason=reason, explanation=explanation, corrective=fix_id)]
    if corrective is not None:
        events.append(corrective)
    now = build.timestamp(timezone.now())
    for item in events:
        item["recordTime"] = now
    try:
        validate_or_raise(build.document(events, created=timezone.now()))
    except EpcisValidationError as error:  # the hub built these: a bug, said plainly rather than logged wrongly
        raise TraceError(f"Không ghi được: sự kiện sửa lỗi không hợp lệ ({error.errors[0].message}).") from None
    by = Capturer(user=actor)
    try:
        corrections.check(events, by)
        scope = capture_scope.check(events, by)
    except ScopeError:
        raise TraceError(
            "Bạn không được báo sai sự kiện này: nó được ghi cho người khác hoặc nhắc đến hàng của nhà sản xuất khác."
        ) from None
    rows = store_events(
        events,
        source=TraceEvent.Source.HUB,
        recorded_by=actor,
        on_behalf_of=lot.shop.producer,
        lots=scope.lots,
        request_key=request_key,
    )
    corrections.refresh_lots(rows)
    audit.record(
        actor=actor,
        on_behalf_of=lot.shop.producer.owner,
        action="lot.error_declared",
        target=lot,
        detail={
            "event": event.event_id,
            "leaf": event.leaf_index,
            "reason": reason,
            "declaration_leaf": rows[0].leaf_index,
            "corrective_leaf": rows[1].leaf_index if len(rows) > 1 else None,
        },
    )
    return rows[0]
