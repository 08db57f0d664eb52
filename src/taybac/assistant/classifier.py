"""A small multinomial naive Bayes over buyers' words, trained from the labelled file in the repository.

Why not scikit-learn: the model is nine classes over a few hundred short messages. Its MultinomialNB would pull
scikit-learn, joblib and threadpoolctl into the hub for what is ~40 lines here; this one trains in milliseconds
at first use from `data/intents.csv` (no model file, nothing downloaded), so the model always matches the file.
Features: the message's words after folding and writing chat spellings out (core.chat_text.expand_chat), numbers,
phone numbers and order codes as placeholders, and the pairs of neighbouring words.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from taybac.core.chat_text import expand_chat, find_phones

INTENTS = (
    "greeting",
    "product_question",
    "search",
    "add_to_order",
    "delivery_details",
    "payment",
    "order_status",
    "complaint",
    "other",
)
TRAINING_FILE = Path(__file__).parent / "data" / "intents.csv"
ORDER_CODE = re.compile(r"\bTB-?[ACDEFHJKMNPRTUVWXY34679]{4}-?[ACDEFHJKMNPRTUVWXY34679]{4}\b", re.IGNORECASE)
_SMOOTHING = 0.5


def features(text: str) -> list[str]:
    """Words and word pairs of a message, with its phone numbers, order codes and numbers as placeholders."""
    for match in reversed(find_phones(text)):
        text = f"{text[: match.start]} PHONEX {text[match.end :]}"
    text = ORDER_CODE.sub(" ORDERCODEX ", text)
    words = ["<num>" if w[:1].isdigit() else w for w in expand_chat(text)]
    words = ["<phone>" if w == "phonex" else "<code>" if w == "ordercodex" else w for w in words]
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True)
class NaiveBayes:
    priors: dict[str, float]  # log P(intent)
    likelihoods: dict[str, dict[str, float]]  # log P(feature | intent), seen features
    unseen: dict[str, float]  # log P(feature | intent) for a feature the intent never had
    vocabulary: frozenset[str]

    def scores(self, text: str) -> dict[str, float]:
        """Log posterior (up to a constant) of each intent; features never seen in training are ignored."""
        seen = [f for f in features(text) if f in self.vocabulary]
        return {
            intent: prior + sum(self.likelihoods[intent].get(f, self.unseen[intent]) for f in seen)
            for intent, prior in self.priors.items()
        }

    def knows(self, text: str) -> bool:
        """Whether any of the message's words or pairs occurs in the training examples."""
        return any(f in self.vocabulary for f in features(text))

    def predict(self, text: str) -> tuple[str, float]:
        """The likeliest intent and its probability among the nine (0–1): low means the words were unfamiliar."""
        scores = self.scores(text)
        best = max(scores, key=lambda k: scores[k])
        total = sum(math.exp(s - scores[best]) for s in scores.values())
        return best, 1 / total


def train(examples: Iterable[tuple[str, str]]) -> NaiveBayes:
    """Multinomial naive Bayes with additive smoothing from (text, intent) pairs."""
    counts: dict[str, Counter[str]] = {intent: Counter() for intent in INTENTS}
    documents: Counter[str] = Counter()
    for text, intent in examples:
        if intent not in counts:
            raise ValueError(f"unknown intent {intent!r}")
        counts[intent].update(features(text))
        documents[intent] += 1
    vocabulary = frozenset(f for c in counts.values() for f in c)
    total_documents = sum(documents.values())
    priors, likelihoods, unseen = {}, {}, {}
    for intent in INTENTS:
        if not documents[intent]:
            continue
        denominator = sum(counts[intent].values()) + _SMOOTHING * len(vocabulary)
        priors[intent] = math.log(documents[intent] / total_documents)
        likelihoods[intent] = {f: math.log((n + _SMOOTHING) / denominator) for f, n in counts[intent].items()}
        unseen[intent] = math.log(_SMOOTHING / denominator)
    return NaiveBayes(priors, likelihoods, unseen, vocabulary)


def read_examples(path: Path = TRAINING_FILE) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["text"], row["intent"]) for row in csv.DictReader(handle)]


@lru_cache(maxsize=1)
def model() -> NaiveBayes:
    """The model trained from the repository's file, once per process (a few milliseconds)."""
    return train(read_examples())
