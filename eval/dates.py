"""Measure khabar's date extraction and resolution (stage ``times.v1``, issue 3) on three sets.

1. The hand-checked dev set ``eval/data/dates_dev.jsonl`` (Fars News, SaudiNewsNet; see
   ``eval/data/dates_dev.md``). Each document is rebuilt by ``bench/corpora.py`` (its id must
   equal the record's ``id``), given the record's ``lang`` and ``published`` (as metadata) and
   run through ``find_times``. Per language: span precision/recall/F1 with exact and with overlap
   matching; value accuracy over overlap-matched spans (exact string equality of ``value``), over
   all matched spans and over those whose gold value is not null; the same per gold calendar.
2. The dateparser test cases of ``../shared/data/dateparser-fa-ar`` that assert a resolved date:
   khabar on each input string as a one-line document, against the method dateparser's own test
   used (``JalaliCalendar``, ``HijriCalendar``, ``dateparser.parse``, ``search_dates``).
3. The gold publication dates of ``../shared/data/news-html-ar-fa``: the full pipeline on each
   page read by ``khabar.readers.read_inputs``, once from the page alone and once with the URL
   the page was crawled from.

    .venv/bin/python eval/dates.py [--json] [--errors]

Matching. Gold spans are non-overlapping, and so are khabar's. Overlap matching pairs each gold
span with at most one predicted span: all overlapping pairs are taken largest overlap first
(ties: nearer starts), skipping pairs whose gold or prediction is already taken.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for _folder in ("bench", "eval"):
    if str(REPO / _folder) not in sys.path:
        sys.path.insert(0, str(REPO / _folder))

from corpora import shared  # noqa: E402
from dates_dev_check import DEV_SET, load_sources, read_records, source_key  # noqa: E402

from khabar.document import Document, Published, document_id  # noqa: E402
from khabar.stages.times import find_times  # noqa: E402

LANGS = ("fa", "ar")
CALENDARS = ("jalali", "gregorian", "hijri", "relative", "weekday")

# The dateparser cases are read against one fixed reference date, since upstream's freshness
# tests count back from the machine clock. 2024-01-01 lies after every gold date of the cases
# (so "N days ago" stays in the past, as when upstream ran them) and in the Solar Hijri century
# (1402) where the two-digit years `94` and `02` of test_jalali.py mean 1394 and 1402, as
# dateparser's own fixed pivot reads them. Noon, so that "1 hour ago" stays on the same day.
CASES_ANCHOR = datetime(2024, 1, 1, 12, 0)

# eval_mediacloud_2020.json dates aryanews' page 2020-07-02, but the page prints `۲ تير ۱۳۹۹`
# (= 2020-06-22) and its URL id starts 120200622 (news-html-ar-fa/SOURCE.md, "Suspected gold error").
SUSPECTED_GOLD_FIX = {"pages/htmldate_1641304459.html": "2020-06-22"}

_PERSIAN_ONLY_LETTERS = re.compile("[پچژگکی]")
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?")


# --------------------------------------------------------------------------- dev set


@dataclass(frozen=True, slots=True)
class DevDoc:
    """One dev-set document, ready for `find_times`, with its gold expressions."""

    where: str  # e.g. "farsnews:1143" or "saudinewsnet:2015-08-01#135"
    lang: str
    document: Document
    gold: tuple[Mapping[str, Any], ...]


def _where(doc_ref: Mapping[str, Any]) -> str:
    if doc_ref.get("corpus") == "farsnews":
        return f"farsnews:{doc_ref.get('line')}"
    return f"saudinewsnet:{doc_ref.get('day')}#{doc_ref.get('index')}"


def load_dev(path: Path = DEV_SET) -> list[DevDoc]:
    """The dev documents with ``lang`` and ``published`` set; fails when a text no longer matches its id."""
    records = list(read_records(path))
    sources = load_sources(records)
    docs = []
    for record in records:
        where = _where(record["doc"])
        source = sources.get(source_key(record["doc"]))
        if source is None:
            raise SystemExit(f"{where}: no such document in the corpus")
        text = source.document.text
        if document_id(text) != record["id"]:
            raise SystemExit(f"{where}: document id {document_id(text)} != {record['id']}: the corpus text changed")
        document = replace(source.document, lang=record["lang"],
                           published=Published(record["published"], "metadata"))
        docs.append(DevDoc(where, record["lang"], document, tuple(record["times"])))
    return docs


def match_overlapping(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) of overlapping spans, largest overlap first."""
    pairs = []
    for g, (gs, ge) in enumerate(gold):
        for p, (ps, pe) in enumerate(pred):
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                pairs.append((-overlap, abs(gs - ps), g, p))
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    matched = []
    for _overlap, _distance, g, p in sorted(pairs):
        if g in taken_gold or p in taken_pred:
            continue
        taken_gold.add(g)
        taken_pred.add(p)
        matched.append((g, p))
    return sorted(matched)


