"""Stage ``attribution.v1``: who reported it, citing whom, as ordered chains of linked sources.

Shapes read (formulas in `lang/<code>/attribution.yaml`):

- an opening formula and its sources, hop after hop: `به گزارش وبانگاه به نقل از گروه بین الملل
  خبرگزاری تسنیم به نقل از خبرگزاری «تاس»` gives Webangah → Tasnim → TASS; `بحسب وكالة ...`,
  `وفق ما أعلنت وزارة الخارجية الروسية`, `according to Reuters`; a source named only by
  description (`منابع آگاه`, `مصادر`) is a hop with no entity;
- an outlet as the subject of a reporting verb (`وذكرت صحيفة جلوبال تايمز أن`);
- a correspondent of an outlet (`كاترينا يو من قناة الجزيرة`): the outlet, then the reporter;
- a wire credit in brackets (`(رويترز)`, `(واس)`) and a signature line (`© | خبرگزاری تسنیم`);
- a source slot holding words the mentions layer did not link (`به گزارش سي.ان.ان`, `به نقل از
  روابط عمومی استانداری یزد`, `وفق ما أعلن المرصد السوري`), and an outlet word opening the
  subject of a reporting verb (`روزنامه «دیلی نیشن» نوشت`): a hop with a document-local id
  (`local:org:<name key>`), or the knowledge base's outlet when the bare name is one.

The page's publisher (its web domain in `data/outlets.tsv`) heads every chain when known, with
``source: "url"``; a chain whose first hop is the publisher itself is not given it twice.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import replace
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from khabar.cues import CueHit, lang_cues, lang_words
from khabar.discourse import Context, entity_ref
from khabar.document import Document
from khabar.entities.namekey import name_keys
from khabar.kb import alias_key, load_kb
from khabar.normalize import pattern_form
from khabar.pipeline import stage

SOURCE_TYPES = frozenset({"ORG", "PER", "ROLE"})
OUTLET_KINDS = frozenset({"news_agency", "newspaper", "broadcaster", "website"})
_MAX_WORDS_TO_SOURCE = 6  # `به نقل از گروه بین الملل خبرگزاری تسنیم`: a desk name may stand between
_CLOSING = "»”\")"
_CLAUSE_BREAK = re.compile(r"[،,\n:؛]|\.(?![^\W\d_])")


@functools.cache
def outlet_domains() -> Mapping[str, str]:
    """Web domain -> outlet entity id (`data/outlets.tsv`)."""
    text = resources.files("khabar").joinpath("data/outlets.tsv").read_text(encoding="utf-8")
    return {row["domain"]: row["entity"] for row in csv.DictReader(text.splitlines(), delimiter="\t")}


def publisher_of(doc: Document) -> str | None:
    """The outlet whose page this is, from the URL's domain (or a parent domain), else None."""
    url = doc.source.url or doc.meta_value("url")
    if not url:
        return None
    host = (urlsplit(str(url)).hostname or "").lower()
    domains = outlet_domains()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in domains:
            return domains[candidate]
    return None


def outlet_of(doc: Document) -> str | None:
    """The page's outlet: the publisher its URL names, else the outlet the input declared."""
    declared = doc.meta_value("outlet")
    return publisher_of(doc) or (str(declared) if declared else None)


def is_outlet(entity_id: str | None) -> bool:
    if not entity_id or not entity_id.startswith("org:"):
        return False
    entity = load_kb().entity(entity_id)
    return entity is not None and entity.attrs.get("kind") in OUTLET_KINDS


@stage("attribution.v1", requires=("mentions", "blocks"), assigns=("attributions",))
def find_attributions(doc: Document) -> Document:
    """Attribution chains: reporting outlet first, original source last, each hop an entity span."""
    if not doc.text:
        return doc
    ctx = Context.of(doc)
    found = _Chains(ctx).run()
    publisher = publisher_of(doc)
    if publisher:
        label = load_kb().entity(publisher).label if load_kb().entity(publisher) else None
        head = {"entity": publisher, "label": label, "type": "ORG", "source": "url"}
        for item in found:
            if item["chain"] and item["chain"][0].get("entity") != publisher:
                item["chain"].insert(0, dict(head))
    for item in found:
        item["reporter"] = item["chain"][0].get("entity") if item["chain"] else None
    return replace(doc, attributions=tuple(found))


