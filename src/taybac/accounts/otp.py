"""One-time sign-in codes, sent by SMS through the outbox (core/outbox.py) and TAYBAC_SMS_SENDER, the one sender of
every text message (the demo's writes the code to the log). The first try is made within the request, so the code
arrives at once; if it fails, the outbox retries until the code expires.

Limits (settings, "count/minutes" in the environment; docs/security.md): codes per phone number, per client
network (an IPv4 address or an IPv6 /64) and for the whole hub, so a script cannot buy thousands of SMS or
spread a guessing lottery over many numbers; wrong codes per code and per network bound guessing. They are
windowed counts over database rows, so every server process shares them without a cache server.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from taybac.accounts.models import OneTimeCode, SignInEvent
from taybac.core import outbox
from taybac.core.errors import DomainError
from taybac.core.senders import phone_for_log

logger = logging.getLogger("taybac.accounts.otp")
# Events older than this (or than the longest configured window) are pruned.
KEEP_EVENTS = timedelta(days=1)
_EVENT_LIMITS = ("TAYBAC_OTP_LIMIT_ADDRESS", "TAYBAC_OTP_LIMIT_GLOBAL", "TAYBAC_OTP_WRONG_LIMIT_ADDRESS")
# PostgreSQL advisory lock that makes count-then-insert exact across processes (SQLite's IMMEDIATE
# transactions already serialise writers).
_PG_LOCK_KEY = 0x7461796261630001


class OtpError(DomainError):
    """A code that cannot be accepted; the message is for the user."""


class RateLimited(OtpError):
    """A sign-in limit was reached; `retry_after` is the number of seconds until a slot frees up."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rate:
    """At most `count` events in any `minutes`-long window; a count of 0 switches the limit off."""

    count: int
    minutes: int

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.minutes)


def _rate(name: str) -> Rate:
    """A limit from settings, where it is a `(count, minutes)` pair."""
    count, minutes = getattr(settings, name)
    return Rate(count=count, minutes=minutes)


def code_text(code: str) -> str:
    """The SMS: GSM-7, one segment, the code first so that phones can offer to fill it in."""
    minutes = max(1, settings.TAYBAC_OTP_TTL_SECONDS // 60)
    return f"{code} la ma dang nhap Tay Bac Hub, het han sau {minutes} phut. Dung dua ma nay cho ai."


def _retry_after(times: QuerySet, *, rate: Rate, now: datetime) -> int | None:
    """Seconds until the window holds fewer than `rate.count` events (None: below the limit now).

    The count-th newest event in the window is the one whose expiry frees the next slot.
    """
    if rate.count <= 0:
        return None
    nth = list(
        times.filter(created_at__gte=now - rate.window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[rate.count - 1 : rate.count]
    )
    if not nth:
        return None
    return max(1, math.ceil((nth[0] + rate.window - now).total_seconds()))


def _refuse(template: str, seconds: int) -> RateLimited:
    minutes = max(1, math.ceil(seconds / 60))
    return RateLimited(template.format(minutes=minutes), retry_after=seconds)


def _lock_counts() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def issue_code(*, phone: str, network: str) -> None:
    """Create a 6-digit code for an E.164 phone asked for from `network` and send it after commit.

    Refused with RateLimited (nothing is sent) when the phone, the network or the whole hub is over its limit.
    """
    now = timezone.now()
    with transaction.atomic():
        _lock_counts()
        sent = SignInEvent.objects.filter(kind=SignInEvent.Kind.CODE_SENT)
        checks = (
            (
                "TAYBAC_OTP_LIMIT_PHONE",
                OneTimeCode.objects.filter(phone=phone),
                "Bạn đã yêu cầu quá nhiều mã cho số này, vui lòng thử lại sau {minutes} phút.",
            ),
            (
                "TAYBAC_OTP_LIMIT_ADDRESS",
                sent.filter(network=network),
                "Quá nhiều yêu cầu mã từ mạng này, vui lòng thử lại sau {minutes} phút.",
            ),
            (
                "TAYBAC_OTP_LIMIT_GLOBAL",
                sent,
                "Hệ thống đang nhận quá nhiều yêu cầu mã, vui lòng thử lại sau {minutes} phút.",
            ),
        )
        for limit, times, message in checks:
            seconds = _retry_after(times, rate=_rate(limit), now=now)
            if seconds is not None:
                logger.warning("Sign-in code for %s from %s refused by %s", phone_for_log(phone), network, limit)
                raise _refuse(message, seconds)
        code = f"{secrets.randbelow(1_000_000):06d}"
        expires_at = now + timedelta(seconds=settings.TAYBAC_OTP_TTL_SECONDS)
        OneTimeCode.objects.create(phone=phone, code_hash=make_password(code), expires_at=expires_at)
        # Stored with the code (erased once sent), so a failed first try is retried until the code expires.
        [held] = outbox.enqueue(
            [outbox.sms(phone=phone, text=code_text(code))], sensitive=True, expires_at=expires_at, hand_off=False
        )
        keep = max([KEEP_EVENTS, *(_rate(name).window for name in _EVENT_LIMITS)])
        SignInEvent.objects.filter(created_at__lt=now - keep).delete()
        SignInEvent.objects.create(kind=SignInEvent.Kind.CODE_SENT, network=network, phone=phone, created_at=now)
    outbox.send_held(held)


def check_code(*, phone: str, code: str, network: str) -> None:
    """Accept the newest unused, unexpired code for the phone; each wrong try counts, per code and per network.

    The failed-attempt counters are committed before the error is raised: raising inside the
    atomic block would roll them back and allow unlimited guesses.
    """
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        seconds = _retry_after(
            SignInEvent.objects.filter(kind=SignInEvent.Kind.WRONG_CODE, network=network),
            rate=_rate("TAYBAC_OTP_WRONG_LIMIT_ADDRESS"),
            now=now,
        )
        if seconds is not None:
            logger.warning(
                "Code check for %s from %s refused by TAYBAC_OTP_WRONG_LIMIT_ADDRESS", phone_for_log(phone), network
            )
            raise _refuse("Nhập sai mã quá nhiều lần từ mạng này, vui lòng thử lại sau {minutes} phút.", seconds)
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if otp is None:
            problem = "Mã đã hết hạn hoặc chưa được gửi. Vui lòng yêu cầu mã mới."
        elif otp.attempts >= settings.TAYBAC_OTP_ATTEMPTS_PER_CODE:
            problem = "Nhập sai quá nhiều lần. Vui lòng yêu cầu mã mới."
        elif not (code.isdigit() and len(code) == 6 and check_password(code, otp.code_hash)):
            otp.attempts += 1
            otp.save(update_fields=["attempts"])
            SignInEvent.objects.create(kind=SignInEvent.Kind.WRONG_CODE, network=network, phone=phone, created_at=now)
            problem = "Mã không đúng."
        else:
            otp.used_at = now
            otp.save(update_fields=["used_at"])
            problem = ""
    if problem:
        raise OtpError(problem)
