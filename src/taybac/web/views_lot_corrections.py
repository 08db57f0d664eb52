"""Seller centre: a lot's page (its events, its labels) and "Báo sai", declaring one of its events erroneous.

The log only grows, so a wrong event (wrong weight, wrong lot) is not edited: the producer says why it is wrong
and gives the right value, and traceability.declare logs the EPCIS error declaration and its corrective event
together. The trace page then shows the wrong event struck through, with the reason and the correction.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed
from taybac.core.errors import DomainError
from taybac.traceability import corrections
from taybac.traceability.declare import MAX_EXPLANATION, correctable, declare_error
from taybac.traceability.models import EventLot, Lot
from taybac.traceability.story import Step, fold_corrections, step
from taybac.traceability.verification import parse_document
from taybac.web import forms_lots as f
from taybac.web.views_seller_lots import _lot_for
from taybac.web.views_trace import SHEETS

MAX_EVENTS = 200  # a lot's page lists its latest events; a lot with more is a partner's bulk capture
MAX_OTHER_LOTS = 30


class LotChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lot) -> str:
        return f"Lô {obj.code} – {obj.variant.product.name}"


class DeclareForm(f.TokenForm):
    """What is wrong with the event: the reason, in the producer's words, and the right value."""

    reason = forms.ChoiceField(
        label="Sai ở đâu?",
        widget=forms.RadioSelect,
        choices=[
            ("incorrect_data", "Ghi sai thông tin (số lượng, lô): ghi lại cho đúng"),
            ("did_not_occur", "Việc này không xảy ra"),
        ],
    )
    explanation = forms.CharField(
        label="Vì sao sai (người mua sẽ đọc)",
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Ví dụ: cân nhầm, thêm một số 0"}),
    )
    quantity = forms.IntegerField(
        label="Số lượng đúng", required=False, min_value=1, max_value=corrections.MAX_QUANTITY
    )
    to_lot = LotChoice(label="Lô đúng (nếu ghi nhầm lô)", queryset=Lot.objects.none(), required=False)

    def __init__(self, *args, lot: Lot, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"
        self.fields["quantity"].help_text = f"Theo đơn vị của sự kiện (lô này: {lot.unit})."
        others = Lot.objects.filter(shop=lot.shop).exclude(pk=lot.pk).select_related("variant__product")
        to_lot = cast(forms.ModelChoiceField, self.fields["to_lot"])
        to_lot.queryset = others.order_by("-harvested_on", "-id")[:MAX_OTHER_LOTS]
        to_lot.empty_label = "— Đúng lô này —"


def _timeline(lot: Lot) -> list[Step]:
    """One line per event of the lot (newest last), with corrections folded in, for the seller to pick from."""
    links = list(
        EventLot.objects.filter(lot=lot).select_related("event").order_by("-event__leaf_index", "role")[:MAX_EVENTS]
    )
    seen: dict[int, EventLot] = {}
    for link in reversed(links):
        if link.event_id not in seen or link.role == EventLot.Role.OUTPUT:
            seen[link.event_id] = link
    ordered = sorted(seen.values(), key=lambda x: x.event.leaf_index)
    events = [link.event for link in ordered]
    docs = [parse_document(e.canonical) for e in events]
    lines = [step(lot, link.event, link.role, doc, [], {}) for link, doc in zip(ordered, docs)]
    for line, doc in zip(lines, docs):
        line.ok = correctable(document=doc)  # here: whether "Báo sai" is offered
    steps, _ = fold_corrections(lines, events, docs)
    return steps


@login_required
@require_safe
def lot_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The lot in the seller centre: facts, labels to print (page or PDF), and every event with "Báo sai"."""
    lot = _lot_for(request, pk)
    return render(
        request,
        "web/centre/lots/detail.html",
        {"lot": lot, "steps": _timeline(lot), "sheets": SHEETS.values()},
    )


@login_required
def lot_declare(request: AuthenticatedHttpRequest, pk: int, leaf: int) -> HttpResponse:
    """ "Báo sai" one event of the lot: reason, why, and the right quantity or lot; one service call."""
    lot = _lot_for(request, pk)
    link = EventLot.objects.filter(lot=lot, event__leaf_index=leaf).select_related("event").first()
    if link is None:
        raise Http404("Lô này không có sự kiện đó.")
    line = next((s for s in _timeline(lot) if leaf in s.leaves), None)
    form = DeclareForm(
        request.POST if request.method == "POST" else None,
        lot=lot,
        initial={"token": f.new_token(), "reason": "incorrect_data"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declare_error(
                actor=request.user,
                lot=lot,
                event=link.event,
                reason=data["reason"],
                explanation=data["explanation"],
                quantity=data["quantity"],
                to_lot=data["to_lot"],
                request_key=f"web:{data['token']}",
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            f.attach(form, error)
        else:
            messages.success(request, f"Đã báo sai sự kiện số {leaf} của lô {lot.code} và ghi lại thông tin đúng.")
            return redirect("seller-lot", pk=lot.pk)
    return render(
        request,
        "web/centre/lots/declare.html",
        {"lot": lot, "form": form, "line": line, "leaf": leaf},
        status=400 if form.errors else 200,
    )
