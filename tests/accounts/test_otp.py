import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from taybac.accounts import otp
from taybac.accounts.models import OneTimeCode, User
from taybac.accounts.services import sign_in_with_code


class CapturingSender:
    """A real SmsSender that keeps the sign-in codes it would have sent."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        CapturingSender.sent.append((phone, text.split()[0]))  # the SMS starts with the code


@pytest.fixture
def sender(settings) -> type[CapturingSender]:
    CapturingSender.sent = []
    settings.TAYBAC_SMS_SENDER = f"{__name__}.CapturingSender"
    return CapturingSender


PHONE = "+84912345678"
NET = "203.0.113.7"


def test_code_signs_in_and_creates_buyer_once(db, sender):
    otp.issue_code(phone=PHONE, network=NET)
    ((_, code),) = sender.sent
    user = sign_in_with_code(phone=PHONE, code=code, network=NET)
    assert user.phone == PHONE and user.role == "buyer" and not user.has_usable_password()
    with pytest.raises(otp.OtpError):  # a code is single-use
        sign_in_with_code(phone=PHONE, code=code, network=NET)
    otp.issue_code(phone=PHONE, network=NET)
    assert sign_in_with_code(phone=PHONE, code=sender.sent[-1][1], network=NET).pk == user.pk
    assert User.objects.filter(phone=PHONE).count() == 1


def test_only_hash_is_stored(db, sender):
    otp.issue_code(phone=PHONE, network=NET)
    stored = OneTimeCode.objects.get()
    assert sender.sent[0][1] not in stored.code_hash
    assert stored.code_hash.startswith("argon2")


def test_wrong_code_counts_attempts_then_locks(db, sender):
    otp.issue_code(phone=PHONE, network=NET)
    good = sender.sent[0][1]
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(settings.TAYBAC_OTP_ATTEMPTS_PER_CODE):
        with pytest.raises(otp.OtpError, match="không đúng"):
            otp.check_code(phone=PHONE, code=wrong, network=NET)
    with pytest.raises(otp.OtpError, match="quá nhiều"):
        otp.check_code(phone=PHONE, code=good, network=NET)


def test_expired_code_refused(db, sender):
    otp.issue_code(phone=PHONE, network=NET)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(otp.OtpError, match="hết hạn"):
        otp.check_code(phone=PHONE, code=sender.sent[0][1], network=NET)


def test_rate_limit_per_phone(db, sender):
    for _ in range(settings.TAYBAC_OTP_LIMIT_PHONE[0]):
        otp.issue_code(phone=PHONE, network=NET)
    with pytest.raises(otp.OtpError, match="quá nhiều mã cho số này"):
        otp.issue_code(phone=PHONE, network=NET)


@pytest.mark.parametrize("junk", ["", "12345", "abcdef", "1234567", None])
def test_malformed_codes_refused(db, sender, junk):
    otp.issue_code(phone=PHONE, network=NET)
    with pytest.raises(otp.OtpError):
        otp.check_code(phone=PHONE, code=junk, network=NET)


def test_default_sender_writes_code_to_log(db, caplog, settings):
    """The number is masked in the log outside `taybac demo` (core.senders.phone_for_log), whole in the demo."""
    otp.issue_code(phone=PHONE, network=NET)
    lines = [r.getMessage() for r in caplog.records if re.search(r": \d{6} la ma dang nhap", r.getMessage())]
    assert lines and all(PHONE not in line and "+84 91* *** 678" in line for line in lines)
    settings.TAYBAC_DEMO = True
    caplog.clear()
    otp.issue_code(phone=PHONE, network=NET)
    assert any(PHONE in r.getMessage() and re.search(r": \d{6} la ma", r.getMessage()) for r in caplog.records)


def test_code_sms_is_one_gsm7_segment_that_starts_with_the_code(db, sender):
    from taybac.core.sms import is_gsm7, segments

    otp.issue_code(phone=PHONE, network=NET)
    text = otp.code_text(sender.sent[0][1])
    assert text.startswith(sender.sent[0][1]) and is_gsm7(text) and segments(text) == 1


def test_a_failed_first_try_is_retried_until_the_code_expires(db, settings):
    """The gateway is down when the code is asked for: the outbox retries it, but never after it expired."""
    from taybac.core import outbox
    from taybac.core.models import OutboxMessage
    from tests.core.test_outbox import FlakySender

    FlakySender.failures, FlakySender.tries, FlakySender.delivered = 1, [], []
    FlakySender.error = ConnectionError
    settings.TAYBAC_SMS_SENDER = "tests.core.test_outbox.FlakySender"
    otp.issue_code(phone=PHONE, network=NET)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.sensitive) == ("pending", 1, True)
    assert outbox.deliver_due(now=message.next_attempt_at) == 1
    assert FlakySender.delivered[0][0] == PHONE
    FlakySender.failures, FlakySender.tries = 1, []
    otp.issue_code(phone=PHONE, network=NET)
    late = OutboxMessage.objects.filter(status="pending").get()
    assert outbox.deliver_due(now=late.expires_at + timedelta(seconds=1)) == 0
    late.refresh_from_db()
    assert late.status == "failed" and len(FlakySender.tries) == 1
