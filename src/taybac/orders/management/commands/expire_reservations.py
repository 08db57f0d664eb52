"""`taybac expire_reservations`: cancel unpaid transfer orders whose hold ran out, now. The worker does the same
every minute (orders/tasks.py); this command is for a one-off run or a set-up without a worker."""

from django.core.management.base import BaseCommand

from taybac.orders.services import expire_reservations


class Command(BaseCommand):
    help = "Cancel unpaid VietQR shop orders past their reservation time and return their stock."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{expire_reservations()} shop order(s) expired.")
