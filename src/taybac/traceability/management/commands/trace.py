"""`taybac trace verify [<lot-url-or-bundle.json>]`: check the transparency log; exit 0 only if everything holds
(1: a problem was found, 2: an option that cannot work in this mode, or names a file that does not exist).

Without an argument it checks this hub's own database (taybac.traceability.selfcheck); with a lot URL
`https://<hub>/01/<gtin14>/10/<lot>` or a saved bundle file it runs the standalone verifier, as a third party
would (taybac-verify, the standalone package in verifier/). Both remember the newest checkpoint they verified
(--state, --no-state).
"""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandParser

from taybac.traceability import selfcheck
from taybac_verify import verifier


class Command(BaseCommand):
    help = "Transparency log tools. `trace verify`: check this hub's log, or a lot URL / saved bundle file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify",
            help="check the log: this hub's database (no argument), a lot URL or a bundle file",
            description="Without TARGET: check every event, stored hash and signed checkpoint in this hub's "
            "database. With TARGET: verify a lot's bundle as an independent verifier would.",
        )
        verify.add_argument(
            "target",
            nargs="?",
            help="a lot URL https://<hub>/01/<gtin14>/10/<lot>, or a bundle "
            "JSON file saved from /log/bundle/<gtin14>/<lot>",
        )
        verifier.add_arguments(verify)

    def handle(self, *args, **options) -> None:
        namespace = argparse.Namespace(
            **{
                name: options.get(name)
                for name in (
                    "target",
                    "key",
                    "previous_checkpoint",
                    "witness_key",
                    "consistency_proof",
                    "save_checkpoint",
                    "state",
                    "no_state",
                    "scan_log",
                )
            }
        )
        if options["target"]:
            status = verifier.run(namespace, out=self.stdout)
        else:
            status = selfcheck.run(namespace, out=self.stdout)
        if status:
            raise SystemExit(status)
