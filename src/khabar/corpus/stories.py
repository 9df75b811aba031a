"""Online near-duplicate detection and cross-lingual story clustering.

Documents arrive one at a time (in time order when the caller can give it) and each is assigned
on arrival, as in the topic-detection-and-tracking setting:

1. **Near-duplicates**: its MinHash bands are looked up; an earlier document of the same language
   whose estimated shingle Jaccard similarity is at least `DUPLICATE_JACCARD` makes it a copy
   (`duplicate_of`, the first document of the wire group).
2. **Candidate stories** come only from inverted indexes: the story of a copy, stories sharing a
   MinHash band, stories sharing one of the document's rarest entities, stories sharing one of
   its highest-IDF content words (same language), stories sharing an event signature (type and
   participants: the retrieval key that crosses languages). Postings older than `WINDOW_DAYS` before the
   document are dropped as they are met, so the work per document does not grow with the corpus.
3. Each candidate is scored by a logistic model over language-independent and within-language
   evidence (`PairFeatures`): TF-IDF cosine with the story's centroid (same language only), IDF-
   weighted entity cosine, a shared event signature, the best shingle similarity with a member,
   the day gap. The document joins the best story at probability >= 0.5, else opens a new one.
   The weights are fitted on the dev labels by `scripts/fit_story_model.py` and shipped in
   `corpus/story_model.json` (with the data and the scores they were fitted on).

The clusterer is a corpus-level object holding its indexes; stages stay pure, and a Spark job
runs it after the per-document stages (it is not a `Document -> Document` function).
"""

from __future__ import annotations

import functools
import heapq
import json
import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any

from khabar.corpus.features import StoryFeatures
from khabar.corpus.minhash import band_keys, jaccard_estimate

DUPLICATE_JACCARD = 0.7
WINDOW_DAYS = 4
RARE_ENTITIES = 4          # the document's entities with the highest IDF used for retrieval
TOP_TERMS = 6              # its content words with the highest TF-IDF used for retrieval
CENTROID_TERMS = 300       # a story keeps its heaviest words only
MAX_MEMBER_SIGNATURES = 12
_WINDOW = timedelta(days=WINDOW_DAYS)
CROSS_LINGUAL_ENTITIES = 0.5  # entity cosine a document in another language needs besides a matching event
# Features of the fitted model. `shared_event` is not among them: it acts through the rules of
# `StoryClusterer.join_probability` (the monolingual dev labels hold too few events to weigh it).
FEATURE_NAMES = ("term_cosine", "member_cosine", "title_cosine", "entity_cosine", "shingle_jaccard", "day_gap",
                 "same_days", "other_days", "same_language")
MAX_MEMBER_VECTORS = 12    # members a story compares a newcomer with one by one (single-link evidence)


@dataclass(frozen=True, slots=True)
class PairFeatures:
    term_cosine: float
    member_cosine: float
    title_cosine: float
    entity_cosine: float
    shared_event: float
    lead_conflict: float  # both lead with an event of one type and one person, with other counterparts
    shingle_jaccard: float
    day_gap: float
    same_days: float     # the document names a day its story names (`اليوم`, `أمس`, `الأحد` resolved)
    other_days: float    # both name days, none the same: two days' forecasts or market closes
    same_language: float

    def vector(self) -> list[float]:
        return [getattr(self, name) for name in FEATURE_NAMES]


@dataclass(frozen=True, slots=True)
class StoryModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5   # probability at which a document joins a story

    def probability(self, features: PairFeatures) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryModel:
        if list(data["features"]) != list(FEATURE_NAMES):
            raise ValueError("story model features differ from this khabar's; refit with scripts/fit_story_model.py")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data.get("threshold", 0.5)))


@functools.cache
def default_model() -> StoryModel:
    """The shipped model (`corpus/story_model.json`)."""
    text = resources.files("khabar").joinpath("corpus/story_model.json").read_text(encoding="utf-8")
    return StoryModel.from_json(json.loads(text))


