"""One-time sign-in codes. Delivery is an interface; the default writes the code to the log (demo)."""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from taybac.accounts.models import OneTimeCode
from taybac.core.errors import DomainError

logger = logging.getLogger("taybac.accounts.otp")
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 5


class OtpSender(Protocol):
    def send(self, *, phone: str, code: str) -> None: ...


class LogOtpSender:
    """Demo delivery: the code appears in the server log instead of an SMS."""

    def send(self, *, phone: str, code: str) -> None:
        logger.warning("Mã đăng nhập cho %s: %s", phone, code)


class OtpError(DomainError):
    """A code that cannot be accepted; the message is for the user."""


def get_sender() -> OtpSender:
    return import_string(settings.TAYBAC_OTP_SENDER)()


def issue_code(*, phone: str, sender: OtpSender | None = None) -> None:
    """Create a 6-digit code for an E.164 phone and send it (after the transaction commits)."""
    now = timezone.now()
    with transaction.atomic():
        recent = OneTimeCode.objects.filter(phone=phone, created_at__gte=now - timedelta(hours=1)).count()
        if recent >= MAX_CODES_PER_HOUR:
            raise OtpError("Bạn đã yêu cầu quá nhiều mã. Vui lòng thử lại sau một giờ.")
        code = f"{secrets.randbelow(1_000_000):06d}"
        OneTimeCode.objects.create(
            phone=phone, code_hash=make_password(code),
            expires_at=now + timedelta(seconds=settings.TAYBAC_OTP_TTL_SECONDS),
        )
    (sender or get_sender()).send(phone=phone, code=code)


def check_code(*, phone: str, code: str) -> None:
    """Accept the newest unused, unexpired code for the phone; each wrong try counts.

    The failed-attempt counter is committed before the error is raised: raising inside the
    atomic block would roll the counter back and allow unlimited guesses.
    """
    code = (code or "").strip()
    with transaction.atomic():
        otp = (OneTimeCode.objects.select_for_update()
               .filter(phone=phone, used_at__isnull=True, expires_at__gt=timezone.now())
               .order_by("-created_at").first())
        if otp is None:
            problem = "Mã đã hết hạn hoặc chưa được gửi. Vui lòng yêu cầu mã mới."
        elif otp.attempts >= MAX_ATTEMPTS:
            problem = "Nhập sai quá nhiều lần. Vui lòng yêu cầu mã mới."
        elif not (code.isdigit() and len(code) == 6 and check_password(code, otp.code_hash)):
            otp.attempts += 1
            otp.save(update_fields=["attempts"])
            problem = "Mã không đúng."
        else:
            otp.used_at = timezone.now()
            otp.save(update_fields=["used_at"])
            problem = ""
    if problem:
        raise OtpError(problem)
