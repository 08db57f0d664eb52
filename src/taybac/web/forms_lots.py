"""Forms of the seller centre's lot pages ("Lô hàng & truy xuất"): they parse what a phone sends; the
traceability services decide what is allowed and refuse in Vietnamese, shown next to the field they name.

Every form that records something carries a one-time `token` (like the checkout form): the page uses it so a
double tap records one lot, one packing, one inspection.
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.http import QueryDict
from django.utils import timezone

from taybac.catalog.images import MAX_UPLOAD_BYTES, ImageError, check_image
from taybac.catalog.models import Product, Shop, Variant
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.regions.models import Commune, Province
from taybac.regions.selectors import communes_for_people
from taybac.traceability.models import Lot
from taybac.traceability.photos import MAX_LOT_PHOTOS
from taybac.traceability.services import LOT_CODE, MAX_CERTIFICATES, MAX_INPUTS

TOKEN = re.compile(r"[0-9a-f]{32}")
# the service names some errors after its own arguments; these are the form fields that show them
FIELD_OF = {"gps": "latitude", "inputs": None}


def new_token() -> str:
    return uuid.uuid4().hex


def attach(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names (or at the top of the form)."""
    field = FIELD_OF.get(error.field or "", error.field)
    if field == "harvested_on" and "harvested_on" not in form.fields:
        field = "produced_on"
    form.add_error(field if field in form.fields else None, error.message)


class TokenForm(forms.Form):
    """A form with the one-time token; a missing or forged one is refused and the page hands out a fresh one."""

    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_token(self) -> str:
        token = self.cleaned_data.get("token", "")
        if not TOKEN.fullmatch(token):
            raise forms.ValidationError("Phiên nhập liệu đã hết hạn. Vui lòng kiểm tra và bấm lưu lại.")
        return token

    def clean(self):
        data = super().clean()
        if "token" in self.errors:  # shown at the top, with a fresh token so the next tap goes through
            message = self.errors.pop("token")
            self.add_error(None, message)
            self.renew_token()
        return data

    def renew_token(self) -> None:
        data = QueryDict(mutable=True)  # the bound data may be an immutable QueryDict: a mutable copy, every value kept
        data.update(self.data)
        data["token"] = new_token()
        self.data = data


class VariantSelect(forms.Select):
    """Options carry the variant's unit, so the page can show it as the default unit while JS runs."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-unit"] = instance.unit
        return option


class VariantField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "Chọn một sản phẩm hàng hoá của gian hàng (dịch vụ du lịch, lưu trú không có lô)."},
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Variant) -> str:
        return f"{obj.product.name} – {obj.name}"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_LOT_PHOTOS photos from the camera or the gallery; each is checked before anything is saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(uploads) > MAX_LOT_PHOTOS:
            raise forms.ValidationError(f"Tối đa {MAX_LOT_PHOTOS} ảnh cho một lô.")
        photos = []
        for upload in uploads:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(f"{upload.name}: Ảnh quá lớn (tối đa 10 MB).")
            content = upload.read()
            try:
                check_image(content)
            except ImageError as error:
                raise forms.ValidationError(f"{upload.name}: {error.message}") from None
            photos.append(content)
        return photos


def _certificates(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_CERTIFICATES:
        raise forms.ValidationError(f"Tối đa {MAX_CERTIFICATES} chứng nhận, mỗi dòng một chứng nhận.")
    return lines


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **kwargs)


class LotDetailsForm(TokenForm):
    """What a new lot, harvested or processed, says about itself."""

    quantity = _number("Số lượng", min_value=1, max_value=10_000_000)
    unit = forms.CharField(label="Đơn vị (để trống: theo phân loại)", max_length=20, required=False)
    practices = forms.CharField(
        label="Cách canh tác, chế biến (không bắt buộc)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Ví dụ: không phun thuốc, hái tay"}),
    )
    certificates = forms.CharField(
        label="Chứng nhận (mỗi dòng một chứng nhận)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "VietGAP số …"}),
    )
    code = forms.CharField(
        label="Mã lô (để trống để sàn tự đặt)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("harvested_on", "produced_on"):  # no date after today (set per request: servers run for days)
            if name in self.fields:
                self.fields[name].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_certificates(self) -> list[str]:
        return _certificates(self.cleaned_data.get("certificates", ""))

    def clean_code(self) -> str:
        code = self.cleaned_data.get("code", "").strip().upper()
        if code and not LOT_CODE.fullmatch(code):  # as the service says, but shown with the form's other errors
            raise forms.ValidationError("Mã lô chỉ gồm chữ in hoa không dấu, số và dấu gạch ngang (tối đa 20 ký tự).")
        return code


def shop_variants(shop: Shop):
    """The variants a lot can be of: goods only (a tour or a homestay has no harvest and no lot)."""
    return (
        Variant.objects.filter(shop=shop, product__kind=Product.Kind.GOODS)
        .select_related("product")
        .order_by("product__name", "id")
    )


class HarvestForm(LotDetailsForm):
    """A new lot from a harvest: variant, date, quantity, where, and optionally GPS, practices, photos."""

    field_order = [
        "variant",
        "harvested_on",
        "quantity",
        "unit",
        "province",
        "commune",
        "latitude",
        "longitude",
        "practices",
        "certificates",
        "photos",
        "code",
    ]
    variant = VariantField(
        label="Sản phẩm – phân loại", queryset=Variant.objects.none(), widget=VariantSelect, empty_label=None
    )
    harvested_on = forms.DateField(label="Ngày thu hoạch", widget=_date_widget())
    province = forms.TypedChoiceField(label="Tỉnh", coerce=int, choices=())
    commune = forms.TypedChoiceField(
        label="Xã/phường",
        coerce=int,
        choices=(),
        error_messages={
            "invalid_choice": "Chọn xã/phường trong danh sách của tỉnh đã chọn (bấm “Đổi tỉnh” sau khi đổi tỉnh).",
            "required": "Vui lòng chọn xã/phường.",
        },
    )
    latitude = forms.DecimalField(
        label="Vĩ độ (GPS, không bắt buộc)",
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label="Kinh độ (GPS, không bắt buộc)",
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    photos = PhotosField(label=f"Ảnh vườn, nương, lúc thu hoạch (tối đa {MAX_LOT_PHOTOS} ảnh)")

    def __init__(self, *args, shop: Shop, provinces, communes, **kwargs):
        super().__init__(*args, **kwargs)
        variant, province, commune = self.fields["variant"], self.fields["province"], self.fields["commune"]
        assert isinstance(variant, forms.ModelChoiceField)  # the fields declared above
        assert isinstance(province, forms.ChoiceField) and isinstance(commune, forms.ChoiceField)
        variant.queryset = shop_variants(shop)
        # one query: rendering iterates the choices twice (the `required` check reads the first option);
        # a comprehension, not list(): list() asks the iterator's len() first, which is one more COUNT query
        variant.widget.choices = [choice for choice in variant.iterator(variant)]  # noqa: C416 (= variant.choices)
        province.choices = [(p.code, p.name) for p in provinces]
        commune.choices = [("", "— Chọn xã/phường —")] + [(c.code, c.name) for c in communes]

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", "Cần cả vĩ độ và kinh độ, hoặc để trống cả hai.")
        return data


def province_and_communes(code: object, shop: Shop) -> tuple[Province, list[Commune]]:
    """The province the form shows communes of: the one asked for, else the shop's."""
    wanted = small_int(code)
    province = (Province.objects.filter(code=wanted).first() if wanted is not None else None) or shop.province
    return province, list(communes_for_people(province.code))


