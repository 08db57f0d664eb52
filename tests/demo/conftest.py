"""Load the demo data once per module inside a transaction that is rolled back afterwards.

Each test still runs in its own savepoint (the `db` fixture), so a test that changes data (revoking a
delegation, loading again) leaves the shared load untouched, and no other test module ever sees it.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import override_settings

from taybac.demo.loader import load_demo_data
from tests.factories import committed


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    data = tmp_path_factory.mktemp("demo-data")  # its own log key and signed-checkpoint record, like its database
    # A short synthetic history (demo/history.py): the full two years are loaded by the `taybac demo` tests.
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, DATA_DIR=data, TAYBAC_DEMO_HISTORY_WEEKS=8):
        with transaction.atomic():
            with committed():  # what `taybac demo` runs after each commit (search indexing)
                summary = load_demo_data()
            if connection.vendor == "postgresql":  # what autovacuum does once a load commits: row counts for the
                with connection.cursor() as cursor:  # planner, without which deletes over the load take minutes
                    cursor.execute("ANALYZE")
            yield {"summary": summary, "media": media}
            transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo
