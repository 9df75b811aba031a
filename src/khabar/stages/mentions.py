"""Stage ``mentions.v1``: people, organisations, places and roles, linked to knowledge-base entities.

Evidence, in order:
1. knowledge-base aliases found in the text (`khabar.entities.matcher`); an alias shared by
   several entities goes to the one the written vowel marks agree with (`عمّان` Amman), else to
   the one already named unambiguously in the document, else to the city whose country the
   document names (`عمان` beside `الأردني`), else to the one holding an office on the document's
   date, else to the one with the higher prior; a weak alias (`شی` for Xi) counts only when the
   entity is named in full elsewhere in the document. A town's name ending a recognised person's
   name is a family name (`لجين الأحمدي`); a place inside an organisation's name is a mention too
   (`روسیه` in `وزارت خارجه روسیه`);
2. roles: an office before the name of a country, city or organisation (`رئیس جمهور اکوادور`,
   `ولي عهد أبوظبي`, `زعيم تنظيم القاعدة`), an office with a demonym (`وزیر امور خارجه روسیه`,
   `وزير الخارجية الروسي`, `the Chinese foreign minister`), a bare national title in the
   publisher's press, and counterparts (`همتای چینی خود`, `نظيره الصيني`), linked to who held the
   office on the document's date, or to the holder the document names; the principal named inside
   a deputy's office (`رئیس‌جمهور` in `معاون رئیس‌جمهور`) is a mention too;
3. names found by the statistical recogniser (`khabar.ner`, when its model is installed) that no
   alias covers: linked when the span is a short form of one entity of the recognised type
   (`فارس`, `القاعدة`), else through the cross-script name key when it points to one entity, else
   given a corpus-local id made from the key, the same for every spelling and document.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from khabar.document import Document
from khabar.entities.matcher import AliasHit, alias_key, find_aliases, kb_index
from khabar.entities.namekey import name_keys
from khabar.normalize import match_view, pattern_form
from khabar.pipeline import stage
from khabar.temporal.vocab import alternation

_TYPE_OF_PREFIX = {"per": "PER", "org": "ORG", "country": "GPE", "city": "GPE", "loc": "LOC"}


def _kb() -> Any:
    from khabar.kb import load_kb

    return load_kb()


def _doc_date(doc: Document) -> date | None:
    if doc.published and len(doc.published.value) >= 10:
        try:
            return date.fromisoformat(doc.published.value[:10])
        except ValueError:
            return None
    return None


def _active(entity: Any, on: date | None) -> bool:
    if on is None:
        return False
    return any((r.start is None or r.start <= on) and (r.end is None or on <= r.end) for r in entity.roles)


def _pick(candidates: list[str], named: Counter[str], on: date | None, kb: Any,
          countries: Counter[str] | None = None) -> tuple[str | None, str]:
    """One entity among several sharing an alias, and why. ``countries``: the countries the
    document names, by name or in an office (`وزير الخارجية الأردني`)."""
    in_doc = [c for c in candidates if named[c]]
    if len(in_doc) == 1:
        return in_doc[0], "context"
    if not in_doc:
        # `عمان` beside `الأردن`: the city whose country the document names (Amman), not Oman
        countries = countries if countries is not None else named
        # (a city sharing its country's name, `الكويت`, is no evidence against that country)
        near = [c for c in candidates if c.startswith("city:") and countries[str(_country_of(c, kb))]
                and _country_of(c, kb) not in candidates]
        if len(near) == 1:
            return near[0], "context"
    pool = in_doc or candidates
    entities = [kb.get(c) for c in pool]
    active = [e for e in entities if e is not None and _active(e, on)]
    if len(active) == 1:
        return active[0].id, "date"
    ranked = sorted((e for e in entities if e is not None), key=lambda e: (-e.prior, e.id))
    if ranked and (len(ranked) == 1 or ranked[0].prior > ranked[1].prior):
        return ranked[0].id, "prior"
    return None, "ambiguous"


def _country_of(entity_id: str, kb: Any) -> str | None:
    entity = kb.get(entity_id)
    return dict(entity.attrs).get("country") if entity is not None else None


# Arabic vowel signs, tanween, shadda and sukun (U+064B-U+0652): the marks a writer adds to tell
# homographs apart (`عمّان` Amman, `عُمان` Oman); folding drops them, so they are read here.
_MARKS = frozenset(chr(c) for c in range(0x064B, 0x0653))


def _marks(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each letter with the marks written on it."""
    out: list[tuple[str, set[str]]] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _MARKS:
            if out:
                out[-1][1].add(ch)
        elif ch.isalpha():
            out.append((ch, set()))
    return tuple((ch, frozenset(m)) for ch, m in out)


