"""Validate the temporal-expression dev set `eval/data/dates_dev.jsonl` against the corpora it points into.

Each record names a document of ``bench/corpora.py`` (Fars News by line, SaudiNewsNet by day and
index); the text is rebuilt exactly as the corpus readers build it, and the check fails when:

- the document id (`khabar.document.document_id`) differs: the corpus or the reader changed;
- ``published`` is not the date the source gives (Fars: the Jalali date in the URL id through
  jdatetime; Saudi: the date of ``date_extracted``);
- a span does not cover its text, has surrounding whitespace, or overlaps the previous one;
- a calendar, granularity or value is not one of the forms in eval/data/dates_dev.md
  (values are real Gregorian dates, interval ends in order);
- a span that names one weekday has a day value that falls on another weekday.

It then prints counts per language, calendar and granularity. ``--uncovered`` lists every
year-shaped number (1300-2099 in any digit script) that no span covers, for review: most are
amounts, ids and clock times, which is what the set wants to show an extractor.

    .venv/bin/python eval/dates_dev_check.py [--uncovered] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import jdatetime  # noqa: E402
from corpora import farsnews, saudinewsnet, shared  # noqa: E402

from khabar.document import Document, document_id  # noqa: E402

DEV_SET = REPO / "eval" / "data" / "dates_dev.jsonl"
MIN_DOCS_PER_CORPUS = 35
CALENDARS = frozenset({"jalali", "gregorian", "hijri", "relative", "weekday"})
GRANULARITIES = frozenset({"day", "month", "year", "interval", "week", "decade", "season", "time"})
LANG_OF_CORPUS = {"farsnews": "fa", "saudinewsnet": "ar"}

# One end of a value: a year, a month, a day or a day with a clock time (dates_dev.md, "Values").
_POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?")
_YEAR_SHAPED = re.compile(r"(?<![0-9۰-۹٠-٩])(?:1[3-9]|20|۱[۳-۹]|۲۰|١[٣-٩]|٢٠)[0-9۰-۹٠-٩]{2}(?![0-9۰-۹٠-٩])")

# Weekday names after removing spaces, ZWNJ and direction marks (so `یک شنبه`, `پنج‌شنبه` match);
# longer names first because `شنبه` (Saturday) ends `یکشنبه`, `دوشنبه`, ...
_WEEKDAY_NAMES: tuple[tuple[str, int], ...] = (
    ("یکشنبه", 6), ("دوشنبه", 0), ("سهشنبه", 1), ("چهارشنبه", 2), ("پنجشنبه", 3), ("شنبه", 5), ("جمعه", 4),
    ("السبت", 5), ("الأحد", 6), ("الاحد", 6), ("الاثنين", 0), ("الإثنين", 0), ("الثلاثاء", 1),
    ("الأربعاء", 2), ("الاربعاء", 2), ("الخميس", 3), ("الجمعة", 4),
)
_NAME_FOLD = str.maketrans({"ي": "ی", "ك": "ک", " ": None, "\u200c": None, "\u200e": None, "\u200f": None})


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """A corpus document as the readers build it, with the date the source itself gives."""

    document: Document
    source_date: str


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    by_lang_calendar: Counter = field(default_factory=Counter)
    by_lang_granularity: Counter = field(default_factory=Counter)
    null_values: Counter = field(default_factory=Counter)
    docs: Counter = field(default_factory=Counter)
    uncovered: list[str] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")


def fars_published(url: str | None) -> str | None:
    """The Gregorian date of the Jalali date in a Fars News URL id (farsnews-articles/SOURCE.md)."""
    match = re.search(r"/news/(\d+)", url or "")
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 14:
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    elif len(digits) == 10 and digits[0] in "89":
        year, month, day = 1300 + int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    else:
        return None
    try:
        return jdatetime.date(year, month, day).togregorian().isoformat()
    except ValueError:
        return None


def load_sources(records: list[dict[str, Any]]) -> dict[tuple, SourceDoc]:
    """Rebuild every document the records point to, keyed like `source_key`."""
    sources: dict[tuple, SourceDoc] = {}
    fars_lines = {r["doc"]["line"] for r in records if r["doc"].get("corpus") == "farsnews"}
    if fars_lines:
        for doc in farsnews(limit=max(fars_lines)):
            if doc.source.line in fars_lines:
                sources[("farsnews", doc.source.line)] = SourceDoc(doc, fars_published(doc.source.url) or "")
    days = sorted({r["doc"]["day"] for r in records if r["doc"].get("corpus") == "saudinewsnet"})
    for day in days:
        with zipfile.ZipFile(shared("data", "saudinewsnet", f"{day}.zip")) as archive:
            raw = json.loads(archive.read(f"{day}.json").decode("utf-8"))
        for index, (doc, rec) in enumerate(zip(saudinewsnet(day), raw, strict=True), 1):
            sources[("saudinewsnet", day, index)] = SourceDoc(doc, rec["date_extracted"][:10])
    return sources


def source_key(doc_ref: dict[str, Any]) -> tuple:
    if doc_ref.get("corpus") == "farsnews":
        return ("farsnews", doc_ref.get("line"))
    return ("saudinewsnet", doc_ref.get("day"), doc_ref.get("index"))


def parse_point(text: str) -> tuple[dt.date | dt.datetime | int, str] | None:
    """Parse one end of a value; return it with its precision, or None when malformed or not a real date."""
    match = _POINT.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute = match.groups()
    try:
        if hour is not None:
            return dt.datetime(int(year), int(month), int(day), int(hour), int(minute)), "time"
        if day is not None:
            return dt.date(int(year), int(month), int(day)), "day"
        if month is not None:
            return dt.date(int(year), int(month), 1), "month"
    except ValueError:
        return None
    return int(year), "year"


def _start_of(point: tuple[Any, str]) -> dt.datetime:
    value, precision = point
    if precision == "year":
        return dt.datetime(value, 1, 1)
    if precision == "time":
        return value
    return dt.datetime(value.year, value.month, value.day)


def check_value(value: Any) -> str | None:
    """None when the value is well formed, else why not."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"value {value!r} is not a string or null"
    ends = value.split("/")
    if len(ends) > 2:
        return f"value {value!r} has more than two ends"
    points = [parse_point(end) for end in ends]
    if any(point is None for point in points):
        return f"value {value!r} is not ISO year, month, day, day+time or an interval of them"
    if len(points) == 2 and _start_of(points[0]) > _start_of(points[1]):
        return f"interval {value!r} ends before it starts"
    return None


