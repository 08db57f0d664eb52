"""`taybac capture_key create | list | revoke`: partners' EPCIS capture keys from the command line.

    taybac capture_key create --name "HTX Chè Suối Giàng – phần mềm kho" --producer 12 [--producer 13]
    taybac capture_key create --name "Hệ thống nội bộ" --all-producers
    taybac capture_key list
    taybac capture_key revoke 4

The token is printed once (stdout, alone on its line, so it can be piped); only its hash is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taybac.accounts.models import Producer, User
from taybac.core.errors import DomainError
from taybac.traceability import capture_keys
from taybac.traceability.models import CaptureKey


class Command(BaseCommand):
    help = "Create, list or revoke partners' EPCIS capture keys (shown once, stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new key for a partner, for the given producers")
        create.add_argument("--name", required=True, help="the partner, as trace pages will name it")
        create.add_argument(
            "--producer",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="a producer the partner records for (repeat for several)",
        )
        create.add_argument(
            "--all-producers", action="store_true", help="no producer limit (the hub's own systems only)"
        )
        create.add_argument("--by", metavar="USERNAME", help="the operator creating it, for the audit trail")
        sub.add_parser("list", help="every key: id, name, lookup, scope, last use, revoked")
        revoke = sub.add_parser("revoke", help="revoke a key for good")
        revoke.add_argument("id", type=int)
        revoke.add_argument("--by", metavar="USERNAME", help="the operator revoking it, for the audit trail")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _operator(self, username: str | None) -> User | None:
        if username is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        ids = options["producer"]
        if not ids and not options["all_producers"]:
            raise CommandError("Give --producer ID (one or more), or --all-producers for an unlimited key.")
        producers = list(Producer.objects.filter(pk__in=ids))
        unknown = sorted(set(ids) - {p.pk for p in producers})
        if unknown:
            raise CommandError(f"No producer with id {', '.join(map(str, unknown))}.")
        new = capture_keys.create(
            name=options["name"],
            producers=producers,
            all_producers=options["all_producers"],
            created_by=self._operator(options["by"]),
        )
        scope = "all producers" if new.key.all_producers else ", ".join(p.name for p in producers)
        self.stderr.write(f"Key {new.key.pk} for {new.key.name} ({scope}). Copy it now: it is not shown again.")
        self.stdout.write(new.token)

    def _list(self, options: dict[str, Any]) -> None:
        for key in CaptureKey.objects.prefetch_related("producers").order_by("pk"):
            scope = "all producers" if key.all_producers else ", ".join(str(p.pk) for p in key.producers.all()) or "-"
            used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
            state = f"revoked {key.revoked_at.isoformat(timespec='seconds')}" if key.revoked_at else "active"
            self.stdout.write(f"{key.pk}\ttbk_{key.lookup}\t{key.name}\tproducers: {scope}\tlast used: {used}\t{state}")

    def _revoke(self, options: dict[str, Any]) -> None:
        key = CaptureKey.objects.filter(pk=options["id"]).first()
        if key is None:
            raise CommandError(f"No capture key {options['id']}.")
        key = capture_keys.revoke(key=key, revoked_by=self._operator(options["by"]))
        assert key.revoked_at is not None  # revoke() sets it (or keeps the earlier revocation)
        self.stdout.write(f"Key {key.pk} ({key.name}) revoked at {key.revoked_at.isoformat(timespec='seconds')}.")