def _by_vocalisation(written: str, candidates: list[str], kb: Any) -> list[str]:
    """The candidates with a vocalised alias that agrees with the marks written in the text
    (every mark on a letter of the text is on that letter of the alias), when the text has marks
    and some candidate has such an alias; else all of them. `عمّان` keeps Amman (`عَمّان`), not
    Oman (`عُمان`)."""
    text_marks = _marks(written)
    if not any(m for _, m in text_marks):
        return candidates
    from khabar.kb import alias_key

    key = alias_key(written)
    agreeing = []
    for entity_id in candidates:
        entity = kb.get(entity_id)
        for alias in entity.names(weak=True) if entity is not None else ():
            alias_marks = _marks(alias)
            if (any(m for _, m in alias_marks) and alias_key(alias) == key and len(alias_marks) == len(text_marks)
                    and all(t <= a for (_, t), (_, a) in zip(text_marks, alias_marks, strict=True))):
                agreeing.append(entity_id)
                break
    return agreeing or candidates


@dataclass(frozen=True, slots=True)
class _RoleHit:
    start: int
    end: int
    role: str | None  # None for a counterpart (`همتای چینی`)
    country: str | None
    bare: bool = False  # a title alone, given the publisher's country (`وزير الخارجية` in a Saudi paper)


# Offices a bare title means in the publishing country's own press (`وزير الخارجية` in a Saudi
# paper is the Saudi foreign minister); international offices (`الأمين العام`) are left alone.
_NATIONAL_ROLES = frozenset({
    "president", "vice_president", "first_vice_president", "prime_minister", "king", "crown_prince",
    "deputy_crown_prince", "supreme_leader", "foreign_minister", "foreign_ministry_spokesperson",
    "speaker_of_parliament", "emir", "sultan", "chancellor", "defence_minister", "interior_minister",
    "deputy_prime_minister", "second_deputy_prime_minister",
})
_HOME = "@home"


@functools.cache
def _home_words(lang: str) -> tuple[str, ...]:
    from khabar.resources import load_yaml

    try:
        data = load_yaml(f"lang/{lang}/entities.yaml") or {}
    except Exception:  # a language without the file has no such words
        return ()
    return tuple(data.get("home_country_words") or ())


def home_country(doc: Document) -> str | None:
    """The country of the outlet that published the page: its domain's country code, or the
    country the knowledge base gives the outlet named by the domain or the reader."""
    from urllib.parse import urlsplit

    from khabar.kb import alias_key

    kb = _kb()
    url = doc.meta_value("url") or doc.source.url or ""
    host = (urlsplit(url).hostname or "").lower()
    labels = [x for x in host.split(".") if x and x != "www"]
    if labels and len(labels[-1]) == 2 and kb.get(f"country:{labels[-1].upper()}") is not None:
        return f"country:{labels[-1].upper()}"
    names = [doc.meta_value("outlet"), doc.meta_value("sitename"), *(labels[:1])]
    for name in names:
        if not name:
            continue
        for entity in kb.candidates(alias_key(str(name)), weak=False):
            country = dict(entity.attrs).get("country")
            if entity.type == "ORG" and country:
                return str(country)
    # Persian-language news without a known outlet is, overwhelmingly, Iran's own press (the
    # diaspora outlets name the country they speak of); Arabic is written in twenty countries.
    return "country:IR" if doc.lang == "fa" else None


@dataclass(frozen=True)
class _RolePatterns:
    regex: re.Pattern[str]
    role_of: dict[str, str]  # phrase key -> role id
    country_of: dict[str, str]  # demonym key -> country id (or _HOME)
    fixed: dict[str, tuple[str, str]]  # phrase key -> (role, country) for titles that name their country
    implied: dict[str, str]  # role -> the one country or organisation that has it


def _phrases(entry: Mapping[str, Any], lang: str) -> list[str]:
    """The phrases of one language, with the Arabic `لـ`+article fusion of those starting with
    `ال` (`للرئيس الروسي`: لـ + الرئيس, written without the alef)."""
    phrases = list(entry.get(lang, []) or [])
    if lang == "ar":
        phrases += ["ل" + p[1:] for p in phrases if p.startswith("ال")]
    return phrases


