"""Entity-level scoring (exact span and type, as CoNLL's conlleval) shared by training, eval and tests.

A predicted entity counts as correct only when its first token, last token and type all equal a
gold entity's. Scores are computed over the types the corpus annotates (`CorpusSplit.types`),
or a subset of them: predictions of types the corpus does not annotate (an Arman-only FAC on a
PEYMA sentence, say) cannot be judged against it and are left out, while gold entities the
model missed or typed differently always count as misses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from khabar.ner.corpora import EntitySpan, Sentence
from khabar.ner.tagger import Recogniser, bio_spans

MICRO = "micro"


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.tp + self.fn}


def predict(recogniser: Recogniser, sentences: Sequence[Sentence],
            convention: str | None = None) -> list[list[EntitySpan]]:
    """The recogniser's entities on the corpus's own tokens.

    ``convention``: the corpus's annotation convention (`corpora.CorpusSplit.convention`), used
    only when the model was trained with conventions."""
    if recogniser.convention is None:
        convention = None
    labelled = recogniser.label_sequences([s.tokens for s in sentences], convention)
    return [[EntitySpan(a, b, kind) for a, b, kind in bio_spans([y for y, _ in seq])] for seq in labelled]


def score(gold: Sequence[Sentence], predicted: Sequence[Iterable[EntitySpan]],
          types: Iterable[str]) -> dict[str, Score]:
    """Per-type and micro-averaged scores over ``types``."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predictions")
    keep = frozenset(types)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for sentence, spans in zip(gold, predicted, strict=True):
        truth = {s for s in sentence.spans if s.type in keep}
        guess = {s for s in spans if s.type in keep}
        for s in truth & guess:
            tp[s.type] += 1
        for s in guess - truth:
            fp[s.type] += 1
        for s in truth - guess:
            fn[s.type] += 1
    scores = {t: Score(tp[t], fp[t], fn[t]) for t in sorted(keep)}
    scores[MICRO] = Score(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return scores
