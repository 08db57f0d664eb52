"""The intent classifier: a scikit-learn pipeline (TF-IDF over buyers' words and word pairs, then a logistic
regression) trained from the labelled file in the repository the first time it is used in a process.

No model file and nothing downloaded: the model is rebuilt from `data/intents.csv` (a few hundred rows, 0.05 s on
a quiet machine, under 1 s on a loaded one), so it always matches the file. Features: the message's words after
folding and writing chat spellings out (core.chat_text.expand_chat), numbers, phone numbers and order codes as
placeholders, and neighbouring word pairs; TF-IDF with sublinear counts. The solver (lbfgs) is deterministic:
the same file gives the same model.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

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
# Inverse regularisation strength: chosen by 5-fold cross-validation on the training file and the `dev` set
# (tests/assistant/data/messages.csv), never on the held-out rows.
_C = 20.0


def features(text: str) -> list[str]:
    """Words and word pairs of a message, with its phone numbers, order codes and numbers as placeholders."""
    for match in reversed(find_phones(text)):
        text = f"{text[: match.start]} PHONEX {text[match.end :]}"
    text = ORDER_CODE.sub(" ORDERCODEX ", text)
    words = ["<num>" if w[:1].isdigit() else w for w in expand_chat(text)]
    words = ["<phone>" if w == "phonex" else "<code>" if w == "ordercodex" else w for w in words]
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True)
class IntentModel:
    pipeline: Any  # sklearn.pipeline.Pipeline (scikit-learn ships no type information)
    vocabulary: frozenset[str]

    def knows(self, text: str) -> bool:
        """Whether any of the message's words or pairs occurs in the training examples."""
        return any(f in self.vocabulary for f in features(text))

    def probabilities(self, text: str) -> dict[str, float]:
        """Each intent's probability (0–1, summing to 1)."""
        row = self.pipeline.predict_proba([text])[0]
        return {str(label): float(p) for label, p in zip(self.pipeline.classes_, row, strict=True)}

    def predict(self, text: str) -> tuple[str, float]:
        """The likeliest intent and its probability: low means the words were unfamiliar or ambiguous."""
        scores = self.probabilities(text)
        best = max(scores, key=lambda k: scores[k])
        return best, scores[best]


def train(examples: Iterable[tuple[str, str]]) -> IntentModel:
    """Fit the pipeline on (text, intent) pairs; an unknown label is refused. scikit-learn is imported here, at
    the first message, not when the web process starts (its import takes a second or more)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import Pipeline  # type: ignore[import-untyped]

    texts, labels = [], []
    for text, intent in examples:
        if intent not in INTENTS:
            raise ValueError(f"unknown intent {intent!r}")
        texts.append(text)
        labels.append(intent)
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True)
    pipeline = Pipeline([("tfidf", vectorizer), ("logreg", LogisticRegression(C=_C, max_iter=2000))])
    pipeline.fit(texts, labels)
    return IntentModel(pipeline, frozenset(vectorizer.vocabulary_))


def read_examples(path: Path = TRAINING_FILE) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["text"], row["intent"]) for row in csv.DictReader(handle)]


@lru_cache(maxsize=1)
def model() -> IntentModel:
    """The model trained from the repository's file, once per process."""
    return train(read_examples())