@functools.cache
def _role_patterns(lang: str) -> _RolePatterns | None:
    kb = _kb()
    roles: Mapping[str, Mapping[str, Any]] = kb.roles_vocab()
    demonyms: Mapping[str, Mapping[str, Any]] = kb.demonyms()
    role_of: dict[str, str] = {}
    for role, entry in roles.items():
        for phrase in _phrases(entry, lang):
            role_of.setdefault("".join(pattern_form(phrase).split()), role)
    country_of: dict[str, str] = {}
    for country, entry in demonyms.items():
        for phrase in entry.get(lang, []) or []:
            country_of.setdefault("".join(pattern_form(phrase).split()), country)
    if not role_of or not country_of:
        return None
    for phrase in _home_words(lang):
        country_of.setdefault("".join(pattern_form(phrase).split()), _HOME)
    fixed: dict[str, tuple[str, str]] = {}
    for role, entry in roles.items():
        for country, phrases in (entry.get("of") or {}).items():
            for phrase in _phrases(phrases or {}, lang):
                fixed.setdefault("".join(pattern_form(phrase).split()), (role, country))
    implied = {role: str(entry["implied_of"]) for role, entry in roles.items() if entry.get("implied_of")}
    role_alt = alternation(p for e in roles.values() for p in _phrases(e, lang))
    bare_roles = _NATIONAL_ROLES | set(implied)
    national_alt = alternation(p for r, e in roles.items() if r in bare_roles for p in _phrases(e, lang))
    fixed_alt = alternation(p for e in roles.values() for ps in (e.get("of") or {}).values()
                            for p in _phrases(ps or {}, lang))
    nation = alternation([*(p for e in demonyms.values() for p in (e.get(lang, []) or [])), *_home_words(lang)])
    counterpart = {"fa": r"همتاي", "ar": r"نظير(?:ه|ها|هم|ته)?", "en": r"counterpart"}[lang]
    w = r"(?<![^\W_])"
    if lang == "ar":  # `وولي ولي العهد`, `ووزير الدفاع`: a conjunction or preposition glued to the title
        w = r"(?:(?<![^\W_])|(?<=(?<![^\W_])[وفبل]))"
    if lang == "en":
        pattern = (rf"{w}(?:(?P<fixed>{fixed_alt})|(?P<country>{nation})\s+(?P<role>{role_alt})"
                   rf"|(?P<role2>{role_alt})\s+of\s+(?P<country2>{nation})"
                   rf"|(?P<cp_country2>{nation})\s+(?P<cp2>{counterpart}))(?![^\W_])")
    else:
        # a writer's parenthesis around the country is part of the office (`رئيس الوزراء (الاسرائيلي)`)
        pattern = (rf"{w}(?:(?P<fixed>{fixed_alt})"
                   rf"|(?P<role>{role_alt})(?:\s+|\s*(?P<paren>\())(?P<country>{nation})(?(paren)\))"
                   rf"|(?P<cp>{counterpart})\s+(?P<cp_country>{nation})"
                   rf"|(?P<bare>{national_alt}))(?![^\W_])")
    return _RolePatterns(re.compile(pattern), role_of, country_of, fixed, implied)


def _find_roles(text: str, lang: str) -> list[_RoleHit]:
    compiled = _role_patterns(lang) if lang in ("fa", "ar", "en") else None
    if compiled is None:
        return []
    view = match_view(text)
    hits = []
    for m in compiled.regex.finditer(view.text):
        g = m.groupdict()
        span = view.to_original(m.start(), m.end())
        if g.get("fixed"):
            role, country = compiled.fixed["".join(g["fixed"].split())]
            hits.append(_RoleHit(span.start, span.end, role, country))
            continue
        country_text = g.get("country") or g.get("country2") or g.get("cp_country") or g.get("cp_country2")
        country = compiled.country_of.get("".join(country_text.split())) if country_text else None
        role_text = g.get("role") or g.get("role2") or g.get("bare")
        role = compiled.role_of.get("".join(role_text.split())) if role_text else None
        if g.get("bare"):
            country = compiled.implied.get(role or "", _HOME)
        hits.append(_RoleHit(span.start, span.end, role, country, bare=bool(g.get("bare"))))
    return hits


def _inner_roles(text: str, lang: str | None, outer: _RoleHit) -> list[_RoleHit]:
    """An office named inside another one and ending with it: `رئيس‌جمهور سوريه` in `معاون
    رئيس‌جمهور سوريه`, `المستشارة الألمانية` in `نائب المستشارة الألمانية` (the deputy's office
    names its principal, who is mentioned too). A bare inner title takes the outer one's country."""
    piece = text[outer.start:outer.end]
    first_space = re.search(r"\s", piece)
    if lang is None or first_space is None:
        return []
    offset = outer.start + first_space.end()
    found = []
    for hit in _find_roles(text[offset:outer.end], lang):
        if hit.end == outer.end - offset and hit.role not in (None, "counterpart"):
            country = outer.country if hit.country == _HOME and outer.country else hit.country
            found.append(replace(hit, start=hit.start + offset, end=hit.end + offset, country=country))
    return found[:1]