def value_shape(value: str | None) -> str:
    """`day`, `time`, `month`, `year` or `interval(<shape of the first end>)`; `null` for None."""
    if value is None:
        return "null"
    if "/" in value:
        return f"interval({value_shape(value.split('/')[0])})"
    if "T" in value:
        return "time"
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "other")


def _first_day(value: str) -> date | None:
    head = value.split("/")[0]
    try:
        if len(head) == 4:
            return date(int(head), 1, 1)
        if len(head) == 7:
            return date(int(head[:4]), int(head[5:7]), 1)
        return date.fromisoformat(head[:10])
    except ValueError:
        return None


def value_error_kind(gold: str, pred: str | None) -> str:
    """A short name for how a predicted value differs from a non-null gold value."""
    if pred is None:
        return "value null"
    gold_shape, pred_shape = value_shape(gold), value_shape(pred)
    if gold_shape != pred_shape:
        if {gold_shape, pred_shape} == {"day", "time"} and gold[:10] == pred[:10]:
            return "clock time kept/dropped"
        return f"form {gold_shape} -> {pred_shape}"
    if gold_shape.startswith("interval"):
        (g1, g2), (p1, p2) = gold.split("/"), pred.split("/")
        if g1 == p1:
            return "interval end differs"
        if g2 == p2:
            return "interval start differs"
    gold_day, pred_day = _first_day(gold), _first_day(pred)
    if gold_day is None or pred_day is None:
        return "other"
    days = (pred_day - gold_day).days
    if gold_shape in ("year", "interval(year)") or abs(days) >= 300:
        return "wrong year" if gold_day.replace(year=2000) == pred_day.replace(year=2000) or \
            gold_shape in ("year", "interval(year)") else "other (>300 days off)"
    if gold_shape in ("day", "time", "interval(day)"):
        if abs(days) == 1:
            return "off by one day"
        if days % 7 == 0:
            return "off by whole weeks (weekday direction)"
        return "other day"
    if gold_shape in ("month", "interval(month)"):
        return "wrong month"
    return "other"


@dataclass
class Tally:
    """Counts for one language (or one calendar within it)."""

    gold: int = 0
    pred: int = 0
    exact: int = 0
    overlap: int = 0
    matched_values: int = 0  # overlap-matched pairs
    equal_values: int = 0  # ... whose value strings are equal (null == null included)
    matched_nonnull: int = 0  # overlap-matched pairs whose gold value is not null
    equal_nonnull: int = 0
    gold_nonnull: int = 0  # all gold expressions with a value (end-to-end denominator)
    equal_calendar: int = 0  # matched pairs whose calendar label agrees

    def spans(self, hits: int) -> dict[str, float]:
        precision = hits / self.pred if self.pred else 0.0
        recall = hits / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}

    def summary(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "gold": self.gold, "predicted": self.pred, "exact_matches": self.exact, "overlap_matches": self.overlap,
            "exact": self.spans(self.exact), "overlap": self.spans(self.overlap),
            "value_accuracy": ratio(self.equal_values, self.matched_values),
            "value_accuracy_nonnull": ratio(self.equal_nonnull, self.matched_nonnull),
            "value_correct_nonnull": self.equal_nonnull, "matched_nonnull": self.matched_nonnull,
            "value_recall_nonnull": ratio(self.equal_nonnull, self.gold_nonnull),
            "gold_nonnull": self.gold_nonnull,
            "calendar_label_accuracy": ratio(self.equal_calendar, self.matched_values),
        }


