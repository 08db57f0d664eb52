"""Synonyms at query time: operator-edited `Synonym` rows as a table from a folded phrase to its equivalents.

Why at query time: an edit applies to every product at once with no reindexing (rewriting 100 000 index entries
for one new word would be the alternative), and the index stays the products' own words, which keeps ranking
honest (a product is not "about" tea twice because it says chè). The table is loaded once per process and kept
SYNONYM_TTL seconds; saving or deleting a synonym drops it in the process that did it at once.
"""

from __future__ import annotations

import threading
import time

from taybac.core.text import fold_words

SYNONYM_TTL = 30.0  # seconds another process may keep an edited table
MAX_SYNONYM_WORDS = 4
MAX_PHRASES = 10

Phrase = tuple[str, ...]
SynonymTable = dict[Phrase, tuple[Phrase, ...]]

_lock = threading.Lock()
_cached: tuple[float, SynonymTable] | None = None


def phrases_of(terms: str) -> list[Phrase]:
    """Folded phrases of a comma-separated list, duplicates (after folding) dropped: "Trà, chè, tra" ->
    [("tra",), ("che",)]."""
    found: list[Phrase] = []
    for part in terms.split(","):
        phrase = tuple(fold_words(part))
        if phrase and phrase not in found:
            found.append(phrase)
    return found


def build_table(groups: list[str]) -> SynonymTable:
    """Each phrase of a group maps to the other phrases of its group (and of any other group it is in)."""
    table: dict[Phrase, list[Phrase]] = {}
    for terms in groups:
        phrases = [p for p in phrases_of(terms) if len(p) <= MAX_SYNONYM_WORDS][:MAX_PHRASES]
        for phrase in phrases:
            others = table.setdefault(phrase, [])
            others.extend(p for p in phrases if p != phrase and p not in others)
    return {phrase: tuple(others) for phrase, others in table.items() if others}


def synonym_table() -> SynonymTable:
    """The active synonyms (one query when the process's copy is missing or older than SYNONYM_TTL)."""
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < SYNONYM_TTL:
            return _cached[1]
    from taybac.search.models import Synonym

    table = build_table(list(Synonym.objects.filter(is_active=True).values_list("terms", flat=True)))
    with _lock:
        _cached = (time.monotonic(), table)
    return table


def invalidate(**_: object) -> None:
    """Forget the loaded table (connected to Synonym's post_save and post_delete)."""
    global _cached
    with _lock:
        _cached = None
