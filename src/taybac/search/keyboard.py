"""Words typed with Telex or VNI keys but no input method ("maatj ong", "ma65t ong"), and repeated keys
("ongg"), turned into the folded words they stand for.

The index holds folded words (no tones, no vowel marks, đ -> d), so decoding only has to drop the keys that
would have become marks: it never has to rebuild the Vietnamese letters. The forms returned here are only
candidates; `taybac.search.query` uses one only when the word as typed is not in the vocabulary and the form
is, so a real word ("xoong", "tours", "500g") is never rewritten.
"""

from __future__ import annotations

import re

_VOWELS = "aeiouy"
_TELEX_TONES = "sfrxjz"  # sắc, huyền, hỏi, ngã, nặng, (z: remove the tone)
_TELEX_DOUBLES = re.compile(r"([aeod])\1")  # aa -> â, ee -> ê, oo -> ô, dd -> đ
_VNI = re.compile(r"^[a-z][a-z1-9]*$")
_REPEAT = re.compile(r"([a-z])\1+")


def telex(word: str) -> str | None:
    """`maatj` -> `mat`, `dduwowngf` -> `duong`, `nhw` -> `nhu`; None when no Telex key is present.

    After the first vowel a Vietnamese syllable holds only vowels and the finals c, ch, m, n, ng, nh, p, t, so
    s f r x j z there are tone keys; w after a, o, u is a breve/horn key and elsewhere stands for ư.
    """
    if not word.isalpha() or not word.isascii():
        return None
    first_vowel = next((i for i, ch in enumerate(word) if ch in _VOWELS or ch == "w"), None)
    if first_vowel is None:
        return None
    head, tail = word[: first_vowel + 1], word[first_vowel + 1 :]
    tail = "".join(ch for ch in tail if ch not in _TELEX_TONES)
    out: list[str] = []
    for ch in head + tail:
        if ch == "w":
            if out and out[-1] in "aou":
                continue
            out.append("u")
        else:
            out.append(ch)
    decoded = _TELEX_DOUBLES.sub(r"\1", "".join(out))
    return decoded if decoded != word and decoded else None


def vni(word: str) -> str | None:
    """`ma65t` -> `mat`, `d9uo7ng2` -> `duong`: VNI keys are the digits 1–9 after a letter; None otherwise
    (a word starting with a digit, "500g", is a size and is left alone)."""
    if word.isalpha() or not _VNI.match(word):
        return None
    decoded = "".join(ch for ch in word if ch.isalpha())
    return decoded or None


def collapse_repeats(word: str) -> str | None:
    """`ongg` -> `ong`, `thatt` -> `that`: a key that bounced. Folded Vietnamese words have no doubled letter
    (the rare loanword "xoong" is in the vocabulary, so it is never collapsed)."""
    collapsed = _REPEAT.sub(r"\1", word)
    return collapsed if collapsed != word else None


def typed_forms(word: str) -> list[str]:
    """The words `word` may stand for, best guess first, without `word` itself."""
    forms: list[str] = []
    decoded = telex(word) or vni(word)
    candidates = (decoded, collapse_repeats(decoded)) if decoded else (collapse_repeats(word),)
    for form in candidates:
        if form and form != word and form not in forms:
            forms.append(form)
    return forms
