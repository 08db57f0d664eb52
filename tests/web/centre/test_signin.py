import pytest

from taybac.accounts.models import User

pytestmark = pytest.mark.django_db


def test_phone_then_code_signs_in_and_creates_account(client, otp_outbox):
    response = client.post("/dang-nhap/", {"phone": "0912 345 678"})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/ma/"
    assert "0912 345 678" in client.get("/dang-nhap/ma/").content.decode()
    ((phone, code),) = otp_outbox
    assert phone == "+84912345678"
    response = client.post("/dang-nhap/ma/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/don-mua/"  # no shop: a buyer
    user = User.objects.get(phone="+84912345678")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/ban-hang/")["Location"] == "/ban-hang/dang-ky/"  # no shop yet


@pytest.mark.parametrize(
    "phone, message",
    [
        ("01231234567", "không hợp lệ"),
        ("0123456789", "không hợp lệ"),
        ("", "bắt buộc"),
        ("+84 24 3825 1234", "di động"),
    ],
)
def test_bad_phones_refused_in_vietnamese(client, otp_outbox, phone, message):
    response = client.post("/dang-nhap/", {"phone": phone})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert otp_outbox == []


def test_wrong_code_then_lockout(client, otp_outbox):
    client.post("/dang-nhap/", {"phone": "0912345678"})
    good = otp_outbox[0][1]
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        assert "Mã không đúng" in client.post("/dang-nhap/ma/", {"code": wrong}).content.decode()
    response = client.post("/dang-nhap/ma/", {"code": good})
    assert response.status_code == 400 and "quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_code_page_without_phone_goes_back(client):
    assert client.get("/dang-nhap/ma/")["Location"] == "/dang-nhap/"


def test_next_is_honoured_only_when_safe(client, otp_outbox):
    client.get("/dang-nhap/?next=/ban-hang/uy-quyen/")
    client.post("/dang-nhap/", {"phone": "0912345678"})
    assert client.post("/dang-nhap/ma/", {"code": otp_outbox[-1][1]})["Location"] == "/ban-hang/uy-quyen/"
    client.post("/dang-xuat/")
    client.get("/dang-nhap/?next=https://evil.example/")
    client.post("/dang-nhap/", {"phone": "0912345678"})
    assert client.post("/dang-nhap/ma/", {"code": otp_outbox[-1][1]})["Location"] == "/don-mua/"


def test_sign_out_is_post_only(client, world):
    client.force_login(world["helper"])
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_demo_note_shown_with_log_sender(client):
    assert "nhật ký (log)" in client.get("/dang-nhap/").content.decode()
