"""Story records, merged events and what a story tells its undated members.

Given analysed documents and their story assignments (`khabar.corpus.stories`):

- `story_records` builds one record per story: headline per language (its first member's),
  first and last publication days, languages, outlets, key entities, members, and **merged
  events**: the events of all members grouped when they have the same type and participants and
  compatible place and day, each merged event citing its sources, counting its mentions, keeping
  the most specific day and place its articles give, and listing conflicting days;
- `infer_from_story` fills what one article leaves open when its story agrees: a publication date
  (the members' dates, when they all fall within two days of each other), then the values of its
  relative dates (`دیروز`, `الأحد`) against that date, by running the stages after `pubdate.v1`
  again with it as the anchor (roles are re-read at that date too), and the day of an event
  that merges with a dated event of the story (seed 000's "Monday" visit is 8 April 2024 because
  seed 001 dates the same visit). Inferred values say ``source: "story"`` and name the documents
  that support them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import replace
from datetime import date
from typing import Any

from khabar.corpus.stories import Assignment
from khabar.document import Document, Published
from khabar.kb import country_of
from khabar.stages.attribution import outlet_of

PUBLISHED_AGREEMENT_DAYS = 2
KEY_ENTITIES = 8
_GRANULARITY_RANK = {"day": 3, "interval": 2, "week": 2, "month": 1, "season": 1, "year": 0, "decade": 0}


def story_records(docs: Sequence[Document], assignments: Iterable[Assignment]) -> list[dict[str, Any]]:
    """One record per story, in order of first arrival."""
    by_id = {d.id: d for d in docs}
    members: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        members[a.story].append(a)
    out = []
    for story_id, assigned in members.items():
        story_docs = [by_id[a.doc_id] for a in assigned if a.doc_id in by_id]
        days = sorted(d.published.value[:10] for d in story_docs if d.published)
        headlines: dict[str, str] = {}
        entities: Counter[str] = Counter()
        for d in story_docs:
            if d.title and d.lang:
                headlines.setdefault(d.lang, d.span_text(d.title))
            entities.update({m["entity"] for m in d.mentions if m.get("entity") and m.get("zone") in ("title", "lead", "body")})
        out.append({
            "id": story_id,
            "headlines": headlines,
            "first_date": days[0] if days else None,
            "last_date": days[-1] if days else None,
            "languages": sorted({d.lang for d in story_docs if d.lang}),
            "outlets": sorted({o for d in story_docs if (o := outlet_of(d))}),
            "key_entities": [e for e, _ in entities.most_common(KEY_ENTITIES)],
            "members": [{"doc": a.doc_id, "lang": by_id[a.doc_id].lang, "outlet": outlet_of(by_id[a.doc_id]),
                         "published": by_id[a.doc_id].published.value if by_id[a.doc_id].published else None,
                         "duplicate_of": a.duplicate_of} for a in assigned if a.doc_id in by_id],
            "events": merge_events(story_docs),
        })
    return out


def merge_events(docs: Sequence[Document]) -> list[dict[str, Any]]:
    """The events of a story's articles, one record per real event (see the module docstring)."""
    merged: list[dict[str, Any]] = []
    for doc in docs:
        for event in doc.events:
            people = frozenset(p["entity"] for p in event["participants"] if p.get("entity"))
            if not people:
                continue
            target = next((m for m in merged if m["type"] == event["type"]
                           and _participants_nest(m["_people"], people)
                           and _places_agree(m["place"], _entity((event.get("place") or {})))
                           and _days_agree(m["_days"], _when_value(event))), None)
            if target is None:
                target = {"type": event["type"], "cameo": event.get("cameo"), "_people": people,
                          "participants": sorted(people), "place": None, "when": None, "_days": [],
                          "sources": [], "mentions": 0, "conflicts": []}
                merged.append(target)
            target["_people"] = target["_people"] | people
            target["participants"] = sorted(target["_people"])
            target["sources"].append({"doc": doc.id, "event": event.get("id")})
            target["mentions"] += len(event.get("triggers") or [None])
            target["place"] = _more_specific_place(target["place"], _entity(event.get("place") or {}))
            value = _when_value(event)
            if value:
                target["_days"].append(value)
                target["when"] = _more_specific_when(target["when"], event["when"])
    for m in merged:
        values = sorted(set(m.pop("_days")))
        day_values = sorted({v[:10] for v in values if len(v) >= 10})
        if len(day_values) > 1:
            m["conflicts"] = day_values
        m.pop("_people")
    return merged