def _resolve_role(role: str, country: str, on: date | None, named: Counter[str]) -> tuple[str | None, list[str]]:
    """The holder of a role of a country; phrases that are no office of their own (`top_diplomat`,
    `leader`) try the offices roles.yaml lists under `resolves_to`, country-specific ones first."""
    entry = _kb().roles_vocab().get(role) or {}
    targets = list((entry.get("resolves_to_by_country") or {}).get(country, []) or [])
    by_country = (entry.get("resolves_to_by_country") or {}).get(country)
    if isinstance(by_country, str):
        targets = [by_country]
    targets += [r for r in entry.get("resolves_to") or [] if r not in targets]
    if not targets:
        return _holder(role, country, on, named)
    every: list[str] = []
    for target in targets:
        if target == "same_role_as_subject":
            person = _counterpart(country, on, named)
            if person:
                return person, [person]
            continue
        person, candidates = _holder(target, country, on, named)
        if person:
            return person, candidates
        every += [c for c in candidates if c not in every]
    return None, every


@functools.cache
def _holders_index() -> dict[tuple[str, str], tuple[str, ...]]:
    kb = _kb()
    index: dict[tuple[str, str], list[str]] = {}
    for entity in kb:
        for r in entity.roles:
            if r.of:
                index.setdefault((r.role, r.of), []).append(entity.id)
    return {k: tuple(sorted(set(v))) for k, v in index.items()}


def _holder(role: str, country: str, on: date | None, named: Counter[str]) -> tuple[str | None, list[str]]:
    kb = _kb()
    everyone = list(_holders_index().get((role, country), ()))
    if on is not None:
        now = [e.id for e in kb.holders(role, country, on)]
        if len(now) == 1:
            return now[0], now
    # a holder the document names is the one meant even when the tenures known miss the date
    in_doc = [e for e in everyone if named[e]]
    if len(in_doc) == 1:
        return in_doc[0], everyone
    # on a known date, the only holder known is not the answer when he held the office only at
    # other times (Syria's vice-president of 2024 in a 2011 article)
    possible = everyone if on is None else [e for e in everyone if not _held_only_at_other_times(kb.get(e), role,
                                                                                                  country, on)]
    if len(everyone) == 1 and possible:
        return everyone[0], everyone
    return None, everyone


def _held_only_at_other_times(entity: Any, role: str, country: str, on: date) -> bool:
    tenures = [r for r in (entity.roles if entity is not None else ()) if r.role == role and r.of == country]
    return bool(tenures) and not any(r.held_on(on) for r in tenures)


def _counterpart(country: str, on: date | None, named: Counter[str]) -> str | None:
    """`همتای چینی خود`: the person named in the document who holds an office of that country."""
    kb = _kb()
    for entity_id in named:
        entity = kb.get(entity_id)
        if entity is None or entity.type != "PER":
            continue
        for r in entity.roles:
            if r.of == country and (on is None or ((r.start is None or r.start <= on) and (r.end is None or on <= r.end))):
                return entity.id
    return None


@functools.cache
def _key_index() -> dict[tuple[str, str], tuple[str, ...]]:
    """Name keys of every knowledge-base alias, by entity type (for names no alias covers)."""
    kb = _kb()
    index: dict[tuple[str, str], set[str]] = {}
    for text, _lang, entity_id, weak in kb.alias_table():
        entity = kb.get(entity_id)
        if weak or entity is None or (len(text.split()) == 1 and entity.type == "PER" and len(text) < 4):
            continue
        for key in name_keys(text):
            if len(key) >= 3:
                index.setdefault((entity.type, key), set()).add(entity_id)
    return {k: tuple(sorted(v)) for k, v in index.items()}


def _ner_spans(text: str, lang: str) -> list[Any]:
    try:
        from khabar.ner import tag
    except ImportError:  # the recogniser is optional until its model is installed
        return []
    from khabar.errors import ResourceError

    try:
        return list(tag(text, lang))
    except (FileNotFoundError, ResourceError):  # no trained model in this install: aliases and roles only
        return []


# A place alias that is also a common word (`اعلام` "announcement" is a Romanian town's Arabic
# Wikidata label, `نیم` "half" is Nîmes) names the place only when the place is big enough to be
# news itself; Aden, Gaza and Taiz (450k-860k people) keep their names, towns under 300k do not.
_COMMON_WORD_ZIPF = 4.0
_POPULATION_FOR_COMMON_WORDS = 300_000


@functools.lru_cache(maxsize=65536)
def _is_common_word(text: str) -> bool:
    import wordfreq

    return max(wordfreq.zipf_frequency(text, "fa"), wordfreq.zipf_frequency(text, "ar")) >= _COMMON_WORD_ZIPF


