"""Stage ``quotes.v1``: direct and indirect speech with its cue and its speaker.

How a quote is found, in each language's word order (lists in `lang/<code>/speech.yaml`):

- a **speech verb** (`گفت`, `افزود`, `تاکید کرد`, `قال`, `وأضاف`, `said`) opens a quote whose
  content is the quoted segment that follows it in its sentence (`گفت: «...»`, `قال "..."`), or,
  without quotation marks, the rest of the sentence after `:` or the complementiser (`که`, `إن`,
  `أن`, `that`); an English segment just before `said` (`"...", he said`) is its content too;
- a **preposed source** (`به گفته او، ...`, `according to X, ...`) quotes the rest of the sentence;
- a **headline** `Name: words` quotes the words (no cue).

The speaker is the person, role or body named next to the verb: before it in Persian and
English (the first in the clause: the subject), after it in Arabic (verb-subject order, with a
subject before the verb as a fallback). A pronoun (`وی`, `او`, `he`) or a verb with no subject
(`وأضاف`) continues the last speaker, or else the last person mentioned; a participle (`مشيرا`)
continues the subject of its own sentence. Quotation marks are paired within one block; an
unmatched mark loses that one quote, never the others.

Where the mentions layer links no subject, the words in the subject slot still say who speaks
(lists in `speech.yaml`): a country opening the clause (`پاکستان اعلام کرد`); a role phrase
(`سفیر ایران در روسیه گفت`, `وأوضح المتحدث الرئاسي المصري`) with a document-local id; a phrase
pointing back (`این دیپلمات ایرانی`: the last speaker; `وقالت الوزارة`: the last body whose
name holds `وزارة`; `وأوضح البيان`: whoever issued the statement); an Arabic name before `أن`
or `:` (`ونفى كير أن`), or in quotation marks (`ونفى "الصباح" أن`); a surname after the full
name (`بوش` after `جرج بوش`: the full name's entity).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from khabar.cues import CueHit, lang_cues, lang_words
from khabar.discourse import AGENT_TYPES, PERSON_TYPES, Context, entity_ref
from khabar.document import Document
from khabar.entities.namekey import name_keys
from khabar.normalize import pattern_form
from khabar.pipeline import stage
from khabar.stages.attribution import is_outlet

_OPENERS = {"«": "»", "“": "”", "„": "”", '"': '"', "”": "”"}
_CLOSERS_FOR = {"»": "»", "”": "”", '"': '"'}
_MIN_DIRECT_WORDS = 2           # shorter marked segments are names or terms, not speech
_MAX_GAP_WORDS = 25             # cue ... opening mark: the speaker and circumstances in between
_COMPLEMENTISER_WINDOW = 12     # words after the cue in which `که`/`إن`/`that` may stand
_SENTENCE_END = re.compile(r"[.!?؟]")
_MAX_NAME_WORDS = 4             # a quoted segment this short may be a name in marks
_MIN_UNMARKED_WORDS = 3         # unmarked content right after a verb: shorter is an object, not speech
# words between a role and the name in apposition: Arabic puts titles and the country between
# (`وزير الخارجية بدولة قطر الدكتور خالد العطية`); in Persian a name further on is someone else
_APPOSITION_WORDS = {"ar": 3, "fa": 1, "en": 1}
_MAX_HEADLINE_WORDS = 15        # a body line this short without a sentence end may be a headline
_MAX_NP_WORDS = 8               # a described speaker (`سخنگوی نمایندگی ایران در ...`) is cut here


def quote_segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Content spans of paired quotation marks in ``text[start:end]`` (marks excluded).

    `«…»` and `“…”` pair with their own closers; straight `"` and a `”` used as an opener (as
    in `بـ”العقوبات غير القانونية”`) close on the same mark. A segment left open at the block end
    is dropped alone.
    """
    out = []
    open_at: int | None = None
    expected = ""
    for i in range(start, end):
        ch = text[i]
        if open_at is None:
            if ch in _OPENERS and i + 1 < end and not text[i + 1].isspace():
                open_at, expected = i, _OPENERS[ch]
        elif ch == expected or (ch in _CLOSERS_FOR and expected in ('"', "”") and ch in ('"', "”")):
            if i > open_at + 1:
                out.append((open_at + 1, i))
            open_at = None
        elif ch == "\n":
            open_at = None
        elif ch in ("«", "“") and text[open_at] == ch:
            open_at = i  # the same opener again: the first one was never closed
    return out


@stage("quotes.v1", requires=("mentions", "blocks", "attributions"), assigns=("quotes",))
def find_quotes(doc: Document) -> Document:
    """Direct and indirect quotes with content, cue and speaker spans."""
    if not doc.text:
        return doc
    ctx = Context.of(doc)
    return replace(doc, quotes=tuple(_Finder(ctx).run()))