@dataclass
class Story:
    id: str
    members: list[str] = field(default_factory=list)
    langs: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    days: set[date] = field(default_factory=set)        # distinct publication days of the members
    mentioned_days: set[date] = field(default_factory=set)
    terms: dict[str, Counter[str]] = field(default_factory=dict)   # language -> summed term counts
    entities: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    signatures: list[tuple[int, ...]] = field(default_factory=list)
    headlines: dict[str, str] = field(default_factory=dict)
    # Unit vectors. The centroid and entity vectors are made when a newcomer is first compared
    # with the story after a change, with the IDF of that moment; most stories are never
    # compared again after a join, so re-weighting them on every join was wasted work.
    centroid_vectors: dict[str, dict[str, float]] = field(default_factory=dict)
    member_vectors: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    title_vectors: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    entity_vector: dict[str, float] | None = None
    member_entity_vectors: list[dict[str, float]] = field(default_factory=list)
    _parsed_events: list[_EventSignature] | None = field(default=None, repr=False)
    lead_events: dict[str, _EventSignature] = field(default_factory=dict)  # what its members lead with

    def parsed_events(self) -> list[_EventSignature]:
        """The story's event signatures split into fields, made once per change of `events`
        (every candidate comparison needs them)."""
        if self._parsed_events is None:
            self._parsed_events = [_EventSignature.parse(e) for e in self.events]
        return self._parsed_events

    @property
    def first_day(self) -> date | None:
        return min(self.days) if self.days else None

    @property
    def last_day(self) -> date | None:
        return max(self.days) if self.days else None


@dataclass(frozen=True, slots=True)
class Assignment:
    doc_id: str
    story: str
    duplicate_of: str | None
    probability: float | None      # of joining the chosen story; None for a new story


