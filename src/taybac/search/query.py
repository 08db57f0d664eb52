"""From typed text to a query plan: folded words, typo correction against the vocabulary, prefixes.

A plan is a list of term groups that must all match (AND). Each group lists the forms a typed word may
take in the index (OR): the word itself, the word as a prefix (last word only: the buyer is still
typing), or, when the word is not in the index at all, the indexed words one typo away from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from taybac.core.text import fold_words
from taybac.search.models import MAX_TERM_LENGTH, SearchTerm

MAX_QUERY_WORDS = 10  # words past the tenth are ignored (a pasted title, not a search)
MIN_TYPO_TERM_LENGTH = 5  # only indexed words of 5+ letters are reached with one typo
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ORDERED = "0123456789" + _ALPHABET  # the order of term characters in every collation we meet


@dataclass(frozen=True)
class Alternative:
    word: str
    prefix: bool = False


@dataclass(frozen=True)
class TermGroup:
    """One typed word and the indexed forms that satisfy it; no alternatives = nothing can match."""

    typed: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class QueryPlan:
    words: tuple[str, ...]
    groups: tuple[TermGroup, ...]

    @property
    def impossible(self) -> bool:
        return any(not group.alternatives for group in self.groups)

    @property
    def phrase(self) -> tuple[Alternative, ...] | None:
        """The typed words in order, when there are several and none needed a typo alternative: a name that
        holds them as a phrase ("mật ong bạc hà ...") outranks one that only holds them all ("mật ong ong
        nội Bắc Hà"), typed with or without diacritics."""
        if len(self.groups) < 2 or any(len(group.alternatives) != 1 for group in self.groups):
            return None
        return tuple(group.alternatives[0] for group in self.groups)

    @property
    def corrections(self) -> dict[str, list[str]]:
        """Typed words that were replaced by typo correction, with what they became."""
        return {
            g.typed: [a.word for a in g.alternatives]
            for g in self.groups
            if g.alternatives and all(not a.prefix and a.word != g.typed for a in g.alternatives)
        }


def query_words(text: str) -> list[str]:
    """Folded words of the query, at most MAX_QUERY_WORDS, each cut to the longest indexable term."""
    return [w[:MAX_TERM_LENGTH] for w in fold_words(text)[:MAX_QUERY_WORDS]]


def edits1(word: str) -> set[str]:
    """Words one edit away (a letter deleted, inserted, replaced, or two neighbours swapped) that are
    long enough to be typo targets."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    candidates = deletes | swaps | replaces | inserts
    candidates.discard(word)
    return {c for c in candidates if len(c) >= MIN_TYPO_TERM_LENGTH}


def typo_eligible(word: str) -> bool:
    """Letters only (numbers and sizes must match exactly) and long enough to be one typo away from
    a 5-letter word ("tuyt" -> "tuyet")."""
    return word.isalpha() and len(word) >= MIN_TYPO_TERM_LENGTH - 1


def _successor(prefix: str) -> str | None:
    """Smallest string after every string that starts with `prefix` (None: no upper bound)."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        pos = _ORDERED.find(last)
        if 0 <= pos < len(_ORDERED) - 1:
            return "".join(chars) + _ORDERED[pos + 1]
    return None


def _prefix_q(prefix: str) -> Q:
    """A range on the primary key instead of LIKE so both databases use their index."""
    q = Q(term__gte=prefix)
    upper = _successor(prefix)
    return q & Q(term__lt=upper) if upper else q


def plan_query(words: list[str], *, prefix_last: bool = True) -> QueryPlan:
    """Resolve each word against the vocabulary: at most two small indexed lookups, none for short words."""
    if not words:
        return QueryPlan(words=(), groups=())
    last = len(words) - 1
    checked = {i for i, w in enumerate(words) if len(w) >= MIN_TYPO_TERM_LENGTH - 1}
    known: set[str] = set()
    if checked:
        q = Q(term__in=[w for i, w in enumerate(words) if i in checked and not (prefix_last and i == last)])
        if prefix_last and last in checked:
            q |= _prefix_q(words[last])
        known = set(SearchTerm.objects.filter(q).values_list("term", flat=True))

    def present(i: int) -> bool:
        word = words[i]
        if prefix_last and i == last:
            return any(t.startswith(word) for t in known)
        return word in known

    missing = [i for i in checked if not present(i) and typo_eligible(words[i])]
    near: dict[int, set[str]] = {i: edits1(words[i]) for i in missing}
    found: set[str] = set()
    if missing:
        wanted = sorted(set().union(*near.values()))
        found = set(SearchTerm.objects.filter(term__in=wanted).values_list("term", flat=True))

    groups = []
    for i, word in enumerate(words):
        if i in missing:
            alternatives = tuple(Alternative(t) for t in sorted(near[i] & found))
        elif i in checked and not present(i):
            alternatives = ()
        else:
            alternatives = (Alternative(word, prefix=prefix_last and i == last),)
        groups.append(TermGroup(typed=word, alternatives=alternatives))
    return QueryPlan(words=tuple(words), groups=tuple(groups))
