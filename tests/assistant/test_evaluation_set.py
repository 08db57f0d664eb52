"""The labelled message set (tests/assistant/data/messages.csv: dev, heldout and fresh rows) and the bar it sets:
bench/assistant_eval.py reports the figures; this keeps them from sliding back (intents ≥ 90 % on each set, none
of whose rows the classifier ever trained on)."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from taybac.assistant.classifier import INTENTS, read_examples
from taybac.assistant.understanding import understand
from taybac.core.text import fold

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "messages.csv").open(encoding="utf-8", newline="")))


def test_the_set_is_large_labelled_and_apart_from_the_training_file():
    assert len(ROWS) >= 150 and {r["set"] for r in ROWS} == {"dev", "heldout", "fresh"}
    assert {r["intent"] for r in ROWS} == set(INTENTS)
    trained = {fold(text) for text, _ in read_examples()}
    assert not [r["text"] for r in ROWS if fold(r["text"]) in trained]  # never trained on


@pytest.mark.parametrize("part", ["dev", "heldout", "fresh"])
def test_intent_accuracy_is_at_least_90_percent(part):
    rows = [r for r in ROWS if r["set"] == part]
    right = sum(understand(r["text"]).intent == r["intent"] for r in rows)
    assert right / len(rows) >= 0.9


def test_phones_order_codes_and_quantities_are_read_exactly():
    for row in ROWS:
        slots = understand(row["text"]).slots
        if row["phone"]:
            assert slots.phone == row["phone"], row["text"]
        if row["order_code"]:
            assert slots.order_code == row["order_code"], row["text"]
        if row["quantity"]:
            assert (slots.quantity, slots.unit) == (Decimal(row["quantity"]), row["unit"]), row["text"]