class StoryClusterer:
    """Assigns documents to stories one at a time; see the module docstring."""

    def __init__(self, model: StoryModel | None = None, threshold: float | None = None) -> None:
        self.model = model or default_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}
        self.features: dict[str, StoryFeatures] = {}
        self.doc_count = 0
        self.term_df: dict[str, Counter[str]] = defaultdict(Counter)
        self.lang_docs: Counter[str] = Counter()
        self.entity_df: Counter[str] = Counter()
        self._bands: dict[tuple[int, int], deque[tuple[str, date | None]]] = defaultdict(deque)
        self._entity_postings: dict[str, deque[tuple[str, date | None]]] = defaultdict(deque)
        self._term_postings: dict[tuple[str, str], deque[tuple[str, date | None]]] = defaultdict(deque)
        self._event_postings: dict[str, deque[tuple[str, date | None]]] = defaultdict(deque)

    # -- public -------------------------------------------------------------------------------
    def add(self, f: StoryFeatures) -> Assignment:
        self._count(f)
        duplicate = self._duplicate_of(f)
        best, best_p = None, 0.0
        if duplicate is not None:
            best, best_p = self.story_of[duplicate], 1.0
        probe = self._probe(f)
        if duplicate is None:
            for story_id in self._candidates(f, probe):
                p = self.join_probability(f, self.stories[story_id], probe)
                if p > best_p:
                    best, best_p = story_id, p
        if best is None or best_p < self.threshold:
            best, best_p = "s" + f.doc_id, None
            self.stories[best] = Story(best)
        self._join(f, self.stories[best], probe)
        return Assignment(f.doc_id, best, duplicate, best_p)

    def assign(self, f: StoryFeatures, story_id: str) -> list[tuple[str, PairFeatures]]:
        """Put ``f`` into ``story_id`` (given, e.g. by gold labels) and return the candidates the
        indexes offered with their pair features: the training data of the story model."""
        self._count(f)
        probe = self._probe(f)
        offered = [(s, self.pair_features(f, self.stories[s], probe)) for s in sorted(self._candidates(f, probe))]
        if story_id not in self.stories:
            self.stories[story_id] = Story(story_id)
        self._join(f, self.stories[story_id], probe)
        return offered

    def evict_before(self, day: date) -> int:
        """Forget stories whose last day is before ``day`` (they can no longer be offered: the
        indexes only offer stories inside the window) and their documents' counts. Keeps memory
        flat on endless streams; returns how many stories were dropped."""
        old = [sid for sid, story in self.stories.items() if story.days and max(story.days) < day]
        for sid in old:
            for doc_id in self.stories.pop(sid).members:
                f = self.features.pop(doc_id, None)
                self.story_of.pop(doc_id, None)
                if f is not None:
                    self._uncount(f)
        for index in (self._bands, self._entity_postings, self._term_postings, self._event_postings):
            for key in [k for k, postings in index.items() if not self._live(postings, day + _WINDOW)]:
                del index[key]
        return len(old)

    def add_all(self, items: Iterable[StoryFeatures]) -> list[Assignment]:
        return [self.add(f) for f in items]

    def join_probability(self, f: StoryFeatures, story: Story, probe: _Probe | None = None) -> float:
        """The model's probability, with two rules the monolingual dev labels cannot teach:

        - an event conflict vetoes: the same people in an event of the same type but another
          place or another week are another story (seeds 003 and 004: Lavrov and Wang Yi at the
          ASEAN meetings and in Moscow, not in Beijing); so does a headline event of the same
          type and person with another counterpart (`_lead_conflict`);
        - across languages there are no shared words, so a document joins a story in other
          languages only on a matching event (type, participants, compatible place and day) and
          entity overlap; the probability is then the entity cosine. The same evidence also lets
          a document join a story in its own language whose words differ (a wire and a
          correspondent's report of one visit).
        """
        probe = probe or self._probe(f)
        pair = self.pair_features(f, story, probe)
        if pair.shared_event < 0 or pair.lead_conflict > 0:
            return 0.0
        entities = 0.0
        if pair.shared_event > 0:
            entities = max([pair.entity_cosine] + [_dot(probe.entities, v) for v in story.member_entity_vectors])
        by_event = entities if entities >= CROSS_LINGUAL_ENTITIES else 0.0
        if not pair.same_language:
            return by_event
        return max(by_event, self.model.probability(pair))

    def pair_features(self, f: StoryFeatures, story: Story, probe: _Probe | None = None) -> PairFeatures:
        probe = probe or self._probe(f)
        lang = f.lang or "und"
        mine, days = set(f.mentioned_days), story.mentioned_days
        return PairFeatures(
            term_cosine=_dot(probe.terms, self._centroid(story, lang)),
            member_cosine=max((_dot(probe.terms, v) for ml, v in story.member_vectors if ml == lang), default=0.0),
            title_cosine=max((_dot(probe.title, v) for ml, v in story.title_vectors if ml == lang), default=0.0),
            entity_cosine=_dot(probe.entities, self._story_entities(story)),
            shared_event=_event_agreement(f.events, story.parsed_events()),
            lead_conflict=_lead_conflict(f.lead_events, story.lead_events.values()),
            shingle_jaccard=max((jaccard_estimate(f.signature, s) for s in story.signatures), default=0.0),
            day_gap=min(WINDOW_DAYS, min((abs((f.day - d).days) for d in story.days), default=0)) / WINDOW_DAYS
            if f.day else 0.0,
            same_days=1.0 if mine & days else 0.0,
            other_days=1.0 if mine and days and not mine & days else 0.0,
            same_language=1.0 if f.lang in story.langs else 0.0,
        )

    def _centroid(self, story: Story, lang: str) -> dict[str, float]:
        vector = story.centroid_vectors.get(lang)
        if vector is None:
            counts = story.terms.get(lang)
            if not counts:
                return {}
            vector = story.centroid_vectors[lang] = self._term_vector(lang, counts.items())
        return vector

    def _story_entities(self, story: Story) -> dict[str, float]:
        if story.entity_vector is None:
            story.entity_vector = self._entity_vector(story.entities.items())
        return story.entity_vector

    # -- statistics ---------------------------------------------------------------------------
    def _count(self, f: StoryFeatures) -> None:
        self.doc_count += 1
        lang = f.lang or "und"
        self.lang_docs[lang] += 1
        self.term_df[lang].update(t for t, _ in f.terms)
        self.entity_df.update(e for e, _ in f.entities)

    def _uncount(self, f: StoryFeatures) -> None:
        """Take a forgotten document out of the frequencies: IDF becomes that of the recent stream,
        and the tables stay as large as the vocabulary of the window, not of all time."""
        self.doc_count -= 1
        lang = f.lang or "und"
        self.lang_docs[lang] -= 1
        df = self.term_df[lang]
        for t, _ in f.terms:
            df[t] -= 1
            if df[t] <= 0:
                del df[t]
        for e, _ in f.entities:
            self.entity_df[e] -= 1
            if self.entity_df[e] <= 0:
                del self.entity_df[e]

    def _term_weights(self, lang: str, counts: Iterable[tuple[str, int]]) -> dict[str, float]:
        # (1 + log tf) * (log((1 + N) / (1 + df)) + 1): sublinear TF, smoothed IDF. This is the
        # innermost loop of clustering (a story's centroid is re-weighted on every join).
        log, df, n = math.log, self.term_df[lang], 1 + self.lang_docs[lang]
        return {t: (1 + log(c)) * (log(n / (1 + df.get(t, 0))) + 1.0) for t, c in counts}

    def _term_vector(self, lang: str, counts: Iterable[tuple[str, int]]) -> dict[str, float]:
        return _unit(self._term_weights(lang, counts))

    def _entity_weights(self, counts: Iterable[tuple[str, int]]) -> dict[str, float]:
        log, df, n = math.log, self.entity_df, 1 + self.doc_count
        return {e: (1 + log(c)) * (log(n / (1 + df.get(e, 0))) + 1.0) for e, c in counts}

    def _entity_vector(self, counts: Iterable[tuple[str, int]]) -> dict[str, float]:
        return _unit(self._entity_weights(counts))

    def _probe(self, f: StoryFeatures) -> _Probe:
        """Everything about the newcomer that depends on the current IDF, made once: its vectors
        and its retrieval keys (highest-TF-IDF words, rarest entities)."""
        lang = f.lang or "und"
        weights = self._term_weights(lang, f.terms)
        top_terms = [t for _, t in heapq.nsmallest(TOP_TERMS, ((-w, t) for t, w in weights.items()))]
        entity_idf = self._entity_weights((e, 1) for e, _ in f.entities)
        rare = [e for _, e in heapq.nsmallest(RARE_ENTITIES, ((-w, e) for e, w in entity_idf.items()))]
        return _Probe(_unit(weights), self._term_vector(lang, ((t, 1) for t in f.title_terms)),
                      self._entity_vector(f.entities), tuple(top_terms), tuple(rare))

    # -- retrieval ----------------------------------------------------------------------------
    def _duplicate_of(self, f: StoryFeatures) -> str | None:
        seen: set[str] = set()
        for key in band_keys(f.signature):
            for doc_id, _day in self._live(self._bands.get(key), f.day):
                if doc_id in seen:
                    continue
                seen.add(doc_id)
                other = self.features.get(doc_id)
                if other is not None and other.lang == f.lang and jaccard_estimate(f.signature, other.signature) >= DUPLICATE_JACCARD:
                    return doc_id
        return None

    def _candidates(self, f: StoryFeatures, probe: _Probe) -> set[str]:
        found: set[str] = set()
        for key in band_keys(f.signature):
            found.update(self.story_of[d] for d, _ in self._live(self._bands.get(key), f.day) if d in self.story_of)
        for entity in probe.rare_entities:
            found.update(s for s, _ in self._live(self._entity_postings.get(entity), f.day))
        lang = f.lang or "und"
        for term in probe.top_terms:
            found.update(s for s, _ in self._live(self._term_postings.get((lang, term)), f.day))
        for key in _event_keys(f):  # the one link across languages that words cannot give
            found.update(s for s, _ in self._live(self._event_postings.get(key), f.day))
        # postings of forgotten stories without a day (not `intersection_update(self.stories)`,
        # which copies every live story id for each document)
        return {s for s in found if s in self.stories}

    @staticmethod
    def _live(postings: deque[tuple[str, date | None]] | None, day: date | None) -> list[tuple[str, date | None]]:
        """Postings still inside the time window; older ones are dropped for good (documents come
        roughly in time order, so what is too old now stays too old)."""
        if not postings:
            return []
        if day is not None:
            while postings and postings[0][1] is not None and (day - postings[0][1]).days > WINDOW_DAYS:
                postings.popleft()
        return list(postings)

    # -- joining ------------------------------------------------------------------------------
    def _join(self, f: StoryFeatures, story: Story, probe: _Probe) -> None:
        self.features[f.doc_id] = f
        self.story_of[f.doc_id] = story.id
        story.members.append(f.doc_id)
        lang = f.lang or "und"
        story.langs[lang] += 1
        if f.outlet:
            story.outlets[f.outlet] += 1
        if f.day:
            story.days.add(f.day)
        story.mentioned_days.update(f.mentioned_days)
        story.headlines.setdefault(lang, f.title)
        centroid = story.terms.setdefault(lang, Counter())
        centroid.update(dict(f.terms))
        if len(centroid) > CENTROID_TERMS * 2:
            story.terms[lang] = Counter(dict(centroid.most_common(CENTROID_TERMS)))
        story.entities.update(dict(f.entities))
        story.centroid_vectors.pop(lang, None)
        story.entity_vector = None
        if f.events:
            story.events.update(f.events)
            story._parsed_events = None
        for event in f.lead_events:
            if event not in story.lead_events:
                story.lead_events[event] = _EventSignature.parse(event)
        if len(story.signatures) < MAX_MEMBER_SIGNATURES:
            story.signatures.append(f.signature)
        if len(story.member_vectors) < MAX_MEMBER_VECTORS:
            story.member_vectors.append((lang, probe.terms))
            story.title_vectors.append((lang, probe.title))
            story.member_entity_vectors.append(probe.entities)
        for key in band_keys(f.signature):
            self._bands[key].append((f.doc_id, f.day))
        for entity in probe.rare_entities:
            _append_once(self._entity_postings[entity], story.id, f.day)
        for term in probe.top_terms:
            _append_once(self._term_postings[(lang, term)], story.id, f.day)
        for key in _event_keys(f):
            _append_once(self._event_postings[key], story.id, f.day)


