"""Validate the entity-linking dev set `eval/data/linking_dev.jsonl` against the corpora and its guidelines.

Each record names a document of ``bench/corpora.py`` (Fars News by line, SaudiNewsNet by day and
index) and lists the gold mentions of the entities in the inventory of ``eval/data/linking_dev.md``.
The text is rebuilt exactly as the corpus readers build it, and the check fails when:

- the document id (`khabar.document.document_id`) or the publication date differs from the source;
- a mention or not-mention does not cover its text, has surrounding whitespace, or overlaps another;
- a mention's entity is not in the inventory table of the guidelines, or its type, kind or note is
  malformed (roles are people: ``kind: role`` needs ``type: PER``);
- an inventory entity lacks mentions in Persian or in Arabic and is not listed, with a reason, in the
  one-language table; or a listed entity in fact has both languages;
- fewer than ``MIN_BILINGUAL_ENTITIES`` entities have both languages, fewer than
  ``MIN_CONFUSABLE_PAIRS`` confusable pairs are listed, a pair names an unknown entity, or a corpus
  has fewer than ``MIN_DOCS_PER_CORPUS`` documents;
- a string that the set annotates as a name somewhere occurs in a document of the same language
  without being inside a mention or an explicit ``not_mentions`` span (the alias audit: every
  occurrence of a gold name is either annotated or excluded with a reason).

It then prints counts per language, kind and type, entity coverage and the number of same-entity
and different-entity mention pairs the pairwise evaluation of ``eval/linking.py`` will score.

    .venv/bin/python eval/linking_dev_check.py [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))
sys.path.insert(0, str(REPO / "bench"))

from dates_dev_check import check_document, load_sources, read_records, source_key  # noqa: E402

DEV_SET = REPO / "eval" / "data" / "linking_dev.jsonl"
GUIDELINES = REPO / "eval" / "data" / "linking_dev.md"
MIN_DOCS_PER_CORPUS = 40
MIN_BILINGUAL_ENTITIES = 60
MIN_CONFUSABLE_PAIRS = 12
LANG_OF_CORPUS = {"farsnews": "fa", "saudinewsnet": "ar"}
LANGS = ("fa", "ar")
KINDS = frozenset({"name", "role"})
# Entity ids are `prefix:slug`; the prefix fixes the type (linking_dev.md, "Entity ids").
TYPE_OF_PREFIX = {"per": "PER", "org": "ORG", "country": "GPE", "city": "GPE", "loc": "LOC"}
_ENTITY_ID = re.compile(r"(per|org|country|city|loc):[A-Za-z0-9-]+")
_TABLE_ROW = re.compile(r"^\|(.+)\|\s*$")
_CODE = re.compile(r"`([^`]+)`")

# Alias audit: a length-preserving fold so that offsets in the folded view are offsets in the text.
# Letter variants that Persian and Arabic news spell interchangeably (ي/ی, ك/ک, hamza seats, ة/ه)
# and ZWNJ (read as a word break) are folded; nothing is deleted.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه",
                       "\u200c": " ", "ۀ": "ه", "ؤ": "و", "ئ": "ی"})
# Arabic conjunctions and prepositions written on the word (و ف ب ل ك and pairs of them), which stay
# outside mention spans (linking_dev.md, "Spans").
_AR_PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ک", "وب", "ول", "فب", "فل", "وک", "فک"})
_MIN_AUDITED_ALIAS = 3


def fold(text: str) -> str:
    return text.translate(_FOLD)


def is_letter(char: str) -> bool:
    return char.isalpha() or "\u064b" <= char <= "\u0652" or char == "\u0640"


@dataclass(frozen=True, slots=True)
class Guidelines:
    """The tables of linking_dev.md that the data must agree with."""

    inventory: dict[str, str]
    one_language: dict[str, str]
    confusable_pairs: tuple[tuple[str, str], ...]


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    docs: Counter = field(default_factory=Counter)
    mentions: Counter = field(default_factory=Counter)
    not_mentions: Counter = field(default_factory=Counter)
    entity_langs: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    entity_docs: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    uncovered_aliases: list[str] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")


def table_after(heading: str, lines: list[str]) -> list[list[str]]:
    """The body rows of the first Markdown table after a heading line, split into stripped cells."""
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == heading)
    except StopIteration as exc:
        raise SystemExit(f"{GUIDELINES}: heading {heading!r} not found") from exc
    rows: list[list[str]] = []
    for line in lines[start + 1:]:
        match = _TABLE_ROW.match(line.strip())
        if not match:
            if rows:
                break
            continue
        cells = [cell.strip() for cell in match.group(1).split("|")]
        if set("".join(cells)) <= set("-: "):
            continue
        rows.append(cells)
    return rows[1:]


def code_in(cell: str) -> str:
    match = _CODE.search(cell)
    return match.group(1) if match else cell


def read_guidelines(path: Path = GUIDELINES) -> Guidelines:
    lines = path.read_text(encoding="utf-8").splitlines()
    inventory = {code_in(row[0]): row[1] for row in table_after("## Entity inventory", lines)}
    one_language = {code_in(row[0]): row[2] for row in table_after("## Entities in one language only", lines)}
    pairs = tuple((code_in(row[0]), code_in(row[1])) for row in table_after("## Confusable pairs", lines))
    return Guidelines(inventory, one_language, pairs)


def check_span(where: str, span: dict[str, Any], text: str, report: Report) -> tuple[int, int] | None:
    start, end = span.get("start"), span.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        report.error(where, f"bad span ({start}, {end})")
        return None
    if text[start:end] != span.get("text"):
        report.error(where, f"text[{start}:{end}] is {text[start:end]!r}")
    if text[start:end] != text[start:end].strip():
        report.error(where, "span has surrounding whitespace")
    return start, end


def check_mention(where: str, mention: dict[str, Any], guidelines: Guidelines, report: Report) -> None:
    entity, kind, mtype = mention.get("entity"), mention.get("kind"), mention.get("type")
    if not isinstance(entity, str) or not _ENTITY_ID.fullmatch(entity):
        report.error(where, f"entity id {entity!r} is not prefix:slug")
        return
    if entity not in guidelines.inventory:
        report.error(where, f"entity {entity} is not in the inventory of {GUIDELINES.name}")
    expected_type = TYPE_OF_PREFIX[entity.split(":", 1)[0]]
    if mtype != expected_type:
        report.error(where, f"type {mtype!r}, expected {expected_type} for {entity}")
    if guidelines.inventory.get(entity, expected_type) != expected_type:
        report.error(where, f"inventory type of {entity} is {guidelines.inventory[entity]}, not {expected_type}")
    if kind not in KINDS:
        report.error(where, f"kind {kind!r}")
    elif kind == "role" and mtype != "PER":
        report.error(where, "a role mention must link to a person")
    if "note" in mention and not (isinstance(mention["note"], str) and mention["note"].strip()):
        report.error(where, "empty note")


def check_record(record: dict[str, Any], sources: dict, guidelines: Guidelines, report: Report) -> str | None:
    checked = check_document(record, sources, report)
    if checked is None:
        return None
    where, text = checked
    lang = record.get("lang")
    spans: list[tuple[int, int, str]] = []
    for n, mention in enumerate(record.get("mentions", [])):
        at = f"{where} mention #{n} {mention.get('text')!r}"
        span = check_span(at, mention, text, report)
        check_mention(at, mention, guidelines, report)
        if span is None:
            continue
        spans.append((*span, at))
        entity = mention.get("entity")
        report.mentions[(lang, mention.get("kind"), mention.get("type"))] += 1
        report.entity_langs[entity][lang] += 1
        report.entity_docs[entity].add(where)
    for n, excluded in enumerate(record.get("not_mentions", [])):
        at = f"{where} not-mention #{n} {excluded.get('text')!r}"
        span = check_span(at, excluded, text, report)
        if not (isinstance(excluded.get("note"), str) and excluded["note"].strip()):
            report.error(at, "a not-mention needs a note saying why")
        if span is not None:
            spans.append((*span, at))
            report.not_mentions[lang] += 1
    spans.sort()
    for (_, end, first), (start, _, second) in itertools.pairwise(spans):
        if start < end:
            report.error(second, f"overlaps {first}")
    return text


def alias_matches(folded: str, alias: str, lang: str) -> list[tuple[int, int]]:
    """Occurrences of a folded alias as a whole word; Arabic proclitics may precede it."""
    found = []
    for match in re.finditer(re.escape(alias), folded):
        start, end = match.span()
        if end < len(folded) and is_letter(folded[end]):
            continue
        word_start = start
        while word_start > 0 and is_letter(folded[word_start - 1]):
            word_start -= 1
        prefix = folded[word_start:start]
        if prefix and not (lang == "ar" and prefix in _AR_PROCLITICS):
            continue
        found.append((start, end))
    return found


def audit_aliases(records: list[dict[str, Any]], texts: dict[str, str], report: Report) -> None:
    """Every occurrence of a string annotated as a name must sit inside a mention or a not-mention."""
    aliases: dict[str, set[str]] = {lang: set() for lang in LANGS}
    for record in records:
        for mention in record.get("mentions", []):
            if mention.get("kind") != "name" or not isinstance(mention.get("text"), str):
                continue
            alias = mention["text"]
            if record.get("lang") == "ar" and alias.startswith("لل"):
                alias = "ال" + alias[2:]  # the article fused with the preposition ل
            if len(alias) >= _MIN_AUDITED_ALIAS:
                aliases[record.get("lang", "")].add(fold(alias))
    for record in records:
        where = json.dumps(record.get("doc", {}), ensure_ascii=False)
        text = texts.get(where)
        lang = record.get("lang")
        if text is None or lang not in aliases:
            continue
        covered = [(s["start"], s["end"]) for s in [*record.get("mentions", []), *record.get("not_mentions", [])]
                   if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)]
        folded = fold(text)
        seen: set[tuple[int, int]] = set()
        for alias in sorted(aliases[lang], key=len, reverse=True):
            for start, end in alias_matches(folded, alias, lang):
                if any(s < end and start < e for s, e in covered) or (start, end) in seen:
                    continue
                seen.add((start, end))
                context = text[max(0, start - 30):end + 30].replace("\n", " ")
                report.uncovered_aliases.append(f"{where} {text[start:end]!r}: …{context}…")


def check_coverage(guidelines: Guidelines, report: Report) -> None:
    for entity in guidelines.inventory:
        if entity not in report.entity_langs:
            report.error(entity, "in the inventory but never annotated")
    for entity, langs in sorted(report.entity_langs.items()):
        missing = [lang for lang in LANGS if not langs[lang]]
        if missing and entity not in guidelines.one_language:
            report.error(entity, f"no mention in {', '.join(missing)} and not listed as a one-language entity")
        if not missing and entity in guidelines.one_language:
            report.error(entity, "listed as a one-language entity but has mentions in both languages")
    for entity, reason in guidelines.one_language.items():
        if entity not in guidelines.inventory:
            report.error(entity, "one-language entity not in the inventory")
        if not reason:
            report.error(entity, "one-language entity without a reason")
    bilingual = sum(1 for langs in report.entity_langs.values() if all(langs[lang] for lang in LANGS))
    if bilingual < MIN_BILINGUAL_ENTITIES:
        report.error("entities", f"{bilingual} with both languages, need at least {MIN_BILINGUAL_ENTITIES}")
    seen_pairs: set[frozenset[str]] = set()
    for first, second in guidelines.confusable_pairs:
        pair = frozenset((first, second))
        if len(pair) != 2:
            report.error(f"pair {first}", "pairs an entity with itself")
        if pair in seen_pairs:
            report.error(f"pair {first} / {second}", "listed twice")
        seen_pairs.add(pair)
        for entity in (first, second):
            if entity not in report.entity_langs:
                report.error(f"pair {first} / {second}", f"{entity} has no mention in the set")
    if len(seen_pairs) < MIN_CONFUSABLE_PAIRS:
        report.error("confusable pairs", f"{len(seen_pairs)} listed, need at least {MIN_CONFUSABLE_PAIRS}")
    for corpus in LANG_OF_CORPUS:
        if report.docs[corpus] < MIN_DOCS_PER_CORPUS:
            report.error(corpus, f"{report.docs[corpus]} documents, need at least {MIN_DOCS_PER_CORPUS}")


def validate(path: Path = DEV_SET, guidelines_path: Path = GUIDELINES) -> tuple[Report, list[dict[str, Any]]]:
    records = list(read_records(path))
    guidelines = read_guidelines(guidelines_path)
    report = Report()
    sources = load_sources(records)
    texts: dict[str, str] = {}
    seen: set[tuple] = set()
    for record in records:
        key = source_key(record.get("doc", {}))
        if key in seen:
            report.error(str(key), "document annotated twice")
        seen.add(key)
        text = check_record(record, sources, guidelines, report)
        if text is not None:
            texts[json.dumps(record.get("doc", {}), ensure_ascii=False)] = text
    check_coverage(guidelines, report)
    audit_aliases(records, texts, report)
    for line in report.uncovered_aliases:
        report.error("alias audit", f"not annotated and not excluded: {line}")
    return report, records


def pair_counts(records: list[dict[str, Any]]) -> dict[str, int]:
    """How many mention pairs the pairwise evaluation scores, and how many of them are same-entity."""
    by_lang_entity: Counter = Counter((r.get("lang"), m.get("entity")) for r in records for m in r.get("mentions", []))
    per_entity: Counter = Counter()
    for (_, entity), n in by_lang_entity.items():
        per_entity[entity] += n
    total = sum(per_entity.values())
    return {
        "mention_pairs": total * (total - 1) // 2,
        "same_entity_pairs": sum(n * (n - 1) // 2 for n in per_entity.values()),
        "same_entity_cross_language_pairs": sum(by_lang_entity[("fa", e)] * by_lang_entity[("ar", e)]
                                                for e in per_entity),
    }


def count_by(report: Report, lang: str, position: int) -> dict[str, int]:
    """Mentions of one language counted by kind (position 1) or by type (position 2)."""
    counts: Counter = Counter()
    for key, n in report.mentions.items():
        if key[0] == lang:
            counts[key[position]] += n
    return dict(sorted(counts.items()))


def summary(report: Report, records: list[dict[str, Any]], guidelines: Guidelines) -> dict[str, Any]:
    entities = report.entity_langs
    bilingual = sorted(e for e, langs in entities.items() if all(langs[lang] for lang in LANGS))
    by_type: Counter = Counter(TYPE_OF_PREFIX[e.split(":", 1)[0]] for e in entities)
    return {
        "documents": dict(report.docs),
        "mentions": {lang: sum(count_by(report, lang, 1).values()) for lang in LANGS},
        "by_kind": {lang: count_by(report, lang, 1) for lang in LANGS},
        "mention_types": {lang: count_by(report, lang, 2) for lang in LANGS},
        "not_mentions": dict(report.not_mentions),
        "entities": len(entities),
        "entities_by_type": dict(sorted(by_type.items())),
        "entities_with_both_languages": len(bilingual),
        "entities_in_one_language": sorted(set(entities) - set(bilingual)),
        "confusable_pairs": len({frozenset(pair) for pair in guidelines.confusable_pairs}),
        **pair_counts(records),
        "errors": report.errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEV_SET)
    parser.add_argument("--guidelines", type=Path, default=GUIDELINES)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    report, records = validate(args.path, args.guidelines)
    result = summary(report, records, read_guidelines(args.guidelines))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"documents: {result['documents']}")
        for lang in LANGS:
            print(f"{lang}: {result['mentions'][lang]} mentions "
                  f"({', '.join(f'{k} {v}' for k, v in result['by_kind'][lang].items())}; "
                  f"{', '.join(f'{k} {v}' for k, v in result['mention_types'][lang].items())}), "
                  f"{result['not_mentions'].get(lang, 0)} not-mentions")
        print(f"entities: {result['entities']} ({', '.join(f'{k} {v}' for k, v in result['entities_by_type'].items())}),"
              f" {result['entities_with_both_languages']} with both languages,"
              f" {len(result['entities_in_one_language'])} in one language")
        print(f"confusable pairs: {result['confusable_pairs']}")
        print(f"mention pairs: {result['mention_pairs']}, same entity: {result['same_entity_pairs']}"
              f" (across languages: {result['same_entity_cross_language_pairs']})")
        for error in report.errors:
            print(f"ERROR {error}")
        print("OK" if not report.errors else f"{len(report.errors)} errors")
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
