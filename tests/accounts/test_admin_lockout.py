"""The operators' password login at /quan-tri/ (django-axes): a username is locked from one address after N
failures, for the cool-off time, with a Vietnamese page; the same operator still signs in from elsewhere, and
`taybac axes_reset` lifts the lock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from taybac import cli
from taybac.accounts.models import Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "Dung-mat-khau-2025"
LOGIN = "/quan-tri/login/?next=/quan-tri/"


@pytest.fixture
def operator(db):
    return User.objects.create_user(
        username="vanhanh", password=PASSWORD, is_staff=True, is_superuser=True, role=Role.OPERATOR
    )


def attempt(client, password: str, address: str):
    return client.post(LOGIN, {"username": "vanhanh", "password": password}, REMOTE_ADDR=address)


def test_lockout_after_failures_then_right_password_refused_from_that_address(client, operator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "doan-bua", "198.51.100.1").status_code == 200  # the form again
    locked = attempt(client, "doan-bua", "198.51.100.1")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page and "thử lại sau 15 phút" in page
    assert attempt(client, PASSWORD, "198.51.100.1").status_code == 429  # even the right password
    assert "_auth_user_id" not in client.session


def test_operator_still_signs_in_from_another_address(client, operator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "doan-bua", "198.51.100.1")
    response = attempt(client, PASSWORD, "203.0.113.50")
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert int(client.session["_auth_user_id"]) == operator.pk


def test_lock_ends_after_the_cool_off(client, operator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "doan-bua", "198.51.100.1")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert attempt(client, PASSWORD, "198.51.100.1").status_code == 302


def test_taybac_axes_reset_lifts_the_lock(client, operator, settings, capsys, monkeypatch):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "doan-bua", "198.51.100.1")
    assert attempt(client, PASSWORD, "198.51.100.1").status_code == 429
    # A command run from the shell closes the database connection when it ends; here that would end the test's
    # transaction, so only that last step is skipped.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    cli.main(["axes_reset"])
    assert "1 attempts removed" in capsys.readouterr().out
    assert attempt(client, PASSWORD, "198.51.100.1").status_code == 302


def test_failure_limit_is_configurable(client, operator, settings):
    settings.AXES_FAILURE_LIMIT = 2
    attempt(client, "doan-bua", "198.51.100.1")
    assert attempt(client, "doan-bua", "198.51.100.1").status_code == 429