def _event_keys(f: StoryFeatures) -> set[str]:
    """Retrieval keys of a document's events: type with each person taking part (`VISIT|per:x`),
    so a report naming only the visitor still meets the story of the visit."""
    keys = set()
    for event in f.events:
        kind, people = event.split("|")[:2]
        keys.update(f"{kind}|{p}" for p in people.split(",") if p.startswith("per:"))
    return keys


@dataclass(frozen=True, slots=True)
class _EventSignature:
    """`type|participants|place|day`, the form `StoryFeatures.events` holds."""

    kind: str
    people: frozenset[str]
    place: str
    day: str
    has_person: bool
    known_people: frozenset[str]   # the knowledge base's people among them (`per:`)

    @classmethod
    def parse(cls, text: str) -> _EventSignature:
        kind, people_text, place, day = text.split("|")
        people = frozenset(people_text.split(","))
        known = frozenset(p for p in people if p.startswith("per:"))
        return cls(kind, people, place, day, bool(known), known)


def _event_agreement(mine: Iterable[str], theirs: list[_EventSignature]) -> float:
    """+1 when an event of the document matches one of the story: same type, one participant set
    within the other and sharing a person, compatible place and day. -1 when the same type and
    the same participants appear only with another place or a day more than three days away
    (Lavrov meeting Wang Yi in Moscow is not Lavrov meeting Wang Yi in Beijing). Else 0."""
    score = 0.0
    if not theirs:
        return score
    for event in map(_EventSignature.parse, mine):
        if not event.has_person:
            continue
        related = [t for t in theirs if t.kind == event.kind and t.has_person
                   and (event.people <= t.people or t.people <= event.people)
                   and any(p.startswith("per:") for p in event.people & t.people)]
        if any(_compatible_place(event.place, t.place) and _compatible_day(event.day, t.day) for t in related):
            return 1.0
        if any(t.people == event.people for t in related):
            score = -1.0
    return score


