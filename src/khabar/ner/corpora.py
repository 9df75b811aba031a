"""Readers for the NER corpora in ``../shared/data`` (PEYMA, ArmanPersoNER, ANERcorp, Wojood).

Every reader returns `Sentence` objects: the corpus tokens as they are, plus entity spans over
token indices with khabar's type names. The tag schemes differ (PEYMA ``B_PER``, Arman
``B-pers``, ANERcorp ``B-PERS``, Wojood several nested ``B-GPE`` columns), and some corpora
mix IOB1 and IOB2, so tags are read by `tags_to_spans`, which accepts IOB1, IOB2 and BIOES.

Formats and splits are described in each corpus's ``SOURCE.md``; which split may be used for
what is fixed by ``../shared/data/INDEX.md`` (test splits are for reporting only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Corpus type names -> khabar type names. Types not listed keep their upper-cased name.
TYPE_NAMES: Mapping[str, str] = {
    "PER": "PER", "PERS": "PER",
    "ORG": "ORG",
    "LOC": "LOC",
    "FAC": "FAC", "PRO": "PRO", "EVENT": "EVENT",
    "DAT": "DAT", "TIM": "TIM", "MON": "MON", "PCT": "PCT",
    "MISC": "MISC",
}

# Wojood's 21 types folded onto the ANERcorp scheme (PER/ORG/LOC/MISC), so both Arabic corpora
# teach one label set. GPE -> LOC because ANERcorp tags countries and cities LOC (its guidelines
# have no GPE); EVENT, PRODUCT and CURR -> MISC as in ANERcorp, whose MISC holds currencies
# (دولار, يورو), events (بطولة, المونديال) and products. Everything else (NORP, OCC, DATE, TIME,
# numbers, LAW, WEBSITE, LANGUAGE, FAC, UNIT ...) has no ANERcorp counterpart and becomes O.
WOJOOD_TYPES: Mapping[str, str] = {
    "PERS": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC",
    "EVENT": "MISC", "PRODUCT": "MISC", "CURR": "MISC",
}

_TAG = re.compile(r"^(?P<prefix>[BIES])[-_](?P<type>.+)$")


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """Tokens ``start`` .. ``end - 1`` of a sentence form one entity of ``type``."""

    start: int
    end: int
    type: str


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    spans: tuple[EntitySpan, ...]

    def bio(self) -> list[str]:
        """IOB2 labels (``B-PER``, ``I-PER``, ``O``) for the tokens."""
        labels = ["O"] * len(self.tokens)
        for span in self.spans:
            labels[span.start] = f"B-{span.type}"
            for i in range(span.start + 1, span.end):
                labels[i] = f"I-{span.type}"
        return labels


def split_tag(tag: str) -> tuple[str, str | None]:
    """``"B_PER"`` -> ``("B", "PER")``; ``"O"`` (or anything unreadable) -> ``("O", None)``."""
    match = _TAG.match(tag.strip())
    if not match:
        return "O", None
    return match["prefix"], match["type"].upper()


def tags_to_spans(tags: Sequence[str], type_names: Mapping[str, str] | None = TYPE_NAMES) -> list[EntitySpan]:
    """Entity spans from one column of IOB1/IOB2/BIOES tags.

    A span starts at ``B``/``S``, or at an ``I``/``E`` whose type differs from the token before
    (IOB1, or a broken IOB2 sequence); it ends after ``E``/``S`` or before anything that does
    not continue it. With ``type_names``, corpus types are renamed and unlisted types dropped.
    """
    spans: list[EntitySpan] = []
    start: int | None = None
    current: str | None = None

    def close(end: int) -> None:
        nonlocal start, current
        if start is not None and current is not None:
            name = current if type_names is None else type_names.get(current)
            if name:
                spans.append(EntitySpan(start, end, name))
        start, current = None, None

    for i, tag in enumerate(tags):
        prefix, kind = split_tag(tag)
        if kind is None:
            close(i)
            continue
        if prefix in ("B", "S") or kind != current:
            close(i)
            start, current = i, kind
        if prefix in ("E", "S"):
            close(i + 1)
    close(len(tags))
    return spans


def _blocks(path: Path) -> Iterator[list[str]]:
    """Groups of non-blank lines separated by blank lines."""
    block: list[str] = []
    with path.open(encoding="utf-8-sig") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            if line.strip():
                block.append(line)
            elif block:
                yield block
                block = []
    if block:
        yield block


def read_token_tag(path: Path, separator: str | None = None) -> list[Sentence]:
    """Files of ``TOKEN<sep>TAG`` lines, blank line between sentences (Arman, ANERcorp, PEYMA).

    The tag is what follows the last separator, so PEYMA tokens holding spaces (``روش های``)
    stay whole. ``separator=None`` means any run of whitespace.
    """
    sentences = []
    for block in _blocks(path):
        tokens, tags = [], []
        for line in block:
            if separator is None:
                token, _, tag = line.rstrip().rpartition(" ")
                token = token.strip()
            else:
                token, _, tag = line.rpartition(separator)
            if not token:  # a line with no tag: keep the token, tag it O
                token, tag = tag, "O"
            tokens.append(token)
            tags.append(tag)
        sentences.append(Sentence(tuple(tokens), tuple(tags_to_spans(tags))))
    return sentences


def read_peyma(path: Path) -> list[Sentence]:
    """PEYMA: ``TOKEN|TAG`` (``B_PER`` ... ``I_PCT``), tokens may contain spaces."""
    return read_token_tag(path, "|")


def read_arman(path: Path) -> list[Sentence]:
    """ArmanPersoNERCorpus: ``TOKEN TAG`` with lower-case types (pers, org, loc, fac, pro, event)."""
    return read_token_tag(path)


def read_anercorp(path: Path) -> list[Sentence]:
    """ANERcorp CamelLab-style files: ``TOKEN TAG`` with PERS, ORG, LOC, MISC."""
    return read_token_tag(path)


def read_wojood(path: Path, type_names: Mapping[str, str] = WOJOOD_TYPES) -> list[Sentence]:
    """Wojood: ``TOKEN TAG1 [TAG2 ...]``, nested entities, outer tag first.

    Spans are read per type across all columns (a column does not hold one nesting level
    throughout), renamed with ``type_names`` (unlisted types dropped), and flattened by keeping
    the outermost of overlapping spans: longest first, then leftmost.
    """
    sentences = []
    for block in _blocks(path):
        tokens: list[str] = []
        columns: list[list[str]] = []
        for line in block:
            fields = line.split()
            tokens.append(fields[0])
            columns.append(fields[1:] or ["O"])
        nested: set[EntitySpan] = set()
        for kind in {split_tag(t)[1] for col in columns for t in col} - {None}:
            # One tag sequence per type: the token's tag of that type, or O.
            per_type = [next((t for t in col if split_tag(t)[1] == kind), "O") for col in columns]
            nested.update(tags_to_spans(per_type, type_names))
        sentences.append(Sentence(tuple(tokens), tuple(outermost(nested))))
    return sentences


def outermost(spans: Iterable[EntitySpan]) -> list[EntitySpan]:
    """Non-overlapping spans, preferring longer then earlier ones, in text order."""
    taken: list[EntitySpan] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start, s.type)):
        if all(span.end <= t.start or span.start >= t.end for t in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: s.start)


def restrict(sentences: Iterable[Sentence], types: Iterable[str]) -> list[Sentence]:
    """The sentences with only spans of ``types`` (for scoring on a common type set)."""
    keep = frozenset(types)
    return [Sentence(s.tokens, tuple(x for x in s.spans if x.type in keep)) for s in sentences]


# -- the corpora by name -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CorpusSplit:
    name: str  # e.g. "peyma/test"
    lang: str
    relative_path: str  # under ../shared/data
    reader: str  # name of a reader function in this module
    for_training: bool  # INDEX.md: training/tuning split (True) or reporting only (False)
    types: tuple[str, ...]  # the types this corpus annotates, khabar names

    @property
    def convention(self) -> str:
        """The corpus's annotation convention: "peyma", "arman", "anercorp" or "wojood"."""
        return self.name.split("/")[0]