@dataclass
class CalendarTally:
    gold: int = 0
    matched: int = 0
    matched_nonnull: int = 0
    correct: int = 0
    gold_nonnull: int = 0

    def summary(self) -> dict[str, Any]:
        return {"gold": self.gold, "overlap_recall": round(self.matched / self.gold, 4) if self.gold else None,
                "matched_nonnull": self.matched_nonnull, "correct": self.correct,
                "value_accuracy_nonnull": round(self.correct / self.matched_nonnull, 4)
                if self.matched_nonnull else None,
                "value_recall_nonnull": round(self.correct / self.gold_nonnull, 4) if self.gold_nonnull else None}


@dataclass(frozen=True, slots=True)
class DevError:
    kind: str  # the confusion key: "missed · jalali/day", "spurious · weekday", "wrong value · ..."
    where: str
    gold: str  # "text = value" or ""
    pred: str
    context: str = ""  # the text around a missed or spurious span


@dataclass
class DevResult:
    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    calendars: dict[str, dict[str, CalendarTally]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(CalendarTally)))
    errors: list[DevError] = field(default_factory=list)
    seconds: float = 0.0


def _describe(entry: Mapping[str, Any]) -> str:
    return f"{entry.get('text')!r} = {entry.get('value')}"


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    """The span in brackets with ``width`` characters either side, on one line."""
    snippet = f"{text[max(0, start - width):start]}[{text[start:end]}]{text[end:end + width]}"
    return " ".join(snippet.split())


def score_document(doc: DevDoc, predicted: Sequence[Mapping[str, Any]], result: DevResult) -> None:
    """Add one document's gold/predicted comparison to ``result``."""
    tally = result.tallies[doc.lang]
    gold = doc.gold
    tally.gold += len(gold)
    tally.pred += len(predicted)
    tally.gold_nonnull += sum(1 for g in gold if g.get("value") is not None)
    gold_spans = [(g["start"], g["end"]) for g in gold]
    pred_spans = [(p["start"], p["end"]) for p in predicted]
    tally.exact += len(set(gold_spans) & set(pred_spans))
    pairs = match_overlapping(gold_spans, pred_spans)
    tally.overlap += len(pairs)
    calendars = result.calendars[doc.lang]
    for g in gold:
        calendars[g["calendar"]].gold += 1
        if g.get("value") is not None:
            calendars[g["calendar"]].gold_nonnull += 1
    for gi, pi in pairs:
        g, p = gold[gi], predicted[pi]
        cal = calendars[g["calendar"]]
        cal.matched += 1
        tally.matched_values += 1
        equal = g.get("value") == p.get("value")
        tally.equal_values += equal
        tally.equal_calendar += g["calendar"] == p.get("calendar")
        if (g["start"], g["end"]) != (p["start"], p["end"]):
            longer = p["start"] <= g["start"] and p["end"] >= g["end"]
            shorter = p["start"] >= g["start"] and p["end"] <= g["end"]
            how = "pred longer" if longer else "pred shorter" if shorter else "pred shifted"
            result.errors.append(DevError(f"boundary · {how}", doc.where, _describe(g), _describe(p)))
        if g.get("value") is None:
            if p.get("value") is not None:
                result.errors.append(DevError("gold null, value given", doc.where, _describe(g), _describe(p)))
            continue
        tally.matched_nonnull += 1
        cal.matched_nonnull += 1
        tally.equal_nonnull += equal
        cal.correct += equal
        if not equal:
            kind = f"wrong value · {g['calendar']} · {value_error_kind(g['value'], p.get('value'))}"
            result.errors.append(DevError(kind, doc.where, _describe(g), _describe(p)))
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    for gi, g in enumerate(gold):
        if gi not in matched_gold:
            result.errors.append(DevError(f"missed · {g['calendar']}/{g['granularity']}", doc.where, _describe(g), "",
                                          _context(doc.document.text, g["start"], g["end"])))
    for pi, p in enumerate(predicted):
        if pi not in matched_pred:
            result.errors.append(DevError(f"spurious · {p.get('kind')}", doc.where, "", _describe(p),
                                          _context(doc.document.text, p["start"], p["end"])))


def evaluate_dev(docs: Iterable[DevDoc]) -> DevResult:
    result = DevResult()
    for doc in docs:
        started = time.perf_counter()
        predicted = find_times(doc.document).times
        result.seconds += time.perf_counter() - started
        score_document(doc, predicted, result)
    return result


