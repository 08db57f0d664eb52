"""The monthly declaration: rows per seller × kind, totals equal to the ledger, the CLI file, the operator's pages,
the filing record and the reminder."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from taybac.accounts.models import Producer, Role
from taybac.compliance import declaration as decl
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry, OutboxMessage
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.payments.models import TaxDeclarationFiling, TaxWithholding
from tests.factories import make_user, record_identity_for
from tests.payments.test_withholding import order_of, pay, shop_for


@pytest.fixture
def month_of_sales(db, settings):
    """Two households (one also sells a homestay night), a cooperative, and a cancelled sale: this month's data."""
    honey = shop_for(Producer.Kind.HOUSEHOLD)
    record_identity_for(honey.producer)
    pay(
        order_of(honey, [("Mật ong", "mat-ong", 350_050, 1), ("Homestay", "du-lich-cong-dong", 1_234_567, 1)]), settings
    )
    pay(order_of(honey, [("Mật ong rừng", "mat-ong", 99_999, 3)]), settings)
    tea = make_household("Hộ chè Suối Giàng")
    cancelled = pay(order_of(tea, [("Chè Shan", "che", 200_000, 1)]), settings)
    advance(shop_order=cancelled, to=Status.CANCELLED, actor=None)
    kept = pay(order_of(tea, [("Chè búp", "che", 150_000, 2)]), settings)
    pay(order_of(shop_for(Producer.Kind.COOPERATIVE), [("Gạo", "gao-ngu-coc", 500_000, 1)]), settings)
    return honey, tea, kept


def make_household(name):
    from taybac.catalog.services import create_shop
    from tests.factories import make_producer

    producer = make_producer(name=name)
    return create_shop(actor=producer.owner, producer=producer, name=name)


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def test_rows_per_seller_and_kind_and_totals_equal_the_ledger(month_of_sales):
    honey, tea, _ = month_of_sales
    report = decl.declaration(month=this_month())
    rows = [(r.seller_id, r.kind, r.revenue, r.vat_withheld, r.pit_withheld) for r in report.rows]
    goods = 350_050 + 3 * 99_999  # 650,047: VAT 3,501 + 3,000 (two orders, rounded each), PIT 1,750 + 1,500
    assert rows == [
        (honey.producer_id, "goods", goods, 3_501 + 3_000, 1_750 + 1_500),
        (honey.producer_id, "service", 1_234_567, 61_728, 24_691),
        (tea.producer_id, "goods", 300_000, 3_000, 1_500),  # the cancelled 200,000 ₫ sale offset to zero
    ]
    assert report.rows[0].tax_id.startswith("014090") and report.rows[2].tax_id == ""  # no identity recorded yet
    assert -decl.ledger_tax_total(month=this_month()) == report.vat_withheld + report.pit_withheld
    assert report.revenue == goods + 1_234_567 + 300_000
    assert decl.declaration(month="2020-01").rows == []


def test_the_cli_writes_the_file_with_a_totals_row(month_of_sales, tmp_path):
    out = tmp_path / "decl.csv"
    stdout = io.StringIO()
    call_command("tax", "declaration", "--month", this_month(), "--output", str(out), stdout=stdout)
    lines = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert lines[0] == ["seller_id", "seller_name", "tax_id", "kind", "revenue", "vat_withheld", "pit_withheld"]
    assert len(lines) == 5 and lines[-1][0] == "TOTAL"
    body = lines[1:-1]
    for column in (4, 5, 6):
        assert int(lines[-1][column]) == sum(int(line[column]) for line in body)
    assert int(lines[-1][5]) + int(lines[-1][6]) == -decl.ledger_tax_total(month=this_month())
    assert oct(out.stat().st_mode & 0o777) == "0o600" and "3 dòng" in stdout.getvalue()
    with pytest.raises(Exception, match="NNNN-TT"):
        call_command("tax", "declaration", "--month", "2026-13", "--output", str(out))


def test_operator_page_csv_and_filing(month_of_sales):
    operator = make_user(role=Role.OPERATOR)
    client = Client()
    client.force_login(operator)
    month = this_month()
    page = client.get(f"/van-hanh/thue/{month}/").content.decode()
    assert "Tờ khai thuế khấu trừ tháng" in page and "khớp tờ khai" in page
    csv_response = client.get(f"/van-hanh/thue/{month}.csv")
    assert csv_response["Content-Type"].startswith("text/csv") and b"TOTAL" in csv_response.content
    assert month in client.get("/van-hanh/thue/").content.decode()
    # the running month cannot be filed yet; a past month can, once, audited
    client.post(f"/van-hanh/thue/{month}/da-nop/", {"reference": "HS-1"})
    assert not TaxDeclarationFiling.objects.exists()
    assert client.post("/van-hanh/thue/2025-08/da-nop/", {"reference": "HS-0825"}).status_code == 302
    assert client.post("/van-hanh/thue/2025-08/da-nop/", {"reference": "HS-0826"}).status_code == 302
    assert list(TaxDeclarationFiling.objects.values_list("period", "reference")) == [("2025-08", "HS-0825")]
    assert AuditEntry.objects.filter(action="tax.declaration_filed").count() == 1


@pytest.mark.parametrize("role", [Role.BUYER, Role.PRODUCER, Role.HELPER])
def test_only_operators_see_the_declaration(db, role):
    client = Client()
    client.force_login(make_user(role=role))
    for url in ("/van-hanh/thue/", "/van-hanh/thue/2025-08/", "/van-hanh/thue/2025-08.csv"):
        assert client.get(url).status_code == 403
    with pytest.raises(DomainError):
        decl.mark_filed(actor=make_user(role=role), month="2025-08", reference="HS-1")


def test_reminder_when_last_month_is_not_filed(month_of_sales):
    operator = make_user(role=Role.OPERATOR)
    TaxWithholding.objects.update(period="2025-08")
    OutboxMessage.objects.all().delete()  # the orders' own messages
    today = datetime.date(2025, 9, 15)
    assert decl.remind_unfiled(today=today) == 1
    sms = OutboxMessage.objects.get()
    assert "2025-08" in sms.body and "20/09/2025" in sms.body and sms.recipient == operator.phone
    TaxDeclarationFiling.objects.create(period="2025-08", reference="HS")
    assert decl.remind_unfiled(today=today) == 0
    assert decl.remind_unfiled(today=datetime.date(2025, 11, 15)) == 0  # October had no withholding


def test_month_and_due_date():
    assert decl.due_date(month="2026-12") == datetime.date(2027, 1, 20)
    assert decl.previous_month(today=datetime.date(2026, 1, 15)) == "2025-12"
    for bad in ("2026-1", "26-01", "2026-00", "abc", ""):
        with pytest.raises(DomainError):
            decl.parse_month(value=bad)


def test_a_name_a_spreadsheet_would_run_is_quoted_in_the_file():
    row = decl.Row(
        seller_id=7, seller_name="=HYPERLINK(\"x\")", tax_id="", kind="goods", revenue=100, vat_withheld=1,
        pit_withheld=0,
    )  # fmt: skip
    text = decl.to_csv(report=decl.Declaration(month="2026-11", rows=[row], filing=None))
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][:2] == ["7", '\'=HYPERLINK("x")'] and lines[1][4:] == ["100", "1", "0"]