def _plausible(entity_id: str, text: str) -> bool:
    entity = _kb().get(entity_id)
    if entity is None or entity.type not in ("GPE", "LOC") or not entity_id.startswith("city:"):
        return True
    return _news_place(entity) or not _is_common_word(text)


def _news_place(entity: Any) -> bool:
    """A place big enough to be news itself: 300k people or more, a capital or news city of the
    curated places file (its own entries carry a prior of 0.6 or more; imported cities it names,
    like Geneva, keep their computed prior but list the file among their sources)."""
    attrs = dict(entity.attrs)
    return ((attrs.get("population") or 0) >= _POPULATION_FOR_COMMON_WORDS or entity.prior >= 0.6
            or "curated/places.yaml" in (attrs.get("sources") or ()))


_SUBJECT_WINDOW = 120  # characters before `نظيره الصيني` in which its subject is named


def _counterpart_of_subject(text: str, mentions: list[dict[str, Any]], at: int, country: str, on: date | None,
                            named: Counter[str]) -> tuple[str | None, list[str]]:
    """`اجتمع الرئيس الروسي مع نظيره الصيني`: the counterpart holds the subject's office in the
    other country (the Chinese president, not the foreign minister). The subject is the last
    person or role named shortly before in the same sentence."""
    window_start = max(0, at - _SUBJECT_WINDOW)
    for cut in (".", "\n", "؟", "!"):
        i = text.rfind(cut, window_start, at)
        window_start = max(window_start, i + 1)
    subjects = [m for m in mentions if window_start <= m["start"] < at and m["type"] in ("PER", "ROLE") and m.get("entity")]
    if not subjects:
        return None, []
    subject = subjects[-1]
    offices = [subject["role"]] if subject.get("role") else []
    if not offices:
        entity = _kb().get(subject["entity"])
        offices = [r.role for r in (entity.roles if entity else ()) if _active_role(r, on)]
    for office in offices:
        person, candidates = _holder(office, country, on, named)
        if person:
            return person, candidates
    return None, []


def _active_role(r: Any, on: date | None) -> bool:
    return on is None or ((r.start is None or r.start <= on) and (r.end is None or on <= r.end))


def _counterpart_or_top(country: str, on: date | None, named: Counter[str]) -> tuple[str | None, list[str]]:
    """`همتای چینی خود`, `دیپلمات ارشد چینی`: the person the document names who holds an office of
    that country, else that country's foreign minister on the document's date."""
    person = _counterpart(country, on, named)
    if person:
        return person, [person]
    return _holder("foreign_minister", country, on, named)


_AR_CLITICS = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def _after_clitics(text: str, start: int, end: int) -> int:
    """Where a recognised Arabic name starts once its glued proclitics are set aside: ANERcorp
    labels whole tokens, so the recogniser returns `لموسكو` for Moscow. A clitic is set aside only
    when the rest is a known name, short forms included (`موسكو`, `فنصر الله`), and the whole word
    is not (`لبنان` stays Lebanon)."""
    from khabar.kb import alias_key

    word = text[start:end]
    if _kb().candidates(alias_key(word)):
        return start
    for clitic in _AR_CLITICS:
        rest = word[len(clitic):]
        if word.startswith(clitic) and len(rest) >= 3 and _kb().candidates(alias_key(rest)):
            return start + len(clitic)
    return start


_PAIRS = {"«": "»", "“": "”", "(": ")"}


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """A span that opens a quotation mark or bracket inside it takes the closing one that follows
    it at once (`خبرگزاری «تاس»`, not `خبرگزاری «تاس`), and a span starting on an opening mark
    whose closer is outside drops it (`«وانگ یی` -> `وانگ یی`)."""
    piece = text[start:end]
    for opener, closer in _PAIRS.items():
        if piece.count(opener) > piece.count(closer):
            if piece.startswith(opener) and piece.count(opener) == 1:
                start += 1
            elif text[end:end + 1] == closer:
                end += 1
    return start, end


def _zone(doc: Document, start: int) -> str | None:
    for block in doc.blocks:
        if block.start <= start < block.end:
            return block.kind
    return None


def _mention(doc: Document, start: int, end: int, type_: str, entity: str | None, via: str,
             **extra: Any) -> dict[str, Any]:
    start, end = _balanced(doc.text, start, end)
    kb = _kb()
    label = None
    if entity:
        found = kb.get(entity)
        label = found.label if found is not None else None
    out: dict[str, Any] = {"start": start, "end": end, "text": doc.text[start:end], "type": type_,
                           "entity": entity, "label": label, "via": via, "zone": _zone(doc, start)}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def _type_of(entity_id: str) -> str:
    kb = _kb()
    found = kb.get(entity_id)
    if found is not None:
        return found.type
    return _TYPE_OF_PREFIX.get(entity_id.split(":", 1)[0], "MISC")