class ProcessingForm(LotDetailsForm):
    """Input lots and how much of each is used → a new lot of the variant they became."""

    field_order = ["variant", "produced_on", "quantity", "unit", "practices", "certificates", "code"]
    variant = VariantField(
        label="Thành phẩm (sản phẩm – phân loại)",
        queryset=Variant.objects.none(),
        widget=VariantSelect,
        empty_label="— Chọn thành phẩm —",
    )
    produced_on = forms.DateField(label="Ngày chế biến", widget=_date_widget())

    def __init__(self, *args, shop: Shop, candidates: list[Lot], **kwargs):
        super().__init__(*args, **kwargs)
        variant = self.fields["variant"]
        assert isinstance(variant, forms.ModelChoiceField)  # the field declared above
        variant.queryset = shop_variants(shop)
        self.input_lots = candidates
        for lot in candidates:
            self.fields[f"used_{lot.pk}"] = _number(
                f"{lot.code} · {lot.variant.product.name} – {lot.variant.name} (có {lot.quantity} {lot.unit})",
                min_value=1,
                max_value=lot.quantity,
                required=False,
            )

    def input_fields(self):
        return [self[f"used_{lot.pk}"] for lot in self.input_lots]

    def detail_fields(self):
        return [self[name] for name in self.field_order]

    def clean(self):
        data = super().clean()
        inputs = [(lot, data[f"used_{lot.pk}"]) for lot in self.input_lots if data.get(f"used_{lot.pk}")]
        if not inputs and not any(f"used_{lot.pk}" in self.errors for lot in self.input_lots):
            self.add_error(None, "Ghi số lượng đã dùng của ít nhất một lô nguyên liệu.")
        elif len(inputs) > MAX_INPUTS:
            self.add_error(None, f"Tối đa {MAX_INPUTS} lô nguyên liệu.")
        data["inputs"] = inputs
        return data


class PackingForm(TokenForm):
    cartons = _number("Số thùng", min_value=1, max_value=100)
    per_carton = _number("Số đơn vị mỗi thùng", min_value=1, max_value=10_000_000)


class InspectionForm(TokenForm):
    passed = forms.TypedChoiceField(
        label="Kết quả", coerce=lambda v: v == "1", widget=forms.RadioSelect, choices=[("1", "Đạt"), ("0", "Không đạt")]
    )
    inspector = forms.CharField(
        label="Đơn vị / người kiểm tra",
        max_length=160,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Tổ kiểm soát nội bộ HTX"}),
    )
    note = forms.CharField(
        label="Ghi chú (không bắt buộc)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
