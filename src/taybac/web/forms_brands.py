"""Forms of the brand pages: the seller's story and place, and the officer's OCOP decision and GI link. They parse
input; catalog.brand and catalog.certificates decide what is allowed and bound it."""

from __future__ import annotations

from django import forms

from taybac.catalog.brand import MAX_STORY_CHARS
from taybac.catalog.models import GeographicalIndication

_DATE = {"type": "date"}


class BrandForm(forms.Form):
    story = forms.CharField(
        label="Câu chuyện thương hiệu",
        required=False,
        max_length=MAX_STORY_CHARS * 2,  # the service names the real limit in its message
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Ai làm ra sản phẩm, ở đâu, làm thế nào. Xuống dòng hai lần để tách đoạn.",
    )
    latitude = forms.CharField(label="Vĩ độ (không bắt buộc)", required=False, max_length=20)
    longitude = forms.CharField(label="Kinh độ (không bắt buộc)", required=False, max_length=20)


class OcopDecisionForm(forms.Form):
    stars = forms.TypedChoiceField(label="Hạng OCOP", choices=[(s, f"{s} sao") for s in (3, 4, 5)], coerce=int)
    number = forms.CharField(label="Số chứng nhận", max_length=60)
    decision_number = forms.CharField(label="Số quyết định", max_length=60, help_text="Ví dụ: 1234/QĐ-UBND")
    decision_date = forms.DateField(label="Ngày quyết định", widget=forms.DateInput(attrs=_DATE))
    decision_body = forms.CharField(label="Cơ quan ban hành", max_length=160, help_text="Ví dụ: UBND tỉnh Sơn La")
    issued_on = forms.DateField(label="Ngày cấp", widget=forms.DateInput(attrs=_DATE))
    expires_on = forms.DateField(label="Hiệu lực đến", widget=forms.DateInput(attrs=_DATE))
    document_url = forms.CharField(
        label="Bản quét/PDF (đường dẫn https, không bắt buộc)", required=False, max_length=300
    )


class GiLinkForm(forms.Form):
    """All GIs are offered; catalog.certificates refuses one whose area does not hold the producer's commune."""

    gi = forms.ModelChoiceField(
        label="Chỉ dẫn địa lý",
        queryset=GeographicalIndication.objects.order_by("name", "product_type"),
        required=False,
        empty_label="— Không thuộc chỉ dẫn địa lý nào —",
    )
