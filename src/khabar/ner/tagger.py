"""Running the trained CRF recogniser on text: tokenisation with offsets, tagging, spans.

`tokenize` splits running text into tokens that keep their character offsets, so that every
entity maps back to an exact span of the original text (``text[span.start:span.end] ==
span.text``). Words joined by a ZWNJ (``می‌شود``, ``سیاست‌گذاری``) stay one token; punctuation,
including Arabic and Persian punctuation (``، ؛ ؟ « »``), is one token per character; numbers
keep their inner separators (``1403/08/16``, ``٢٫٥``).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from khabar.errors import ResourceError
from khabar.ner.clusters import WordClusters
from khabar.ner.features import FEATURE_VERSION, sentence_features
from khabar.ner.gazetteer import Gazetteer

LANGS = ("fa", "ar")
MODEL_FILE = "model_{lang}.crfsuite"
GAZETTEER_FILE = "gazetteer.bin"
CLUSTERS_FILE = "clusters.bin"
INFO_FILE = "models.json"

# Letters, digits and combining marks (Arabic harakat are marks, which \w does not cover),
# with ZWNJ/ZWJ allowed inside a word but not at its edges.
_WORD_CHAR = r"[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
_NUMBER = r"\d+(?:[.,/:٫٬]\d+)*"
_TOKEN = re.compile(
    rf"{_NUMBER}(?!{_WORD_CHAR})"  # a number with inner separators, not glued to letters
    rf"|(?:{_WORD_CHAR})+(?:[\u200c\u200d](?:{_WORD_CHAR})+)*"  # a word, ZWNJ-joined parts kept
    r"|[^\s\u200b-\u200f\u2066-\u2069\ufeff]"  # any other visible character on its own
)
# Tokens after which a new tagging sequence starts (sentence ends); newlines always end one.
_SENTENCE_END = frozenset(".!?؟…")
# Sequences longer than this are cut, to keep tagging linear on run-on text without stops.
_MAX_SEQUENCE = 120


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class NerSpan:
    """An entity found by the recogniser: ``text == source[start:end]``.

    ``type`` is PER, ORG or LOC, or one of the other types the language's training corpora
    annotate (fa: DAT TIM MON PCT from PEYMA, FAC PRO EVENT from Arman; ar: MISC). ``score`` is
    the mean marginal probability the CRF gives the span's labels (0..1).
    """

    start: int
    end: int
    text: str
    type: str
    score: float


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` with their character offsets."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def sentences(text: str, tokens: Sequence[Token]) -> list[list[Token]]:
    """Tokens grouped into tagging sequences: cut at sentence-final punctuation and line breaks."""
    groups: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if current and ("\n" in text[current[-1].end: token.start] or len(current) >= _MAX_SEQUENCE):
            groups.append(current)
            current = []
        current.append(token)
        if token.text in _SENTENCE_END:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, end, type)`` token ranges from predicted IOB2 labels (a stray I- starts a span)."""
    spans: list[tuple[int, int, str]] = []
    start, kind = None, None
    for i, label in enumerate([*labels, "O"]):
        prefix, _, name = label.partition("-")
        if start is not None and (prefix != "I" or name != kind):
            spans.append((start, i, kind or ""))
            start, kind = None, None
        if prefix in ("B", "I") and start is None:
            start, kind = i, name
    return spans


@dataclass(frozen=True)
class Recogniser:
    """A loaded model for one language (use `recogniser`, which caches it)."""

    lang: str
    tagger: object  # pycrfsuite.Tagger
    gazetteer: Gazetteer | None
    # The annotation convention running text is tagged with (`features.sentence_features`):
    # the news corpus of the language, or None for a model trained without conventions.
    convention: str | None = None
    # Word clusters the model was trained with (`features.sentence_features`), or None.
    clusters: WordClusters | None = None
    # Lexical features joined to the convention (`features.sentence_features`).
    convention_pairs: bool = False

    def label_sequences(self, sequences: Sequence[Sequence[str]],
                        convention: str | None = None) -> list[list[tuple[str, float]]]:
        """Labels and their marginal probabilities for each token of each token sequence.

        ``convention`` overrides the model's own (to score a corpus by its annotation scheme)."""
        out = []
        for tokens in sequences:
            if not tokens:
                out.append([])
                continue
            xseq = sentence_features(tokens, self.lang, self.gazetteer, convention or self.convention,
                                     self.clusters, self.convention_pairs)
            labels = self.tagger.tag(xseq)  # type: ignore[attr-defined]
            out.append([(y, self.tagger.marginal(y, i)) for i, y in enumerate(labels)])  # type: ignore[attr-defined]
        return out

    def tag(self, text: str) -> list[NerSpan]:
        found: list[NerSpan] = []
        groups = sentences(text, tokenize(text))
        for group, labelled in zip(groups, self.label_sequences([[t.text for t in g] for g in groups]), strict=True):
            for first, end, kind in bio_spans([y for y, _ in labelled]):
                start, stop = group[first].start, group[end - 1].end
                score = sum(p for _, p in labelled[first:end]) / (end - first)
                found.append(NerSpan(start, stop, text[start:stop], kind, round(score, 4)))
        return found


def _package_file(name: str) -> Path:
    return Path(str(resources.files("khabar.ner").joinpath(name)))


@functools.cache
def model_info() -> dict[str, object]:
    """``models.json``: what each shipped model was trained on, with which features and scores."""
    path = _package_file(INFO_FILE)
    if not path.exists():
        raise ResourceError(f"missing {path}; train the models with scripts/train_ner.py")
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _gazetteer() -> Gazetteer | None:
    path = _package_file(GAZETTEER_FILE)
    return Gazetteer.load(path) if path.exists() else None


@functools.cache
def _clusters() -> WordClusters | None:
    path = _package_file(CLUSTERS_FILE)
    return WordClusters.load(path) if path.exists() else None


@functools.cache
def recogniser(lang: str) -> Recogniser:
    """The model for ``lang``, loaded once per process."""
    if lang not in LANGS:
        raise ValueError(f"no NER model for language {lang!r}; models exist for {', '.join(LANGS)}")
    import pycrfsuite

    info = model_info()
    version = info.get("feature_version")
    if version != FEATURE_VERSION:
        raise ResourceError(f"the shipped NER models use feature version {version}, the code "
                            f"{FEATURE_VERSION}: retrain with scripts/train_ner.py")
    path = _package_file(MODEL_FILE.format(lang=lang))
    if not path.exists():
        raise ResourceError(f"missing NER model {path}; train it with scripts/train_ner.py")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    uses_gazetteer = bool(info.get("gazetteer", {}).get("lists"))  # type: ignore[union-attr]
    model = info.get("models", {}).get(lang, {})  # type: ignore[union-attr]
    clusters = None
    if model.get("clusters"):
        clusters = _clusters()
        if clusters is None:
            raise ResourceError(f"the {lang} NER model was trained with word clusters but "
                                f"{_package_file(CLUSTERS_FILE)} is missing: run scripts/ner_clusters.py")
    pairs = bool(model.get("settings", {}).get("convention_pairs"))
    return Recogniser(lang, tagger, _gazetteer() if uses_gazetteer else None, model.get("runtime_convention"),
                      clusters, pairs)


def tag(text: str, lang: str) -> list[NerSpan]:
    """Named entities in ``text`` (Persian ``fa`` or Arabic ``ar``), in text order."""
    return recogniser(lang).tag(text)
