"""Forms of the sign-in pages and the seller centre: they parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from taybac.accounts.models import Producer
from taybac.catalog.models import Category
from taybac.core.errors import DomainError
from taybac.core.money import parse_vnd

MONTHS = [(m, f"T{m}") for m in range(1, 13)]


def attach(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names (or at the top of the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class PriceField(forms.CharField):
    """Prices as sellers type them: "125.000", "125000 đ"."""

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_vnd(value)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"}),
    )


class CodeField(forms.CharField):
    """The code as people copy it from an SMS: "123 456" or "123-456" count as "123456"."""

    def to_python(self, value):
        return "".join(ch for ch in super().to_python(value) if ch not in " -.\u00a0")

    def widget_attrs(self, widget):
        # the browser must not cut a pasted "123 456" to "123 45": room for separators, the form checks 6 digits
        return {**super().widget_attrs(widget), "maxlength": "12", "minlength": "6"}


class CodeForm(forms.Form):
    code = CodeField(
        label="Mã xác nhận (6 số)",
        max_length=6,
        min_length=6,
        error_messages={"max_length": "Mã gồm đúng 6 chữ số.", "min_length": "Mã gồm đúng 6 chữ số."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SignUpForm(forms.Form):
    name = forms.CharField(label="Tên hộ / HTX / doanh nghiệp", max_length=120)
    kind = forms.ChoiceField(label="Loại", choices=Producer.Kind.choices)
    commune = forms.TypedChoiceField(label="Xã/phường", coerce=int, choices=())

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # no commune preselected: a seller who skips the list must not land in the first commune by accident
        self.fields["commune"].choices = [("", "— Chọn xã/phường —")] + [(c.code, c.name) for c in communes]


class ProductBasicsForm(forms.Form):
    """Screen 1 of a new product: what a buyer needs to order it."""

    name = forms.CharField(label="Tên sản phẩm", max_length=120)
    category = forms.ModelChoiceField(label="Ngành hàng", queryset=Category.objects.all(), empty_label=None)
    price = PriceField(label="Giá bán (đồng)", widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    quantity = forms.IntegerField(label="Số lượng có", min_value=0, max_value=1_000_000)
    unit = forms.CharField(label="Đơn vị", max_length=20, initial="gói")
    weight_grams = forms.IntegerField(label="Khối lượng mỗi đơn vị (gam)", min_value=1, max_value=100_000)
    gtin = forms.CharField(
        label="Mã vạch GTIN (nếu đã có; để trống để sàn cấp)",
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class ProductDetailsForm(forms.Form):
    """Screen 3 (and the edit page): season, OCOP and the story."""

    name = forms.CharField(label="Tên sản phẩm", max_length=120)
    category = forms.ModelChoiceField(label="Ngành hàng", queryset=Category.objects.all(), empty_label=None)
    season_months = forms.TypedMultipleChoiceField(
        label="Tháng thu hoạch", coerce=int, choices=MONTHS, required=False, widget=forms.CheckboxSelectMultiple
    )
    next_harvest = forms.DateField(
        label="Ngày thu hoạch tới", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    preorder_allowed = forms.BooleanField(label="Nhận đặt trước", required=False)
    geographical_indication = forms.CharField(label="Chỉ dẫn địa lý (nếu có)", max_length=120, required=False)
    description = forms.CharField(
        label="Giới thiệu", required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_active = forms.BooleanField(label="Đang bán", required=False, initial=True)
    ocop_stars = forms.TypedChoiceField(
        label="OCOP",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "Không có"), (3, "3 sao"), (4, "4 sao"), (5, "5 sao")],
    )
    ocop_issuer = forms.CharField(label="Cơ quan cấp OCOP", max_length=160, required=False)
    ocop_number = forms.CharField(label="Số chứng nhận", max_length=60, required=False)
    ocop_issued_on = forms.DateField(label="Ngày cấp", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ocop_expires_on = forms.DateField(
        label="Ngày hết hạn", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    # what a service product (no harvest) saves for the harvest fields it is not shown
    NO_HARVEST: dict = {"season_months": (), "next_harvest": None, "preorder_allowed": False}

    def __init__(self, *args, goods: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not goods:  # a tour or a homestay has no harvest: the fields are not shown, nor read if posted
            for name in self.NO_HARVEST:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        for name, empty in self.NO_HARVEST.items():
            data.setdefault(name, empty)
        if data.get("ocop_stars"):
            for field in ("ocop_issuer", "ocop_number", "ocop_issued_on", "ocop_expires_on"):
                if not data.get(field):
                    self.add_error(field, "Cần nhập khi có chứng nhận OCOP.")
        return data


class VariantForm(forms.Form):
    name = forms.CharField(label="Tên phân loại (ví dụ: Hũ 1 kg)", max_length=80)
    unit = forms.CharField(label="Đơn vị", max_length=20)
    weight_grams = forms.IntegerField(label="Khối lượng (gam)", min_value=1, max_value=100_000)
    price = PriceField(label="Giá bán (đồng)", widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    quantity = forms.IntegerField(label="Số lượng có", min_value=0, max_value=1_000_000)
    gtin = forms.CharField(
        label="Mã vạch GTIN (nếu đã có)",
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class DelegateForm(forms.Form):
    phone = forms.CharField(
        label="Số điện thoại người được ủy quyền", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class ConfirmForm(forms.Form):
    """The confirmation step of a destructive action: the page's button sends `xac_nhan=1`; a request without
    it (an old page, a stray POST) is answered with the confirmation page instead of acting."""

    xac_nhan = forms.TypedChoiceField(choices=[("1", "Xác nhận")], coerce=int)


class CancelForm(ConfirmForm):
    reason = forms.CharField(
        label="Lý do hủy (ghi vào nhật ký gian hàng, không bắt buộc)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: hết hàng, hàng bị hỏng"}),
    )