def named_weekday(span_text: str) -> int | None:
    """The weekday a span names, when it names exactly one."""
    folded = span_text.translate(_NAME_FOLD)
    found: set[int] = set()
    for name, weekday in _WEEKDAY_NAMES:
        if name in folded:
            found.add(weekday)
            folded = folded.replace(name, "")
    return found.pop() if len(found) == 1 else None


def check_document(record: dict[str, Any], sources: dict[tuple, SourceDoc], report: Any) -> tuple[str, str] | None:
    """Check a record's document reference, id, language and date against the corpus; returns
    ``(where, text)`` for the span checks, or None when the document cannot be found.
    Shared by the dev-set checkers (`eval/linking_dev_check.py` uses it too)."""
    doc_ref = record.get("doc", {})
    where = json.dumps(doc_ref, ensure_ascii=False)
    source = sources.get(source_key(doc_ref))
    if source is None:
        report.error(where, "no such document in the corpus")
        return None
    text = source.document.text
    report.docs[doc_ref.get("corpus")] += 1
    if record.get("id") != document_id(text):
        report.error(where, f"id {record.get('id')} != {document_id(text)}: the text changed")
    if record.get("lang") != LANG_OF_CORPUS.get(doc_ref.get("corpus")):
        report.error(where, f"lang {record.get('lang')!r} is not that of the corpus")
    if record.get("published") != source.source_date:
        report.error(where, f"published {record.get('published')} != source date {source.source_date}")
    return where, text


