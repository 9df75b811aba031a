"""What story clustering knows about one analysed document, computed once and kept small.

`StoryFeatures.of(doc)` reduces a document to the evidence the corpus stages compare:

- content words of its title, lead and body on the matching form (letters, digits and ZWNJ
  folded as in `khabar.normalize.match_view`), function words removed, the Arabic article and
  conjunction set aside (`والرياض` and `الرياض` meet `رياض`), for within-language TF-IDF;
- a MinHash signature of its word 5-shingles, for near-duplicates and wire copies;
- the linked entities of its prose (knowledge-base and corpus-local ids, the publishing outlet
  excluded), with counts: language-independent evidence across Persian, Arabic and English;
- event signatures (type + participants) and the days its events and dates point at; the
  events its headline or first paragraph reports (`lead_events`) are what the article is about,
  the others may be background;
- its day (the publication date), language and outlet.

The features are a frozen, picklable value: Spark ships them between stages like documents.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from khabar.corpus.minhash import minhash_signature, shingles
from khabar.document import Document
from khabar.kb import country_of
from khabar.normalize import pattern_form
from khabar.stages.attribution import outlet_of

PROSE_ZONES = frozenset({"title", "lead", "body", "caption", None})
SHINGLE_WORDS = 5
_WORD = re.compile(r"[^\W_]+")
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


@functools.cache
def _stopwords() -> frozenset[str]:
    from khabar.stages.clean import load_stopwords

    return frozenset(pattern_form(w) for w in load_stopwords())


def content_words(text: str) -> list[str]:
    """Folded content words: no function words, no bare numbers, Arabic article set aside."""
    stop = _stopwords()
    out = []
    for word in _WORD.findall(pattern_form(text)):
        if word in stop or word.isdigit() or len(word) < 2:
            continue
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix):]
                break
        out.append(word)
    return out


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    doc_id: str
    lang: str | None
    outlet: str | None
    day: date | None
    title: str
    terms: tuple[tuple[str, int], ...]          # content word -> count
    title_terms: tuple[str, ...]                # content words of the headline
    signature: tuple[int, ...]                  # MinHash of word shingles
    entities: tuple[tuple[str, int], ...]       # entity id -> mentions in prose
    events: tuple[str, ...]                     # "TYPE|participant,participant|place country|day"
    lead_events: tuple[str, ...]                # those with a trigger in the headline or first paragraph
    event_days: tuple[date, ...]                # days the document's events are dated to
    mentioned_days: tuple[date, ...]            # days its prose names, within a month of publication

    @classmethod
    def of(cls, doc: Document) -> StoryFeatures:
        prose = doc.body_text()
        words = content_words(prose)
        title = doc.span_text(doc.title) if doc.title else ""
        outlet = outlet_of(doc)
        entities = Counter(m["entity"] for m in doc.mentions
                           if m.get("entity") and m.get("zone") in PROSE_ZONES and m["entity"] != outlet)
        events = sorted({_event_signature(e) for e in doc.events})
        lead = _lead_ranges(doc)
        lead_events = sorted({_event_signature(e) for e in doc.events
                              if any(s <= t["start"] < end for t in e.get("triggers") or () for s, end in lead)})
        days = sorted({d for e in doc.events if (d := _day((e.get("when") or {}).get("value")))})
        published = _day(doc.published.value if doc.published else None)
        mentioned = sorted({d for t in doc.times
                            if t.get("granularity") == "day" and t.get("role") in ("body", "header", None)
                            and (d := _day(t.get("value"))) and (published is None or abs((d - published).days) <= 31)})
        return cls(
            doc_id=doc.id, lang=doc.lang, outlet=outlet,
            day=published,
            title=title or prose[:120],
            terms=tuple(sorted(Counter(words).items())),
            title_terms=tuple(sorted(set(content_words(title)))),
            signature=minhash_signature(shingles(words, SHINGLE_WORDS)),
            entities=tuple(sorted(entities.items())),
            events=tuple(events), lead_events=tuple(lead_events), event_days=tuple(days),
            mentioned_days=tuple(mentioned),
        )


def _event_signature(event: dict) -> str:
    return "|".join((event["type"], ",".join(sorted(p["entity"] for p in event["participants"])),
                     _place_key((event.get("place") or {}).get("entity")),
                     ((event.get("when") or {}).get("value") or "")[:10]))


def _lead_ranges(doc: Document) -> list[tuple[int, int]]:
    """The headline and the first prose block after it: where a news article says what it is about."""
    ranges = [(doc.title.start, doc.title.end)] if doc.title else []
    first = next((b for b in doc.blocks if b.kind in ("lead", "body")), None)
    if first is not None:
        ranges.append((first.start, first.end))
    return ranges


def _place_key(entity_id: str | None) -> str:
    """An event place as compared across articles: its country, or the place itself (an occasion)."""
    return country_of(entity_id) or entity_id or ""


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
