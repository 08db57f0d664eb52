"""The upload form "Dự báo từ tệp của bạn" (/so-lieu/du-bao/): officers, operators and sellers send a demand CSV,
a background job forecasts it, and the page lists their uploads with the two result files to download
(docs/insights.md, "Stored forecasts and the upload form"). Thin: a form, one service, a page. Someone else's
upload is a 404; people who may not upload get a 403 page saying who may.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed
from taybac.insights import uploads
from taybac.insights.charts import vi_number
from taybac.insights.forecasting.io import MAX_HORIZON, ForecastInputError

EXAMPLE = (
    "series_id,date,quantity\n"
    + "".join(
        f"che-shan-tuyet,2026-{m:02d}-01,{q}\n"
        for m, q in zip(range(1, 13), (40, 38, 52, 80, 95, 70, 60, 58, 66, 72, 90, 120))
    )
    + "".join(
        f"mat-ong,2026-{m:02d}-01,{q}\n" for m, q in zip(range(1, 13), (12, 15, 9, 7, 8, 10, 11, 9, 8, 10, 14, 18))
    )
)


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp CSV", max_length=uploads.MAX_NAME)
    horizon = forms.IntegerField(label="Số kỳ cần dự báo", min_value=1, max_value=MAX_HORIZON, initial=13)


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The form, the format, and the user's uploads; POST checks the file and queues its forecast."""
    if not uploads.may_upload(user=request.user):
        raise PermissionDenied("Chỉ cán bộ, bộ phận vận hành và người bán mới gửi được tệp dự báo.")
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            sent = form.cleaned_data["file"]
            try:
                if sent.size > uploads.MAX_BYTES:  # refused before reading it
                    raise uploads.UploadRefused(f"Tệp quá lớn: tối đa {uploads.MAX_BYTES // 2**20} MB.")
                upload = uploads.submit_upload(
                    user=request.user,
                    file_name=sent.name,
                    content=sent.read(),
                    horizon=form.cleaned_data["horizon"],
                )
            except NotAllowed as error:
                raise PermissionDenied(error.message) from None
            except (ForecastInputError, uploads.UploadRefused) as error:
                errors, status = error.errors, 400
            else:
                messages.success(request, f"Đã nhận tệp {upload.file_name}: đang dự báo {upload.series_count} chuỗi.")
                return redirect("forecast-uploads")
        else:
            status = 400
    mine = list(uploads.uploads_of(user=request.user))
    return render(
        request,
        "web/insights/forecast_uploads.html",
        {
            "form": form,
            "errors": errors,
            "uploads": mine,
            "pending": any(u.status in (u.Status.QUEUED, u.Status.RUNNING) for u in mine),
            "max_mb": uploads.MAX_BYTES // 2**20,
            "max_series": vi_number(uploads.MAX_SERIES),
            "per_hour": uploads.PER_HOUR,
            "max_horizon": MAX_HORIZON,
        },
        status=status,
    )


@require_safe
def example(request: HttpRequest) -> HttpResponse:
    """A small monthly example file (two series, one year each)."""
    return _csv(EXAMPLE, "vi-du-du-bao.csv")


@login_required
@require_safe
def download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """forecast.csv or models.csv of the user's own finished upload; anything else is a 404."""
    upload = uploads.own_upload(user=request.user, upload_id=pk)
    if upload is None or upload.status != upload.Status.DONE:
        raise Http404("Không có tệp này.")
    stem = upload.file_name.rsplit(".", 1)[0][:60] or "du-lieu"
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem)
    if kind == "du-bao":
        return _csv(upload.forecast_csv, f"{safe}-forecast.csv")
    return _csv(upload.models_csv, f"{safe}-models.csv")