class _Finder:
    """One document's quote search (a plain object living for one stage call)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.doc.text
        self.segments: list[tuple[int, int]] = []
        for s in _prose_spans(ctx):
            self.segments.extend(quote_segments(self.text, *s))
        self.used: set[tuple[int, int]] = set()
        self.quotes: list[dict[str, Any]] = []
        self.last_speaker: dict[str, Any] | None = None

    def run(self) -> list[dict[str, Any]]:
        langs = {self.ctx.lang_at(s.start) for s in self.ctx.sentences} or {self.ctx.doc.lang or "en"}
        hits: list[tuple[CueHit, str, str]] = []
        for lang in sorted(langs):
            for hit in lang_cues(lang, "speech.yaml", "verbs").find(self.ctx.view):
                hits.append((hit, lang, "verb"))
            for hit in lang_cues(lang, "speech.yaml", "preposed").find(self.ctx.view):
                hits.append((hit, lang, "preposed"))
            for hit in lang_cues(lang, "speech.yaml", "clause_cues").find(self.ctx.view):
                hits.append((hit, lang, "clause"))
        hits.sort(key=lambda h: h[0].start)
        self._headlines()
        for hit, lang, kind in hits:
            index = self.ctx.sentence_index(hit.start)
            if index is None or self.ctx.lang_at(hit.start) != lang:
                continue
            if any(q["start"] <= hit.start < q["end"] for q in self.quotes):
                continue  # a speech verb inside a quote belongs to the quoted speaker
            if self._in_formula_opening(hit):
                continue
            if kind == "preposed":
                self._preposed(hit, index, lang)
            elif kind == "clause":
                self._clause_cue(hit, index, lang)
            else:
                self._verb(hit, index, lang)
        self.quotes.sort(key=lambda q: q["start"])
        return _without_overlaps(self.quotes)

    # -- shapes ----------------------------------------------------------------------------
    def _headlines(self) -> None:
        for block in self.ctx.doc.blocks:
            if block.kind != "title":
                self._headline_lines(block.start, block.end)
            else:
                self._headline(block.start, block.end)

    def _headline(self, start: int, end: int) -> None:
        """`وانگ یی: ... /لاوروف: ...`: a headline's parts cut by `/`, each read on its own."""
        pos = start
        for part_end in [*[m.start() + start for m in re.finditer(r"/", self.text[start:end])], end]:
            self._headline_part(pos, part_end)
            pos = part_end + 1

    def _headline_lines(self, start: int, end: int) -> None:
        """A headline repeated in the body, or a sub-headline: a short line of its own without a
        sentence end (`وانگ یی: به جهانی چندقطبی متعهدیم`), read like the title."""
        pos = start
        while pos < end:
            nl = self.text.find("\n", pos, end)
            line_end = end if nl < 0 else nl
            line = self.text[pos:line_end].strip()
            if line and len(line.split()) <= _MAX_HEADLINE_WORDS and not _SENTENCE_END.search(line[-1:]):
                self._headline(pos + len(self.text[pos:line_end]) - len(self.text[pos:line_end].lstrip()), line_end)
            pos = line_end + 1

    def _headline_part(self, start: int, end: int) -> None:
        colon = self.text.find(":", start, end)
        if colon < 0:
            return
        speakers = self.ctx.mentions_in(start, colon, AGENT_TYPES)  # `الأمم المتحدة: ...`, `ایتالیا: ...`
        if not speakers or self.text[start:speakers[0]["start"]].strip() or self.text[speakers[-1]["end"]:colon].strip():
            # `دیپلمات ایرانی: ...`, `وزير كويتي: ...`: a role phrase nobody is linked to
            lang = self.ctx.lang_at(start)
            tokens = self._tokens(start, colon)
            if not 1 <= len(tokens) <= _MAX_NAME_WORDS \
                    or tokens[0][2] not in lang_words(lang, "speech.yaml", "speaker_heads"):
                return
            speaker = self._described(tokens[0][0], tokens[-1][1], via="described")
        else:
            speaker = entity_ref(speakers[0], "name")
        content = _trim(self.text, colon + 1, end)
        if content:
            self._emit(content, None, speaker, direct=False)

    def _preposed(self, hit: CueHit, index: int, lang: str) -> None:
        sentence = self.ctx.sentences[index]
        comma = _first_of(self.text, "،,", hit.end, sentence.end)
        if comma is None or not self._clause_initial(sentence.start, hit.start, lang):
            return  # `شدد رئيس الوزراء بحسب سكاي نيوز على أن`: mid-clause, it only attributes
        # `وحسب موقع "يمن برس"`: a country inside an outlet's name is not the source
        sources = [m for m in self.ctx.mentions_in(hit.end, comma, AGENT_TYPES) if m["type"] != "GPE"]
        speaker = self._resolve(sources[0], "name") if sources else self._pronoun_between(hit.end, comma, lang)
        if speaker is None:
            return
        content = _trim(self.text, comma + 1, sentence.end)
        if content:
            self._emit(content, hit, speaker, direct=False)

    def _clause_cue(self, hit: CueHit, index: int, lang: str) -> None:
        """`وییرا با بیان اینکه X، عنوان کرد: ...`: X is said by the clause's subject."""
        sentence = self.ctx.sentences[index]
        comma = _first_of(self.text, "،,:", hit.end, sentence.end)
        if comma is None:
            return
        content = self._content(hit.end, comma, lang)
        if content is None or _words(self.text, *content) < 2:
            return
        self._emit(content, hit, self._speaker(hit, sentence.start, sentence.end, lang), direct=False)

    def _sentence_subject(self, sent_start: int, pos: int) -> dict[str, Any] | None:
        """The subject of the main verb of a sentence no quote has spoken in yet (`هاجم ... ضاحي
        خلفان ...، واصفاً`): its first person, outside attribution phrases; None when a quote of
        the sentence already named the speaker that a participle goes on with."""
        if any(q["cue"] and sent_start <= q["cue"]["start"] < pos for q in self.quotes):
            return None
        people = [m for m in self.ctx.mentions_in(sent_start, pos, PERSON_TYPES)
                  if not self._in_attribution(m["start"]) and not self._inside_quote(m["start"])]
        return self._resolve(people[0], "name") if people else None

    def _cited(self, hit: CueHit, sent_start: int, lang: str) -> dict[str, Any] | None:
        """The source of `نقل ... عن X قوله`: X (a pronoun `عنه` continues the last speaker)."""
        tokens = [t for t in re.finditer(r"\S+", self.text[sent_start:hit.start])]
        for token in reversed(tokens):
            word = pattern_form(token.group().strip("،,"))
            if word in ("عنه", "عنها", "عنهم"):
                return self._continue(before=hit.start)
            if word == "عن":
                start = sent_start + token.end()
                unnamed = self._unnamed_at(start, hit.start, lang)
                if unnamed:
                    return self._unnamed_ref(*unnamed)
                sources = self.ctx.mentions_in(start, hit.start, AGENT_TYPES)
                return self._resolve(_prefer_person(sources), "name") if sources else None
        return self._continue(before=hit.start)

    def _verb(self, hit: CueHit, index: int, lang: str) -> None:
        sentence = self.ctx.sentences[index]
        if hit.category == "participle":  # `مشيرا إلى أن`: the speaker of the sentence's main verb goes on
            speaker = self._sentence_subject(sentence.start, hit.start) or self._continue(before=hit.start)
        elif hit.category == "citing":
            speaker = self._cited(hit, sentence.start, lang)
        else:
            speaker = self._speaker(hit, sentence.start, sentence.end, lang)
        block_end = self._block_end(hit.start)
        # 1. a quoted segment opening after the cue, before the sentence ends outside quotes
        for seg in self.segments:
            if seg in self.used or seg[0] - 1 < hit.end:
                continue
            between = self.text[hit.end:seg[0] - 1]
            if seg[0] > block_end or _SENTENCE_END.search(between) or len(between.split()) > _MAX_GAP_WORDS:
                break
            if self._has_other_cue(hit.end, seg[0] - 1, lang):
                break
            if _words(self.text, *seg) < _MIN_DIRECT_WORDS and not between.rstrip().endswith(":"):
                continue
            if self._name_in_marks(seg[0] - 1) and not between.rstrip().endswith(":"):
                continue  # `قال "محمد الصباح" إن`: a name in marks, not what was said
            indirect = self._indirect_content(hit, sentence.end, lang, fallback=False)
            if indirect and indirect[0] < seg[0] - 1 and _marked_share(indirect, self.segments) < 0.6:
                self._emit(indirect, hit, speaker, direct=False)
                return
            self._emit(seg, hit, speaker, direct=True)
            self._following_segments(seg, block_end, hit, speaker)
            return
        # 2. English "…", he said: a segment closing just before the cue
        if lang == "en":
            for seg in self.segments:
                if seg in self.used:
                    continue
                gap = self.text[seg[1] + 1:hit.start]
                if seg[1] < hit.start and len(gap.split()) <= 3 and not _SENTENCE_END.search(gap):
                    self._emit(seg, hit, speaker, direct=True)
                    return
        # 3. unmarked speech after `:` or a complementiser
        content = self._indirect_content(hit, sentence.end, lang)
        if content:
            self._emit(content, hit, speaker, direct=False)

    def _following_segments(self, first: tuple[int, int], block_end: int, hit: CueHit,
                            speaker: dict[str, Any] | None) -> None:
        """Further segments of one utterance: `وأضاف "..." ومنها "..."` (same sentence, no new cue)."""
        last = first
        for seg in self.segments:
            if seg in self.used or seg[0] <= last[1] or seg[0] > block_end:
                continue
            between = self.text[last[1] + 1:seg[0] - 1]
            if _SENTENCE_END.search(between) or len(between.split()) > 4:
                break
            if _words(self.text, *seg) >= _MIN_DIRECT_WORDS:
                self._emit(seg, hit, speaker, direct=True)
                last = seg

    def _indirect_content(self, hit: CueHit, sentence_end: int, lang: str,
                          fallback: bool = True) -> tuple[int, int] | None:
        """Unmarked content after `:` or a complementiser; with ``fallback``, also the Persian
        content straight after the verb and the Arabic noun object (not when a quoted segment
        follows the cue: that segment is the content)."""
        after = self.text[hit.end:sentence_end]
        stripped = after.lstrip()
        if stripped.startswith(":"):
            return self._content(hit.end + after.index(":") + 1, sentence_end, lang)
        words = lang_words(lang, "speech.yaml", "complementizers")
        tokens = list(re.finditer(r"\S+", after))[:_COMPLEMENTISER_WINDOW]
        for n, token in enumerate(tokens):
            word = pattern_form(token.group().strip("،,:"))
            if token.group().endswith(":"):
                return self._content(hit.end + token.end(), sentence_end, lang)
            if word in words and (lang != "fa" or n <= 1):
                return self._content(hit.end + token.end(), sentence_end, lang)
        if lang == "fa" and fallback:
            return self._after_verb(hit, sentence_end, lang)
        if lang == "ar" and fallback:
            return self._object(hit, sentence_end, lang)
        return None

    def _content(self, start: int, sentence_end: int, lang: str) -> tuple[int, int] | None:
        """``[start, sentence end)`` trimmed, ending before a further speech cue that opens the
        next utterance of the sentence (`، مشيرا إلى أن`, `وأضاف`, `و تاکید کرد`): annotators
        mark each as its own quote (`events_dev.md`, Quotes)."""
        end = sentence_end
        for hit in lang_cues(lang, "speech.yaml", "verbs").find(self.ctx.view, start, sentence_end):
            if hit.start <= start or self._inside_quote(hit.start):
                continue
            before = self.text[max(start, hit.start - 3):hit.start]
            if hit.category == "participle" or re.search(r"(?:^|[\s،,])و\s*$", before) or before.rstrip().endswith(("،", ",")):
                end = hit.start
                break
        span = _trim(self.text, start, end)
        if span and end < sentence_end:  # the conjunction before the next verb is not content
            tail = re.search(r"[\s،,]+و$", self.text[span[0]:span[1]])
            span = _trim(self.text, span[0], span[0] + tail.start()) if tail else span
        return span

    def _after_verb(self, hit: CueHit, sentence_end: int, lang: str) -> tuple[int, int] | None:
        """Persian speech with no `:` or `که`: the verb ends its clause, so what follows it in the
        sentence (`گفت، ...`, `تاکید کرد؛ ...`, `اعلام کردند ...`) is what was said, unless a new
        clause of the narrative starts with `و`."""
        rest = self.text[hit.end:sentence_end]
        stripped = rest.lstrip(" \t،,؛")
        if not stripped or re.match(r"و(?:\s|$)", stripped):
            return None
        start = hit.end + len(rest) - len(stripped)
        span = self._content(start, sentence_end, lang)
        if span is None or _words(self.text, *span) < _MIN_UNMARKED_WORDS:
            return None
        return span

    def _object(self, hit: CueHit, sentence_end: int, lang: str) -> tuple[int, int] | None:
        """Arabic speech verbs with a noun object (`أكد أهمية ...`, `أشار إلى ...`, `شدد على ...`,
        `عبر عن ...`): the Arabic annotators counted the object as the content (`events_dev.md`).
        It starts after the verb's subject and after a preposition the verb governs."""
        pos = self._subject_end(hit, sentence_end, lang)
        preps = set(lang_words(lang, "speech.yaml", "object_prepositions"))
        for token in list(re.finditer(r"\S+", self.text[pos:sentence_end]))[:6]:
            if re.search(r"[،,:؛]", token.group()):
                break
            if pattern_form(token.group()) in preps:
                pos = pos + token.end()
                break
        if re.match(r"\s*[،,]", self.text[pos:sentence_end]):
            return None  # `قال المسؤول، ...` with no content of its own here
        span = self._content(pos, sentence_end, lang)
        if span is None or _words(self.text, *span) < _MIN_UNMARKED_WORDS:
            return None
        return span

    def _subject_end(self, hit: CueHit, sentence_end: int, lang: str) -> int:
        """End of the subject standing after an Arabic verb: its mentions (coordinated with `و`)
        or an unnamed source (`مصدر مطلع`), when they start within two words of the verb."""
        pos = hit.end
        while True:
            nxt = self.ctx.mentions_in(pos, sentence_end, AGENT_TYPES)
            unnamed = self._unnamed_at(pos, sentence_end, lang)
            candidates = [(m["start"], m["end"]) for m in nxt[:1]] + ([unnamed] if unnamed else [])
            candidates = [c for c in candidates if self.ctx.words_between(pos, c[0]) <= 2
                          and not re.search(r"[،,:]", self.text[pos:c[0]])]
            if not candidates:
                return pos
            pos = max(c[1] for c in sorted(candidates)[:1])
            if not re.match(r"\s+و", self.text[pos:pos + 3]):
                return pos

    # -- speakers --------------------------------------------------------------------------
    def _speaker(self, hit: CueHit, sent_start: int, sent_end: int, lang: str) -> dict[str, Any] | None:
        before = self.ctx.mentions_in(sent_start, hit.start, AGENT_TYPES)
        before = [m for m in before if not self._inside_quote(m["start"]) and not self._in_attribution(m["start"])]
        if lang == "ar":
            stop = self._complementiser_or_mark(hit.end, sent_end, lang)
            after = [m for m in self.ctx.mentions_in(hit.end, stop, AGENT_TYPES)]
            first = re.match(r"\s*\S+", self.text[hit.end:stop])
            pronoun = self._pronoun_between(hit.end, hit.end + first.end(), lang) if first else None
            if pronoun:  # `أكد معاليه`, `وقال سموه`
                return pronoun
            unnamed = self._unnamed_at(hit.end, stop, lang)
            if unnamed and (not after or unnamed[0] <= after[0]["start"]):
                return self._unnamed_ref(*unnamed)
            if after and self.ctx.words_between(hit.end, after[0]["start"]) <= 3:
                return self._resolve(_prefer_person(after), "name")
            described = self._subject_after(hit, stop, lang)
            if described:
                return described
            pronoun = self._pronoun_between(sent_start, hit.start, lang)
            if pronoun:
                return pronoun
            before = [m for m in before if m["type"] != "GPE"]  # `في ليبيا، قال ...`: a place, not a speaker
            if before and self.ctx.words_between(before[-1]["end"], hit.start) <= 2:
                return self._resolve(before[-1], "name")
            return self._continue()
        # fa, en: subject before the verb, first in the clause
        pronoun = self._pronoun_between(sent_start, hit.start, lang)
        people = [m for m in before if m["type"] in PERSON_TYPES]
        unnamed = self._unnamed_at(sent_start, hit.start, lang, anywhere=True)
        if unnamed and (not people or unnamed[0] < people[0]["start"]
                        or re.search(r"[،,]", self.text[people[-1]["end"]:unnamed[0]]) is not None) \
                and not (pronoun and self._pronoun_pos < unnamed[0]) and self._opens_clause(sent_start, unnamed[0]):
            return self._unnamed_ref(*unnamed)
        if pronoun and (not people or people[0]["start"] > self._pronoun_pos):
            return pronoun
        if people:
            described = self._subject_before(sent_start, people[0]["start"], lang) if lang == "fa" and not pronoun else None
            if described and described.get("via") == "described" and self._has_np_stop(described["end"], people[0]["start"], lang):
                # `فرماندار ایالت لارا در بیانیه‌ای با اشاره به دیدار با «X» ... گفت`: the role phrase
                # opening the clause is the subject; the person after a preposition is not
                return described
            return self._resolve(people[0], "name")
        if before and before[0]["type"] == "ORG":
            return self._resolve(before[0], "name")
        country = next((m for m in before if m["type"] == "GPE" and self._clause_initial(sent_start, m["start"], lang)), None)
        if country is not None and not any(m["type"] == "ORG" for m in before if m["start"] < country["start"]):
            return self._resolve(country, "name")  # `پاکستان اعلام کرد`: a country speaking as a party
        if lang == "fa" and not pronoun:
            described = self._subject_before(sent_start, hit.start, lang)
            if described:
                return described
        if lang == "en":
            after = self.ctx.mentions_in(hit.end, sent_end, AGENT_TYPES)
            if after and self.ctx.words_between(hit.end, after[0]["start"]) <= 1:
                return self._resolve(after[0], "name")
        return self._continue()

    _pronoun_pos: int = -1

    def _unnamed_at(self, start: int, end: int, lang: str, *, anywhere: bool = False) -> tuple[int, int] | None:
        """An unnamed source (`مصدر عسكري`, `منابع آگاه`, `officials`) within a word of ``start``
        (or anywhere before ``end`` outside attribution phrases)."""
        cues = lang_cues(lang, "speech.yaml", "unnamed")
        for h in cues.find(self.ctx.view, start, end):
            if anywhere:
                if not self._in_attribution(h.start) and not self._inside_quote(h.start):
                    return h.start, h.end
                continue
            if self.ctx.words_between(start, h.start) <= 1 and not re.search(r"[،,:]", self.text[start:h.start]):
                return h.start, h.end
            break
        return None

    def _clause_start(self, sent_start: int, pos: int) -> int:
        """Where the clause holding ``pos`` starts: after the sentence start, the last attribution
        phrase and the last comma before it."""
        start = sent_start
        for a in self.ctx.doc.attributions:
            if sent_start <= a["end"] <= pos:
                start = max(start, a["end"])
        comma = max(self.text.rfind("،", start, pos), self.text.rfind(",", start, pos))
        return max(start, comma + 1)

    def _opens_clause(self, sent_start: int, pos: int) -> bool:
        """Whether ``pos`` is the subject slot of its clause: at most one word (`یک`, `این`) after
        the sentence start, a comma or an attribution phrase."""
        return self.ctx.words_between(self._clause_start(sent_start, pos), pos) <= 1

    def _unnamed_ref(self, start: int, end: int) -> dict[str, Any]:
        return {"entity": None, "label": None, "type": "ORG", "start": start, "end": end,
                "text": self.text[start:end], "via": "unnamed"}

    def _pronoun_between(self, start: int, end: int, lang: str) -> dict[str, Any] | None:
        pronouns = set(lang_words(lang, "speech.yaml", "pronouns"))
        for token in re.finditer(r"[^\s،,:]+", self.text[start:end]):
            if pattern_form(token.group()) in pronouns:
                self._pronoun_pos = start + token.start()
                referent = self._continue(before=start + token.start())
                if referent is None:
                    return None
                out = dict(referent)
                out.update(start=start + token.start(), end=start + token.end(), text=token.group(), via="pronoun")
                return out
        return None

    def _continue(self, before: int | None = None) -> dict[str, Any] | None:
        """The last speaker, else the last person mentioned before ``before``."""
        if self.last_speaker is not None:
            out = dict(self.last_speaker)
            out.update(start=None, end=None, text=None, via="previous")
            return out
        if before is not None:
            people = self.ctx.mentions_in(0, before, PERSON_TYPES)
            if people:
                out = entity_ref(people[-1], "previous")
                out.update(start=None, end=None, text=None)
                return out
        return None

    def _resolve(self, mention: Mapping[str, Any], via: str) -> dict[str, Any]:
        named = self._named_in_apposition(mention)
        if named is not None:  # `المتحدث باسم البيت الأبيض جوش إيرنست`: a name over a role (guidelines)
            return entity_ref(named, via)
        entity = mention.get("entity")
        if mention["type"] in ("PER", "ORG") and (not entity or entity.startswith("local:")):
            full = self._full_name(mention["start"], mention["text"])
            if full is not None:  # `میریوسفی` after `علیرضا میریوسفی`: the person named in full before
                out = entity_ref(full, "surname")
                out.update(start=mention["start"], end=mention["end"], text=mention["text"])
                return out
        return entity_ref(mention, "role" if mention["type"] == "ROLE" else via)

    def _full_name(self, start: int, name: str) -> Mapping[str, Any] | None:
        """The person named earlier with a longer name ending in ``name``'s one word (`الصباح` →
        `محمد المبارك الصباح`, `بوش` → `جرج بوش`): news names a person in full once, then by surname."""
        words = pattern_form(name.strip("\"«»“”")).split()
        if len(words) != 1:
            return None
        for m in reversed(self.ctx.mentions_in(0, start, frozenset({"PER"}))):
            full = pattern_form(m["text"].strip("\"«»“”")).split()
            if len(full) >= 2 and full[-1] == words[0] and m.get("entity"):
                return m
        return None

    def _named_in_apposition(self, mention: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The person named right after a role (`وزیر خارجه، «X»`, `السفير علاء يوسف`), if any."""
        if mention["type"] != "ROLE":
            return None
        following = self.ctx.mentions_in(mention["end"], mention["end"] + 60, PERSON_TYPES)
        if following and following[0]["type"] == "PER" and following[0].get("entity") \
                and self.ctx.words_between(mention["end"], following[0]["start"]) <= _APPOSITION_WORDS.get(
                    self.ctx.lang_at(mention["start"]), 1) \
                and not re.search(r"[.:؛،,]", self.text[mention["end"]:following[0]["start"]]):
            return following[0]
        return None

    # -- subjects the mentions layer did not name ----------------------------------------------
    def _name_in_marks(self, mark: int) -> bool:
        """Whether the quotation mark at ``mark`` opens a short segment that is one name
        (`"الصباح"`, `«ماریانو راخوی»`) rather than speech."""
        for s, e in self.segments:
            if s == mark + 1:
                if _words(self.text, s, e) > _MAX_NAME_WORDS:
                    return False
                inside = self.ctx.mentions_in(s, e, AGENT_TYPES)
                if inside and inside[0]["start"] == s and inside[-1]["end"] == e:
                    return True
                # `قال "الصباح": "..."`, `ونفى "الصباح" أن`: one or two words, then what is said
                lang = self.ctx.lang_at(s)
                nxt = re.match(r"[\"»”]\s*(:|[^\s،,:]+)", self.text[e:e + 20])
                return _words(self.text, s, e) <= 2 and nxt is not None and (
                    nxt.group(1) == ":" or pattern_form(nxt.group(1)) in lang_words(lang, "speech.yaml", "complementizers"))
        return False

    def _clause_initial(self, sent_start: int, pos: int, lang: str) -> bool:
        """Whether ``pos`` opens its clause: nothing before it since the sentence start, an
        attribution phrase or a comma but a conjunction (`و`, `اما`)."""
        words = [pattern_form(w) for w in self.text[self._clause_start(sent_start, pos):pos].split()]
        return not words or (len(words) == 1 and words[0] in lang_words(lang, "speech.yaml", "conjunctions"))

    def _tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Words of ``text[start:end]`` as (start, end, folded form), punctuation and marks left out."""
        return [(start + m.start(), start + m.end(), pattern_form(m.group()))
                for m in re.finditer(r"[^\s،,:؛.«»\"“”()\-–—]+", self.text[start:end])]

    def _noun_phrase(self, tokens: list[tuple[int, int, str]], lang: str) -> tuple[int, int]:
        """The span of the noun phrase opening ``tokens``: up to a preposition, a time word, a
        complementiser, a relative pronoun or punctuation (`np_stops` in speech.yaml)."""
        stops = set(lang_words(lang, "speech.yaml", "np_stops")) | set(lang_words(lang, "speech.yaml", "complementizers"))
        end = tokens[0][1]
        for n, (t_start, t_end, word) in enumerate(tokens[1:_MAX_NP_WORDS], start=1):
            if word in stops or re.search(r"[،,:؛.\n]", self.text[tokens[n - 1][1]:t_start]):
                break
            end = t_end
        return tokens[0][0], end

    def _has_np_stop(self, start: int, end: int, lang: str) -> bool:
        stops = set(lang_words(lang, "speech.yaml", "np_stops"))
        return any(word in stops for _s, _e, word in self._tokens(start, end))

    def _described(self, start: int, end: int, via: str, entity: str | None = None) -> dict[str, Any]:
        """A speaker named by a noun phrase the mentions layer did not link, with a document-local
        id from its words (`local:role:...`, the style of `discourse._with_role_ids`)."""
        if entity is None:
            entity = "local:role:" + "_".join(pattern_form(self.text[start:end]).split())
        return {"entity": entity, "label": None, "type": "ROLE", "start": start, "end": end,
                "text": self.text[start:end], "via": via}

    def _anaphor(self, start: int, end: int, head: str, lang: str) -> dict[str, Any] | None:
        """`الوزارة`, `المجلس`, `این روزنامه`: the last body named before whose name holds the head
        word (`وزارة الخارجية الروسية`), or that follows the head word's last use; None when there
        is none. The span is the anaphor's own."""
        bare = head[2:] if lang == "ar" and head.startswith("ال") else head
        for m in reversed(self.ctx.mentions_in(0, start, frozenset({"ORG", "PER", "ROLE"}))):
            words = pattern_form(m["text"]).split()
            if bare in words or head in words:
                out = entity_ref(m, "anaphor")
                out.update(start=start, end=end, text=self.text[start:end])
                return out
        # `وكالة الانباء السورية (سانا)` ... `وقالت الوكالة`: the body named after the head noun's
        # last use, when the mention covers only its short name
        for _t_start, t_end, word in reversed(self._tokens(0, start)):
            if word in (bare, head):
                named = [m for m in self.ctx.mentions_in(t_end, min(start, t_end + 60), frozenset({"ORG"}))
                         if self.ctx.words_between(t_end, m["start"]) <= _MAX_NAME_WORDS]
                if named:
                    out = entity_ref(named[0], "anaphor")
                    out.update(start=start, end=end, text=self.text[start:end])
                    return out
                break
        return None

    def _statement_issuer(self, pos: int, lang: str) -> dict[str, Any] | None:
        """`وأوضح البيان`: whoever issued the statement the article spoke of last (the speaker
        of the sentence naming it, else that sentence's first actor)."""
        statements = set(lang_words(lang, "speech.yaml", "statement_nouns"))
        tokens = self._tokens(0, pos)
        for t_start, _t_end, word in reversed(tokens[:-1]):
            if word not in statements:
                continue
            index = self.ctx.sentence_index(t_start)
            if index is None:
                return None
            sentence = self.ctx.sentences[index]
            for q in reversed(self.quotes):
                spk = q.get("speaker") or {}
                if q["cue"] and sentence.start <= q["cue"]["start"] < sentence.end and spk.get("entity"):
                    return {k: spk[k] for k in ("entity", "label", "type")}
            actors = [m for m in self.ctx.mentions_in(sentence.start, sentence.end, AGENT_TYPES) if m["type"] != "GPE"]
            return {k: actors[0].get(k) for k in ("entity", "label", "type")} if actors else None
        return None

    def _subject_after(self, hit: CueHit, stop: int, lang: str) -> dict[str, Any] | None:
        """The subject after an Arabic verb when no mention names it: an anaphoric body
        (`وقالت الوزارة`), a statement (`وأوضح البيان`), a role phrase (`وأوضح المتحدث الرئاسي
        المصري`), or a name before `أن` / `:` (`ونفى كير أن`)."""
        tokens = self._tokens(hit.end, stop)
        if not tokens or self.text[hit.end:tokens[0][0]].strip(" \t\"«“”"):
            return None
        start, end, word = tokens[0]
        if word in lang_words(lang, "speech.yaml", "statement_nouns"):
            issuer = self._statement_issuer(start, lang) or (dict(self.last_speaker) if self.last_speaker else None)
            if issuer:
                issuer.update(start=start, end=end, text=self.text[start:end], via="statement")
            return issuer
        if word in lang_words(lang, "speech.yaml", "body_anaphors"):
            span = (start, end)
            for _s, t_end, adjective in tokens[1:3]:  # `الرئاسة السودانية`: the head and its nisba adjectives
                if not adjective.startswith("ال") or not adjective.endswith(("يه", "ي")):
                    break
                span = (start, t_end)
            # a body the recogniser never named (`وقال المرصد`, `أكدت الرئاسة السودانية`): its own phrase
            return self._anaphor(start, end, word, lang) or self._described(*span, via="described")
        if word in lang_words(lang, "speech.yaml", "speaker_heads"):
            people = [m for m in self.ctx.mentions_in(start, stop, frozenset({"PER"}))
                      if not re.search(r"[.؛\n]", self.text[start:m["start"]])]
            if people:  # `وقال وزير الدولة ... الشيخ محمد الصباح`: the name over the role
                return self._resolve(people[0], "name")
            return self._described(*self._noun_phrase(tokens, lang), via="described")
        # a name the recogniser missed: one or two words, then `أن`/`إن`, `:`, or for a verb of
        # saying, which takes no object, `في` (`وقال كير في تصريحات`)
        after = self._tokens(hit.end, min(len(self.text), hit.end + 80))
        stops = set(lang_words(lang, "speech.yaml", "np_stops"))
        complementizers = set(lang_words(lang, "speech.yaml", "complementizers"))
        for n in (1, 2):
            if len(after) <= n or after[n - 1][2] in stops | complementizers:
                break
            gap = self.text[after[n - 1][1]:after[n][0]]
            if gap.strip(" \t\"»”") and not re.fullmatch(r"[\"»”]?\s*:\s*[\"«“]?\s*", gap):
                break
            if ":" in gap or after[n][2] in complementizers \
                    or (hit.category in ("say", "add") and after[n][2] in lang_words(lang, "speech.yaml", "setting_prepositions")):
                start, end = after[0][0], after[n - 1][1]
                full = self._full_name(start, self.text[start:end])
                if full is not None:
                    out = entity_ref(full, "surname")
                    out.update(start=start, end=end, text=self.text[start:end])
                    return out
                return self._described(start, end, via="name_unlinked", entity=_local_person(self.text[start:end]))
        return None

    def _subject_before(self, sent_start: int, verb: int, lang: str) -> dict[str, Any] | None:
        """The subject before a Persian verb when no mention names it: a demonstrative phrase
        (`این دیپلمات ایرانی`, which goes on with the last speaker) or a role phrase (`سفیر ایران
        در روسیه`, `سخنگوی نمایندگی ...`), opening the sentence, a comma clause or what follows
        an attribution phrase."""
        starts = [sent_start] + [a["end"] for a in self.ctx.doc.attributions if sent_start <= a["end"] < verb]
        starts += [i + 1 for i in range(sent_start, verb) if self.text[i] in "،,"]
        determiners = set(lang_words(lang, "speech.yaml", "determiners"))
        heads = set(lang_words(lang, "speech.yaml", "speaker_heads"))
        for start in sorted(set(starts)):
            tokens = self._tokens(start, verb)
            if tokens and tokens[0][2] in lang_words(lang, "speech.yaml", "conjunctions"):
                tokens = tokens[1:]
            if len(tokens) < 1:
                continue
            if tokens[0][2] in determiners and len(tokens) >= 2:
                span = self._noun_phrase(tokens, lang)
                body = self._anaphor(*span, tokens[1][2], lang) if tokens[1][2] not in heads else None
                if body:
                    return body
                referent = self._continue(before=span[0])
                if referent is None:
                    return None
                referent.update(start=span[0], end=span[1], text=self.text[span[0]:span[1]], via="anaphor")
                return referent
            if tokens[0][2] in heads:
                return self._described(*self._noun_phrase(tokens, lang), via="described")
        return None

    # -- helpers ---------------------------------------------------------------------------
    def _emit(self, span: tuple[int, int], hit: CueHit | None, speaker: dict[str, Any] | None, *, direct: bool) -> None:
        start, end = span
        if end <= start or any(q["start"] < end and start < q["end"] for q in self.quotes):
            return
        if speaker and speaker.get("via") not in ("previous", "anaphor") and is_outlet(speaker.get("entity")):
            return  # what an outlet reports is attribution (`ذكرت صحيفة X أن`), not a quote; an outlet
            # named again (`وقالت الوكالة «...»`) speaks its own words
        self.used.add(span)
        self.quotes.append({
            "start": start, "end": end, "text": self.text[start:end], "direct": direct,
            "cue": {"start": hit.start, "end": hit.end, "text": self.text[hit.start:hit.end]} if hit else None,
            "speaker": speaker,
            "lang": self.ctx.lang_at(start),
        })
        if speaker and (speaker.get("entity") or speaker.get("via") == "unnamed"):
            # an unnamed source speaks on in `وأضاف` / `مضيفا` as much as a named one does
            self.last_speaker = {k: speaker[k] for k in ("entity", "label", "type")}

    def _has_other_cue(self, start: int, end: int, lang: str) -> bool:
        return bool(lang_cues(lang, "speech.yaml", "verbs").find(self.ctx.view, start, end))


    def _complementiser_or_mark(self, start: int, end: int, lang: str) -> int:
        words = set(lang_words(lang, "speech.yaml", "complementizers"))
        for token in re.finditer(r"\S+", self.text[start:end]):
            if token.group()[0] in "«“\"”" and self._name_in_marks(start + token.start()):
                continue  # `ونفى "الصباح" أن`: a name in marks is the subject, not the quote
            if pattern_form(token.group().strip("،,:")) in words or token.group()[0] in "«“\"”:":
                return start + token.start()
            if token.group().endswith(":"):
                return start + token.end()
        return end

    def _in_formula_opening(self, hit: CueHit) -> bool:
        """Whether ``hit`` is the verb of a source formula before its first source (`وفق ما أعلن
        المرصد`): it names a source, not speech. A verb after the sources (`به گزارش فارس، شينهوا
        به نقل از ... افزود`) still opens a quote."""
        for a in self.ctx.doc.attributions:
            if a.get("kind") != "formula" or not a["start"] < hit.start < a["end"]:
                continue
            hops = [h for h in a["chain"] if h.get("start") is not None]
            if hops and hit.end <= hops[0]["start"]:
                return True
        return False

    def _in_attribution(self, pos: int) -> bool:
        return any(a["start"] <= pos < a["end"] for a in self.ctx.doc.attributions)

    def _inside_quote(self, pos: int) -> bool:
        """Whether ``pos`` stands inside quoted speech; a name in marks (`«سرتاج عزیز»`, `"خلفان"`)
        is a name, not speech, and stays a candidate speaker."""
        return any(s <= pos < e and _words(self.text, s, e) > _MAX_NAME_WORDS for s, e in self.segments)

    def _block_end(self, pos: int) -> int:
        for block in self.ctx.doc.blocks:
            if block.start <= pos < block.end:
                return block.end
        return len(self.text)


def _prose_spans(ctx: Context) -> list[tuple[int, int]]:
    from khabar.segment import prose_blocks

    return [(s, e) for s, e, _kind in prose_blocks(ctx.doc)]


def _local_person(name: str) -> str | None:
    """A document-local person id from a name, as the mentions layer gives the names its
    recogniser finds (`local:per:<name key>`)."""
    keys = sorted(k for k in name_keys(name) if len(k) >= 2)
    return f"local:per:{keys[0]}" if keys else None


def _prefer_person(mentions: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    for m in mentions:
        if m["type"] in PERSON_TYPES:
            return m
    return mentions[0]


def _first_of(text: str, chars: str, start: int, end: int) -> int | None:
    for i in range(start, end):
        if text[i] in chars:
            return i
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or text[start] in ":،,"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?؟،,"):
        end -= 1
    return (start, end) if end > start else None


def _words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _marked_share(span: tuple[int, int], segments: list[tuple[int, int]]) -> float:
    inside = sum(min(e, span[1]) - max(s, span[0]) for s, e in segments if s < span[1] and span[0] < e)
    return inside / max(1, span[1] - span[0])


def _without_overlaps(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for q in quotes:
        if out and q["start"] < out[-1]["end"]:
            continue
        out.append(q)
    return out
