"""Sign-in code limits per client network and for the whole hub (the attack: 12 numbers from one address all got
codes), wrong codes per network, and limits that are configurable and sized for carrier-grade NAT."""

from datetime import timedelta

import pytest
from django.utils import timezone

from taybac.accounts import otp
from taybac.accounts.models import OneTimeCode, SignInEvent

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


def phone(i: int) -> str:
    return f"+849120{i:05d}"


def ask(client, i: int, address: str = "203.0.113.7"):
    return client.post("/dang-nhap/", {"phone": "0" + phone(i)[3:]}, REMOTE_ADDR=address)


def test_default_limits_are_sized_for_carrier_grade_nat(settings):
    """A whole town behind one mobile-network address must still sign in; the hub-wide cap bounds the SMS bill."""
    assert settings.TAYBAC_OTP_LIMIT_ADDRESS == (30, 10)
    assert settings.TAYBAC_OTP_LIMIT_GLOBAL == (300, 10)
    assert settings.TAYBAC_OTP_LIMIT_PHONE == (5, 60)
    assert settings.TAYBAC_OTP_WRONG_LIMIT_ADDRESS == (60, 10)


def test_many_numbers_from_one_address_stop_at_the_default_limit(outbox):
    for i in range(30):
        otp.issue_code(phone=phone(i), network="203.0.113.7")
    with pytest.raises(otp.RateLimited, match="Quá nhiều yêu cầu mã từ mạng này, vui lòng thử lại sau 10 phút"):
        otp.issue_code(phone=phone(30), network="203.0.113.7")
    otp.issue_code(phone=phone(30), network="198.51.100.20")  # another network is not affected
    assert len(outbox) == 31 and OneTimeCode.objects.count() == 31


def test_per_address_limit_on_the_page(client, outbox, settings):
    settings.TAYBAC_OTP_LIMIT_ADDRESS = (3, 10)
    for i in range(3):
        assert ask(client, i).status_code == 302
    response = ask(client, 3)
    page = response.content.decode()
    assert response.status_code == 429 and "Quá nhiều yêu cầu mã từ mạng này, vui lòng thử lại sau 10 phút" in page
    assert 590 <= int(response["Retry-After"]) <= 600
    assert len(outbox) == 3
    assert ask(client, 3, address="198.51.100.20").status_code == 302


def test_global_limit_across_addresses(client, outbox, settings):
    settings.TAYBAC_OTP_LIMIT_GLOBAL = (4, 10)
    for i in range(4):
        assert ask(client, i, address=f"198.51.100.{i + 1}").status_code == 302
    response = ask(client, 9, address="192.0.2.50")
    assert response.status_code == 429
    assert "Hệ thống đang nhận quá nhiều yêu cầu mã, vui lòng thử lại sau" in response.content.decode()
    assert len(outbox) == 4


def test_window_slides_and_the_wait_is_told_in_minutes(outbox, settings):
    settings.TAYBAC_OTP_LIMIT_ADDRESS = (2, 10)
    for i in range(2):
        otp.issue_code(phone=phone(i), network="203.0.113.7")
    now = timezone.now()
    SignInEvent.objects.filter(phone=phone(0)).update(created_at=now - timedelta(minutes=7))
    SignInEvent.objects.filter(phone=phone(1)).update(created_at=now - timedelta(minutes=4))
    with pytest.raises(otp.RateLimited) as refused:
        otp.issue_code(phone=phone(2), network="203.0.113.7")
    assert 170 <= refused.value.retry_after <= 180  # the older one leaves the window in 3 minutes
    assert "sau 3 phút" in refused.value.message
    SignInEvent.objects.filter(phone=phone(0)).update(created_at=now - timedelta(minutes=11))
    otp.issue_code(phone=phone(2), network="203.0.113.7")


def test_per_phone_limit_is_configurable(outbox, settings):
    settings.TAYBAC_OTP_LIMIT_PHONE = (2, 30)
    otp.issue_code(phone=phone(1), network="a")
    otp.issue_code(phone=phone(1), network="b")
    with pytest.raises(otp.RateLimited, match="cho số này, vui lòng thử lại sau 30 phút"):
        otp.issue_code(phone=phone(1), network="c")