SPLITS: tuple[CorpusSplit, ...] = (
    CorpusSplit("peyma/train", "fa", "peyma/train.txt", "read_peyma", True,
                ("PER", "ORG", "LOC", "DAT", "TIM", "MON", "PCT")),
    CorpusSplit("peyma/dev", "fa", "peyma/dev.txt", "read_peyma", True,
                ("PER", "ORG", "LOC", "DAT", "TIM", "MON", "PCT")),
    CorpusSplit("peyma/test", "fa", "peyma/test.txt", "read_peyma", False,
                ("PER", "ORG", "LOC", "DAT", "TIM", "MON", "PCT")),
    CorpusSplit("arman/train_fold1", "fa", "arman-personer/train_fold1.txt", "read_arman", True,
                ("PER", "ORG", "LOC", "FAC", "PRO", "EVENT")),
    CorpusSplit("arman/test_fold1", "fa", "arman-personer/test_fold1.txt", "read_arman", False,
                ("PER", "ORG", "LOC", "FAC", "PRO", "EVENT")),
    CorpusSplit("anercorp/train", "ar", "anercorp/ANERCorp_CamelLabStyle_train.txt", "read_anercorp", True,
                ("PER", "ORG", "LOC", "MISC")),
    CorpusSplit("anercorp/test", "ar", "anercorp/ANERCorp_CamelLabStyle_test.txt", "read_anercorp", False,
                ("PER", "ORG", "LOC", "MISC")),
    CorpusSplit("wojood/train", "ar", "wojood-sample/train.txt", "read_wojood", True,
                ("PER", "ORG", "LOC", "MISC")),
    CorpusSplit("wojood/val", "ar", "wojood-sample/val.txt", "read_wojood", True,
                ("PER", "ORG", "LOC", "MISC")),
    CorpusSplit("wojood/test", "ar", "wojood-sample/test.txt", "read_wojood", False,
                ("PER", "ORG", "LOC", "MISC")),
)


def split(name: str) -> CorpusSplit:
    for item in SPLITS:
        if item.name == name:
            return item
    raise KeyError(f"unknown corpus split {name!r}; known: {', '.join(s.name for s in SPLITS)}")


def read_split(name: str, data_dir: Path) -> list[Sentence]:
    """The sentences of a named split, read from ``data_dir`` (``../shared/data``)."""
    item = split(name)
    path = data_dir / item.relative_path
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the NER corpora are read from ../shared/data")
    return globals()[item.reader](path)