def dev_summary(result: DevResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lang in LANGS:
        summary = result.tallies[lang].summary()
        summary["by_calendar"] = {cal: result.calendars[lang][cal].summary()
                                  for cal in CALENDARS if result.calendars[lang][cal].gold}
        out[lang] = summary
    out["error_types"] = Counter(e.kind for e in result.errors).most_common()
    return out


# --------------------------------------------------------------------------- dateparser cases


@dataclass(frozen=True, slots=True)
class DateCase:
    """One gold date asserted by a dateparser test: an input and the day it must resolve to."""

    test: str  # file::test:line
    text: str
    lang: str
    gold_day: str
    gold_time: str | None  # "HH:MM" when the gold has a clock time other than midnight
    anchor: datetime
    method: str  # how dateparser's own test read it: jalali | hijri | parse | search
    target: str | None = None  # for search cases: the substring the gold date belongs to


def _lang_of(text: str) -> str:
    return "fa" if _PERSIAN_ONLY_LETTERS.search(text) else "ar"


def _gold_datetime(raw: Mapping[str, str]) -> datetime:
    return datetime.fromisoformat(raw["__datetime__"])


def _clock(moment: datetime) -> str | None:
    return moment.strftime("%H:%M") if (moment.hour, moment.minute) != (0, 0) else None


def load_dateparser_cases(path: Path | None = None) -> tuple[list[DateCase], Counter]:
    """The cases with a gold date, and a count of the (file, test) kinds left out (no gold date)."""
    from dateutil.relativedelta import relativedelta

    path = path or shared("data", "dateparser-fa-ar", "dateparser_test_cases_fa_ar.jsonl")
    cases: list[DateCase] = []
    skipped: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        name = f"{Path(row['file']).name}::{row['test']}:{row['line']}"
        kwargs, args = row["kwargs"], row["args"]
        if row["test"] == "test_get_date" and "jalali" in row["file"]:
            moment = _gold_datetime(kwargs["dt"])
            cases.append(DateCase(name, kwargs["date_string"], "fa", moment.date().isoformat(), _clock(moment),
                                  CASES_ANCHOR, "jalali"))
        elif row["test"] == "test_datetime_parsing" and "hijri" in row["file"]:
            moment = _gold_datetime(kwargs["dt_obj"])
            cases.append(DateCase(name, kwargs["dt_string"], "ar", moment.date().isoformat(), _clock(moment),
                                  CASES_ANCHOR, "hijri"))
        elif "freshness" in row["file"] and "ago" in kwargs:
            moment = CASES_ANCHOR - relativedelta(**kwargs["ago"])
            cases.append(DateCase(name, args[0], _lang_of(args[0]), moment.date().isoformat(), None,
                                  CASES_ANCHOR, "parse"))
        elif row["test"] == "test_search_and_parse":
            lang, text, expected = args[0], args[1], args[2]
            base = _gold_datetime(kwargs["settings"]["RELATIVE_BASE"])
            for target, raw in expected:
                moment = _gold_datetime(raw)
                cases.append(DateCase(name, text, lang, moment.date().isoformat(), _clock(moment), base,
                                      "search", target))
        else:
            skipped[f"{Path(row['file']).name}::{row['test']}"] += 1
    return cases, skipped


def _point_day(value: str | None) -> str | None:
    return value[:10] if value and _DAY_VALUE.fullmatch(value) else None


def _hour_minute(clock: str | None) -> str | None:
    """`9:32`, `09:32:10` -> `09:32` (khabar's `time` field keeps the digits as written)."""
    parts = (clock or "").split(":")
    if len(parts) < 2 or not all(part.isdigit() for part in parts[:2]):
        return None
    return f"{int(parts[0]):02d}:{int(parts[1]):02d}"


def khabar_on_case(case: DateCase) -> dict[str, Any]:
    """khabar's reading of one case: found, value, correct."""
    doc = Document(text=case.text, lang=case.lang,
                   published=Published(case.anchor.date().isoformat(), "metadata"))
    times = find_times(doc).times
    if case.target is not None:
        start = case.text.find(case.target)
        span = (start, start + len(case.target))
        hits = [t for t in times if t["start"] < span[1] and span[0] < t["end"]]
        # dateparser fills a missing day with the 1st: a month value stands for its first day.
        correct = any(_point_day(t.get("value")) == case.gold_day
                      or (t.get("value") == case.gold_day[:7] and case.gold_day.endswith("-01")) for t in hits)
        return {"found": [_describe(t) for t in hits], "correct": correct, "covers": bool(hits)}
    stripped_start = len(case.text) - len(case.text.lstrip())
    digits = [i for i, ch in enumerate(case.text) if ch.isdigit()]
    only = times[0] if len(times) == 1 else None
    covers = only is not None and all(only["start"] <= i < only["end"] for i in digits) \
        and only["start"] <= stripped_start + 1
    correct = only is not None and _point_day(only.get("value")) == case.gold_day
    time_ok = None
    if case.gold_time and only is not None:
        time_ok = _hour_minute(only.get("time") or (only.get("value") or "")[11:16]) == case.gold_time
    return {"found": [_describe(t) for t in times], "correct": correct, "covers": covers, "time_correct": time_ok}


def dateparser_on_case(case: DateCase) -> dict[str, Any]:
    """dateparser's reading of one case, by the method its own test used."""
    import dateparser
    from dateparser.calendars.hijri import HijriCalendar
    from dateparser.calendars.jalali import JalaliCalendar
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": case.anchor}
    if case.method == "search":
        found = search_dates(case.text, languages=[case.lang], settings=settings) or []
        start = case.text.find(case.target or "")
        span = (start, start + len(case.target or ""))
        hits = []
        for substring, moment in found:
            at = case.text.find(substring)
            if at >= 0 and at < span[1] and span[0] < at + len(substring):
                hits.append((substring, moment))
        correct = any(moment.date().isoformat() == case.gold_day for _, moment in hits)
        return {"found": [f"{s!r} = {m.isoformat()}" for s, m in hits], "correct": correct}
    if case.method == "jalali":
        data = JalaliCalendar(case.text).get_date()
        moment = data.date_obj if data else None
    elif case.method == "hijri":
        data = HijriCalendar(case.text).get_date()
        moment = data.date_obj if data else None
    else:
        moment = dateparser.parse(case.text, languages=[case.lang], settings=settings)
    plain = dateparser.parse(case.text, languages=[case.lang], settings=settings)
    return {"found": [moment.isoformat()] if moment else [],
            "correct": bool(moment and moment.date().isoformat() == case.gold_day),
            "parse_correct": bool(plain and plain.date().isoformat() == case.gold_day),
            "time_correct": (moment.strftime("%H:%M") == case.gold_time) if (moment and case.gold_time) else None}


def evaluate_dateparser_cases() -> dict[str, Any]:
    cases, skipped = load_dateparser_cases()
    rows = []
    for case in cases:
        rows.append({"test": case.test, "text": case.target or case.text, "method": case.method,
                     "gold": case.gold_day, "gold_time": case.gold_time,
                     "khabar": khabar_on_case(case), "dateparser": dateparser_on_case(case)})
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["method"]].append(row)
    by_method = {}
    for method, group in sorted(groups.items()):
        by_method[method] = {
            "cases": len(group),
            "khabar_correct": sum(r["khabar"]["correct"] for r in group),
            "dateparser_correct": sum(r["dateparser"]["correct"] for r in group),
            "dateparser_parse_correct": sum(bool(r["dateparser"].get("parse_correct")) for r in group)
            if method != "search" else None,
            "khabar_covers_input": sum(bool(r["khabar"]["covers"]) for r in group),
        }
    timed = [r for r in rows if r["gold_time"]]
    total = len(rows)
    return {
        "anchor": CASES_ANCHOR.isoformat(timespec="minutes"),
        "cases": total,
        "khabar_accuracy": round(sum(r["khabar"]["correct"] for r in rows) / total, 4),
        "dateparser_accuracy": round(sum(r["dateparser"]["correct"] for r in rows) / total, 4),
        "cases_with_clock_time": len(timed),
        "khabar_time_correct": sum(bool(r["khabar"].get("time_correct")) for r in timed),
        "dateparser_time_correct": sum(bool(r["dateparser"].get("time_correct")) for r in timed),
        "by_method": by_method,
        "skipped_without_gold_date": dict(sorted(skipped.items())),
        "rows": rows,
    }


