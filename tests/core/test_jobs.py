"""The job runner against its real store (a SQLite file, or the PostgreSQL test database in CI): periodic jobs run
on the schedule declared in code, with the scheduler's clock in the test's hands; `taybac worker` and the
demo's in-process worker take jobs from the store and run them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from huey.consumer import Scheduler, Worker
from huey.storage import PostgresStorage, SqliteStorage

from taybac.core import outbox
from taybac.core.jobs import HUEY, BackgroundWorker, load_tasks
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Status
from taybac.regions.services import create_address
from tests.factories import make_product

PHONE = "+84912345678"


@pytest.fixture
def job_store(tmp_path):
    """The configured kind of store, on a queue of its own: jobs really go through it (not immediate mode)."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    if issubclass(HUEY.storage_class, PostgresStorage):
        from psycopg.conninfo import make_conninfo

        db = connection.settings_dict
        dsn = make_conninfo(
            dbname=db["NAME"],
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
        )
        storage = PostgresStorage(name, dsn=dsn, create_tables=False)
    else:
        storage = SqliteStorage(name, filename=str(tmp_path / "jobs.sqlite3"), create_tables=False)
    storage.initialize_schema()
    load_tasks()
    HUEY.immediate = False
    HUEY.storage = storage
    yield storage
    storage.flush_all()
    storage.close()
    HUEY.immediate = True  # back to the in-memory store of every other test


def run_queue(now: datetime) -> list[str]:
    """One worker takes every queued job and runs it at the scheduler's time; returns the jobs' names."""
    names = [task.name for task in HUEY.pending()]
    worker = Worker(HUEY, threading.Event(), default_delay=0.01, max_delay=0.01, backoff=1)
    while HUEY.pending_count():
        worker.loop(now=now)
    return names


def test_unpaid_reservation_expires_on_schedule(transactional_db, job_store):
    variant = make_product(quantity=3).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 2)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.get()
    shop_order.__class__.objects.filter(pk=shop_order.pk).update(reserved_until=timezone.now() - timedelta(minutes=1))
    scheduler = Scheduler(HUEY, threading.Event(), interval=1, periodic=True)

    scheduler.enqueue_periodic_tasks(datetime(2026, 3, 1, 10, 30))  # the scheduler's tick at 10:30 (UTC)
    assert "expire_unpaid_reservations" in run_queue(datetime(2026, 3, 1, 10, 30))
    shop_order.refresh_from_db()
    variant.refresh_from_db()
    assert shop_order.status == Status.CANCELLED and variant.allocated == 0


def test_periodic_jobs_follow_their_crontab(db, job_store):
    scheduler = Scheduler(HUEY, threading.Event(), interval=1, periodic=True)
    scheduler.enqueue_periodic_tasks(datetime(2026, 3, 1, 10, 30))
    every_minute = {task.name for task in HUEY.pending()}
    assert {"expire_unpaid_reservations", "retry_due_messages"} <= every_minute
    assert "prune_sent_messages" not in every_minute
    HUEY.flush()
    scheduler.enqueue_periodic_tasks(datetime(2026, 3, 1, 3, 17))  # nightly
    assert "prune_sent_messages" in {task.name for task in HUEY.pending()}


def test_message_stored_by_a_commit_is_sent_by_the_worker(transactional_db, job_store, settings):
    settings.TAYBAC_SMS_SENDER = "tests.core.test_outbox.FlakySender"
    from tests.core.test_outbox import FlakySender

    FlakySender.failures, FlakySender.tries, FlakySender.delivered = 0, [], []
    [message] = outbox.enqueue([outbox.sms(phone=PHONE, text="Tay Bac Hub: thu nghiem")])  # autocommit
    assert FlakySender.tries == []  # queued, not sent by the request
    assert run_queue(datetime.utcnow()) == ["deliver_messages"]
    message.refresh_from_db()
    assert message.status == "sent" and FlakySender.delivered == [(PHONE, "Tay Bac Hub: thu nghiem")]


def test_the_demo_runs_jobs_in_threads_and_stops_them(transactional_db, job_store, settings):
    settings.TAYBAC_SMS_SENDER = "tests.core.test_outbox.FlakySender"
    from tests.core.test_outbox import FlakySender

    FlakySender.failures, FlakySender.tries, FlakySender.delivered = 0, [], []
    worker = BackgroundWorker()
    worker.start()
    try:
        [message] = outbox.enqueue([outbox.sms(phone=PHONE, text="Tay Bac Hub: thu nghiem")])
        deadline = time.monotonic() + 20
        while not FlakySender.delivered and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert FlakySender.delivered and not worker.alive
    message.refresh_from_db()
    assert message.status == "sent"


def _taybac(*args: str, env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "taybac.cli", *args], env=env, text=True, **kwargs)


def test_taybac_worker_starts_processes_a_job_and_stops_on_sigint(tmp_path):
    """The command as an operator runs it: its own database and job store (SQLite files), a message queued by
    another process, the LogSmsSender's line in the worker's log, a clean exit on Ctrl+C."""
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAYBAC_")}
    env.update(
        TAYBAC_DATA_DIR=str(data),
        TAYBAC_DATABASE_URL=f"sqlite:///{data / 'hub.sqlite3'}",
        TAYBAC_SMS_SENDER="taybac.core.senders.LogSmsSender",
    )
    assert _taybac("migrate", "-v", "0", env=env).wait(timeout=300) == 0
    log = open(tmp_path / "worker.log", "w+")
    worker = _taybac("worker", "--no-periodic", env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        enqueue = (
            "from taybac.core import outbox; "
            "outbox.enqueue([outbox.sms(phone='+84912345678', text='Tay Bac Hub: tu worker')])"
        )
        deadline = time.monotonic() + 60
        while "Huey consumer started" not in (tmp_path / "worker.log").read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _taybac("shell", "-c", enqueue, env=env).wait(timeout=120) == 0
        # outside `taybac demo` the log masks the number (core/senders.py)
        while (
            "INFO taybac.core.senders: SMS tới +84 91* *** 678: Tay Bac Hub: tu worker"
            not in (tmp_path / "worker.log").read_text()
        ):
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGINT)
        code = worker.wait(timeout=60)
        log.close()
    assert code == 0, (tmp_path / "worker.log").read_text()
    assert "deliver_messages" in (tmp_path / "worker.log").read_text()
    status = subprocess.run(
        [
            sys.executable,
            "-m",
            "taybac.cli",
            "shell",
            "-c",
            "from taybac.core.models import OutboxMessage; "
            "print(list(OutboxMessage.objects.values_list('status', flat=True)))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert status.stdout.strip().splitlines()[-1] == "['sent']", status.stderr
