"""The sender's-address form of the seller centre: it parses input; logistics/senders.py decides what is allowed."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from taybac.logistics.legacy_address import LegacyDistrict

NUMBER = re.compile(r"-?\d{1,3}(\.\d{1,12})?")  # plain degrees only: no exponents, no NaN


class CoordinateField(forms.CharField):
    """A latitude or longitude as phones and people type it: "22.3364" or "22,3364"."""

    def clean(self, value):
        text = (super().clean(value) or "").strip().replace(",", ".")
        if not text:
            return None
        if not NUMBER.fullmatch(text):
            raise forms.ValidationError("Phải là một số, ví dụ 22.3364.")
        return Decimal(text)


class SenderAddressForm(forms.Form):
    street = forms.CharField(
        label="Số nhà, thôn/bản, đường",
        max_length=200,
        error_messages={"required": "Hãy nhập số nhà hoặc thôn/bản.", "max_length": "Tối đa 200 ký tự."},
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "placeholder": "Ví dụ: số 12, thôn Lao Chải"}),
    )
    legacy_district_code = forms.ChoiceField(
        label="Trước năm 2025, địa chỉ này thuộc huyện nào?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn huyện cũ của địa chỉ này.",
            "invalid_choice": "Huyện này không thuộc xã/phường của gian hàng.",
        },
    )
    latitude = CoordinateField(
        label="Vĩ độ", max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = CoordinateField(
        label="Kinh độ", max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )

    def __init__(self, *args, districts: list[LegacyDistrict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if len(districts) > 1:
            field = self.fields["legacy_district_code"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(d.district_code, f"{d.district_name} ({d.province_name})") for d in districts]
        else:  # one old district: nothing to ask
            del self.fields["legacy_district_code"]
