"""`taybac tax sellers --quarter 2026-Q3 --output FILE.csv`: the quarterly seller-information report for the tax
authority (compliance/seller_report.py, docs/compliance.md "Seller identity"). Exit 0 with a one-line summary;
2 with a clear message when the quarter is not valid or the file cannot be written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taybac.compliance import seller_report
from taybac.core.errors import DomainError


class Command(BaseCommand):
    help = "Tax files. `tax sellers`: the quarterly seller-information report (CSV) for the tax authority."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sellers = actions.add_parser(
            "sellers",
            help="the quarter's seller-information report: identity, address, shop URL and revenue of every seller",
            description="Columns: " + ",".join(seller_report.COLUMNS) + ". The file holds clear identity numbers: "
            "keep it where only the operator's accountant can read it.",
        )
        sellers.add_argument("--quarter", required=True, help="YYYY-Qn, for example 2026-Q3")
        sellers.add_argument("--output", required=True, type=Path, help="where to write the CSV")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "sellers":
            self._sellers(str(options["quarter"]), Path(str(options["output"])))

    def _sellers(self, quarter_text: str, output: Path) -> None:
        try:
            quarter = seller_report.parse_quarter(quarter_text)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        text = seller_report.report_csv(quarter=quarter, actor=None)
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}", returncode=2) from None
        output.chmod(0o600)  # clear identity numbers: readable by the operator's account only
        sellers = text.count("\n") - 1
        self.stdout.write(f"{quarter.label}: {sellers} người bán → {output}")
