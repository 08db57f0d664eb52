"""The sign-in pages as a person uses them: phone number, the code from the SMS, signed in; and every way it
can go wrong, in Vietnamese. Codes are captured by a real SmsSender defined here instead of the demo log."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from taybac.accounts.models import OneTimeCode, User
from taybac.core.models import AuditEntry
from tests.factories import make_shop

pytestmark = pytest.mark.django_db


class Outbox:
    """An SmsSender that keeps the sign-in codes it would have sent."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        Outbox.sent.append((phone, text.split()[0]))  # the SMS starts with the code


@pytest.fixture
def outbox(settings):
    Outbox.sent = []
    settings.TAYBAC_SMS_SENDER = f"{__name__}.Outbox"
    return Outbox.sent


def ask_code(client, phone: str = "0912 345 678"):
    return client.post("/dang-nhap/", {"phone": phone})


def test_sign_in_from_a_protected_page_lands_back_on_it(client, outbox):
    assert client.get("/ban-hang/uy-quyen/")["Location"] == "/dang-nhap/?next=/ban-hang/uy-quyen/"
    client.get("/dang-nhap/?next=/ban-hang/uy-quyen/")
    assert ask_code(client)["Location"] == "/dang-nhap/ma/"
    ((phone, code),) = outbox
    assert phone == "+84912345678" and len(code) == 6 and code.isdigit()
    response = client.post("/dang-nhap/ma/", {"code": f"{code[:3]} {code[3:]}"})  # as an SMS app shows it
    assert response["Location"] == "/ban-hang/uy-quyen/"
    user = User.objects.get(phone="+84912345678")
    assert client.session["_auth_user_id"] == str(user.pk) and user.role == "buyer"
    assert AuditEntry.objects.filter(actor=user, action="account.created").count() == 1
    assert client.get("/dang-nhap/ma/")["Location"] == "/dang-nhap/"  # step 2 is over
    page = client.get("/").content.decode()
    header = page.split("</header>")[0]
    assert 'href="/don-mua/"' in header and 'action="/dang-xuat/"' in header  # the buyer's links and sign-out
    assert 'href="/ban-hang/"' not in header and 'href="/ban-hang/"' in page  # selling: in the footer until a shop


def test_pasted_code_with_separators_is_not_cut_by_the_browser(client, outbox):
    ask_code(client)
    page = client.get("/dang-nhap/ma/").content.decode()
    assert 'maxlength="12"' in page and 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page


@pytest.mark.parametrize("phone", ["01689123456", "0168 912 3456", "+84 1689 123 456"])
def test_old_eleven_digit_numbers_are_refused(client, outbox, phone):
    response = ask_code(client, phone)
    assert response.status_code == 400
    page = response.content.decode()
    assert "không hợp lệ" in page and f'value="{phone}"' in page  # kept for correcting
    assert outbox == []


def test_expired_code_is_refused_with_a_way_forward(client, outbox):
    ask_code(client)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/dang-nhap/ma/", {"code": outbox[0][1]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "hết hạn" in page and "Gửi lại mã" in page
    assert "_auth_user_id" not in client.session


def test_a_code_is_used_once(client, outbox):
    ask_code(client)
    used = outbox[0][1]
    assert client.post("/dang-nhap/ma/", {"code": used}).status_code == 302
    client.post("/dang-xuat/")
    ask_code(client)
    if outbox[1][1] != used:  # one chance in a million that the new code repeats the old one
        response = client.post("/dang-nhap/ma/", {"code": used})
        assert response.status_code == 400 and "Mã không đúng" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_code_belongs_to_the_phone_it_was_sent_to(client, outbox):
    ask_code(client, "0912345678")
    ask_code(client, "0987654321")  # changed their mind: the session now holds the second number
    first_code = outbox[0][1]
    second_code = outbox[1][1]
    if first_code != second_code:
        assert client.post("/dang-nhap/ma/", {"code": first_code}).status_code == 400
    assert client.post("/dang-nhap/ma/", {"code": second_code}).status_code == 302
    assert User.objects.get(pk=client.session["_auth_user_id"]).phone == "+84987654321"


def test_too_many_codes_requested(client, outbox):
    for _ in range(5):
        assert ask_code(client).status_code == 302
    response = ask_code(client)
    assert response.status_code == 429 and "quá nhiều mã cho số này" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600
    assert len(outbox) == 5


def test_wrong_code_format_is_explained(client, outbox):
    ask_code(client)
    for typed in ("12345", "1234567", "abcdef"):
        response = client.post("/dang-nhap/ma/", {"code": typed})
        assert response.status_code == 400
        assert ("6 chữ số" in response.content.decode()) or ("Mã không đúng" in response.content.decode())


def test_demo_note_only_when_codes_go_to_the_log(client, settings):
    settings.TAYBAC_SMS_SENDER = "taybac.core.senders.LogSmsSender"
    assert "nhật ký (log)" in client.get("/dang-nhap/").content.decode()
    settings.TAYBAC_SMS_SENDER = f"{__name__}.Outbox"
    assert "nhật ký (log)" not in client.get("/dang-nhap/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http://testserver.evil.example/"]
)
def test_unsafe_next_is_ignored(client, outbox, target):
    client.get("/dang-nhap/", {"next": target})
    ask_code(client)
    assert client.post("/dang-nhap/ma/", {"code": outbox[-1][1]})["Location"] == "/don-mua/"


def test_a_phone_without_a_shop_lands_on_its_orders_and_a_seller_in_the_seller_centre(client, outbox):
    ask_code(client)
    assert client.post("/dang-nhap/ma/", {"code": outbox[-1][1]})["Location"] == "/don-mua/"
    assert client.get("/don-mua/").status_code == 200
    client.post("/dang-xuat/")
    seller = make_shop(name="HTX Chè Suối Giàng").producer.owner
    ask_code(client, seller.phone)
    assert client.post("/dang-nhap/ma/", {"code": outbox[-1][1]})["Location"] == "/ban-hang/"
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'href="/ban-hang/"' in header and 'href="/dia-chi/"' in header


def test_a_safe_next_is_honoured(client, outbox):
    client.get("/dang-nhap/", {"next": "/dia-chi/?x=1"})
    ask_code(client)
    assert client.post("/dang-nhap/ma/", {"code": outbox[-1][1]})["Location"] == "/dia-chi/?x=1"


def test_sign_in_pages_query_counts(client, outbox, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/dang-nhap/").status_code == 200
    # the code, plus the limits: per phone, per network, hub-wide (one query each), pruning and recording; its
    # SMS stored in the outbox and, once sent, marked so; on PostgreSQL one more, the advisory lock that makes
    # count-then-insert exact
    with django_assert_max_num_queries(14 + (connection.vendor == "postgresql")):
        ask_code(client)
    # first sign-in creates the account (user, audit entry) and rotates the session, savepoints included; the
    # wrong-codes-per-network check, and django-axes clearing the address's password failures on any sign-in
    with django_assert_max_num_queries(27):  # and whether they run a shop (where to land)
        assert client.post("/dang-nhap/ma/", {"code": outbox[0][1]}).status_code == 302
