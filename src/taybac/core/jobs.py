"""The job runner: Huey (docs/jobs.md). Jobs and periodic jobs are declared in each app's `tasks.py` with
`db_task` / `db_periodic_task` and a `crontab`; `taybac worker` runs them, `taybac demo` runs them in a thread.

The store follows the database (settings.HUEY): a SQLite file beside the embedded database, the same PostgreSQL
database (LISTEN/NOTIFY, SKIP LOCKED: several workers) or Redis (TAYBAC_JOBS_URL). Jobs carry ids, never
objects; what must not be lost (a message to send) is a row in the hub's own database first, so a lost job only
delays it until the next periodic sweep.
"""

from __future__ import annotations

import logging

from django.utils.module_loading import autodiscover_modules
from huey import crontab
from huey.api import Huey
from huey.consumer import Consumer
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

logger = logging.getLogger("taybac.core.jobs")

__all__ = ["HUEY", "BackgroundWorker", "crontab", "db_periodic_task", "db_task", "load_tasks", "prepare_storage"]


def load_tasks() -> None:
    """Import every app's `tasks` module, so the worker knows every job and periodic job."""
    autodiscover_modules("tasks")


def prepare_storage(huey: Huey = HUEY) -> None:
    """Create the job store's tables if they are missing (idempotent; SQL stores only)."""
    create = getattr(huey.storage, "initialize_schema", None)
    if create is not None and not huey.immediate:
        create()


class BackgroundWorker:
    """The worker inside another process (`taybac demo`): Huey's scheduler and worker threads, without the
    signal handlers of a stand-alone consumer, stopped with the process."""

    def __init__(self, huey: Huey = HUEY, *, workers: int = 1) -> None:
        load_tasks()
        prepare_storage(huey)
        self.consumer = Consumer(
            huey, workers=workers, periodic=True, worker_type="thread", check_worker_health=False, shutdown_timeout=10
        )
        self._started = False

    def start(self) -> None:
        self.consumer.scheduler.start()
        for _, thread in self.consumer.worker_threads:
            thread.start()
        self._started = True
        logger.info("Background jobs running in this process (%d worker)", len(self.consumer.worker_threads))

    def stop(self) -> None:
        """Let a running job finish (up to the shutdown timeout), then stop."""
        if self._started:
            self.consumer.stop(graceful=True)
            self._started = False

    @property
    def alive(self) -> bool:
        return any(t.is_alive() for _, t in self.consumer.worker_threads)
