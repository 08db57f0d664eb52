"""Operators see personal-data requests and consent records (who asked what, when, and how it ended); only the
services write them, so the admin shows them read-only (docs/compliance.md, "Personal data")."""

from __future__ import annotations

from django.contrib import admin

from taybac.compliance.models import ConsentRecord, DataRequest
from taybac.core.adminkit import ReadOnlyAdmin, labelled, titled


@admin.register(DataRequest)
@labelled(
    created_at=("created_at", "Lúc yêu cầu"),
    user=("user", "Tài khoản"),
    kind=("kind", "Loại"),
    status=("status", "Trạng thái"),
    note=("note", "Ghi chú"),
    completed_at=("completed_at", "Xong lúc"),
)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ("vi_created_at", "vi_user", "vi_kind", "vi_status", "vi_note")
    list_filter = (
        ("kind", titled(admin.ChoicesFieldListFilter, "loại")),
        ("status", titled(admin.ChoicesFieldListFilter, "trạng thái")),
    )
    list_select_related = ("user",)
    fields = readonly_fields = ("vi_created_at", "vi_user", "vi_kind", "vi_status", "vi_note", "vi_completed_at")


@admin.register(ConsentRecord)
@labelled(
    created_at=("created_at", "Lúc"),
    user=("user", "Tài khoản"),
    purpose=("purpose", "Mục đích"),
    granted=("granted", "Đồng ý"),
    wording_version=("wording_version", "Phiên bản lời văn"),
)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ("vi_created_at", "vi_user", "vi_purpose", "vi_granted", "vi_wording_version")
    list_filter = (("purpose", titled(admin.ChoicesFieldListFilter, "mục đích")), "granted")
    list_select_related = ("user",)
    fields = readonly_fields = ("vi_created_at", "vi_user", "vi_purpose", "vi_granted", "vi_wording_version")
