"""Quality of the buyer assistant: intent accuracy, slot accuracy and factual accuracy on the demo catalogue.

    .venv/bin/python bench/assistant_eval.py [--messages tests/assistant/data/messages.csv] [--keep DIR] [--show]

Intents and slots: each row of the set is a buyer message as buyers type it (with and without diacritics, chat
spellings, numbers in words) with its intent and the slots it carries (product words, quantity, unit, phone, order
code, payment method, 2025 province). The classifier never trains on this file (it trains on
src/taybac/assistant/data/intents.csv). Rows are in two sets: `dev`, which the rules were looked at against, and
`heldout`, measured once before any change made because of them (the honest figure).

Slot accuracy: labelled slots read exactly right over labelled slots; "spurious" counts slots read where the label
has none (a quantity in "1 phút", a province in a product name).

Facts: the demo catalogue (taybac.demo, deterministic) is loaded into a temporary SQLite database, every message of
the set and four questions per demo product (price, stock, season, OCOP) go through the assistant, and every price,
stock figure, season and certificate number in the replies is checked against the database. A `₫` amount no rule
recognises counts as wrong: nothing may slip through unchecked.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", default=str(ROOT / "tests/assistant/data/messages.csv"))
    parser.add_argument("--dialogues", default=str(ROOT / "tests/assistant/data/order_dialogues.json"))
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the demo database in DIR")
    parser.add_argument("--show", action="store_true", help="print every wrong intent, slot and fact")
    parser.add_argument("--no-facts", action="store_true", help="intents and slots only (no demo database)")
    parser.add_argument("--orders-only", action="store_true", help="only the scripted order dialogues")
    return parser.parse_args(argv)


ARGS = parse_args()
TMP = Path(ARGS.keep).resolve() if ARGS.keep else Path(tempfile.mkdtemp(prefix="taybac-assistant-"))
TMP.mkdir(parents=True, exist_ok=True)
os.environ["TAYBAC_DATA_DIR"] = str(TMP)
os.environ["TAYBAC_DATABASE_URL"] = f"sqlite:///{TMP / 'demo.sqlite3'}"
os.environ.setdefault("TAYBAC_LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "taybac.settings"
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from taybac.assistant import services  # noqa: E402
from taybac.assistant.understanding import understand  # noqa: E402
from taybac.catalog.models import Product  # noqa: E402
from taybac.catalog.seasons import describe_months  # noqa: E402
from taybac.core.jobs import HUEY  # noqa: E402
from taybac.core.text import fold  # noqa: E402
from taybac.orders.models import Order  # noqa: E402
from taybac.search.backends import tantivy_index  # noqa: E402
from taybac.search.indexing import rebuild_index  # noqa: E402

SLOTS = ("product", "quantity", "unit", "phone", "order_code", "payment", "province_code")


def read_rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def slot_values(text: str) -> dict[str, str]:
    s = understand(text).slots
    return {
        "product": " ".join(s.product_words),
        "quantity": "" if s.quantity is None else str(s.quantity.normalize()),
        "unit": s.unit,
        "phone": s.phone,
        "order_code": s.order_code,
        "payment": s.payment,
        "province_code": "" if s.province_code is None else str(s.province_code),
    }


def understanding_report(rows: list[dict[str, str]]) -> None:
    for part in (*dict.fromkeys(r["set"] for r in rows), "all"):
        chosen = [r for r in rows if part in ("all", r["set"])]
        right = labelled = spurious = 0
        hits = 0
        started = time.perf_counter()
        for row in chosen:
            got = understand(row["text"]).intent
            hits += got == row["intent"]
            if got != row["intent"] and ARGS.show and part != "all":
                print(f"  intent [{part}] {row['text']!r}: {row['intent']} → {got}")
            values = slot_values(row["text"])
            for slot in SLOTS:
                want = row[slot] if slot != "quantity" or not row[slot] else str(Decimal(row[slot]).normalize())
                if want:
                    labelled += 1
                    right += values[slot] == want
                    if values[slot] != want and ARGS.show and part != "all":
                        print(f"  slot [{part}] {row['text']!r}: {slot} {want!r} → {values[slot]!r}")
                elif values[slot] and slot != "product":
                    spurious += 1
        per = (time.perf_counter() - started) / max(1, len(chosen)) * 1000
        print(
            f"{part:8} {len(chosen):4} messages  intents {hits / len(chosen):.1%}  "
            f"slots {right}/{labelled} = {right / max(1, labelled):.1%} (spurious {spurious})  {per:.1f} ms/message"
        )


def load_demo() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if not Product.objects.exists():
        from taybac.demo.loader import load_demo_data

        HUEY.immediate = True
        load_demo_data()
    rebuild_index(queue=False)
    tantivy_index.write(None)
    services.PER_MINUTE = services.PER_DAY = services.CONVERSATIONS_PER_DAY = 10**9  # one client sends them all


PRICE = re.compile(r"(\d{1,3}(?:\.\d{3})*) ₫")
CARD_LINE = re.compile(r"^• (?P<product>.+?): từ (?P<price>[\d.]+) ₫ \(/san-pham/(?P<id>\d+)-")
SEASON = re.compile(r"^(?P<product>.+?): mùa vụ (?P<months>.+?) \(hiện")
OCOP = re.compile(r"^(?P<product>.+?): OCOP (?P<stars>\d) sao \(giấy chứng nhận số (?P<number>.+?),")


def _amount(text: str) -> int:
    return int(text.replace(".", ""))


def check_reply(text: str, products: list[Product]) -> tuple[int, list[str]]:
    """(facts checked, wrong ones) in one reply, against the products the reply names (and their variants)."""
    by_name = {p.name: p for p in products}
    checked, wrong = 0, []
    for line in text.splitlines():
        amounts = PRICE.findall(line)
        card = CARD_LINE.match(line)
        if card:
            product = Product.objects.get(pk=int(card["id"]))
            prices = product.variants.filter(is_active=True).values_list("price", flat=True)
            checked += 1
            if product.name != card["product"] or _amount(card["price"]) != min(prices):
                wrong.append(line)
            continue
        named = next((p for name, p in by_name.items() if line.startswith(f"• {name} – ")), None)
        if named is not None:  # "• product – variant: price, stock": names may hold " – " themselves
            head = f"• {named.name} – "
            variant = next(
                (v for v in named.variants.filter(is_active=True) if line.startswith(f"{head}{v.name}: ")), None
            )
            rest = line[len(head) + len(variant.name) + 2 :] if variant else ""
            if variant is None:
                checked, wrong = checked + 1, [*wrong, line]
                continue
            total = re.match(r"(\d+) × ([\d.]+) ₫ = ([\d.]+) ₫", rest)
            if total:
                checked += 1
                n, price, line_total = int(total[1]), _amount(total[2]), _amount(total[3])
                if price != variant.price or line_total != n * variant.price:
                    wrong.append(line)
            elif amounts:
                checked += 1
                if _amount(amounts[0]) != variant.price:
                    wrong.append(line)
            stock = re.search(r"còn (\d+) ", rest)
            if stock:
                checked += 1
                if int(stock[1]) != variant.available:
                    wrong.append(line)
            elif "hết hàng" in rest:
                checked += 1
                if variant.available > 0:
                    wrong.append(line)
            continue
        season = SEASON.match(line)
        if season and season["product"] in by_name:
            checked += 1
            if describe_months(by_name[season["product"]].season_months) != season["months"]:
                wrong.append(line)
            continue
        ocop = OCOP.match(line)
        if ocop and ocop["product"] in by_name:
            checked += 1
            cert = getattr(by_name[ocop["product"]], "ocop", None)
            if cert is None or cert.stars != int(ocop["stars"]) or cert.number != ocop["number"]:
                wrong.append(line)
            continue
        if amounts and not line.startswith("Giao "):  # shipping fees are quoted by the carriers, not stored
            checked, wrong = checked + 1, [*wrong, f"unchecked amount: {line}"]
    return checked, wrong


def facts_report(rows: list[dict[str, str]]) -> None:
    load_demo()
    products = list(Product.objects.filter(is_active=True, shop__is_active=True))
    questions = [r["text"] for r in rows]
    for product in products:
        questions += [
            f"{product.name} giá bao nhiêu",
            f"{fold(product.name)} con hang ko",
            f"{product.name} mùa nào có",
            f"{product.name} có ocop không",
        ]
    checked = replies_with_facts = 0
    wrong: list[str] = []
    started = time.perf_counter()
    today = timezone.localdate()
    for i, text in enumerate(questions):
        answer = services.handle_message(client="bench", conversation=f"q{i}", text=text)
        named = [Product.objects.select_related("ocop").get(pk=p.pk) for p in answer.reply.products]
        n, bad = check_reply(answer.reply.text, named)
        checked += n
        replies_with_facts += n > 0
        wrong += [f"{text!r}: {line}" for line in bad]
    per = (time.perf_counter() - started) / len(questions) * 1000
    print(
        f"facts    {len(questions)} questions on {len(products)} demo products ({today}): {replies_with_facts} replies "
        f"state facts; {checked - len(wrong)}/{checked} facts match the database = "
        f"{(checked - len(wrong)) / max(1, checked):.1%}  {per:.0f} ms/message"
    )
    for line in wrong[:20] if ARGS.show or wrong else []:
        print("  wrong:", line)


def dialogues_report(path: str) -> None:
    """Scripted order dialogues on the demo catalogue: the share that ends with an order placed by the site's
    checkout, one order per dialogue. Rolled back afterwards, so the demo stock stays as it was."""
    dialogues = json.loads(Path(path).read_text(encoding="utf-8"))
    completed = 0
    with transaction.atomic():
        for n, dialogue in enumerate(dialogues):
            before = Order.objects.count()
            for text in dialogue:
                reply = services.handle_message(client="bench-orders", conversation=f"d{n}", text=text).reply
            if reply.order and Order.objects.count() == before + 1:
                completed += 1
            elif ARGS.show:
                print(f"  dialogue {n} not completed: last reply {reply.text[:120]!r}")
        transaction.set_rollback(True)
    share = completed / len(dialogues)
    print(f"orders   {completed}/{len(dialogues)} scripted dialogues completed end to end = {share:.0%}")


def main() -> None:
    rows = read_rows(ARGS.messages)
    if ARGS.orders_only:
        load_demo()
        dialogues_report(ARGS.dialogues)
        return
    print(f"intents by set: {dict(Counter(r['intent'] for r in rows))}")
    understanding_report(rows)
    if not ARGS.no_facts:
        facts_report(rows)
        dialogues_report(ARGS.dialogues)


if __name__ == "__main__":
    main()