def _in_context(entity: Any, named: Counter[str], countries: Counter[str], home: str | None,
                on: date | None) -> bool:
    """Whether the document is about an entity: it names it, or the country it belongs to (a
    city's or an organisation's country, the countries of a person's offices) is named or is the
    publisher's; a capital or big city and an organisation of no country always are. `صالح` in a
    Yemeni story is Ali Abdullah Saleh; `كوستا` in a football report is not Portugal's prime
    minister, nor `ایلام` in an Iranian paper the Nepalese town. A person not named in full must
    also have taken office by the document's date: former holders stay news, future ones are not
    yet (`قاسمی` in a 2004 Iranian paper is not the foreign-ministry spokesman of 2016-2019)."""
    if named[entity.id] or countries[entity.id]:
        return True
    attrs = dict(entity.attrs)
    if entity.type in ("GPE", "LOC") and _news_place(entity):
        return True  # a capital or a big city is news anywhere
    lands = {attrs.get("country")} | {r.of for r in entity.roles}
    lands |= {dict(o.attrs).get("country") for o in (_kb().get(x) for x in list(lands) if x) if o is not None}
    lands.discard(None)
    if not lands:
        return entity.type == "ORG"  # an international body or movement belongs to no country
    if entity.type == "PER" and on is not None and all(t.start is not None and on < t.start for t in entity.roles):
        return False
    return any(countries[land] or land == home for land in lands)