def _lead_conflict(mine: Iterable[str], theirs: Iterable[_EventSignature]) -> float:
    """1 when the document's headline event and the story's have the same type and a person in
    common but different counterparts, and no pair of them agrees: the king's call with one
    president is another story than his call with another, even when a wire bulletin reports
    both. Participant sets within one another agree (a report naming only the visitor). Only
    people the knowledge base knows are compared: corpus-local ids of one person differ with
    the spelling an article uses, which would make every story clash with itself."""
    known = [(t, t.known_people) for t in theirs if t.known_people]
    clash = False
    for event in map(_EventSignature.parse, mine):
        people = event.known_people
        for t, others in known:
            if t.kind != event.kind or not people & others:
                continue
            if (people <= others or others <= people) and _compatible_place(event.place, t.place) \
                    and _compatible_day(event.day, t.day):
                return 0.0
            clash = True
    return 1.0 if clash else 0.0


def _compatible_place(a: str, b: str) -> bool:
    return not a or not b or a == b


def _compatible_day(a: str, b: str) -> bool:
    if not a or not b or len(a) < 10 or len(b) < 10:
        return not (a and b and a[:7] != b[:7] and len(a) >= 7 and len(b) >= 7)
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 3


def _append_once(postings: deque[tuple[str, date | None]], story_id: str, day: date | None) -> None:
    if postings and postings[-1][0] == story_id:
        postings[-1] = (story_id, day or postings[-1][1])
    else:
        postings.append((story_id, day))


@dataclass(frozen=True, slots=True)
class _Probe:
    """A newcomer's unit vectors, made once per document and compared with every candidate."""

    terms: dict[str, float]
    title: dict[str, float]
    entities: dict[str, float]
    top_terms: tuple[str, ...]        # retrieval keys
    rare_entities: tuple[str, ...]


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    # Sparse vectors share few keys: intersect the key views in C, then sum exactly (`fsum` is
    # correctly rounded, so the result does not depend on the set's hash order).
    return math.fsum(a[k] * b[k] for k in a.keys() & b.keys()) if a and b else 0.0