def infer_from_story(doc: Document, story_docs: Sequence[Document]) -> Document:
    """``doc`` with what its story tells: a publication date and event days it lacks."""
    others = [d for d in story_docs if d.id != doc.id]
    if doc.published is None:
        dated = sorted((d.published.value[:10], d.id) for d in others
                       if d.published and d.published.source != "story")
        if dated:
            first, last = date.fromisoformat(dated[0][0]), date.fromisoformat(dated[-1][0])
            if (last - first).days <= PUBLISHED_AGREEMENT_DAYS:
                support = [doc_id for _, doc_id in dated]
                doc = replace(doc, published=Published(dated[0][0], "story", None))
                doc = _reanalyse_with_published(doc.with_meta(published_story_support=support), support)
    dated_events = [(e, d.id) for d in others for e in d.events if _when_value(e)]
    events = []
    changed = False
    for event in doc.events:
        if _when_value(event) is None:
            people = {p["entity"] for p in event["participants"] if p.get("entity")}
            support = [(e, doc_id) for e, doc_id in dated_events if e["type"] == event["type"]
                       and people and _within(people, {p["entity"] for p in e["participants"]})
                       and _places_agree(_entity(e.get("place") or {}), _entity(event.get("place") or {}))]
            values = {_when_value(e) for e, _ in support}
            if len(values) == 1:
                source_event = support[0][0]
                own = event.get("when") or {}
                value, granularity = source_event["when"]["value"], source_event["when"].get("granularity")
                day = _weekday_in(value, own.get("weekday"))
                if day is not None:  # "on Monday" within the story's 8-9 April: 8 April
                    value, granularity = day, "day"
                event = {**event, "when": {"value": value, "granularity": granularity,
                                           "start": own.get("start"), "end": own.get("end"), "text": own.get("text"),
                                           "source": "story", "support": sorted({doc_id for _, doc_id in support})}}
                changed = True
        events.append(event)
    return replace(doc, events=tuple(events)) if changed else doc


def _reanalyse_with_published(doc: Document, support: list[str]) -> Document:
    """Run the stages after `pubdate.v1` again now that ``doc.published`` comes from the story, and
    mark the time expressions that only this anchor could resolve (``source: "story"``)."""
    from khabar.pipeline import DEFAULT_STAGES, Pipeline

    unresolved = {(t["start"], t["end"]) for t in doc.times if t.get("value") is None}
    after = DEFAULT_STAGES[DEFAULT_STAGES.index("pubdate.v1") + 1:]
    doc = Pipeline(after)(doc)
    times = tuple({**t, "source": "story", "support": support}
                  if t.get("value") is not None and (t["start"], t["end"]) in unresolved else t for t in doc.times)
    return replace(doc, times=times)


def _participants_nest(a: frozenset[str], b: frozenset[str]) -> bool:
    """One participant set inside the other; when both name people, the people alone decide: a
    visit's host country is given in one article and its host minister in another (the VISIT
    host rule of `eval/data/events_dev.md`)."""
    a, b = _people_if_both(a, b)
    return a <= b or b <= a


def _within(mine: set[str], theirs: set[str]) -> bool:
    mine, theirs = _people_if_both(mine, theirs)
    return mine <= theirs


def _people_if_both(a: Set[str], b: Set[str]) -> tuple[Set[str], Set[str]]:
    people_a = {e for e in a if e.startswith(("per:", "local:per:"))}
    people_b = {e for e in b if e.startswith(("per:", "local:per:"))}
    return (people_a, people_b) if people_a and people_b else (a, b)


def _weekday_in(value: str, weekday: int | None) -> str | None:
    """The one day of ``value`` (a day or an interval of days) that falls on ISO ``weekday``."""
    if not weekday:
        return None
    try:
        start = date.fromisoformat(value.split("/")[0][:10])
        end = date.fromisoformat(value.split("/")[-1][:10])
    except ValueError:
        return None
    days = [start.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)
            if start.fromordinal(n).isoweekday() == weekday]
    return days[0].isoformat() if len(days) == 1 else None


def _entity(value: Mapping[str, Any]) -> str | None:
    return value.get("entity") if value else None


def _when_value(event: Mapping[str, Any]) -> str | None:
    return (event.get("when") or {}).get("value")


def _places_agree(a: str | None, b: str | None) -> bool:
    return not a or not b or a == b or (country_of(a) or a) == (country_of(b) or b)


def _days_agree(known: list[str], value: str | None) -> bool:
    if not value or not known:
        return True
    for k in known:
        if k[:10] == value[:10] or ((len(k) < 10 or len(value) < 10) and (k.startswith(value) or value.startswith(k))):
            return True
        if "/" in k and k.split("/")[0] <= value[:10] <= k.split("/")[1]:
            return True
        if "/" in value and value.split("/")[0] <= k[:10] <= value.split("/")[1]:
            return True
    return False


def _more_specific_place(current: str | None, new: str | None) -> str | None:
    if current is None:
        return new
    if new and new.startswith("city:") and not current.startswith("city:"):
        return new
    return current


def _more_specific_when(current: dict[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    candidate = {"value": new["value"], "granularity": new.get("granularity")}
    if current is None:
        return candidate
    rank = _GRANULARITY_RANK.get(str(candidate["granularity"]), 0)
    return candidate if rank > _GRANULARITY_RANK.get(str(current["granularity"]), 0) else current
