"""The upload form "Dự báo từ tệp của bạn": who may send a file, a bad file refused with its line numbers and no
job, a good file forecast by the job (run inline in tests) into the two downloads, owner-only downloads (404 for
anyone else), and the bounds: size, series, horizon, uploads per hour."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from taybac.accounts.models import Role
from taybac.insights import uploads
from taybac.insights.models import ForecastUpload
from tests.factories import make_producer, make_user

pytestmark = pytest.mark.django_db
PAGE = "/so-lieu/du-bao/"


def weekly(series: int = 2, weeks: int = 20) -> bytes:
    rows = ["series_id,date,quantity"]
    first = datetime.date(2026, 1, 5)
    for s in range(series):
        rows += [f"s{s},{first + datetime.timedelta(weeks=w)},{(w * 7 + s) % 11}" for w in range(weeks)]
    return ("\n".join(rows) + "\n").encode()


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, content: bytes, horizon: int = 4, name: str = "ban-hang.csv"):
    return client.post(PAGE, {"file": SimpleUploadedFile(name, content, "text/csv"), "horizon": horizon})


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


def test_who_may_upload(client) -> None:
    assert client.get(PAGE)["Location"] == f"/dang-nhap/?next={PAGE}"
    for role in (Role.BUYER, Role.HELPER, Role.PRODUCER):  # a producer account without a producer, a lone helper
        c = _as(make_user(role=role))
        assert c.get(PAGE).status_code == 403
        assert _send(c, weekly()).status_code == 403
    assert not ForecastUpload.objects.exists()
    seller = make_producer().owner
    officer = make_user(role=Role.OFFICER, officer_province_id=15)
    operator = make_user(role=Role.OPERATOR)
    for user in (seller, officer, operator):
        page = _as(user).get(PAGE)
        assert page.status_code == 200 and "Dự báo từ tệp của bạn" in page.content.decode()
    assert client.get("/so-lieu/du-bao/vi-du.csv").status_code == 200  # the example is for anyone


def test_a_good_file_is_forecast_and_only_its_owner_downloads_it(django_capture_on_commit_callbacks) -> None:
    seller = make_producer().owner
    c = _as(seller)
    with django_capture_on_commit_callbacks(execute=True) as queued:  # the job is queued once the row is stored
        response = _send(c, weekly(series=2, weeks=20), horizon=4)
    assert len(queued) == 1
    assert response.status_code == 302 and response["Location"] == PAGE
    upload = ForecastUpload.objects.get()
    assert upload.owner == seller and upload.status == ForecastUpload.Status.DONE  # the job ran inline
    assert upload.series_count == 2 and upload.input_csv == "" and upload.finished_at is not None
    page = c.get(PAGE).content.decode()
    assert "ban-hang.csv" in page and "Tải dự báo" in page
    forecast = _rows(c.get(f"{PAGE}{upload.pk}/du-bao.csv"))
    assert forecast[0] == ["series_id", "date", "forecast"] and len(forecast) == 1 + 2 * 4
    assert [r[1] for r in forecast[1:5]] == [
        str(datetime.date(2026, 5, 25) + datetime.timedelta(weeks=i)) for i in range(4)
    ]
    models = _rows(c.get(f"{PAGE}{upload.pk}/mo-hinh.csv"))
    assert models[0][:5] == ["series_id", "frequency", "observations", "model", "mase"] and len(models) == 3
    for other in (make_producer(name="Hộ B").owner, make_user(role=Role.OPERATOR)):
        o = _as(other)
        assert o.get(f"{PAGE}{upload.pk}/du-bao.csv").status_code == 404
        assert o.get(f"{PAGE}{upload.pk}/mo-hinh.csv").status_code == 404
        assert "ban-hang.csv" not in o.get(PAGE).content.decode()
    assert c.get(f"{PAGE}{upload.pk + 1}/du-bao.csv").status_code == 404


def test_a_bad_file_shows_its_lines_and_queues_nothing(django_capture_on_commit_callbacks) -> None:
    c = _as(make_user(role=Role.OPERATOR))
    bad = b"series_id,date,quantity\na,2026-01-05,3\na,2026-01-05,4\nb,2026-01-05,-1\nc,05/01/2026,2\n"
    with django_capture_on_commit_callbacks() as queued:
        response = _send(c, bad)
    assert queued == []
    text = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in text
    assert "Dòng 3" in text and "trùng ngày" in text and "Dòng 4" in text and "âm" in text and "Dòng 5" in text
    assert _send(c, b"date,qty\n2026-01-05,3\n").status_code == 400
    empty = c.post(PAGE, {})
    assert empty.status_code == 400 and "bắt buộc" in empty.content.decode()  # Django's Vietnamese messages
    assert _send(c, "s,2026-01-05,3\n".encode("utf-16")).status_code == 400  # not UTF-8
    assert not ForecastUpload.objects.exists()


def test_bounds_size_series_horizon_and_rate() -> None:
    officer = make_user(role=Role.OFFICER, officer_province_id=15)
    c = _as(officer)
    assert _send(c, weekly(), horizon=0).status_code == 400
    assert _send(c, weekly(), horizon=105).status_code == 400
    big = b"series_id,date,quantity\n" + b"#" * uploads.MAX_BYTES
    response = _send(c, big)
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    many = _send(c, weekly(series=uploads.MAX_SERIES + 1, weeks=6))
    assert many.status_code == 400 and "tối đa 2.000 chuỗi" in many.content.decode()
    assert not ForecastUpload.objects.exists()
    for _ in range(uploads.PER_HOUR):
        assert _send(c, weekly(series=1, weeks=8), horizon=2).status_code == 302
    refused = _send(c, weekly(series=1, weeks=8), horizon=2)
    assert refused.status_code == 400 and "Mỗi giờ gửi được tối đa" in refused.content.decode()
    assert ForecastUpload.objects.filter(owner=officer).count() == uploads.PER_HOUR
    ForecastUpload.objects.update(created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert _send(c, weekly(series=1, weeks=8), horizon=2).status_code == 302  # an hour later


def test_a_job_run_twice_forecasts_once_and_failures_are_kept() -> None:
    user = make_user(role=Role.OPERATOR)
    queued = ForecastUpload.objects.create(owner=user, file_name="x.csv", horizon=2, input_csv="series_id,date\n")
    failed = uploads.run_upload(upload_id=queued.pk)
    assert failed is not None and failed.status == ForecastUpload.Status.FAILED and "Dòng 1" in failed.error
    assert uploads.run_upload(upload_id=queued.pk) is None  # no longer queued: nothing happens
    assert "Dòng 1" in _as(user).get(PAGE).content.decode()
