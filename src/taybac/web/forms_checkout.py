"""The checkout form of the cart page: field names are the page's (`ten`, `sdt`, `nhan`, `xa`, `diem`, …).

The form parses and checks the shape of the input (integers, choices, lengths, what the chosen way of delivery
needs); the rules of an order (a Vietnamese mobile number, a commune inside its province, an active post
office, stock) stay in orders.checkout, which the API shares.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict

from taybac.core.ids import small_int
from taybac.orders.checkout import AddressInput, Contact
from taybac.orders.models import PaymentMethod

TOKEN_PATTERN = r"[0-9a-f]{32}"
DELIVERY, PICKUP = "tan-noi", "buu-dien"
MAX_CODE = 2_147_483_647  # codes are stored as 32-bit integers
TOKEN_ERROR = "Phiên đặt hàng không hợp lệ, vui lòng tải lại trang giỏ hàng."
CHOICE_PREFIX = "giao_"  # one radio group per shop order: giao_<shop id> = an option id like "hub:standard"
MAX_CHOICES = 50


def token_key(token: str | None) -> str | None:
    """The form's one-time token (32 hex digits) as an idempotency key, scoped to this account or browser
    session like every checkout key (orders/idempotency.py); None if absent or malformed."""
    return f"web-{token}" if token and re.fullmatch(TOKEN_PATTERN, token) else None


def shipping_choices(data: QueryDict) -> dict[int, str]:
    """The shipping option the buyer picked per shop (`giao_<shop id>`); malformed entries are ignored (the
    default then applies and the page shows it), at most one per shop of a full cart."""
    choices: dict[int, str] = {}
    for name, value in data.items():
        if len(choices) >= MAX_CHOICES or not name.startswith(CHOICE_PREFIX):
            continue
        shop_id = small_int(name[len(CHOICE_PREFIX) :])
        if shop_id is not None and isinstance(value, str) and 3 <= len(value) <= 64 and ":" in value:
            choices[shop_id] = value
    return choices


def _code(label: str) -> forms.IntegerField:
    message = f"Vui lòng chọn {label}."
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_CODE,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class DestinationForm(forms.Form):
    """Where the quote prices delivery to: the province and commune, or a post office in it, and how the buyer
    pays (cash on delivery adds the carriers' COD fee). The cart page re-renders the quote when these or the
    shipping choices change: "Tính phí" without JavaScript, or on change with web/checkout.js."""

    tinh = _code("tỉnh nhận hàng")
    xa = _code("xã/phường nhận hàng")
    nhan = forms.ChoiceField(required=False, choices=[(DELIVERY, "Giao tận nơi"), (PICKUP, "Nhận tại bưu điện xã")])
    diem = forms.CharField(required=False, max_length=32)
    thanh_toan = forms.ChoiceField(required=False, choices=PaymentMethod.choices)

    def province_code(self) -> int | None:
        """The province when it parses (another field's error does not hide the province's form)."""
        self.is_valid()
        return self.cleaned_data.get("tinh")

    def commune_code(self) -> int | None:
        """The delivery commune, for home delivery only (a post office brings its own)."""
        self.is_valid()
        if self.cleaned_data.get("nhan") == PICKUP:
            return None
        return self.cleaned_data.get("xa")

    def payment_method(self) -> str | None:
        self.is_valid()
        return self.cleaned_data.get("thanh_toan") or None

    def pickup_code(self) -> str | None:
        """The chosen post office's code when collection at a post office is chosen."""
        self.is_valid()
        if self.cleaned_data.get("nhan") != PICKUP:
            return None
        return self.cleaned_data.get("diem") or None


class CheckoutForm(forms.Form):
    token = forms.RegexField(f"^{TOKEN_PATTERN}$", error_messages={"required": TOKEN_ERROR, "invalid": TOKEN_ERROR})
    tinh = _code("tỉnh nhận hàng")
    ten = forms.CharField(
        max_length=120,
        error_messages={"required": "Vui lòng nhập họ tên người nhận.", "max_length": "Họ tên tối đa 120 ký tự."},
    )
    sdt = forms.CharField(
        max_length=20,
        error_messages={"required": "Vui lòng nhập số điện thoại.", "max_length": "Số điện thoại không hợp lệ."},
    )
    email = forms.CharField(
        required=False, max_length=254, error_messages={"max_length": "Địa chỉ email không hợp lệ (có thể để trống)."}
    )
    nhan = forms.ChoiceField(
        required=False,
        choices=[(DELIVERY, "Giao tận nơi"), (PICKUP, "Nhận tại bưu điện xã")],
        error_messages={"invalid_choice": "Chọn giao tận nơi hoặc nhận tại bưu điện xã."},
    )
    xa = _code("xã/phường nhận hàng")
    dia_chi = forms.CharField(
        required=False, max_length=200, error_messages={"max_length": "Địa chỉ quá dài (tối đa 200 ký tự)."}
    )
    diem = forms.CharField(
        required=False, max_length=32, error_messages={"max_length": "Vui lòng chọn bưu điện nhận hàng."}
    )
    tong = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10**15,
        error_messages={"invalid": TOKEN_ERROR, "min_value": TOKEN_ERROR, "max_value": TOKEN_ERROR},
    )
    thanh_toan = forms.ChoiceField(
        choices=PaymentMethod.choices,
        error_messages={
            "required": "Chọn cách thanh toán: VietQR hoặc khi nhận hàng.",
            "invalid_choice": "Chọn cách thanh toán: VietQR hoặc khi nhận hàng.",
        },
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("tinh") and "tinh" not in self.errors:
            self.add_error("tinh", "Vui lòng chọn tỉnh nhận hàng.")
        if data.get("nhan") == PICKUP:
            if not data.get("diem"):
                self.add_error("diem", "Vui lòng chọn bưu điện nhận hàng.")
        else:
            if not data.get("xa") and "xa" not in self.errors:
                self.add_error("xa", "Vui lòng chọn xã/phường nhận hàng.")
            if not (data.get("dia_chi") or "").strip() and "dia_chi" not in self.errors:
                self.add_error("dia_chi", "Vui lòng nhập số nhà, thôn/bản, đường.")
        return data

    def first_error(self) -> str:
        """The message the page shows (it has room for one): the first field's, in the form's order."""
        return str(next(message for field in self.errors.values() for message in field))

    @property
    def shown_total(self) -> int | None:
        """The grand total the page showed the buyer (hidden field), which the order must charge."""
        return self.cleaned_data.get("tong")

    @property
    def idempotency_key(self) -> str:
        return token_key(self.cleaned_data["token"]) or ""

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(data["ten"], data["sdt"], data["email"])

    def delivery(self) -> tuple[AddressInput | None, str | None]:
        """(the address to deliver to, None) or (None, the code of the chosen pickup point)."""
        data = self.cleaned_data
        if data.get("nhan") == PICKUP:
            return None, data["diem"]
        return AddressInput(province_code=data["tinh"], commune_code=data["xa"], street=data["dia_chi"]), None
