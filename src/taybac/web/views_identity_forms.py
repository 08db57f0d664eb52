"""The seller identity form (web/views_identity.py): what a seller or helper types, checked again by
accounts.identity_services.record_identity."""

from __future__ import annotations

from typing import Any

from django import forms

from taybac.accounts.models import Producer, SellerIdentity
from taybac.regions.models import Commune

HOUSEHOLD_KINDS = [
    (SellerIdentity.IdKind.CITIZEN_ID.value, "Số CCCD (12 số) của chủ hộ"),
    (SellerIdentity.IdKind.PERSONAL_TAX.value, "Mã số thuế cá nhân cũ (10 số)"),
]
BUSINESS_KINDS = [(SellerIdentity.IdKind.BUSINESS_TAX.value, "Mã số thuế của HTX / doanh nghiệp")]


class IdentityForm(forms.Form):
    legal_name = forms.CharField(
        label="Họ tên đúng như trên CCCD (hoặc tên trên đăng ký kinh doanh)",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_kind = forms.ChoiceField(label="Loại giấy tờ", widget=forms.RadioSelect)
    number = forms.CharField(
        label="Số giấy tờ (nhập đầy đủ)",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    street = forms.CharField(label="Số nhà, thôn/bản", max_length=200)
    commune = forms.TypedChoiceField(label="Xã/phường", coerce=int, choices=())

    def __init__(self, *args: Any, producer: Producer, communes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        business = producer.kind != Producer.Kind.HOUSEHOLD
        kind, commune = self.fields["id_kind"], self.fields["commune"]
        assert isinstance(kind, forms.ChoiceField) and isinstance(commune, forms.ChoiceField)
        kind.choices = BUSINESS_KINDS if business else HOUSEHOLD_KINDS
        # no commune preselected for a new seller's other province: a skipped list must not pick the first commune
        commune.choices = [("", "— Chọn xã/phường —")] + [(c.code, c.name) for c in communes]


def initial_for(identity: SellerIdentity | None, producer: Producer) -> dict[str, Any]:
    """What the form starts with: everything recorded except the number, which is always typed again in full."""
    business = producer.kind != Producer.Kind.HOUSEHOLD
    if identity is None:
        kind = BUSINESS_KINDS[0][0] if business else HOUSEHOLD_KINDS[0][0]
        return {"id_kind": kind, "commune": producer.commune_id}
    return {
        "legal_name": identity.legal_name,
        "id_kind": identity.id_kind,
        "street": identity.street,
        "commune": identity.commune_id,
    }


def province_of(identity: SellerIdentity | None, producer: Producer, chosen: int | None) -> int:
    """The province whose communes the form lists: the one picked (step 1), else the recorded address's."""
    if chosen is not None and Commune.objects.filter(province_id=chosen).exists():
        return chosen
    return identity.commune.province_id if identity else producer.province_id
