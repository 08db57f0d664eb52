"""`taybac worker`: run the background jobs (Huey's consumer) until Ctrl+C / SIGTERM; docs/jobs.md."""

from __future__ import annotations

from huey.contrib.djhuey.management.commands.run_huey import Command as HueyCommand

from taybac.core.jobs import prepare_storage


class Command(HueyCommand):
    help = (
        "Run the background jobs: send the outbox, expire unpaid reservations and the other periodic jobs. "
        "Options are Huey's consumer options: --workers N, --worker-type thread|process, --no-periodic "
        "(for every worker but one, when several run)."
    )

    def handle(self, *args, **options) -> None:
        prepare_storage()
        super().handle(*args, **options)
