"""`taybac tax sellers --quarter 2026-Q3 --output FILE.csv`: the quarterly seller-information report for the tax
authority (compliance/seller_report.py, docs/compliance.md "Seller identity"). Exit 0 with a one-line summary;
2 with a clear message when the quarter is not valid or the file cannot be written.

`taybac tax declaration --month 2026-11 --output FILE.csv`: the monthly declaration of tax withheld for household
sellers (compliance/declaration.py, docs/compliance.md "Declaration and statements"); exit codes the same."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taybac.compliance import declaration, seller_report
from taybac.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Tax files. `tax sellers`: the quarterly seller-information report (CSV) for the tax authority; "
        "`tax declaration`: the month's tax withheld for household sellers (CSV)."
    )

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
        monthly = actions.add_parser(
            "declaration",
            help="the month's declaration of VAT and PIT withheld for household sellers, one row per seller × kind",
            description="Columns: " + ",".join(declaration.COLUMNS) + ", then a TOTAL row (docs/compliance.md).",
        )
        monthly.add_argument("--month", required=True, help="YYYY-MM, for example 2026-11")
        monthly.add_argument("--output", required=True, type=Path, help="where to write the CSV")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "sellers":
            self._sellers(str(options["quarter"]), Path(str(options["output"])))
        if options["action"] == "declaration":
            self._declaration(str(options["month"]), Path(str(options["output"])))

    def _declaration(self, month: str, output: Path) -> None:
        try:
            report = declaration.declaration(month=month)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        try:
            output.write_text(declaration.to_csv(report=report), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}", returncode=2) from None
        output.chmod(0o600)  # identity numbers of the sellers: readable by the operator's account only
        self.stdout.write(
            f"{report.month}: {len(report.rows)} dòng, thuế GTGT {report.vat_withheld} đ, TNCN {report.pit_withheld} đ"
            f" (hạn nộp {report.due:%d/%m/%Y}) → {output}"
        )

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