# --------------------------------------------------------------------------- publication dates


def evaluate_news_html() -> dict[str, Any]:
    from khabar.pipeline import Pipeline
    from khabar.readers import read_inputs

    root = shared("data", "news-html-ar-fa")
    pipeline = Pipeline()
    # htmldate passes page strings such as "GST" to dateutil, which warns on every such page.
    warnings.filterwarnings("ignore", message="tzname .* identified but not understood")
    rows = []
    for line in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        if not gold.get("gold_publication_date"):
            continue
        results = list(read_inputs([str(root / gold["file"])]))
        if len(results) != 1 or not isinstance(results[0], Document):
            raise SystemExit(f"{gold['file']}: the reader gave {results!r}")
        page = results[0]
        with_url = replace(page, source=replace(page.source, url=gold["url"])).with_meta(url=gold["url"])
        row: dict[str, Any] = {"file": gold["file"], "lang": gold["lang"], "gold": gold["gold_publication_date"],
                               "corrected_gold": SUSPECTED_GOLD_FIX.get(gold["file"], gold["gold_publication_date"])}
        for label, doc in (("page", page), ("page+url", with_url)):
            out = pipeline(doc)
            published = out.published
            evidence = out.text[published.evidence.start:published.evidence.end] if published and published.evidence else None
            row[label] = {"value": published.value if published else None,
                          "source": published.source if published else None, "evidence": evidence,
                          "issues": [i.code for i in out.issues]}
        rows.append(row)

    def accuracy(label: str, key: str) -> dict[str, Any]:
        hits = sum(1 for r in rows if (r[label]["value"] or "")[:10] == r[key])
        return {"correct": hits, "pages": len(rows), "accuracy": round(hits / len(rows), 4) if rows else None}

    return {"pages": len(rows),
            "suspected_gold_error": {file: f"gold {next(r['gold'] for r in rows if r['file'] == file)}, "
                                           f"page says {day}" for file, day in SUSPECTED_GOLD_FIX.items()},
            "page": {"vs_gold": accuracy("page", "gold"), "vs_corrected_gold": accuracy("page", "corrected_gold")},
            "page+url": {"vs_gold": accuracy("page+url", "gold"),
                         "vs_corrected_gold": accuracy("page+url", "corrected_gold")},
            "rows": rows}


