"""Shared fixtures. The database is whatever TAYBAC_DATABASE_URL names (SQLite by default, PostgreSQL in CI)."""

from __future__ import annotations

import pytest

from tests import factories


def pytest_configure(config) -> None:
    """The SQLite test database is a file under the data directory, which a fresh clone does not have yet."""
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Pages link the source static files, as on a checkout where nothing is collected, even while a demo using the
    # same data directory has collected hashed ones (core/staticfiles.py; the live server finds sources only).
    settings.STATIC_ROOT = settings.DATA_DIR / "static-tests-uncollected"


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_inline():
    """A job runs inside the test that queues it (Huey's immediate mode, in memory), so a message stored by an
    order is sent when the order's on-commit callbacks run; tests/core/test_jobs.py drives the real store."""
    from taybac.core.jobs import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos written by a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _log_files_in_tmp(settings, tmp_path, monkeypatch):
    """Like its database, each test has its own log key, its record of the newest signed checkpoint and its
    verifiers' remembered state (otherwise the next test's empty log would look like a rollback)."""
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.delenv("TAYBAC_VERIFY_STATE", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def shop(db):
    return factories.make_shop(name="Hợp tác xã Chè Shan tuyết Suối Giàng", province_code=15)


@pytest.fixture
def product(shop):
    return factories.make_product(shop=shop)
