"""Forms of the buyer's pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from taybac.accounts.addresses import AddressInput
from taybac.accounts.models import SavedAddress
from taybac.orders.returns import REASON_MAX


class TrackForm(forms.Form):
    """The order look-up: sent by POST, so the phone number stays out of the address bar and history."""

    ma = forms.CharField(label="Mã đơn", max_length=20, widget=forms.TextInput(attrs={"placeholder": "TB-XXXX-XXXX"}))
    sdt = forms.CharField(
        label="Số điện thoại đặt hàng",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
    )


class AnswerForm(forms.Form):
    """The shop's answer to a return request; refusing needs a reason (checked by the service)."""

    accept = forms.TypedChoiceField(
        choices=[("1", "Đồng ý"), ("0", "Từ chối")], coerce=lambda value: value == "1", empty_value=None
    )
    answer = forms.CharField(max_length=300, required=False)


class AddressForm(forms.Form):
    """Province first, then its communes (the page reloads with the province chosen, no JavaScript needed)."""

    label = forms.CharField(label="Tên gợi nhớ (không bắt buộc)", max_length=40, required=False)
    name = forms.CharField(label="Người nhận", max_length=120)
    phone = forms.CharField(
        label="Số điện thoại", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    tinh = forms.IntegerField(label="Tỉnh/thành phố", min_value=1, max_value=999)
    xa = forms.IntegerField(label="Xã/phường", min_value=1, max_value=99_999, required=False)
    street = forms.CharField(label="Số nhà, thôn/bản, đường", max_length=200)
    default = forms.BooleanField(label="Dùng làm địa chỉ mặc định", required=False)

    @classmethod
    def initial_of(cls, address: SavedAddress) -> dict[str, object]:
        return {
            "label": address.label,
            "name": address.name,
            "phone": address.phone,
            "tinh": address.commune.province_id,
            "xa": address.commune_id,
            "street": address.street,
            "default": address.is_default,
        }

    def to_input(self) -> AddressInput:
        data = self.cleaned_data
        return AddressInput(
            name=data["name"],
            phone=data["phone"],
            province_code=data["tinh"],
            commune_code=data["xa"],
            street=data["street"],
            label=data["label"],
            make_default=data["default"],
        )