def check_record(record: dict[str, Any], sources: dict[tuple, SourceDoc], report: Report) -> None:
    checked = check_document(record, sources, report)
    if checked is None:
        return
    where, text = checked
    lang = record.get("lang")
    previous_end = 0
    covered: list[tuple[int, int]] = []
    for n, time in enumerate(record.get("times", [])):
        at = f"{where} #{n} {time.get('text')!r}"
        start, end = time.get("start"), time.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            report.error(at, f"bad span ({start}, {end})")
            continue
        if text[start:end] != time.get("text"):
            report.error(at, f"text[{start}:{end}] is {text[start:end]!r}")
        if text[start:end] != text[start:end].strip():
            report.error(at, "span has surrounding whitespace")
        if start < previous_end:
            report.error(at, "span overlaps or precedes the previous one")
        previous_end = end
        covered.append((start, end))
        calendar, granularity, value = time.get("calendar"), time.get("granularity"), time.get("value")
        if calendar not in CALENDARS:
            report.error(at, f"calendar {calendar!r}")
        if granularity not in GRANULARITIES:
            report.error(at, f"granularity {granularity!r}")
        problem = check_value(value)
        if problem:
            report.error(at, problem)
        elif isinstance(value, str) and "/" not in value and len(value) >= 10:
            weekday = named_weekday(time["text"])
            if weekday is not None and dt.date.fromisoformat(value[:10]).weekday() != weekday:
                report.error(at, f"names weekday {weekday} but {value} is weekday "
                                 f"{dt.date.fromisoformat(value[:10]).weekday()}")
        report.by_lang_calendar[(lang, calendar)] += 1
        report.by_lang_granularity[(lang, granularity)] += 1
        if value is None:
            report.null_values[lang] += 1
    for match in _YEAR_SHAPED.finditer(text):
        if not any(s <= match.start() and match.end() <= e for s, e in covered):
            context = text[max(0, match.start() - 30):match.end() + 30].replace("\n", " ")
            report.uncovered.append(f"{where} {match.group()!r}: …{context}…")


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{number}: {exc}") from exc


def validate(path: Path = DEV_SET) -> Report:
    records = list(read_records(path))
    report = Report()
    sources = load_sources(records)
    seen: set[tuple] = set()
    for record in records:
        key = source_key(record.get("doc", {}))
        if key in seen:
            report.error(str(key), "document annotated twice")
        seen.add(key)
        check_record(record, sources, report)
    for corpus in LANG_OF_CORPUS:
        if report.docs[corpus] < MIN_DOCS_PER_CORPUS:
            report.error(corpus, f"{report.docs[corpus]} documents, need at least {MIN_DOCS_PER_CORPUS}")
    return report


def summary(report: Report) -> dict[str, Any]:
    langs = sorted({lang for lang, _ in report.by_lang_calendar})
    return {
        "documents": dict(report.docs),
        "expressions": {lang: sum(n for (lg, _), n in report.by_lang_calendar.items() if lg == lang)
                        for lang in langs},
        "by_calendar": {lang: {cal: n for (lg, cal), n in sorted(report.by_lang_calendar.items()) if lg == lang}
                        for lang in langs},
        "by_granularity": {lang: {g: n for (lg, g), n in sorted(report.by_lang_granularity.items()) if lg == lang}
                           for lang in langs},
        "null_values": dict(report.null_values),
        "uncovered_year_shaped_numbers": len(report.uncovered),
        "errors": report.errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEV_SET)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--uncovered", action="store_true", help="list year-shaped numbers outside every span")
    args = parser.parse_args()
    report = validate(args.path)
    result = summary(report)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"documents: {result['documents']}")
        for lang in result["by_calendar"]:
            print(f"{lang}: {result['expressions'][lang]} expressions, "
                  f"{report.null_values[lang]} with value null")
            print("  calendar:    " + ", ".join(f"{k} {v}" for k, v in result["by_calendar"][lang].items()))
            print("  granularity: " + ", ".join(f"{k} {v}" for k, v in result["by_granularity"][lang].items()))
        print(f"year-shaped numbers outside every span: {len(report.uncovered)}")
        for error in report.errors:
            print(f"ERROR {error}")
        print("OK" if not report.errors else f"{len(report.errors)} errors")
    if args.uncovered:
        print("\n".join(report.uncovered))
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