class _Chains:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.doc.text
        self.found: list[dict[str, Any]] = []

    def run(self) -> list[dict[str, Any]]:
        langs = sorted({self.ctx.lang_at(s.start) for s in self.ctx.sentences} or {self.ctx.doc.lang or "en"})
        for lang in langs:
            for hit in lang_cues(lang, "attribution.yaml", "opening").find(self.ctx.view):
                if self.ctx.lang_at(hit.start) == lang:
                    self._formula(hit, lang)
            for hit in lang_cues(lang, "attribution.yaml", "reports").find(self.ctx.view):
                if self.ctx.lang_at(hit.start) == lang:  # `گزارش‌ها حاکی از آن است`: unnamed reports
                    self._add(hit.start, hit.end, [{"entity": None, "label": None, "type": "ORG", "start": hit.start,
                                                    "end": hit.end, "text": self.text[hit.start:hit.end]}], "formula")
            for hit in lang_cues(lang, "attribution.yaml", "report_verbs").find(self.ctx.view):
                if self.ctx.lang_at(hit.start) == lang:
                    self._report_verb(hit, lang)
        for lang in langs:
            if lang != "ar":
                for hit in lang_cues(lang, "speech.yaml", "verbs").find(self.ctx.view):
                    if self.ctx.lang_at(hit.start) == lang:
                        self._outlet_subject(hit)
        self._bylines()
        self._credits()
        self._correspondents()
        self._signature()
        self.found.sort(key=lambda a: a["start"])
        out: list[dict[str, Any]] = []
        for item in self.found:
            if out and item["start"] < out[-1]["end"]:
                continue
            if out and out[-1]["kind"] in ("formula", "credit") and item["kind"] == "report_verb" \
                    and not self.text[out[-1]["end"]:item["start"]].strip(" \t،,:"):
                # `به گزارش خبرگزاری فارس، شینهوا به نقل از ... افزود`: one phrase, one chain
                out[-1]["chain"] += item["chain"]
                out[-1]["end"] = item["end"]
                out[-1]["text"] = self.text[out[-1]["start"]:item["end"]]
                continue
            out.append(item)
        return out

    # -- shapes ----------------------------------------------------------------------------
    def _formula(self, hit: CueHit, lang: str) -> None:
        # `وفق ما أعلن X`: a verb of announcing makes X a source whatever it is; bare `وفق X` not
        chain, end = self._hops(hit.end, lang, free=lang != "ar" or " " in pattern_form(self.text[hit.start:hit.end]))
        if chain:
            self._add(hit.start, end, chain, "formula")

    def _report_verb(self, hit: CueHit, lang: str) -> None:
        if hit.key in {_key(w) for w in lang_words(lang, "attribution.yaml", "citing_verbs")}:
            self._citing_verb(hit, lang)
            return
        after = self.ctx.mentions_in(hit.end, min(len(self.text), hit.end + 80), frozenset({"ORG"}))
        if not after or self.ctx.words_between(hit.end, after[0]["start"]) > 2 or not is_outlet(after[0].get("entity")):
            return
        first = after[0]
        chain = [entity_ref(first)]
        more, end = self._relays(first["end"], lang)
        self._add(hit.start, max(end, _after_closing(self.text, first["end"])), chain + more, "report_verb")

    def _citing_verb(self, hit: CueHit, lang: str) -> None:
        """`نقل المرصد ... عن مصادر محلية`, `نقلت وكالة ... عن المسؤول`: whoever relays (an outlet,
        a body, a person or a described source) cites whoever follows `عن`; without the relay
        word the verb is not an attribution."""
        source = self._source_after(hit.end, lang, free=True)  # `نقل X عن`: X relays, whatever it is
        if source is None or self.ctx.words_between(hit.end, source["start"]) > 2:
            return
        more, end = self._relays(_after_closing(self.text, source["end"]), lang)
        pronoun = re.match(r"\s*(عنه|عنها|عنهم)(?![^\W\d_])", self.text[source["end"]:source["end"] + 8])
        if more:
            self._add(hit.start, end, [source, *more], "report_verb")
        elif pronoun:
            self._add(hit.start, source["end"] + pronoun.end(), [source], "report_verb")

    def _outlet_subject(self, hit: CueHit) -> None:
        """`روزنامه ديلي تايمز نوشت`, `خبرگزاری فرانسه با اعلام این خبر افزود`: an outlet as the
        subject of a speech verb is the report's source (subject first in Persian and English)."""
        index = self.ctx.sentence_index(hit.start)
        if index is None:
            return
        sentence = self.ctx.sentences[index]
        agents = [m for m in self.ctx.mentions_in(sentence.start, hit.start, SOURCE_TYPES | {"GPE"})
                  if not any(a["start"] <= m["start"] < a["end"] for a in self.found)]
        if agents and agents[0]["type"] == "ORG" and is_outlet(agents[0].get("entity")) \
                and self.ctx.words_between(agents[0]["end"], hit.start) <= 8 \
                and not re.search(r"[:\-–—،,؛]", self.text[agents[0]["end"]:hit.start]):
            # `خبرگزاري فارس: سفير ... گفت`: an outlet before a colon or dash is the dateline
            # (`_credits`), and the verb has a subject of its own
            first = agents[0]
            more, _end = self._relays(first["end"], "fa" if self.ctx.lang_at(hit.start) == "fa" else "en")
            self._add(first["start"], hit.end, [entity_ref(first), *more], "report_verb")
            return
        self._described_outlet_subject(hit, sentence.start)

    def _described_outlet_subject(self, hit: CueHit, sent_start: int) -> None:
        """`روزنامه ديلي تايمز نوشت`, `سايت اينترنتي «...» روز گذشته نوشت`: an outlet word opening
        the clause (the sentence, or after `:` or a comma) names an outlet the mentions layer does
        not know. (`اين روزنامه افزود` only points back: not an attribution, `events_dev.md`.)"""
        lang = self.ctx.lang_at(hit.start)
        outlet_words = set(lang_words(lang, "attribution.yaml", "outlet_words"))
        starts = [sent_start] + [i + 1 for i in range(sent_start, hit.start) if self.text[i] in ":،,"]
        for start in starts:
            tokens = list(re.finditer(r"[^\s«»\"“”]+", self.text[start:hit.start]))
            if len(tokens) < 2 or any(a["start"] <= start + tokens[0].start() < a["end"] for a in self.found):
                continue
            first = pattern_form(tokens[0].group())
            if any(m["start"] == start + tokens[0].start() and is_outlet(m.get("entity"))
                   for m in self.ctx.mentions_in(start, hit.start, frozenset({"ORG"}))):
                continue  # `خبرگزاري فارس: ...`: a known outlet opening the line is its dateline
            if first not in outlet_words:
                continue
            limit = min(hit.start, self._clause_end(start))
            source = self._described_source(start + tokens[0].start(), limit, lang, free=False)
            names = [m for m in self.ctx.mentions_in(start + tokens[0].end(), limit, frozenset({"ORG"}))
                     if source and m["start"] < source["end"] and not any(
                         pattern_form(w) not in outlet_words for w in re.findall(r"[^\s«»\"“”]+", self.text[start + tokens[0].start():m["start"]]))]
            if names:  # `پايگاه خبري "كانزاس‌سيتي استار"`: the name the outlet words stand before
                source = entity_ref(names[0])
            if source is None or self.ctx.words_between(source["end"], hit.start) > 8:
                return
            more, _end = self._relays(_after_closing(self.text, source["end"]), lang)
            self._add(start + tokens[0].start(), hit.end, [source, *more], "report_verb")
            return

    def _credits(self) -> None:
        """Wire and house credits: `(رويترز)`, `الرياض - واس`, `واس- نيويورك`, `خبرگزاري فارس:` at
        the head of a line (the outlet's own dateline)."""
        for m in self.ctx.mentions:
            if m["type"] != "ORG" or not is_outlet(m.get("entity")):
                continue
            before = self.text[max(0, m["start"] - 3):m["start"]].rstrip()
            after = self.text[m["end"]:m["end"] + 3].lstrip()
            line_start = self.text.rfind("\n", 0, m["start"]) + 1
            head = self.text[line_start:m["start"]]
            if before.endswith("(") and after.startswith(")"):
                start = self.text.rindex("(", 0, m["start"])
                end = self.text.index(")", m["end"]) + 1
                self._add(start, end, [entity_ref(m)], "credit")
            elif (len(head.split()) <= 3 and (after[:1] in (":", "-", "–") or before[-1:] in ("-", "–"))) \
                    or self._ends_dateline(line_start, m["end"]):
                self._add(m["start"], m["end"], [entity_ref(m)], "credit")

    def _ends_dateline(self, line_start: int, pos: int) -> bool:
        """An agency's name closing a dateline (`القاهرة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس`):
        nothing after it on a short line that carries a date."""
        line_end = self.text.find("\n", pos)
        line_end = len(self.text) if line_end < 0 else line_end
        line = self.text[line_start:line_end]
        return not self.text[pos:line_end].strip() and len(line.split()) <= 14 and any(ch.isdigit() for ch in line)

    def _bylines(self) -> None:
        """A page's own byline at the head of a line, parts cut by dashes: `سبق- متابعة:`,
        `سبق- وكالات:`, `عبدالحكيم شار- سبق- متابعة:`, `لجين الأحمدي – عين اليوم`. The outlet
        heads the chain (read from the knowledge base even where its name is a weak alias, as
        `سبق` = "preceded" is: in this slot it can only be the outlet), then the reporter, or
        an unnamed hop for wire copy (`وكالات`); desk words (`متابعة`) and cities are left out.
        Guidelines: `eval/data/events_dev.md`, Attributions (an outlet's own dateline or byline)."""
        pos = 0
        while pos < len(self.text):
            nl = self.text.find("\n", pos)
            line_end = len(self.text) if nl < 0 else nl
            self._byline(pos, line_end)
            pos = line_end + 1

    def _byline(self, start: int, end: int) -> None:
        colon = self.text.find(":", start, min(end, start + 60))
        head_end = colon if colon >= 0 else end
        head = self.text[start:head_end]
        parts = [m for m in re.finditer(r"[^-–—]+", head)]
        if len(parts) < 2 or len(head.split()) > 7 or (colon < 0 and self.text[head_end:end].strip()):
            return
        lang = self.ctx.lang_at(start)
        desk = set(lang_words(lang, "attribution.yaml", "byline_desk"))
        wire = set(lang_words(lang, "attribution.yaml", "byline_wire"))
        outlet: dict[str, Any] | None = None
        others: list[dict[str, Any]] = []
        last_end = start + parts[-1].end()
        for part in parts:
            p_start = start + part.start() + len(part.group()) - len(part.group().lstrip())
            p_end = start + part.end() - (len(part.group()) - len(part.group().rstrip()))
            if p_end <= p_start:
                continue
            if lang_cues(lang, "speech.yaml", "verbs").find(self.ctx.view, p_start, p_end):
                # `خبرگزاري فارس- سفير ايران در روسيه گفت:`: the story's first clause, not the byline
                last_end = start + part.start()
                break
            words = self.text[p_start:p_end]
            folded = pattern_form(words)
            mentions = [m for m in self.ctx.mentions if p_start <= m["start"] and m["end"] <= p_end]
            found = next((m for m in mentions if is_outlet(m.get("entity"))), None)
            if outlet is None and found is not None:
                outlet = entity_ref(found)
                continue
            entity = _outlet_by_name(words)
            if outlet is None and entity is not None:
                outlet = {"entity": entity, "label": None, "type": "ORG", "start": p_start, "end": p_end, "text": words}
                continue
            if folded in desk or any(m["type"] in ("GPE", "LOC") and (m["start"], m["end"]) == (p_start, p_end)
                                     for m in mentions):
                continue
            if folded in wire:
                others.append({"entity": None, "label": None, "type": "ORG", "start": p_start, "end": p_end, "text": words})
                continue
            person = next((m for m in mentions if m["type"] == "PER"), None)
            if person is not None and (person["start"], person["end"]) == (p_start, p_end):
                others.append(entity_ref(person))
            elif 2 <= len(words.split()) <= 3 and not any(ch.isdigit() for ch in words):
                # a reporter the knowledge base does not know: a document-local id, as the mentions
                # layer gives names its recogniser finds (`local:per:<name key>`)
                key = min(name_keys(words), default=None, key=lambda k: (-len(k), k))
                others.append({"entity": f"local:per:{key}" if key else None, "label": None, "type": "PER",
                               "start": p_start, "end": p_end, "text": words})
        if outlet is not None:
            end = last_end
            while end > start and self.text[end - 1] in " \t-–—":
                end -= 1
            self._add(start + parts[0].start(), end, [outlet, *others[:1]], "byline")

    def _correspondents(self) -> None:
        mentions = self.ctx.mentions
        for a, b in itertools.pairwise(mentions):
            if a["type"] != "PER" or b["type"] != "ORG" or not is_outlet(b.get("entity")):
                continue
            between = pattern_form(self.text[a["end"]:b["start"]]).split()
            if between in (["من"], ["from"], ["of"]) or (between[:1] == ["من"] and len(between) <= 2):
                self._add(a["start"], b["end"], [entity_ref(b), entity_ref(a)], "correspondent")

    def _signature(self) -> None:
        for match in re.finditer("©", self.text):
            line_end = self.text.find("\n", match.end())
            line_end = len(self.text) if line_end < 0 else line_end
            outlets = [m for m in self.ctx.mentions_in(match.end(), line_end, frozenset({"ORG"}))
                       if is_outlet(m.get("entity"))]
            if outlets:
                self._add(match.start(), outlets[0]["end"], [entity_ref(outlets[0])], "signature")

    # -- chains ----------------------------------------------------------------------------
    def _hops(self, pos: int, lang: str, free: bool | None = None) -> tuple[list[dict[str, Any]], int]:
        """Sources from ``pos`` on: a source, then `به نقل از` + source, and so on."""
        chain: list[dict[str, Any]] = []
        source = self._source_after(pos, lang, free)
        if source is None:
            return [], pos
        chain.append(source)
        more, end = self._relays(source["end"], lang)
        return chain + more, max(end, _after_closing(self.text, source["end"]))

    def _relays(self, pos: int, lang: str) -> tuple[list[dict[str, Any]], int]:
        chain: list[dict[str, Any]] = []
        end = pos
        relay = lang_cues(lang, "attribution.yaml", "relay")
        while True:
            stop = min(len(self.text), end + 40)
            hits = [h for h in relay.find(self.ctx.view, end, stop)
                    if (self.ctx.words_between(end, h.start) <= 1 or self._only_places(end, h.start))
                    and not _punct_between(self.text, end, h.start)]
            if not hits:
                return chain, end
            source = self._source_after(hits[0].end, lang)
            if source is None or source["start"] < hits[0].end:
                return chain, end
            chain.append(source)
            end = _after_closing(self.text, source["end"])

    def _only_places(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is a dateline place (`از اصفهان`, `از نیوپورت (ولز)`): a
        preposition and place names only."""
        rest = self.text[start:end]
        for m in self.ctx.mentions_in(start, end, frozenset({"GPE", "LOC"})):
            rest = rest.replace(m["text"], " ")
        return len(re.findall(r"[^\s()]+", rest)) <= 1 and rest != self.text[start:end]

    def _source_after(self, pos: int, lang: str, free: bool | None = None) -> dict[str, Any] | None:
        limit = self._clause_end(pos)
        unnamed = lang_cues(lang, "attribution.yaml", "unnamed")
        hits = unnamed.find(self.ctx.view, pos, limit)
        if hits and self.ctx.words_between(pos, hits[0].start) <= 1:
            h = hits[0]  # `عن مصادر الخارجية الروسية`: unnamed sources, whatever body they belong to
            return {"entity": None, "label": None, "type": "ORG", "start": h.start, "end": h.end,
                    "text": self.text[h.start:h.end]}
        relays = lang_cues(lang, "attribution.yaml", "relay").find(self.ctx.view, pos, limit)
        before_relay = relays[0].start if relays and self.ctx.words_between(pos, relays[0].start) > 0 else limit
        candidates = self.ctx.mentions_in(pos, limit, SOURCE_TYPES)
        if candidates and self.ctx.words_between(pos, candidates[0]["start"]) <= _MAX_WORDS_TO_SOURCE \
                and not _punct_between(self.text, pos, candidates[0]["start"]) and candidates[0]["start"] < before_relay:
            return entity_ref(candidates[0])
        named = self._outlet_named(pos, before_relay)
        if named is not None:
            return named
        if candidates and self.ctx.words_between(pos, candidates[0]["start"]) <= _MAX_WORDS_TO_SOURCE \
                and not _punct_between(self.text, pos, candidates[0]["start"]):
            return entity_ref(candidates[0])
        if free is None:
            free = lang != "ar"
        return self._pronoun_source(pos, limit, lang) or self._described_source(pos, before_relay, lang, free)

    def _described_source(self, pos: int, limit: int, lang: str, free: bool = True) -> dict[str, Any] | None:
        """A source slot (`به گزارش ...`, `به نقل از ...`, `وفق ما أعلن ...`, `نقل ... عن`) holding
        words the mentions layer did not link (`سي.ان.ان`, `روابط عمومی استانداری اصفهان`, `المرصد
        السوري لحقوق الانسان`): the slot makes them a source, so they are a hop with a
        document-local id (`local:org:<name key>`, the mentions layer's style). The phrase ends at
        a preposition or time word (`از مسكو`, `روز گذشته`: `np_stops` of speech.yaml) or the clause;
        an outlet word before a name (`خبرگزاري اينترفكس`) stays in the span. Unless ``free``, the
        phrase must open with an outlet word (`موقع "يمن برس"`): after Arabic `وفق`, `حسب`, `من`,
        `عن` a noun is as often no source at all (`وفق رؤية قيادتي البلدين`)."""
        tokens = [m for m in re.finditer(r"[^\s،,:؛()]+(?<!\.)", self.text[pos:limit])]  # `سي.ان.ان` is one word
        if not tokens or self.text[pos:pos + tokens[0].start()].strip(" \t«\"“"):
            return None
        outlet_words = lang_words(lang, "attribution.yaml", "outlet_words")
        if not free and pattern_form(tokens[0].group()) not in outlet_words:
            return None
        stops = set(lang_words(lang, "speech.yaml", "np_stops")) | set(lang_words(lang, "speech.yaml", "complementizers"))
        end = None
        for n, token in enumerate(tokens[:_MAX_WORDS_TO_SOURCE]):
            word = pattern_form(token.group().strip("«»\"“”"))
            if word in stops or (n and re.search(r"[«»\"“”]$", self.text[pos:pos + tokens[n - 1].end()]) and
                                 pattern_form(tokens[0].group()) not in outlet_words):
                break
            end = pos + token.end()
        if end is None:
            return None
        start = pos + tokens[0].start()
        text = self.text[start:end].strip("«»\"“” ")
        place_only = len(text.split()) == 1 and bool(self.ctx.mentions_in(start, end, frozenset({"GPE", "LOC"})))
        if not text or any(ch.isdigit() for ch in text) or place_only:
            return None
        start = self.text.index(text, start)
        end = start + len(text)
        marked = re.search(r"[«\"“]([^«»\"“”]+)[»\"”]?$", self.text[start:end + 1])
        if marked and pattern_form(self.text[start:start + marked.start()]).split() and all(
                w in outlet_words for w in pattern_form(self.text[start:start + marked.start()]).split()):
            # `روزنامه «دیلی نیشن»`: the name in marks is the source's span
            start, end = start + marked.start(1), start + marked.end(1)
            text = self.text[start:end]
        name = self._without_outlet_word(text, lang).replace(".", " ").split()
        entity = next((e for n in range(len(name), 0, -1) if (e := _outlet_by_name(" ".join(name[:n])))), None)
        entity = entity or _local_org(text)
        return {"entity": entity, "label": None, "type": "ORG", "start": start, "end": end,
                "text": self.text[start:end], "via": "described"}

    def _without_outlet_word(self, text: str, lang: str) -> str:
        """`خبرگزاري اينترفكس` -> `اينترفكس`: the name an outlet's word stands before."""
        words = text.split()
        while words and pattern_form(words[0]) in lang_words(lang, "attribution.yaml", "outlet_words"):
            words = words[1:]
        return " ".join(words).strip("«»\"“” ") or text

    def _outlet_named(self, pos: int, limit: int) -> dict[str, Any] | None:
        """An outlet named by a weak alias in a formula's source slot (`به گزارش گروه اقتصاد
        بین‌الملل فارس به نقل از ...`: `فارس` is also "Persian", so the mentions layer leaves it;
        right after `به گزارش` it can only be the agency)."""
        words = list(re.finditer(r"[^\s،,:«»\"()]+", self.text[pos:limit]))[:_MAX_WORDS_TO_SOURCE]
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                start, end = pos + words[i].start(), pos + words[i + n - 1].end()
                entity = _outlet_by_name(self.text[start:end])
                if entity is not None:
                    return {"entity": entity, "label": None, "type": "ORG", "start": start, "end": end,
                            "text": self.text[start:end], "via": "weak_alias"}
        return None

    def _pronoun_source(self, pos: int, limit: int, lang: str) -> dict[str, Any] | None:
        """`به گفته او`: the last person named before."""
        token = re.match(r"\s*([^\s،,:]+)", self.text[pos:limit])
        if not token or pattern_form(token.group(1)) not in lang_words(lang, "speech.yaml", "pronouns"):
            return None
        people = self.ctx.mentions_in(0, pos, frozenset({"PER", "ROLE"}))
        people = [m for m in people if m.get("entity")]
        if not people:
            return None
        ref = entity_ref(people[-1])
        start, end = pos + token.start(1), pos + token.end(1)
        ref.update(start=start, end=end, text=self.text[start:end], via="pronoun")
        return ref

    def _clause_end(self, pos: int) -> int:
        """The first clause break after ``pos``; a dot between letters (`سي.ان.ان`) is no break."""
        match = _CLAUSE_BREAK.search(self.text, pos)
        return match.start() if match else len(self.text)


    def _add(self, start: int, end: int, chain: list[dict[str, Any]], kind: str) -> None:
        self.found.append({"start": start, "end": end, "text": self.text[start:end], "kind": kind,
                           "chain": chain, "lang": self.ctx.lang_at(start)})


def _key(text: str) -> str:
    return "".join(pattern_form(text).split())


def _outlet_by_name(text: str) -> str | None:
    """The outlet whose name (weak aliases included) is exactly ``text``, when only one is."""
    found = [e.id for e in load_kb().candidates(alias_key(text)) if is_outlet(e.id)]
    return found[0] if len(found) == 1 else None


def _local_org(name: str) -> str | None:
    """A document-local organisation id from a name, as the mentions layer gives the names its
    recogniser finds (`local:org:<name key>`)."""
    keys = sorted(k for k in name_keys(name) if len(k) >= 2)
    return f"local:org:{keys[0]}" if keys else None


def _after_closing(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _CLOSING:
        pos += 1
    return pos


def _punct_between(text: str, start: int, end: int) -> bool:
    return any(ch in "،,.:؛;\n" for ch in text[start:end])

