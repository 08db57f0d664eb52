"""Quality of the live-chat order reader: precision and recall of parse_order_comment over a labelled set.

    .venv/bin/python bench/chat_orders_eval.py [--comments tests/core/data/order_comments.csv] [--show]

Each row of the set is a comment as buyers write them in a live session (with and without diacritics, chat
spellings, phone numbers in every format) and what the producer should get from it: the codes, quantities and units
in order ("A1|M2", "2|1", "hũ|hộp"), the phone in E.164, or no codes when the comment is no order (a question, a
compliment, a cancellation, an ambiguous order). The session sells SESSION_CODES. Rows are in two sets: `dev`, the
comments the parser was tuned on, and `heldout`, written after the parser and measured before any change made for
them (the honest figure; a row moves to `dev` once the parser is changed because of it). Figures, per set:

- precision: comments read as orders that are read exactly right (every line and the phone), over all comments
  read as orders: a wrong draft order costs the producer a call to the buyer;
- recall: orders read exactly right over all labelled orders: a missed order is left to the producer to type in;
- phone accuracy: orders whose phone is read right, over labelled orders read as orders.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taybac.core.chat_orders import OrderComment, OrderLine, parse_order_comment  # noqa: E402
from taybac.core.chat_text import UNITS  # noqa: E402

SESSION_CODES = ("A1", "A2", "A3", "M1", "M2", "CHE1", "CHE2", "G1", "TC1")


@dataclass(frozen=True)
class Report:
    comments: int
    orders: int  # labelled orders
    read_as_orders: int
    exact: int  # read as orders and exactly right
    phones_right: int
    phones_read: int  # labelled orders read as orders (the base of phone accuracy)
    seconds_per_comment: float
    wrong: tuple[tuple[str, OrderComment | None, OrderComment | None], ...]  # comment, expected, got

    @property
    def precision(self) -> float:
        return self.exact / self.read_as_orders if self.read_as_orders else 1.0

    @property
    def recall(self) -> float:
        return self.exact / self.orders if self.orders else 1.0


def expected_of(row: dict[str, str]) -> OrderComment | None:
    """The labelled order of a CSV row, in the parser's own shape."""
    if not row["codes"]:
        return None
    lines = []
    for code, qty, unit_name in zip(row["codes"].split("|"), row["quantities"].split("|"), row["units"].split("|")):
        unit = next((u for u in UNITS if u.name == unit_name), None)
        kg = Decimal(qty) * unit.kg if unit and unit.kg is not None else None
        lines.append(OrderLine(code, Decimal(qty), unit_name or None, kg))
    return OrderComment(lines=tuple(lines), phone=row["phone"] or None)


def load(path: Path) -> dict[str, list[dict[str, str]]]:
    """The labelled rows by set ("dev", "heldout")."""
    sets: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sets.setdefault(row["set"], []).append(row)
    return sets


def evaluate(rows: list[dict[str, str]]) -> Report:
    wrong = []
    orders = read = exact = phones_right = phones_read = 0
    started = time.perf_counter()
    for row in rows:
        expected = expected_of(row)
        got = parse_order_comment(row["comment"], SESSION_CODES)
        orders += expected is not None
        read += got is not None
        if got is not None and got == expected:
            exact += 1
        if expected is not None and got is not None:
            phones_read += 1
            phones_right += got.phone == expected.phone
        if got != expected:
            wrong.append((row["comment"], expected, got))
    elapsed = time.perf_counter() - started
    return Report(len(rows), orders, read, exact, phones_right, phones_read, elapsed / max(len(rows), 1), tuple(wrong))


def _describe(comment: OrderComment | None) -> str:
    if comment is None:
        return "không phải đơn"
    lines = ", ".join(f"{line.code} × {line.quantity}{' ' + line.unit if line.unit else ''}" for line in comment.lines)
    return lines + (f" — {comment.phone}" if comment.phone else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--comments", default=str(ROOT / "tests/core/data/order_comments.csv"))
    parser.add_argument("--show", action="store_true", help="print every comment read wrong")
    args = parser.parse_args(argv)
    sets = load(Path(args.comments))
    if len(sets) > 1:
        sets["all"] = [row for rows in sets.values() for row in rows]
    reports = {name: evaluate(rows) for name, rows in sets.items()}
    print(f"{'':20}" + "".join(f"{name:>10}" for name in reports))
    figures = [
        ("comments", lambda r: str(r.comments)),
        ("labelled orders", lambda r: str(r.orders)),
        ("read as orders", lambda r: str(r.read_as_orders)),
        ("precision", lambda r: f"{r.precision:.3f}"),
        ("recall", lambda r: f"{r.recall:.3f}"),
        ("phone right", lambda r: f"{r.phones_right}/{r.phones_read}"),
        ("µs per comment", lambda r: f"{r.seconds_per_comment * 1e6:.0f}"),
    ]
    for label, figure in figures:
        print(f"{label:20}" + "".join(f"{figure(r):>10}" for r in reports.values()))
    if args.show:
        for text, expected, got in reports["all" if "all" in reports else next(iter(reports))].wrong:
            print(f"  {text!r}\n      expected {_describe(expected)}\n      got      {_describe(got)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
