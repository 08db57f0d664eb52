"""From typed text to a query plan: folded words, synonyms, keys typed without an input method, typos, prefixes.

A plan is a list of term groups that must all match (AND). Each group lists the forms a typed word (or a typed
phrase that has synonyms) may take in the index (OR): the word itself, the word as a prefix (last word only:
the buyer is still typing), a synonym, the word a Telex/VNI/repeated-key spelling stands for, or, when the
word is not in the index at all, the indexed words within its typo budget.

Typo budget, by the number of folded letters typed (Meilisearch's rule): 1–4 letters none, 5–8 one, 9 or more
two. A typo is a letter missing, extra, wrong, or two neighbours swapped. The last word may be half-typed, so
it matches words that *start* with something within its budget ("tam thatt" -> "that*"); for such prefix
typos and for two-typo words the first two letters must be right (as Meilisearch counts a wrong first letter
as two typos), which keeps the vocabulary lookup a small indexed range.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from taybac.core.text import fold_words
from taybac.search.keyboard import typed_forms
from taybac.search.models import MAX_TERM_LENGTH, SearchTerm
from taybac.search.synonyms import MAX_SYNONYM_WORDS, SynonymTable

MAX_QUERY_WORDS = 10  # words past the tenth are ignored (a pasted title, not a search)
ONE_TYPO_FROM = 5  # letters typed (folded) from which one typo is forgiven
TWO_TYPOS_FROM = 9  # ... and two
MIN_PREFIX_CHECK = 2  # a half-typed reading shorter than this is never looked up (a one-letter range is huge)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ORDERED = "0123456789" + _ALPHABET  # the order of term characters in every collation we meet


@dataclass(frozen=True)
class Alternative:
    """An indexed form: a word, or several words that must be adjacent in order (a synonym phrase)."""

    word: str
    prefix: bool = False

    @property
    def words(self) -> list[str]:
        return self.word.split(" ")


@dataclass(frozen=True)
class TermGroup:
    """One typed word (or phrase) and the indexed forms that satisfy it; no alternatives = nothing can match."""

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
        """The typed words in order, when there are several and each is searched as typed (a synonym may add
        forms; a corrected or decoded word is not as typed): a name that holds them as a phrase ("mật ong bạc
        hà ...") outranks one that only holds them all ("mật ong ong nội Bắc Hà")."""
        if len(self.groups) < 2 or any(
            not g.alternatives or g.alternatives[0].word != g.typed or " " in g.typed for g in self.groups
        ):
            return None
        return tuple(group.alternatives[0] for group in self.groups)

    @property
    def corrections(self) -> dict[str, list[str]]:
        """Typed words that were replaced (typo, Telex/VNI, repeated key), with what they became."""
        return {
            g.typed: [a.word for a in g.alternatives]
            for g in self.groups
            if g.alternatives and all(not a.word.startswith(g.typed) for a in g.alternatives)
        }


def query_words(text: str) -> list[str]:
    """Folded words of the query, at most MAX_QUERY_WORDS, each cut to the longest indexable term."""
    return [w[:MAX_TERM_LENGTH] for w in fold_words(text)[:MAX_QUERY_WORDS]]


def typo_budget(word: str) -> int:
    """Typos forgiven in a typed word: by its folded length; none for words with digits (sizes, "500g")."""
    if not word.isalpha():
        return 0
    return 2 if len(word) >= TWO_TYPOS_FROM else 1 if len(word) >= ONE_TYPO_FROM else 0


def edits1(word: str, *, min_length: int = 2) -> set[str]:
    """Words one edit away (a letter deleted, inserted, replaced, or two neighbours swapped)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    candidates = deletes | swaps | replaces | inserts
    candidates.discard(word)
    return {c for c in candidates if len(c) >= min_length}


def typo_eligible(word: str) -> bool:
    """Letters only (numbers and sizes must match exactly) and long enough for a typo budget."""
    return typo_budget(word) > 0


def distance_rows(typed: str, term: str, limit: int) -> list[int]:
    """Optimal-string-alignment distance between `typed` and each prefix of `term` (index = prefix length),
    stopping once every further prefix is more than `limit` away."""
    prev2: list[int] | None = None
    prev = list(range(len(typed) + 1))
    best = [prev[-1]]
    for i, tc in enumerate(term, start=1):
        row = [i] + [0] * len(typed)
        for j, kc in enumerate(typed, start=1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (tc != kc))
            if prev2 is not None and j > 1 and tc == typed[j - 2] and term[i - 2] == kc:
                row[j] = min(row[j], prev2[j - 2] + 1)
        best.append(row[-1])
        if min(row) > limit:
            break
        prev2, prev = prev, row
    return best


def near_prefixes(typed: str, terms: list[str], limit: int) -> list[str]:
    """The shortest prefixes of `terms` within `limit` typos of `typed`, none covering another."""
    found: set[str] = set()
    for term in terms:
        rows = distance_rows(typed, term, limit)
        for length in range(max(2, len(typed) - limit), len(rows)):
            if rows[length] <= limit:
                found.add(term[:length])
                break
    return sorted(p for p in found if not any(p != q and p.startswith(q) for q in found))


def near_words(typed: str, terms: list[str], limit: int) -> list[str]:
    return sorted(t for t in terms if abs(len(t) - len(typed)) <= limit and distance_rows(typed, t, limit)[-1] <= limit)


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


@dataclass
class _Word:
    typed: str
    prefix: bool
    forms: list[str]  # Telex / VNI / repeated-key readings, best first
    checked: bool  # looked up in the vocabulary (else taken as typed)


def _segments(words: list[str], synonyms: SynonymTable) -> list[tuple[int, int]]:
    """(start, end) spans of the words: the longest synonym phrase at each position, else one word."""
    spans, i = [], 0
    while i < len(words):
        end = next(
            (
                i + n
                for n in range(min(MAX_SYNONYM_WORDS, len(words) - i), 0, -1)
                if tuple(words[i : i + n]) in synonyms
            ),
            i + 1,
        )
        spans.append((i, end))
        i = end
    return spans


def plan_query(words: list[str], *, prefix_last: bool = True, synonyms: SynonymTable | None = None) -> QueryPlan:
    """Resolve each word against the vocabulary: at most two small indexed lookups, none when no word needs one
    (every word short and typed plainly, or covered by a synonym)."""
    if not words:
        return QueryPlan(words=(), groups=())
    synonyms = synonyms or {}
    spans = _segments(words, synonyms)
    last = len(words) - 1
    singles: dict[int, _Word] = {}
    for start, end in spans:
        if end - start == 1 and tuple(words[start:end]) not in synonyms:
            word, prefix = words[start], prefix_last and start == last
            forms = [f for f in typed_forms(word) if not prefix or len(f) >= MIN_PREFIX_CHECK]
            checked = bool(forms) or typo_budget(word) > 0
            singles[start] = _Word(word, prefix, forms, checked)

    known: set[str] = set()
    lookups = [w for w in singles.values() if w.checked]
    if lookups:
        q = Q(term__in=[f for w in lookups if not w.prefix for f in (w.typed, *w.forms)])
        for w in lookups:
            if w.prefix:
                for f in (w.typed, *w.forms):
                    q |= _prefix_q(f)
        known = set(SearchTerm.objects.filter(q).values_list("term", flat=True))

    def present(form: str, prefix: bool) -> bool:
        return any(t.startswith(form) for t in known) if prefix else form in known

    resolved: dict[int, list[Alternative]] = {}
    typo_bases: dict[int, list[str]] = {}
    for i, w in singles.items():
        if not w.checked or present(w.typed, w.prefix):
            resolved[i] = [Alternative(w.typed, prefix=w.prefix)]
        elif readings := [f for f in w.forms if present(f, w.prefix)]:
            resolved[i] = [Alternative(f, prefix=w.prefix) for f in readings]
        else:
            # A reading is already a correction: only the word as typed (or, for VNI digits, its letters) gets a
            # typo budget, so corrections never stack ("tuyyet" is one typo from "tuyet", not two from "tuyen").
            base = w.typed if w.typed.isalpha() else (w.forms[0] if w.forms else "")
            typo_bases[i] = [base] if typo_budget(base) > 0 else []
    if any(typo_bases.values()):
        resolved.update(_typo_alternatives(typo_bases, singles))

    groups = []
    for start, end in spans:
        if start in singles:
            alternatives = tuple(resolved.get(start, ()))
            groups.append(TermGroup(typed=words[start], alternatives=alternatives))
            continue
        typed = tuple(words[start:end])
        alts = [Alternative(" ".join(typed), prefix=prefix_last and end - 1 == last and len(typed) == 1)]
        alts += [Alternative(" ".join(p)) for p in synonyms[typed]]
        groups.append(TermGroup(typed=" ".join(typed), alternatives=tuple(alts)))
    return QueryPlan(words=tuple(words), groups=tuple(groups))


def _typo_alternatives(bases: dict[int, list[str]], singles: dict[int, _Word]) -> dict[int, list[Alternative]]:
    """One lookup for every word that needs typo correction: exact candidates one edit away for finished words
    with one typo, and the range of words sharing the first two letters for the rest."""
    exact: set[str] = set()
    q = Q(pk__in=[])
    for i, typed_bases in bases.items():
        for base in typed_bases:
            if singles[i].prefix or typo_budget(base) > 1:
                q |= _prefix_q(base[:2])
            else:
                exact |= edits1(base)
    if exact:
        q |= Q(term__in=sorted(exact))
    terms = list(SearchTerm.objects.filter(q).values_list("term", flat=True))
    out: dict[int, list[Alternative]] = {}
    for i, typed_bases in bases.items():
        found: set[Alternative] = set()
        for base in typed_bases:
            budget = typo_budget(base)
            near = [t for t in terms if t.startswith(base[:2])]
            if singles[i].prefix:
                found |= {Alternative(p, prefix=True) for p in near_prefixes(base, near, budget)}
            elif budget > 1:
                found |= {Alternative(t) for t in near_words(base, near, budget)}
            else:
                near_one = edits1(base)
                found |= {Alternative(t) for t in terms if t in near_one}
        out[i] = sorted(found, key=lambda a: a.word)
    return out
