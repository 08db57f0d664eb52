import pytest

from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Status
from taybac.payments.models import BankTransaction
from taybac.payments.statements import StatementError, import_statement, parse_statement
from taybac.regions.services import create_address
from tests.factories import make_product


@pytest.fixture
def shop_order(db):
    variant = make_product(price=350_000, quantity=5).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    return order.shop_orders.get()


def test_statement_matches_missed_transfers_and_skips_known_ones(shop_order):
    csv = (
        f"Transaction_ID,Date,Amount,Description\n"
        f'FT001,24/11/2026,"{shop_order.total:,}",CK {shop_order.code.lower()} cam on\n'
        f"FT002,2026-11-24 10:00:00,-50000,phi dich vu\n"
        f"FT003,24/11/2026,120000,tien an trua\n"
    ).encode()
    result = import_statement(csv)
    assert (result.rows, result.new) == (3, 3)
    assert result.outcomes == {"matched": 1, "outgoing": 1, "unmatched": 1}
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED
    assert import_statement(csv).new == 0 and BankTransaction.objects.count() == 3


@pytest.mark.parametrize(
    "data, message",
    [
        (b"id,amount\n1,2\n", "Thiếu cột"),
        (b"transaction_id,date,amount,description\nX,hom qua,1000,a\n", "Dòng 2"),
        (b"transaction_id,date,amount,description\nX,24/11/2026,mot,a\n", "Dòng 2"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_bad_statements_refused_whole(db, data, message):
    with pytest.raises(StatementError, match=message):
        parse_statement(data)
    assert not BankTransaction.objects.exists()


def test_operator_screen_and_import_page(admin_client, shop_order):
    assert admin_client.get("/quan-tri/payments/banktransaction/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "sao-ke.csv",
        f"transaction_id,date,amount,description\nFT9,24/11/2026,{shop_order.total},{shop_order.code}\n".encode(),
    )
    response = admin_client.post("/quan-tri/payments/banktransaction/nhap-sao-ke/", {"statement": upload})
    assert response.status_code == 302
    page = admin_client.get("/quan-tri/payments/ledgerentry/").content.decode()
    assert "Tổng (hub nợ gian hàng theo bộ lọc): 344750" in page  # less 5,250 ₫ tax withheld (1 % + 0.5 %)


HEADER = "transaction_id,date,amount,description\n"


@pytest.mark.parametrize(
    "row, message",
    [
        ("X,24/11/2026,9223372036854775808,a", "vượt quá 999.999.999.999.999 đồng"),  # 2**63: once a 500
        ("X,24/11/2026," + "9" * 5000 + ",a", "vượt quá"),
        ("X,24/11/2026,²³,a", "không hợp lệ"),  # Unicode digits: str.isdigit() yet int() refuses them
        ("X,24/11/2026,+-5,a", "không hợp lệ"),
        ("T" * 256 + ",24/11/2026,1000,a", "dài quá 255 ký tự"),
        ("X,24/11/2026,1000," + "x" * 200_000, "Không đọc được CSV"),  # over the csv module's field limit
        ("X,24/11/2026,1000,a\x00b", "NUL"),
    ],
)
def test_statement_bounds_refused_with_a_message(db, row, message):
    with pytest.raises(StatementError, match=message):
        parse_statement((HEADER + row + "\n").encode())


def test_statement_ids_are_kept_whole(db):
    stem = "FT" + "1" * 70
    transfers = parse_statement(f"{HEADER}{stem}A,24/11/2026,1000,a\n{stem}B,24/11/2026,1000,b\n".encode())
    assert [t.transaction_id for t in transfers] == [stem + "A", stem + "B"]
    assert import_statement(f"{HEADER}{stem}A,24/11/2026,1000,a\n{stem}B,24/11/2026,1000,b\n".encode()).new == 2
