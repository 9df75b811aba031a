"""Stage ``events.v1``: who met, visited, called or signed with whom, where and when.

Triggers, clause breaks and argument cues are language data (`lang/<code>/events.yaml`); this
module holds the reading:

1. every trigger in the article's prose opens a candidate event of its type (verbs, the nouns
   that name an event, and split triggers closed by their verb: `وارد مریوان شد`), unless it is
   part of a name (`فيصل` is no `يصل`);
2. its **participants** are the people and roles of the trigger's clause (the sentence cut at
   `که`, `التي`, `which`...; the whole sentence when the clause names nobody; the person a
   relative clause hangs on: `هادي الذي يزور مصر`), outside attribution phrases; countries and
   organisations stand as parties only when no person does; a statement with no party is issued
   by the speaker of the quote it introduces; a name the knowledge base lacks beside an office
   is that office holder. A place named after `در` / `في` / `in` (or written on it: `بالقاهرة`;
   or where a visit goes: `به`, `إلى`, `ل`) is the **place**, narrowed from a country to its
   city when the text names that city for the event (in its sentence, or beside one of its
   people or a trigger of its type); an occasion after `در حاشیه` / `على هامش` is the place when
   nothing else is. A visit's host is a person of the visited country, else the country;
3. its **time** is the resolved expression of the `times` layer nearest the trigger in its
   clause, outside quotes the trigger is not in (`امروز` and a weekday resolve against the
   publication date there);
4. **status**: `planned` when the clause has a future marker (for a statement: before its
   trigger, not in what it says), a present light verb on the trigger (`سفر می‌کند`) or a time
   after the publication date, `reported` when it has a hedge, else `occurred`; **negated** when
   a negative verb follows the trigger (`دیدار نکرد`) or a negation precedes it (`لم يلتق`);
5. mentions of one real event become one record: a candidate whose people (persons only, when
   both name persons) are a subset of an earlier record's of the same type (or who names nobody,
   as in `در این دیدار`) adds its trigger as evidence to that record.

Types carry the CAMEO 1.1b3 code of their verb class so the table sits beside GDELT's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from khabar.cues import CueHit, lang_cues, lang_words
from khabar.discourse import PERSON_TYPES, Context, entity_ref
from khabar.document import Document
from khabar.kb import country_of, load_kb
from khabar.normalize import pattern_form
from khabar.pipeline import stage

CAMEO: Mapping[str, str] = {
    "MEET": "040", "VISIT": "042", "CALL": "041", "NEGOTIATE": "046",
    "AGREE": "057", "STATEMENT": "010", "SANCTION": "163", "THREATEN": "130",
}
PARTY_TYPES = frozenset({"PER", "ROLE", "ORG", "GPE"})
_MANY_PARTY = frozenset({"MEET", "CALL", "NEGOTIATE", "AGREE"})
_TALKS = ("MEET", "NEGOTIATE", "CALL", "VISIT")
_PLACE_REACH_WORDS = 10  # a place further from its trigger is usually another clause's
_SPLIT_REACH_WORDS = 3  # `وارد دهلی نو خواهد شد`: a place name between the two parts
PLACE_TYPES = frozenset({"GPE", "LOC"})
_WORD = re.compile(r"[^\s،,:؛;.!?؟«»“”\"()]+")


@stage("events.v1", requires=("mentions", "times", "attributions", "quotes"), assigns=("events",))
def find_events(doc: Document) -> Document:
    """Event records with participants, place, time, status and evidence spans."""
    if not doc.text:
        return doc
    ctx = Context.of(doc)
    return replace(doc, events=tuple(_Reader(ctx).run()))


class _Reader:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.doc.text
        self.published = _day(ctx.doc.published.value if ctx.doc.published else None)
        self.attributions = [(a["start"], a["end"]) for a in ctx.doc.attributions]

    def run(self) -> list[dict[str, Any]]:
        langs = sorted({self.ctx.lang_at(s.start) for s in self.ctx.sentences})
        hits: list[tuple[CueHit, str]] = []
        for lang in langs:
            hits += [(h, lang) for h in lang_cues(lang, "events.yaml", "triggers").find(self.ctx.view)
                     if self.ctx.lang_at(h.start) == lang]
            hits += [(h, lang) for h in self._split_triggers(lang) if self.ctx.lang_at(h.start) == lang
                     and not any(o.start < h.end and h.start < o.end for o, _ in hits)]
        hits.sort(key=lambda h: h[0].start)
        self.trigger_spans = [(h.start, h.end) for h, _ in hits]
        self.hits = [h for h, _ in hits]
        records: list[dict[str, Any]] = []
        for hit, lang in hits:
            index = self.ctx.sentence_index(hit.start)
            if index is None or (hit.category != "STATEMENT"
                                 and any(r_start <= hit.start < r_end for r_start, r_end in self.attributions)):
                continue  # a statement named as a report's source (`جاء ذلك في بيان أصدره X`) is still a statement
            if self._inside_name(hit):
                continue  # `فيصل مقداد` is no `يصل`
            candidate = self._candidate(hit, index, lang)
            if self._anaphoric(hit, lang):
                self._attach(candidate, records)
            else:
                self._merge(candidate, records)
        _share_visit_settings(records)
        for record in records:
            if record["type"] == "VISIT" and any(p.get("role") == "host" and p["type"] in PERSON_TYPES
                                                 for p in record["participants"]):
                # the country stands as host only when the text names no host person (events_dev.md)
                record["participants"] = [p for p in record["participants"]
                                          if not (p.get("role") == "host" and p["type"] not in PERSON_TYPES)]
        out = []
        for n, record in enumerate(r for r in records if r["participants"]):
            record.pop("_marked", None)
            record["id"] = f"e{n + 1}"
            record["confidence"] = _confidence(record)
            out.append(record)
        return out

    def _split_triggers(self, lang: str) -> list[CueHit]:
        """A trigger whose verb closes it a few words on (`وارد مریوان شد`): the opening word,
        kept when a closing verb follows within `_SPLIT_REACH_WORDS` words in its sentence."""
        closers = lang_cues(lang, "events.yaml", "split_closers")
        out = []
        for hit in lang_cues(lang, "events.yaml", "split_triggers").find(self.ctx.view):
            index = self.ctx.sentence_index(hit.start)
            if index is None:
                continue
            end = self.ctx.sentences[index].end
            if any(len(_WORD.findall(self.text[hit.end:c.start])) <= _SPLIT_REACH_WORDS
                   for c in closers.find(self.ctx.view, hit.end, end)):
                out.append(hit)
        return out

    def _inside_name(self, hit: CueHit) -> bool:
        """Whether the trigger is part of a longer name (`فيصل` read as `ف` + `يصل`)."""
        m = self.ctx.mention_at(hit.start, hit.end)
        return m is not None and m["type"] in ("PER", "GPE", "LOC") and (m["start"] < hit.start or m["end"] > hit.end)

    # -- one trigger -----------------------------------------------------------------------
    def _candidate(self, hit: CueHit, index: int, lang: str) -> dict[str, Any]:
        sentence = self.ctx.sentences[index]
        quote = self._quote_around(hit)
        if quote is not None:  # speech about an event: its parties are named inside the speech
            sent_start, sent_end = max(sentence.start, quote["start"]), min(sentence.end, quote["end"])
        else:
            sent_start, sent_end = sentence.start, sentence.end
        start, end = self._clause(hit, sent_start, sent_end, lang)
        sub_start, sub_end = self._subclause(hit, start, end)
        place = self._place(hit, sub_start, sub_end, lang) or self._place(hit, start, end, lang)
        participants = self._participants(hit, sub_start, sub_end, lang, place)
        if hit.category in _MANY_PARTY and len(participants) < 2 and (sub_start, sub_end) != (start, end):
            self._add_subject(participants, self._participants(hit, start, end, lang, place))
        if not participants and (start, end) != (sent_start, sent_end):
            participants = [p for p in self._participants(hit, sent_start, sent_end, lang, place)
                            if p["type"] in PERSON_TYPES]
        if quote is not None and quote.get("speaker") and quote["speaker"].get("entity") \
                and hit.category in _MANY_PARTY and len(participants) == 1:
            speaker = dict(quote["speaker"])
            speaker["role"] = None
            self._add_subject(participants, [speaker])
        if not any(p["type"] in PERSON_TYPES for p in participants):
            self._add_antecedent(participants, hit, start, lang)
        if hit.category == "STATEMENT" and not participants:
            participants = self._speaker_of_statement(hit, sentence.start, sentence.end)
        place = self._most_specific(place, hit, sentence.start, sentence.end, lang, participants)
        if hit.category == "VISIT" and place is not None:
            _add_host(participants, place)
        when = self._when(hit, start, end)
        status, marked = self._status(hit, start, end, lang, when)
        trigger = {"start": hit.start, "end": hit.end, "text": self.text[hit.start:hit.end]}
        return {
            "type": hit.category, "cameo": CAMEO[hit.category], "participants": participants,
            "place": place, "when": when, "status": status, "_marked": marked,
            "negated": self._negated(hit, sentence.start, sentence.end, lang),
            "triggers": [trigger],
            "evidence": [{"start": sentence.start, "end": sentence.end, "text": self.text[sentence.start:sentence.end]}],
            "lang": lang,
        }

    def _clause(self, hit: CueHit, start: int, end: int, lang: str) -> tuple[int, int]:
        breaks = lang_cues(lang, "events.yaml", "clause_breaks")
        for b in breaks.find(self.ctx.view, start, end):
            if b.end <= hit.start:
                start = b.end
            elif b.start >= hit.end:
                end = b.start
                break
        return start, end

    def _quote_around(self, hit: CueHit) -> Mapping[str, Any] | None:
        for q in self.ctx.doc.quotes:
            if q["start"] <= hit.start < q["end"]:
                return q
        return None

    def _subclause(self, hit: CueHit, start: int, end: int) -> tuple[int, int]:
        """The clause narrowed to this trigger's share when it holds other triggers: `سفر لاوروف
        به پکن یک هفته پس از تماس تلفنی جو بایدن و شی` gives the visit Lavrov and the call Biden and Xi."""
        others = [(a, b) for a, b in self.trigger_spans
                  if start <= a and b <= end and (a, b) != (hit.start, hit.end) and self.text[min(b, hit.end):max(a, hit.start)].strip()]
        if not others:
            return start, end
        for t_start, t_end in others:
            if t_end <= hit.start:
                start = max(start, t_end)
            elif t_start >= hit.end:
                end = min(end, t_start)
        following = self.ctx.mentions_in(hit.end, end, PERSON_TYPES)
        if following and self.ctx.words_between(hit.end, following[0]["start"]) <= 1:
            start = max(start, hit.start)  # a head noun with its arguments after it: `سفر لاوروف`, `زيارة لافروف`
        return start, end

    def _add_antecedent(self, participants: list[dict[str, Any]], hit: CueHit, clause_start: int, lang: str) -> None:
        """The person a relative clause hangs on is its subject (`هادي ... الذي يزور مصر`,
        `وییرا وزیر خارجه برزیل که به تهران سفر کرده`): the mention just before the relative word
        that opens the trigger's clause, when the clause names no person of its own."""
        relatives = lang_cues(lang, "events.yaml", "relative_breaks")
        found = [c for c in relatives.find(self.ctx.view, max(0, clause_start - 12), clause_start)
                 if c.end == clause_start]
        if not found:
            return
        before = [m for m in self.ctx.mentions_in(max(0, found[0].start - 200), found[0].start, PERSON_TYPES)
                  if m.get("entity") and not m["entity"].startswith("local:role:")
                  and not _WORD.findall(self.text[m["end"]:found[0].start])]
        if before and before[-1]["entity"] not in {p["entity"] for p in participants}:
            ref = entity_ref(before[-1])
            ref["role"] = "guest" if hit.category == "VISIT" else None
            participants.insert(0, ref)

    def _speaker_of_statement(self, hit: CueHit, start: int, end: int) -> list[dict[str, Any]]:
        """`وقالت الوزارة في بيان إن ...`: the statement is the speech the quote that follows
        reports, so its speaker (as the quotes layer resolved it) issued it."""
        for q in self.ctx.doc.quotes:
            cue, speaker = q.get("cue") or {}, q.get("speaker") or {}
            if cue.get("start") is not None and start <= cue["start"] < hit.start < q["start"] < end \
                    and speaker.get("entity") and speaker.get("start") is not None and start <= speaker["start"] < end:
                ref = {"entity": speaker["entity"], "label": speaker.get("label"), "type": speaker.get("type") or "ORG",
                       "start": speaker.get("start"), "end": speaker.get("end"), "text": speaker.get("text"),
                       "role": None}
                return [ref]
        return []

    @staticmethod
    def _add_subject(participants: list[dict[str, Any]], wider: list[dict[str, Any]]) -> None:
        known = {p["entity"] for p in participants}
        for p in wider:
            if p["entity"] not in known:
                participants.insert(0, p)
                return

    def _anaphoric(self, hit: CueHit, lang: str) -> bool:
        if lang_cues(lang, "events.yaml", "anaphora_triggers").find(self.ctx.view, hit.start, hit.end):
            return True
        words = lang_cues(lang, "events.yaml", "anaphora_before")
        for cue in words.find(self.ctx.view, max(0, hit.start - 30), hit.start):
            if not _WORD.findall(self.text[cue.end:hit.start]):
                return True
        return False

    def _attach(self, candidate: dict[str, Any], records: list[dict[str, Any]]) -> None:
        """Evidence for the last event of the type (or the last talk of any kind)."""
        for types in ((candidate["type"],), _TALKS):
            for record in reversed(records):
                if record["type"] in types:
                    record["triggers"].extend(candidate["triggers"])
                    if candidate["evidence"][0] not in record["evidence"]:
                        record["evidence"].extend(candidate["evidence"])
                    return

    def _participants(self, hit: CueHit, start: int, end: int, lang: str,
                      place: dict[str, Any] | None) -> list[dict[str, Any]]:
        inside_quote = self._quote_around(hit) is not None
        in_attribution = any(a <= hit.start < b for a, b in self.attributions)
        mentions = [m for m in self.ctx.mentions_in(start, end, PARTY_TYPES)
                    if (in_attribution or not any(a <= m["start"] < b for a, b in self.attributions))
                    and (inside_quote or not self._in_quote(m["start"]))]
        people = [m for m in mentions if m["type"] in PERSON_TYPES and m.get("entity")
                  and not m["entity"].startswith("local:role:")]  # an unresolved role qualifies; measured worse as a party
        bodies = [m for m in mentions if m.get("entity") and m["type"] in ("ORG", "GPE")
                  and not m["entity"].startswith("city:")  # a city is where, not who
                  and not self._after_words(m, lang, ("place_before", "destination_before", "occasion_before"))
                  and not self._is_topic(m, hit, lang, start)]
        chosen = people or bodies
        if not people and len({m["entity"] for m in chosen}) > 2 and hit.category in _MANY_PARTY:
            # countries as parties: those before the verb are its subject (`روسيا والصين اتفقتا`)
            before = [m for m in chosen if m["end"] <= hit.start]
            chosen = before if len({m["entity"] for m in before}) >= 2 else chosen
        if not people:
            chosen = chosen[:3]
        place_entity = place.get("entity") if place else None
        hosts = self._hosts(hit, lang, people)
        out: dict[str, dict[str, Any]] = {}
        for m in chosen:
            m = self._named_by_apposition(m)
            entity = m["entity"]
            if entity == place_entity:
                continue
            if entity in out:
                if out[entity]["type"] == "ROLE" and m["type"] == "PER":
                    out[entity].update(entity_ref(m))  # a name is more explicit than a role
                continue
            ref = entity_ref(m)
            ref["role"] = self._role(hit.category, entity, hosts)
            out[entity] = ref
        if hit.category == "CALL":
            self._call_roles(hit, lang, start, list(out.values()))
        return list(out.values())

    def _call_roles(self, hit: CueHit, lang: str, start: int, participants: list[dict[str, Any]]) -> None:
        """`تلقى X اتصالا من Y`, `X received a call from Y`: the person nearest a receiving verb
        before the trigger is the callee, the others called; without such a verb the text does
        not say who called."""
        received = lang_cues(lang, "events.yaml", "call_received").find(self.ctx.view, start, hit.start)
        people = [p for p in participants if p["type"] in PERSON_TYPES and p.get("start") is not None]
        before = [p for p in people if p["start"] < hit.start]
        if not received or not before:
            return
        verb = received[-1]
        callee = min(before, key=lambda p: min(abs(p["start"] - verb.end), abs(verb.start - p["end"])))
        for p in people:
            p["role"] = "callee" if p is callee else "caller"

    def _named_by_apposition(self, m: Mapping[str, Any]) -> Mapping[str, Any]:
        """A name the knowledge base lacks, right beside the office that says who holds it
        (`«مائورو وییرا» وزیر خارجه برزیل`, `نظيره الألماني فرانك فالتر`), is that office holder:
        the name keeps its span."""
        if not (m.get("entity") or "").startswith("local:per:"):
            return m
        after = self.ctx.mentions_in(m["end"], m["end"] + 80, PERSON_TYPES)[:1]
        before = self.ctx.mentions_in(max(0, m["start"] - 80), m["start"], PERSON_TYPES)[-1:]
        for role, gap in [(r, self.text[m["end"]:r["start"]]) for r in after] + \
                         [(r, self.text[r["end"]:m["start"]]) for r in before]:
            if role["type"] == "ROLE" and (role.get("entity") or "").startswith("per:") and not _WORD.findall(gap):
                return {**m, "entity": role["entity"], "label": role.get("label")}
        return m

    def _hosts(self, hit: CueHit, lang: str, people: list[Mapping[str, Any]]) -> set[str]:
        host_words = lang_cues(lang, "events.yaml", "host_words")
        hosts: set[str] = set()
        if host_words and host_words.find(self.ctx.view, hit.start, hit.end):
            after = [m for m in people if m["start"] >= hit.end]
            before = [m for m in people if m["end"] <= hit.start]
            first = (after or before) if lang == "ar" else (before or after)
            if first:
                hosts.add(first[0]["entity"])
        return hosts

    @staticmethod
    def _role(event_type: str, entity: str, hosts: set[str]) -> str | None:
        if entity in hosts:
            return "host"
        if event_type == "VISIT" or (hosts and event_type == "MEET"):
            return "guest"
        return None

    def _is_topic(self, m: Mapping[str, Any], hit: CueHit, lang: str, clause_start: int) -> bool:
        """A country after `درباره` before its verb (`X با Y درباره اوکراین گفتگو کرد`), or after
        `بشأن`/`about` following the trigger, is what the event is about, not a party to it."""
        cues = lang_cues(lang, "events.yaml", "topic_before")
        if not cues:
            return False
        if m["end"] <= hit.start:
            return bool(cues.find(self.ctx.view, clause_start, m["start"]))
        found = cues.find(self.ctx.view, hit.end, m["start"])
        return bool(found)

    def _without_people(self, start: int, end: int) -> str:
        """The text between two offsets with people's names blanked (`زار الرئيس الصيني شي جينبينغ موسكو`)."""
        piece = list(self.text[start:end])
        for m in self.ctx.mentions_in(start, end, PERSON_TYPES):
            piece[m["start"] - start:m["end"] - start] = " " * (m["end"] - m["start"])
        return "".join(piece)

    def _in_quote(self, pos: int) -> bool:
        return any(q["start"] <= pos < q["end"] for q in self.ctx.doc.quotes)

    def _place(self, hit: CueHit, start: int, end: int, lang: str) -> dict[str, Any] | None:
        places = [m for m in self.ctx.mentions_in(start, end, PLACE_TYPES | {"ORG"})
                  if m.get("entity") and self.ctx.words_between(min(m["end"], hit.end), max(m["start"], hit.start))
                  <= _PLACE_REACH_WORDS]
        occasions = [m for m in places if self._after_words(m, lang, ("occasion_before",), reach=3)]
        places = [m for m in places if not re.search(r"[،,]", self.text[min(m["end"], hit.end):max(m["start"], hit.start)])]
        sections = ["destination_before", "place_before"] if hit.category == "VISIT" else ["place_before"]
        if hit.category == "VISIT":
            direct = [m for m in places if m["type"] in PLACE_TYPES and m["start"] >= hit.end
                      and not _WORD.findall(self._without_people(hit.end, m["start"]))]
            if direct:  # `يزور بكين`, `visited Beijing`
                return entity_ref(direct[0])
        for section in sections:
            found = [m for m in places if m["type"] in PLACE_TYPES and self._after_words(m, lang, (section,))]
            if found:
                return entity_ref(min(found, key=lambda m: abs(m["start"] - hit.start)))
        return entity_ref(occasions[0]) if occasions else None

    def _most_specific(self, place: dict[str, Any] | None, hit: CueHit, start: int, end: int,
                       lang: str, participants: list[dict[str, Any]]) -> dict[str, Any] | None:
        """A country place narrowed to the city of that country the text names as a place (the
        guidelines' "most specific first": `سفر لاوروف به چین` ... `سفر لاوروف به پکن` gives
        Beijing): one after a place or destination word in the trigger's sentence, else the
        nearest such city in a sentence that names one of the event's people (a city where other
        people met is another event's place)."""
        country = (place or {}).get("entity")
        if not country or not country.startswith("country:"):
            return place
        cities = [m for m in self.ctx.mentions_in(0, len(self.text), PLACE_TYPES)
                  if (m.get("entity") or "").startswith("city:") and country_of(m["entity"]) == country
                  and not self._in_quote(m["start"])
                  and self._after_words(m, lang, ("place_before", "destination_before"))]
        if not cities:
            return place
        inside = [m for m in cities if start <= m["start"] < end]
        if not inside:
            people = {p["entity"] for p in participants if p["type"] in PERSON_TYPES}
            cities = [m for m in cities if people & self._people_of_sentence(m["start"])
                      or self._sentence_has_trigger(m["start"], hit.category)]
        if not (inside or cities):
            return place
        best = min(inside or cities, key=lambda m: abs(m["start"] - hit.start))
        return entity_ref(best)

    def _sentence_has_trigger(self, pos: int, category: str) -> bool:
        index = self.ctx.sentence_index(pos)
        if index is None:
            return False
        sentence = self.ctx.sentences[index]
        return any(sentence.start <= h.start < sentence.end and h.category == category for h in self.hits)

    def _people_of_sentence(self, pos: int) -> set[str]:
        index = self.ctx.sentence_index(pos)
        if index is None:
            return set()
        sentence = self.ctx.sentences[index]
        return {m["entity"] for m in self.ctx.mentions_in(sentence.start, sentence.end, PERSON_TYPES) if m.get("entity")}

    def _after_words(self, m: Mapping[str, Any], lang: str, sections: tuple[str, ...], reach: int = 1) -> bool:
        """Whether ``m`` follows one of the words of ``sections`` within ``reach`` words, or has
        one glued on (`للصين`, `لـموسكو`)."""
        window_start = max(0, m["start"] - 60)
        for section in sections:
            cues = lang_cues(lang, "events.yaml", section)
            if not cues:
                continue
            for cue in cues.find(self.ctx.view, window_start, m["start"]):
                gap = self.text[cue.end:m["start"]]
                if len(_WORD.findall(gap)) < reach and not re.search(r"[،,.:؛]", gap):
                    return True
            if self._glued(m, lang, section):
                return True
        return False

    def _glued(self, m: Mapping[str, Any], lang: str, section: str) -> bool:
        """Whether ``m`` has a one-letter preposition of ``<section>_glued`` written on it as
        its own word's start (`للصين`, `لـموسكو`, `بالقاهرة`)."""
        glued = lang_words(lang, "events.yaml", section.removesuffix("_before") + "_glued")
        if not glued:
            return False
        word_start = m["start"]
        while word_start > 0 and self.text[word_start - 1].isalpha():
            word_start -= 1
        prefix = pattern_form(self.text[word_start:m["start"]])
        return bool(prefix) and prefix in glued

    def _when(self, hit: CueHit, start: int, end: int) -> dict[str, Any] | None:
        best = None
        own_quote = self._quote_around(hit)
        for t in self.ctx.doc.times:
            if not (start <= t["start"] < end) or not t.get("value") or t.get("role") not in (None, "body", "header", "caption"):
                continue
            if own_quote is None and self._in_quote(t["start"]):
                continue  # a date inside what someone says (`في بيان: "في 8 و9 نيسان ..."`) is the speech's
            distance = abs(t["start"] - hit.start)
            if best is None or distance < best[0]:
                best = (distance, t)
        if best is None:
            return self._unresolved_weekday(hit, start, end)
        t = best[1]
        return {"value": t["value"], "granularity": t.get("granularity"), "start": t["start"], "end": t["end"],
                "text": t["text"], "source": "times"}

    def _unresolved_weekday(self, hit: CueHit, start: int, end: int) -> dict[str, Any] | None:
        """A weekday the document cannot date (no publication date): kept with a null value, so
        that the story can date it later (`khabar.corpus.records.infer_from_story`)."""
        near = [t for t in self.ctx.doc.times if start <= t["start"] < end and t.get("weekday")
                and t.get("value") is None and t.get("kind") == "weekday"]
        if not near:
            return None
        t = min(near, key=lambda t: abs(t["start"] - hit.start))
        return {"value": None, "granularity": "day", "start": t["start"], "end": t["end"], "text": t["text"],
                "source": "times", "weekday": t["weekday"]}

    def _status(self, hit: CueHit, start: int, end: int, lang: str,
                when: dict[str, Any] | None) -> tuple[str, bool]:
        """The status and whether a word of the text marked it (a default `occurred` is unmarked)."""
        # what a statement says comes after its trigger (`في بيان: إن ... ستعود`): not its own tense
        window = (start, hit.end) if hit.category == "STATEMENT" else (start, end)
        if lang_cues(lang, "events.yaml", "hedge").find(self.ctx.view, *window):
            return "reported", True
        trigger = self.text[hit.start:hit.end]
        present = lang_cues(lang, "events.yaml", "future_verb")  # `سفر می‌کند`: news present for a scheduled act
        if any(len(_WORD.findall(self.text[hit.start:c.start])) <= 1 + len(_WORD.findall(trigger))
               for c in present.find(self.ctx.view, hit.start, min(end, hit.end + 40))):
            return "planned", True
        if lang == "ar" and re.match(r"س[يتان]", trigger):
            return "planned", True
        if lang_cues(lang, "events.yaml", "future").find(self.ctx.view, *window):
            return "planned", True
        day = _day((when or {}).get("value"))
        if day and self.published:
            return ("planned" if day > self.published else "occurred"), True
        return "occurred", False

    def _negated(self, hit: CueHit, start: int, end: int, lang: str) -> bool:
        after = lang_cues(lang, "events.yaml", "negation_after")
        for cue in after.find(self.ctx.view, hit.end, end):
            if len(_WORD.findall(self.text[hit.end:cue.start])) <= 1:
                return True
        before = lang_cues(lang, "events.yaml", "negation_before")
        for cue in before.find(self.ctx.view, start, hit.start):
            if len(_WORD.findall(self.text[cue.end:hit.start])) <= 1:
                return True
        return False

    # -- one event, several mentions -------------------------------------------------------
    def _merge(self, candidate: dict[str, Any], records: list[dict[str, Any]]) -> None:
        people = {p["entity"] for p in candidate["participants"]}
        for record in reversed(records):
            if record["type"] != candidate["type"] or not _compatible(record, candidate):
                continue
            known = {p["entity"] for p in record["participants"]}
            persons = _persons(candidate), _persons(record)
            if all(persons):  # `لافروف يزور الصين` and `زار لافروف بكين ... مع وانغ يي`: the people decide
                people, known = persons
            if people and (people <= known or known <= people):
                _absorb(record, candidate)
                return
        if people:
            records.append(candidate)



def _add_host(participants: list[dict[str, Any]], place: dict[str, Any]) -> None:
    """A visit's destination country is its host when no host person is named (CAMEO 042: actor
    1 visits actor 2): `سفر لاوروف به چین` has Lavrov as guest and China as host."""
    if any(p.get("role") == "host" for p in participants):
        return
    country = country_of(place.get("entity"))
    if country is None:
        return
    people = [p for p in participants if p["type"] in PERSON_TYPES]
    people_there = [p for p in people if _nation_of(p) == country]
    if len(people_there) == len(people):  # nobody left to be the guest
        people_there = []
    for p in people_there or [p for p in participants if p["entity"] == country]:
        p["role"] = "host"  # the person received there (`زار بكين ... مع وانغ يي`), or the country itself
    if people_there or any(p["entity"] == country for p in participants):
        return
    host = {"entity": country, "label": None, "type": "GPE", "start": None, "end": None, "text": None,
            "role": "host"}
    if country == place.get("entity"):
        host.update({k: place[k] for k in ("label", "start", "end", "text")})
    else:
        entity = load_kb().get(country)
        host["label"] = entity.label if entity else None
    participants.append(host)


def _persons(record: Mapping[str, Any]) -> set[str]:
    return {p["entity"] for p in record["participants"] if p["type"] in PERSON_TYPES}


def _nation_of(participant: Mapping[str, Any]) -> str | None:
    """The country a person serves, from the offices the knowledge base lists for them (or the
    office of a role mention): `per:sergey-lavrov` -> `country:RU`."""
    entity = participant.get("entity") or ""
    if entity.startswith("local:role:"):  # `local:role:<office>:<of>` (`khabar.discourse`)
        return country_of(entity.removeprefix("local:role:").partition(":")[2])
    record = load_kb().get(entity)
    if record is None:
        return None
    countries = {country_of(r.of) or r.of for r in record.roles}
    countries = {c for c in countries if c and c.startswith("country:")}
    return countries.pop() if len(countries) == 1 else None


def _share_visit_settings(records: list[dict[str, Any]]) -> None:
    """Talks held during a visit take the visit's place and time when their own sentences name
    none (`سفر لاوروف به پکن` ... `با وانگ یی دیدار کرد`)."""
    visits = [r for r in records if r["type"] == "VISIT"]
    for record in records:
        if record["type"] == "VISIT":
            continue
        people = {p["entity"] for p in record["participants"] if p["type"] in PERSON_TYPES}
        for visit in visits:
            guests = {p["entity"] for p in visit["participants"] if p.get("role") == "guest"}
            if people & guests and _compatible(record, {**visit, "type": record["type"], "place": None}):
                if record.get("place") is None and visit.get("place") is not None:
                    record["place"] = dict(visit["place"])
                if (record.get("when") or {}).get("value") is None and (visit.get("when") or {}).get("value"):
                    record["when"] = dict(visit["when"])
                break


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    wa, wb = (a.get("when") or {}).get("value"), (b.get("when") or {}).get("value")
    if wa and wb and not (wa.startswith(wb) or wb.startswith(wa) or "/" in wa or "/" in wb):
        return False
    pa, pb = (a.get("place") or {}).get("entity"), (b.get("place") or {}).get("entity")
    return not (pa and pb and pa != pb and country_of(pa) != country_of(pb) and a["type"] == "VISIT")


def _absorb(record: dict[str, Any], other: dict[str, Any]) -> None:
    known = {p["entity"]: p for p in record["participants"]}
    for p in other["participants"]:
        if p["entity"] not in known:
            record["participants"].append(p)
        elif known[p["entity"]]["type"] == "ROLE" and p["type"] == "PER":
            known[p["entity"]].update({k: p[k] for k in ("start", "end", "text", "type")})
    if record.get("place") is None and other.get("place") is not None:
        record["place"] = other["place"]
    if record.get("when") is None or (record["when"].get("value") is None and (other.get("when") or {}).get("value")):
        record["when"] = other.get("when") or record.get("when")
    record["triggers"].extend(other["triggers"])
    if other["evidence"][0] not in record["evidence"]:
        record["evidence"].extend(other["evidence"])
    if other["_marked"] and not record["_marked"]:
        record["status"], record["_marked"] = other["status"], True


def _confidence(record: dict[str, Any]) -> float:
    score = 0.45 + 0.1 * min(len(record["participants"]), 2)
    score += 0.1 if record.get("place") else 0.0
    score += 0.1 if record.get("when") else 0.0
    score += 0.05 if len(record["triggers"]) > 1 else 0.0
    return round(min(score, 0.95), 2)


def _day(value: str | None) -> date | None:
    if value and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
