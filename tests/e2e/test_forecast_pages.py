"""On a 360 px phone, without JavaScript: the upload form "Dự báo từ tệp của bạn" (a bad file's lines shown, a
good file forecast and downloaded) and the forecast section of the officer's dashboard (a chart per category
with its accuracy)."""

from __future__ import annotations

import datetime

from django.core.cache import cache

from taybac.accounts.models import Role
from taybac.insights.forecast_store import last_complete_week, refresh_forecasts
from taybac.orders.models import ShopOrder
from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.factories import make_producer, make_user
from tests.insights.forecast_world import LAO_CAI, LAST_WEEK, honey_shop, weekly_history


def test_upload_form_at_360px(browser, live_server, transactional_db, tmp_path):
    context, page = signed_in_phone(browser, live_server.url, make_producer().owner)
    page.goto(f"{live_server.url}/so-lieu/du-bao/")
    fits_phone(page)
    assert page.get_by_role("heading", name="Dự báo từ tệp của bạn").is_visible()
    assert "Bạn chưa gửi tệp nào" in page.locator("#tep-da-gui").inner_text()
    bad = tmp_path / "sai.csv"
    bad.write_text("series_id,date,quantity\nche,2026-01-05,3\nche,2026-01-05,4\n", encoding="utf-8")
    page.get_by_label("Tệp CSV").set_input_files(str(bad))
    page.get_by_role("button", name="Gửi và dự báo").click()
    assert "Dòng 3" in page.get_by_role("alert").inner_text()
    fits_phone(page)
    shot(page, "forecast-upload-error")
    good = tmp_path / "ban-hang.csv"
    first = datetime.date(2026, 1, 5)
    rows = [f"che,{first + datetime.timedelta(weeks=w)},{10 + w % 4}" for w in range(30)]
    good.write_text("series_id,date,quantity\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page.get_by_label("Tệp CSV").set_input_files(str(good))
    page.get_by_label("Số kỳ cần dự báo").fill("6")
    page.get_by_role("button", name="Gửi và dự báo").click()
    assert "Đã nhận tệp ban-hang.csv" in page.locator(".messages").inner_text()
    assert "xong" in page.locator("#tep-da-gui").inner_text()  # the job ran (inline in tests)
    fits_phone(page)
    shot(page, "forecast-upload")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải dự báo").click()
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert lines[0] == "series_id,date,forecast" and len(lines) == 7 and lines[1].startswith("che,2026-08-03,")
    context.close()


def test_dashboard_forecast_section_at_360px(browser, live_server, transactional_db):
    cache.clear()
    honey = honey_shop()
    weekly_history(honey)
    shift = last_complete_week(today=datetime.date.today()) - LAST_WEEK
    for so in ShopOrder.objects.all():
        ShopOrder.objects.filter(pk=so.pk).update(created_at=so.created_at + shift)
    refresh_forecasts()
    officer = make_user(role=Role.OFFICER, officer_province_id=LAO_CAI)
    context, page = signed_in_phone(browser, live_server.url, officer)
    page.goto(f"{live_server.url}/so-lieu/tinh/#du-bao")
    section = page.locator(f"#du-bao-{honey.category.slug}")
    assert section.locator("svg.chart").is_visible()
    box = section.locator("svg.chart").bounding_box()
    assert box is not None and 300 <= box["width"] <= 340
    assert "MASE" in section.inner_text() and "so với" in section.inner_text()
    fits_phone(page)
    shot(page, "forecast-dashboard")
    context.close()