def _nested_places_only(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of the names inside a longer name, keep the places inside an organisation's name
    (`روسیه` in `وزارت خارجه روسیه`, `إيران` in `البنك المركزي الإيراني`): the organisation is
    the mention, the country it belongs to is named too. The `inside` flag is dropped."""
    outer = [m for m in mentions if not m.get("inside")]
    kept = list(outer)
    for m in mentions:
        if not m.pop("inside", None):
            continue
        container = [o for o in outer if o["start"] <= m["start"] and m["end"] <= o["end"]]
        if m["type"] in ("GPE", "LOC") and container and all(o["type"] == "ORG" for o in container):
            kept.append(m)
    return kept


def _overlaps(start: int, end: int, taken: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


@functools.cache
def _role_keys() -> dict[str, str]:
    """Every role phrase of every language, as a key without spaces (`وزيرالخارجية`), -> role id."""
    role_of: dict[str, str] = {}
    for role, entry in _kb().roles_vocab().items():
        for lang in ("fa", "ar", "en"):
            for phrase in entry.get(lang, []) or []:
                role_of.setdefault("".join(pattern_form(phrase).split()), role)
    return role_of


# What may stand between an office and the name of its country or organisation: nothing but a
# space in Persian (the ezafe is not written), a glued `لـ` (`الأمين العام للأمم المتحدة`) or
# `بـ`, `في` in Arabic, `of (the)` in English.
_ROLE_LINKS = frozenset({"ل", "ب", "في", "of", "ofthe"})
_ROLE_WORDS = 7  # the longest role phrase has fewer words
_WORD = re.compile(r"[^\W\d_]+")


def _role_before(text: str, start: int) -> tuple[int, str] | None:
    """The longest role phrase ending right before ``start`` (`رئیس جمهور` in `رئیس جمهور اکوادور`,
    `ولي عهد` in `ولي عهد أبوظبي`): its original start and role id."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - 160)
    piece = text[line_start:start]
    view = match_view(piece)
    words = list(_WORD.finditer(view.text))
    # only letters and spaces may lie between the phrase's words and before the name
    if view.text[words[-1].end():].strip() if words else True:
        return None
    words = words[-_ROLE_WORDS - 2:]
    tokens = [w.group() for w in words]
    last = len(tokens)
    for link in (2, 1):
        if last >= link and "".join(tokens[last - link:]) in _ROLE_LINKS:
            last -= link
            break
    if last == len(tokens) and piece[-1:] in ("ل", "ب"):
        return None  # a clitic glued to a name (`للأمم`) is one of the links above, already set aside
    role_of = _role_keys()
    for first in range(0, last):
        between = view.text[words[first].start():words[last - 1].end()]
        if any(not (ch.isalpha() or ch.isspace()) for ch in between):
            continue
        key = "".join(tokens[first:last])
        # `وولي ولي عهد`: an Arabic conjunction or preposition may be glued to the title
        glued = 1 if key not in role_of and key[:1] in ("و", "ف", "ب", "ل") and key[1:] in role_of else 0
        role = role_of.get(key[glued:])
        if role:
            return line_start + view.to_original(words[first].start() + glued, words[first].end()).start, role
    return None


def _holder_of_named(role: str, target: str, on: date | None, named: Counter[str]) -> tuple[str | None, list[str]]:
    """The holder of an office of a named country or organisation; an organisation's `رئيس`,
    `زعيم`, `قائد` is whoever heads it (leader, secretary-general, director general...)."""
    person, candidates = _resolve_role(role, target, on, named)
    if person is None and not target.startswith("country:"):
        person, more = _resolve_role("head", target, on, named)
        candidates = candidates + [c for c in more if c not in candidates]
    return person, candidates


def _roles_before_names(doc: Document, mentions: list[dict[str, Any]], on: date | None,
                        named: Counter[str]) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """`رئیس جمهور اکوادور`, `ولي عهد أبوظبي`, `زعيم تنظيم القاعدة`, `دبیرکل سازمان ملل متحد`: an
    office followed by the name of its country, city or organisation stands for the holder of
    that office on the document's date. Returns the role mentions and the spans of offices whose
    holder is unknown (an organisation's: no bare title inside them falls back on the publisher's
    country)."""
    found: list[dict[str, Any]] = []
    unresolved: list[tuple[int, int]] = []
    for m in mentions:
        entity = m.get("entity")
        if not entity or m["type"] not in ("GPE", "ORG", "LOC") or m.get("inside"):
            continue
        before = _role_before(doc.text, m["start"])
        if before is None:
            continue
        start, role = before
        person, candidates = _holder_of_named(role, entity, on, named)
        if person is None and not entity.startswith("country:"):
            unresolved.append((start, m["end"]))
            continue
        found.append(_mention(doc, start, m["end"], "ROLE", person, "role", role=role, of=entity,
                              candidates=None if person else candidates or None))
        if person:
            named[person] += 1
    return found, unresolved


_NISBA_PLACES = ("city:", "loc:")


def _in_person_name(start: int, end: int, people: list[tuple[int, int]]) -> bool:
    """A town's name ending a recognised person's name is a family name (`لجين الأحمدي`, not the
    Kuwaiti town Al Ahmadi): Arabic family names are often nisbas of places."""
    return any(s < start and e == end for s, e in people)


def _no_cities_in_dates(doc: Document, hits: list[AliasHit], kb: Any) -> list[AliasHit]:
    """A city whose name is a word of a date the times layer read is that date, unless the
    document names the city's country and the date is the bare word: `دوشنبه` is Monday far more
    often than Dushanbe, and a report about Tajikistan says so; `روز دوشنبه` is always Monday."""
    spans = [(t["start"], t["end"]) for t in doc.times or ()]
    if not spans:
        return hits
    countries = {e for h in hits for e, weak in h.entities if e.startswith("country:") and not weak}
    out = []
    for hit in hits:
        around = [(s, e) for s, e in spans if s <= hit.start and hit.end <= e]
        if around:
            bare = any((s, e) == (hit.start, hit.end) for s, e in around)  # `روز دوشنبه` is a date for sure
            kept = tuple(x for x in hit.entities
                         if not x[0].startswith("city:") or (bare and _country_of(x[0], kb) in countries))
            if not kept:
                continue
            hit = replace(hit, entities=kept)
        out.append(hit)
    return out


@stage("mentions.v1", requires=("lang", "published", "blocks"), assigns=("mentions",))
def link_mentions(doc: Document) -> Document:
    """Find people, organisations, places and roles and link them to entities across scripts."""
    kb = _kb()
    lang = doc.lang if doc.lang in ("fa", "ar", "en") else None
    on = _doc_date(doc)
    recognised = _ner_spans(doc.text, lang) if lang in ("fa", "ar") else []
    people = [(x.start, x.end) for x in recognised if x.type == "PER"]
    hits: list[AliasHit] = find_aliases(doc.text, kb_index(), nested=True)
    named: Counter[str] = Counter()
    hits = [h for h in (replace(h, entities=tuple(
                e for e in h.entities if _plausible(e[0], doc.text[h.start:h.end])
                and not (e[0].startswith(_NISBA_PLACES) and _in_person_name(h.start, h.end, people))))
                        for h in hits) if h.entities]
    hits = _no_cities_in_dates(doc, hits, kb)
    for hit in hits:
        # a name shared with another entity's short form (`کامرون`: Cameroon, and Cameron's
        # surname) names neither of them for sure
        if len(hit.entities) == 1 and not hit.entities[0][1]:
            named[hit.entities[0][0]] += 1
    role_hits = _find_roles(doc.text, lang) if lang else []
    countries = Counter(named)
    countries.update(r.country for r in role_hits if r.country and r.country != _HOME)
    mentions: list[dict[str, Any]] = []
    for hit in hits:
        strong = [e for e, weak in hit.entities if not weak]
        weak = [e for e, is_weak in hit.entities if is_weak]
        confirmed = [e for e in weak if named[e]]
        if len(confirmed) == 1 and not any(named[e] for e in strong):
            # `کامرون` is Cameroon's name and David Cameron's surname: the document named Cameron
            strong = confirmed
        if len(strong) > 1:
            strong = _by_vocalisation(doc.text[hit.start:hit.end], strong, kb)
        if len(strong) == 1:
            entity, via = strong[0], "alias"
        elif strong:
            entity, why = _pick(strong, named, on, kb, countries)
            via = f"alias:{why}"
            if entity is None:
                if not hit.inside:
                    mentions.append(_mention(doc, hit.start, hit.end, _type_of(strong[0]), None, via,
                                             candidates=sorted(strong)))
                continue
        else:
            confirmed = [e for e in weak if named[e]]  # a weak alias needs the full name elsewhere
            if len(confirmed) != 1:
                continue
            entity, via = confirmed[0], "weak_alias"
        mentions.append(_mention(doc, hit.start, hit.end, _type_of(entity), entity, via,
                                 inside=True if hit.inside else None))
    mentions = _nested_places_only(mentions)
    roles_named, unresolved = _roles_before_names(doc, mentions, on, named)
    mentions += roles_named
    taken = [(m["start"], m["end"]) for m in mentions if m["type"] != "ROLE"]
    named.update(m["entity"] for m in mentions if m["entity"] and m["type"] != "ROLE")

    home = home_country(doc)
    def role_mention(role: _RoleHit) -> dict[str, Any]:
        if role.role in (None, "counterpart"):
            person, candidates = _counterpart_of_subject(doc.text, mentions, role.start, role.country, on, named)
            if person is None:
                person, candidates = _counterpart_or_top(role.country, on, named)
            return _mention(doc, role.start, role.end, "ROLE", person, "counterpart", role=role.role,
                            of=role.country, candidates=None if person else candidates or None)
        person, candidates = _resolve_role(role.role, role.country, on, named)
        if person is None and role.role == "top_diplomat":
            person, candidates = _counterpart_or_top(role.country, on, named)
        return _mention(doc, role.start, role.end, "ROLE", person, "role", role=role.role,
                        of=role.country, candidates=None if person else candidates or None)

    outer_roles: list[_RoleHit] = []
    for role in role_hits:
        if role.country == _HOME:
            role = replace(role, country=home)
        if role.country is None or _overlaps(role.start, role.end, [(m["start"], m["end"]) for m in mentions
                                                                     if m["type"] == "ROLE"]
                                             + (unresolved if role.bare else [])):
            continue
        mentions.append(role_mention(role))
        outer_roles.append(role)
    outer_roles += [_RoleHit(m["start"], m["end"], m.get("role"), m.get("of")) for m in roles_named]
    for role in outer_roles:
        for inner in _inner_roles(doc.text, lang, role):
            mentions.append(role_mention(replace(inner, country=home) if inner.country == _HOME else inner))
    taken += [(m["start"], m["end"]) for m in mentions if m["type"] == "ROLE"]

    if lang in ("fa", "ar"):
        keys = _key_index()
        for span in recognised:
            if span.type not in ("PER", "ORG", "LOC", "GPE") or _overlaps(span.start, span.end, taken):
                continue
            start = _after_clitics(doc.text, span.start, span.end) if lang == "ar" else span.start
            text = doc.text[start:span.end]
            span_keys = sorted(k for k in name_keys(text) if len(k) >= 3)
            types = ("GPE", "LOC") if span.type in ("LOC", "GPE") else (span.type,)
            # a short form kept out of plain matching (`فارس`, `القاعدة`, `صالح`) names its entity
            # when the recogniser read the span as a name of that entity's type and the entity
            # belongs to what the document is about (see `_in_context`)
            typed = [e.id for e in kb.candidates(alias_key(text)) if e.type in types
                     and _in_context(e, named, countries, home, on)]
            picked = typed[0] if len(typed) == 1 else (_pick(typed, named, on, kb)[0] if typed else None)
            found = sorted({e for t in types for k in span_keys for e in keys.get((t, k), ())})
            if picked:
                entity, via = picked, "ner_alias"
            elif len(found) == 1:
                entity, via = found[0], "name_key"
            elif span_keys:
                entity, via = f"local:{span.type.lower()}:{span_keys[0]}", "ner"
            else:
                continue
            mentions.append(_mention(doc, start, span.end, span.type, entity, via))
            taken.append((start, span.end))
    mentions.sort(key=lambda m: (m["start"], -m["end"]))
    return replace(doc, mentions=tuple(mentions))
