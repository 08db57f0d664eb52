"""Forecasts of people's own files, sent through the dashboard's form (docs/insights.md, "Stored forecasts and
the upload form"): the same format and engine as `taybac forecast`, with tighter bounds for a web form.

The file is checked in the request (io.parse_demand, errors with their line numbers), so a bad file never
queues a job; a good one is stored as a ForecastUpload and forecast by the `run_forecast_upload` job. Officers,
operators and the people of a producer (owner or live delegation) may upload; each sees and downloads only
their own uploads.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed, managed_producers
from taybac.core.errors import DomainError
from taybac.insights.charts import vi_number
from taybac.insights.forecasting.engine import forecast_all, forecast_rows, format_models
from taybac.insights.forecasting.io import ForecastInputError, format_forecasts, parse_demand, parse_horizon
from taybac.insights.models import ForecastUpload

MAX_BYTES = 5 * 2**20
MAX_SERIES = 2_000
PER_HOUR = 5  # uploads per person per hour: each one holds a worker for up to a minute
KEEP = 20  # uploads kept per person; older ones are deleted when a new one is sent
MAX_NAME = 200


class UploadRefused(DomainError):
    """The upload cannot be accepted (rate limit, size, encoding); `errors` as for ForecastInputError."""

    code = "forecast_upload_refused"

    def __init__(self, message: str) -> None:
        self.errors = [message]
        super().__init__(message)


def may_upload(*, user: User) -> bool:
    """Officers, operators and staff, and anyone managing a producer."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.role in (Role.OPERATOR, Role.OFFICER):
        return True
    return managed_producers(user).exists()


def uploads_of(*, user: User) -> QuerySet[ForecastUpload]:
    """The user's own uploads, newest first, without the file bodies (the list does not need them)."""
    return ForecastUpload.objects.filter(owner=user).defer("input_csv", "forecast_csv", "models_csv")


def submit_upload(*, user: User, file_name: str, content: bytes, horizon: int) -> ForecastUpload:
    """Check the file and store it for the forecast job (queued after commit). Raises NotAllowed, UploadRefused
    or ForecastInputError (the file's problems, each with its line)."""
    if not may_upload(user=user):
        raise NotAllowed("Chỉ cán bộ, bộ phận vận hành và người bán mới gửi được tệp dự báo.")
    if len(content) > MAX_BYTES:
        raise UploadRefused(f"Tệp quá lớn: tối đa {MAX_BYTES // 2**20} MB.")
    parse_horizon(horizon)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused("Tệp phải là CSV mã UTF-8 (trong Excel: Lưu thành → CSV UTF-8).") from None
    series = parse_demand(text)
    if len(series) > MAX_SERIES:
        raise ForecastInputError(
            [f"Tệp có {vi_number(len(series))} chuỗi; mỗi lần gửi tối đa {vi_number(MAX_SERIES)} chuỗi."]
        )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one upload at a time per person
        recent = ForecastUpload.objects.filter(
            owner=user, created_at__gte=timezone.now() - datetime.timedelta(hours=1)
        ).count()
        if recent >= PER_HOUR:
            raise UploadRefused(f"Mỗi giờ gửi được tối đa {PER_HOUR} tệp; xin thử lại sau.")
        upload = ForecastUpload.objects.create(
            owner=user,
            file_name=(file_name or "du-lieu.csv")[:MAX_NAME],
            horizon=horizon,
            series_count=len(series),
            input_csv=text,
        )
        old = ForecastUpload.objects.filter(owner=user).order_by("-id").values_list("id", flat=True)[KEEP:]
        ForecastUpload.objects.filter(id__in=list(old)).delete()
        transaction.on_commit(partial(_queue, upload.pk))
    return upload


def _queue(upload_id: int) -> None:
    from taybac.insights.tasks import run_forecast_upload  # the task module imports this one

    run_forecast_upload(upload_id)


def run_upload(*, upload_id: int) -> ForecastUpload | None:
    """Forecast a queued upload (the job's work): done with both files, or failed with the error. A second run
    of the same job finds it no longer queued and does nothing."""
    taken = ForecastUpload.objects.filter(pk=upload_id, status=ForecastUpload.Status.QUEUED).update(
        status=ForecastUpload.Status.RUNNING
    )
    if not taken:
        return None
    upload = ForecastUpload.objects.get(pk=upload_id)
    try:
        series = parse_demand(upload.input_csv)
        results = forecast_all(series=series, horizon=upload.horizon, jobs=1)
        upload.forecast_csv = format_forecasts(forecast_rows(series=series, results=results, horizon=upload.horizon))
        upload.models_csv = format_models(series=series, results=results)
        upload.status = ForecastUpload.Status.DONE
    except Exception as exc:  # recorded for the owner to see; the job itself must not retry a bad file forever
        upload.status = ForecastUpload.Status.FAILED
        upload.error = (exc.message if isinstance(exc, DomainError) else "Lỗi khi chạy dự báo.")[:2000]
    upload.input_csv = ""
    upload.finished_at = timezone.now()
    upload.save(update_fields=["forecast_csv", "models_csv", "status", "error", "input_csv", "finished_at"])
    return upload


def own_upload(*, user: User, upload_id: int) -> ForecastUpload | None:
    """The user's upload with this id, None when it is someone else's or does not exist (answered 404)."""
    return ForecastUpload.objects.filter(owner=user, pk=upload_id).first() if user.is_authenticated else None
