"""The quarterly seller-information report: one row per shop with its seller's identity and the quarter's revenue
from the ledger (Vietnam time), as a file from the CLI and audited."""

import csv
import datetime
import io
import stat
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from taybac.catalog.models import Shop
from taybac.compliance.seller_report import COLUMNS, parse_quarter, previous_quarter, report_csv
from taybac.core.models import AuditEntry
from taybac.payments.models import LedgerEntry
from tests.factories import make_shop, record_identity_for

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _entry(shop, kind, amount, when):
    entry = LedgerEntry.objects.create(shop=shop, kind=kind, amount=amount)
    LedgerEntry.objects.filter(pk=entry.pk).update(created_at=when)


@pytest.fixture
def sellers():
    known, unknown = make_shop(name="Hộ Mỷ"), make_shop(name="Hộ Páo", province_code=8)
    record_identity_for(known.producer)
    Shop.objects.update(created_at=datetime.datetime(2026, 3, 1, tzinfo=VN))  # open before the quarter
    start = datetime.datetime(2026, 7, 1, 0, 0, tzinfo=VN)  # 30 June 17:00 UTC: already Q3 in Vietnam
    _entry(known, "sale", 500_000, start)
    _entry(known, "refund", -120_000, datetime.datetime(2026, 9, 30, 23, 59, tzinfo=VN))
    _entry(known, "voucher", 20_000, datetime.datetime(2026, 8, 15, tzinfo=VN))
    _entry(known, "payout", -300_000, datetime.datetime(2026, 8, 20, tzinfo=VN))  # not revenue
    _entry(known, "sale", 999_000, datetime.datetime(2026, 10, 1, 0, 0, tzinfo=VN))  # Q4
    _entry(known, "sale", 777_000, start - datetime.timedelta(seconds=1))  # Q2
    _entry(unknown, "sale", 80_000, datetime.datetime(2026, 7, 2, tzinfo=VN))
    return known, unknown


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_report_rows_and_revenue_by_quarter(sellers):
    known, unknown = sellers
    rows = {int(r["seller_id"]): r for r in _rows(report_csv(quarter=parse_quarter("2026-Q3"), actor=None))}
    mine, other = rows[known.producer_id], rows[unknown.producer_id]
    assert mine["revenue"] == "400000" and other["revenue"] == "80000"
    assert mine["id_kind"] == "citizen_id" and len(mine["id_number"]) == 12 and mine["identity_status"] == "recorded"
    assert mine["address"] == "Bản Phìn Hồ" and mine["province"] == known.province.name
    assert mine["shop_url"].endswith(f"/gian-hang/{known.slug}/")
    assert (other["legal_name"], other["id_number"], other["identity_status"]) == ("", "", "missing")
    assert other["commune"] == unknown.commune.name
    entry = AuditEntry.objects.get(action="seller_report.exported")
    assert entry.detail == {"quarter": "2026-Q3", "sellers": 2, "missing": 1}
    assert mine["id_number"] not in str(entry.detail)


def test_a_shop_opened_after_the_quarter_is_not_in_it(sellers):
    make_shop(name="Hộ mới")
    rows = _rows(report_csv(quarter=parse_quarter("2026-Q3"), actor=None))
    assert len(rows) == 2


def test_quarter_parsing_and_the_due_quarter():
    assert parse_quarter(" 2026q4 ").label == "2026-Q4"
    for bad in ("2026-Q5", "2026-07", "", "1999-Q1", "2026-Q1" * 5):
        with pytest.raises(Exception, match="NĂM-Q1"):
            parse_quarter(bad)
    assert previous_quarter(datetime.date(2026, 1, 20)).label == "2025-Q4"
    assert previous_quarter(datetime.date(2026, 12, 6)).label == "2026-Q3"
    start, end = parse_quarter("2026-Q4").bounds()
    assert (start.month, end.year, end.month) == (10, 2027, 1)


def test_cli_writes_the_file_for_the_owner_only(sellers, tmp_path):
    out, console = tmp_path / "sellers.csv", io.StringIO()
    call_command("tax", "sellers", "--quarter", "2026-Q3", "--output", str(out), stdout=console)
    assert "2026-Q3: 2 người bán" in console.getvalue()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 3
    with pytest.raises(CommandError, match="NĂM-Q1") as refused:
        call_command("tax", "sellers", "--quarter", "Q3", "--output", str(out))
    assert refused.value.returncode == 2


def test_a_name_that_looks_like_a_formula_is_quoted(sellers):
    known, _ = sellers
    known.producer.identity.legal_name = "=HYPERLINK(1)"
    known.producer.identity.save(update_fields=["legal_name"])
    rows = _rows(report_csv(quarter=parse_quarter("2026-Q3"), actor=None))
    assert "'=HYPERLINK(1)" in [r["legal_name"] for r in rows]