def test_a_count_of_zero_switches_a_limit_off(outbox, settings):
    settings.TAYBAC_OTP_LIMIT_ADDRESS = (0, 10)
    for i in range(35):
        otp.issue_code(phone=phone(i), network="203.0.113.7")
    assert len(outbox) == 35


def test_ipv6_addresses_of_one_subscriber_count_together(client, outbox, settings):
    """A phone owns a whole /64 and can pick any address in it."""
    settings.TAYBAC_OTP_LIMIT_ADDRESS = (2, 10)
    assert ask(client, 1, address="2001:db8:aa:1::1").status_code == 302
    assert ask(client, 2, address="2001:db8:aa:1:ffff::9").status_code == 302
    assert ask(client, 3, address="2001:db8:aa:1:1234::5").status_code == 429
    assert ask(client, 3, address="2001:db8:aa:2::1").status_code == 302  # the neighbour's /64


def test_wrong_codes_are_bounded_per_network(outbox, settings):
    settings.TAYBAC_OTP_WRONG_LIMIT_ADDRESS = (3, 10)
    for i in range(4):
        otp.issue_code(phone=phone(i), network=f"192.0.2.{i}")
    codes = dict(outbox)
    for i in range(3):  # one guess at each of three numbers: under the per-code limit, over the network's
        wrong = "000000" if codes[phone(i)] != "000000" else "111111"
        with pytest.raises(otp.OtpError, match="Mã không đúng"):
            otp.check_code(phone=phone(i), code=wrong, network="203.0.113.7")
    with pytest.raises(otp.RateLimited, match="Nhập sai mã quá nhiều lần từ mạng này"):
        otp.check_code(phone=phone(3), code=codes[phone(3)], network="203.0.113.7")
    assert OneTimeCode.objects.get(phone=phone(3)).used_at is None  # the refused try did not touch the code
    otp.check_code(phone=phone(3), code=codes[phone(3)], network="198.51.100.20")


def test_wrong_codes_limit_on_the_code_page(client, outbox, settings):
    settings.TAYBAC_OTP_WRONG_LIMIT_ADDRESS = (2, 10)
    assert ask(client, 1).status_code == 302
    wrong = "000000" if outbox[0][1] != "000000" else "111111"
    for _ in range(2):
        assert client.post("/dang-nhap/ma/", {"code": wrong}, REMOTE_ADDR="203.0.113.7").status_code == 400
    response = client.post("/dang-nhap/ma/", {"code": outbox[0][1]}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and "Nhập sai mã quá nhiều lần từ mạng này" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_old_events_are_pruned(outbox):
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.CODE_SENT, network="x", phone=phone(1), created_at=timezone.now() - timedelta(days=2)
    )
    otp.issue_code(phone=phone(2), network="y")
    assert list(SignInEvent.objects.values_list("network", flat=True)) == ["y"]


@pytest.mark.parametrize("raw", ["30", "a/10", "30/0", "-1/10", "30/10/2"])
def test_limit_settings_are_checked(monkeypatch, raw):
    from taybac.settings import _env_rate

    monkeypatch.setenv("TAYBAC_OTP_LIMIT_ADDRESS", raw)
    with pytest.raises(ValueError, match="TAYBAC_OTP_LIMIT_ADDRESS"):
        _env_rate("TAYBAC_OTP_LIMIT_ADDRESS", "30/10")


def test_limit_settings_read_the_environment(monkeypatch):
    from taybac.settings import _env_rate

    monkeypatch.setenv("TAYBAC_OTP_LIMIT_GLOBAL", " 1000/60")
    assert _env_rate("TAYBAC_OTP_LIMIT_GLOBAL", "300/10") == (1000, 60)


def test_a_window_longer_than_a_day_keeps_its_events(outbox, settings):
    settings.TAYBAC_OTP_LIMIT_GLOBAL = (2, 3 * 24 * 60)
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.CODE_SENT, network="x", phone=phone(1), created_at=timezone.now() - timedelta(days=2)
    )
    otp.issue_code(phone=phone(2), network="y")  # prunes, but not inside the three-day window
    assert SignInEvent.objects.count() == 2
    with pytest.raises(otp.RateLimited, match="Hệ thống"):
        otp.issue_code(phone=phone(3), network="z")
