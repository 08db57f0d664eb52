"""Forms of the review pages: what a buyer, a seller or a reporter may type, bounded before any service runs."""

from __future__ import annotations

from django import forms

from taybac.reviews.models import MAX_REPLY_CHARS, MAX_REPORT_NOTE_CHARS, MAX_TEXT_CHARS, ReviewReport
from taybac.reviews.services import MAX_REVIEW_PHOTOS

STAR_CHOICES = [(n, f"{n} sao") for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(
        label="Chất lượng sản phẩm",
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Chọn số sao.", "invalid_choice": "Chọn từ 1 đến 5 sao."},
    )
    text = forms.CharField(
        label="Nhận xét (không bắt buộc)",
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT_CHARS}),
        error_messages={"max_length": f"Tối đa {MAX_TEXT_CHARS} ký tự."},
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Trả lời của gian hàng",
        max_length=MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REPLY_CHARS}),
        error_messages={"required": "Nhập nội dung trả lời.", "max_length": f"Tối đa {MAX_REPLY_CHARS} ký tự."},
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Lý do",
        choices=ReviewReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Chọn lý do báo cáo.", "invalid_choice": "Chọn lý do báo cáo."},
    )
    note = forms.CharField(
        label="Ghi chú (không bắt buộc)",
        required=False,
        max_length=MAX_REPORT_NOTE_CHARS,
        widget=forms.TextInput(attrs={"maxlength": MAX_REPORT_NOTE_CHARS}),
        error_messages={"max_length": f"Tối đa {MAX_REPORT_NOTE_CHARS} ký tự."},
    )


PHOTO_LIMIT_MESSAGE = f"Tối đa {MAX_REVIEW_PHOTOS} ảnh cho một đánh giá."