# --------------------------------------------------------------------------- report


def evaluate(include_errors: bool = False) -> dict[str, Any]:
    """All three measurements as one JSON-able dict (dev set, dateparser cases, publication dates)."""
    docs = load_dev()
    dev = evaluate_dev(docs)
    result: dict[str, Any] = {"dev": dev_summary(dev), "dev_documents": len(docs), "dev_seconds": round(dev.seconds, 3),
                              "dateparser_cases": evaluate_dateparser_cases(), "news_html": evaluate_news_html()}
    if include_errors:
        result["dev_errors"] = [{"kind": e.kind, "where": e.where, "gold": e.gold, "pred": e.pred, "context": e.context}
                                for e in dev.errors]
    return result


def _pct(value: float | None) -> str:
    return "  –  " if value is None else f"{100 * value:5.1f}"


def print_report(result: dict[str, Any], show_errors: bool) -> None:
    dev = result["dev"]
    print("== Dev set (eval/data/dates_dev.jsonl), find_times with the record's lang and published ==")
    print(f"{'lang':4} {'gold':>5} {'pred':>5} | {'exact P':>7} {'R':>5} {'F1':>5} | {'overlap P':>9} {'R':>5} {'F1':>5} "
          f"| {'value acc':>9} {'non-null':>8} {'e2e':>5} | {'cal.lbl':>7}")
    for lang in LANGS:
        s = dev[lang]
        print(f"{lang:4} {s['gold']:5} {s['predicted']:5} | {_pct(s['exact']['precision']):>7} {_pct(s['exact']['recall'])} "
              f"{_pct(s['exact']['f1'])} | {_pct(s['overlap']['precision']):>9} {_pct(s['overlap']['recall'])} "
              f"{_pct(s['overlap']['f1'])} | {_pct(s['value_accuracy']):>9} {_pct(s['value_accuracy_nonnull']):>8} "
              f"{_pct(s['value_recall_nonnull'])} | {_pct(s['calendar_label_accuracy']):>7}")
    print("value acc = equal values / overlap-matched spans; non-null = same where gold value is not null; "
          "e2e = correct values / all non-null gold")
    print(f"\n{'lang':4} {'calendar':10} {'gold':>5} {'found':>6} {'matched≠null':>12} {'correct':>7} {'value acc':>9} {'e2e':>5}")
    for lang in LANGS:
        for cal, c in dev[lang]["by_calendar"].items():
            print(f"{lang:4} {cal:10} {c['gold']:5} {_pct(c['overlap_recall']):>6} {c['matched_nonnull']:12} "
                  f"{c['correct']:7} {_pct(c['value_accuracy_nonnull']):>9} {_pct(c['value_recall_nonnull'])}")
    print(f"find_times on {result['dev_documents']} documents (first pass, cold): {result['dev_seconds']} s")

    print("\nMost frequent error types (dev):")
    for kind, count in dev["error_types"][:25]:
        print(f"  {count:4}  {kind}")

    cases = result["dateparser_cases"]
    print(f"\n== dateparser test cases with a gold date (anchor / RELATIVE_BASE {cases['anchor']}) ==")
    print(f"{'method':8} {'cases':>5} {'khabar':>7} {'dateparser':>10} {'dp.parse':>8} {'khabar covers input':>20}")
    for method, m in cases["by_method"].items():
        parse = "–" if m["dateparser_parse_correct"] is None else m["dateparser_parse_correct"]
        print(f"{method:8} {m['cases']:5} {m['khabar_correct']:7} {m['dateparser_correct']:10} {parse!s:>8} "
              f"{m['khabar_covers_input']:20}")
    print(f"accuracy: khabar {_pct(cases['khabar_accuracy'])} %, dateparser {_pct(cases['dateparser_accuracy'])} % "
          f"of {cases['cases']}")
    print(f"clock time right where the gold has one: khabar {cases['khabar_time_correct']}, dateparser "
          f"{cases['dateparser_time_correct']} of {cases['cases_with_clock_time']}")
    print("(jalali/hijri: dateparser's JalaliCalendar/HijriCalendar as in its tests, dp.parse = plain "
          "dateparser.parse; parse = freshness cases; search = one row per gold date of test_search_and_parse)")
    print("left out (no resolved date asserted): " + ", ".join(f"{k} {v}" for k, v in cases["skipped_without_gold_date"].items()))
    failed = [r for r in cases["rows"] if not r["khabar"]["correct"]]
    if failed:
        print("khabar wrong:")
        for r in failed:
            print(f"  {r['test']}: {r['text']!r} gold {r['gold']} -> {r['khabar']['found']}")

    html = result["news_html"]
    print(f"\n== Publication dates, news-html-ar-fa ({html['pages']} pages with a gold date), full Pipeline() ==")
    for label in ("page", "page+url"):
        a, b = html[label]["vs_gold"], html[label]["vs_corrected_gold"]
        print(f"{label:9} vs gold {a['correct']}/{a['pages']}  vs corrected gold {b['correct']}/{b['pages']}")
    print("suspected gold error: " + "; ".join(f"{k}: {v}" for k, v in html["suspected_gold_error"].items()))
    for r in html["rows"]:
        page, url = r["page"], r["page+url"]
        print(f"  {Path(r['file']).name:26} {r['lang']} gold {r['gold']} | page {page['value']} ({page['source']}, "
              f"{page['evidence']!r}) | +url {url['value']} ({url['source']})")

    if show_errors:
        print("\n== Dev errors by type (gold vs predicted) ==")
        by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
        for error in result["dev_errors"]:
            by_kind[error["kind"]].append(error)
        for kind, errors in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"\n-- {kind} ({len(errors)})")
            for e in errors:
                print(f"  {e['where']:32} gold {e['gold'] or '–'}  |  pred {e['pred'] or '–'}")
                if e["context"]:
                    print(f"  {'':32} …{e['context']}…")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="list every dev error by type")
    args = parser.parse_args()
    result = evaluate(include_errors=args.errors)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_report(result, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
