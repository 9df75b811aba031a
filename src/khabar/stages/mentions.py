"""Stage ``mentions.v1``: people, organisations, places and roles, linked to knowledge-base entities.

Evidence, in order:
1. knowledge-base aliases found in the text (`khabar.entities.matcher`); an alias shared by
   several entities goes to the one already named unambiguously in the document, else to the one
   holding an office on the document's date, else to the one with the higher prior; a weak alias
   (`شی` for Xi) counts only when the entity is named in full elsewhere in the document;
2. roles (`وزیر امور خارجه روسیه`, `وزير الخارجية الروسي`, `the Chinese foreign minister`) and
   counterparts (`همتای چینی خود`, `نظيره الصيني`) linked to who held the office on the document's
   date, or to the holder the document names;
3. names found by the statistical recogniser (`khabar.ner`, when its model is installed) that no
   alias covers: linked through the cross-script name key when it points to one entity, else
   given a corpus-local id made from the key, the same for every spelling and document.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from khabar.document import Document
from khabar.entities.matcher import AliasHit, find_aliases, kb_index
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


def _pick(candidates: list[str], named: Counter[str], on: date | None, kb: Any) -> tuple[str | None, str]:
    """One entity among several sharing an alias, and why."""
    in_doc = [c for c in candidates if named[c]]
    if len(in_doc) == 1:
        return in_doc[0], "context"
    pool = in_doc or candidates
    entities = [kb.get(c) for c in pool]
    active = [e for e in entities if e is not None and _active(e, on)]
    if len(active) == 1:
        return active[0].id, "date"
    ranked = sorted((e for e in entities if e is not None), key=lambda e: (-e.prior, e.id))
    if ranked and (len(ranked) == 1 or ranked[0].prior > ranked[1].prior):
        return ranked[0].id, "prior"
    return None, "ambiguous"


@dataclass(frozen=True, slots=True)
class _RoleHit:
    start: int
    end: int
    role: str | None  # None for a counterpart (`همتای چینی`)
    country: str | None


# Offices a bare title means in the publishing country's own press (`وزير الخارجية` in a Saudi
# paper is the Saudi foreign minister); international offices (`الأمين العام`) are left alone.
_NATIONAL_ROLES = frozenset({
    "president", "vice_president", "first_vice_president", "prime_minister", "king", "crown_prince",
    "deputy_crown_prince", "supreme_leader", "foreign_minister", "foreign_ministry_spokesperson",
    "speaker_of_parliament", "emir", "sultan", "chancellor", "defence_minister",
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


@functools.cache
def _role_patterns(lang: str) -> _RolePatterns | None:
    kb = _kb()
    roles: Mapping[str, Mapping[str, Any]] = kb.roles_vocab()
    demonyms: Mapping[str, Mapping[str, Any]] = kb.demonyms()
    role_of: dict[str, str] = {}
    for role, entry in roles.items():
        for phrase in entry.get(lang, []) or []:
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
            for phrase in (phrases or {}).get(lang, []) or []:
                fixed.setdefault("".join(pattern_form(phrase).split()), (role, country))
    implied = {role: str(entry["implied_of"]) for role, entry in roles.items() if entry.get("implied_of")}
    role_alt = alternation(p for e in roles.values() for p in (e.get(lang, []) or []))
    bare_roles = _NATIONAL_ROLES | set(implied)
    national_alt = alternation(p for r, e in roles.items() if r in bare_roles for p in (e.get(lang, []) or []))
    fixed_alt = alternation(p for e in roles.values() for ps in (e.get("of") or {}).values()
                            for p in ((ps or {}).get(lang, []) or []))
    nation = alternation([*(p for e in demonyms.values() for p in (e.get(lang, []) or [])), *_home_words(lang)])
    counterpart = {"fa": r"همتاي", "ar": r"نظير(?:ه|ها|هم|ته)?", "en": r"counterpart"}[lang]
    w = r"(?<![^\W_])"
    if lang == "en":
        pattern = (rf"{w}(?:(?P<fixed>{fixed_alt})|(?P<country>{nation})\s+(?P<role>{role_alt})"
                   rf"|(?P<role2>{role_alt})\s+of\s+(?P<country2>{nation})"
                   rf"|(?P<cp_country2>{nation})\s+(?P<cp2>{counterpart}))(?![^\W_])")
    else:
        pattern = (rf"{w}(?:(?P<fixed>{fixed_alt})|(?P<role>{role_alt})\s+(?P<country>{nation})"
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
        hits.append(_RoleHit(span.start, span.end, role, country))
    return hits


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
    if on is not None:
        now = [e.id for e in kb.holders(role, country, on)]
        if len(now) == 1:
            return now[0], now
    everyone = list(_holders_index().get((role, country), ()))
    in_doc = [e for e in everyone if named[e]]
    if len(in_doc) == 1:
        return in_doc[0], everyone
    if len(everyone) == 1:
        return everyone[0], everyone
    return None, everyone


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
    population = dict(entity.attrs).get("population") or 0
    # curated capitals and news cities carry a prior of 0.6 or more
    return population >= _POPULATION_FOR_COMMON_WORDS or entity.prior >= 0.6 or not _is_common_word(text)


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
    when the rest is a known name (`موسكو`) and the whole word is not (`لبنان` stays Lebanon)."""
    from khabar.kb import alias_key

    word = text[start:end]
    if _kb().candidates(alias_key(word), weak=False):
        return start
    for clitic in _AR_CLITICS:
        rest = word[len(clitic):]
        if word.startswith(clitic) and len(rest) >= 3 and _kb().candidates(alias_key(rest), weak=False):
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


def _overlaps(start: int, end: int, taken: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


@stage("mentions.v1", requires=("lang", "published", "blocks"), assigns=("mentions",))
def link_mentions(doc: Document) -> Document:
    """Find people, organisations, places and roles and link them to entities across scripts."""
    kb = _kb()
    lang = doc.lang if doc.lang in ("fa", "ar", "en") else None
    on = _doc_date(doc)
    hits: list[AliasHit] = find_aliases(doc.text, kb_index())
    named: Counter[str] = Counter()
    hits = [h for h in (AliasHit(h.start, h.end, h.key,
                                 tuple(e for e in h.entities if _plausible(e[0], doc.text[h.start:h.end])))
                        for h in hits) if h.entities]
    for hit in hits:
        strong = [e for e, weak in hit.entities if not weak]
        if len(strong) == 1:
            named[strong[0]] += 1
    mentions: list[dict[str, Any]] = []
    for hit in hits:
        strong = [e for e, weak in hit.entities if not weak]
        weak = [e for e, is_weak in hit.entities if is_weak]
        confirmed = [e for e in weak if named[e]]
        if len(confirmed) == 1 and not any(named[e] for e in strong):
            # `کامرون` is Cameroon's name and David Cameron's surname: the document named Cameron
            strong = confirmed
        if len(strong) == 1:
            entity, via = strong[0], "alias"
        elif strong:
            entity, why = _pick(strong, named, on, kb)
            via = f"alias:{why}"
            if entity is None:
                mentions.append(_mention(doc, hit.start, hit.end, _type_of(strong[0]), None, via,
                                         candidates=sorted(strong)))
                continue
        else:
            confirmed = [e for e in weak if named[e]]  # a weak alias needs the full name elsewhere
            if len(confirmed) != 1:
                continue
            entity, via = confirmed[0], "weak_alias"
        mentions.append(_mention(doc, hit.start, hit.end, _type_of(entity), entity, via))
    taken = [(m["start"], m["end"]) for m in mentions]
    named.update(m["entity"] for m in mentions if m["entity"])

    home = home_country(doc)
    for role in _find_roles(doc.text, lang) if lang else []:
        if role.country == _HOME:
            role = replace(role, country=home)
        if role.country is None or _overlaps(role.start, role.end, [(m["start"], m["end"]) for m in mentions
                                                                     if m["type"] == "ROLE"]):
            continue
        if role.role in (None, "counterpart"):
            person, candidates = _counterpart_of_subject(doc.text, mentions, role.start, role.country, on, named)
            if person is None:
                person, candidates = _counterpart_or_top(role.country, on, named)
            mentions.append(_mention(doc, role.start, role.end, "ROLE", person, "counterpart",
                                     role=role.role, of=role.country,
                                     candidates=None if person else candidates or None))
            continue
        person, candidates = _resolve_role(role.role, role.country, on, named)
        if person is None and role.role == "top_diplomat":
            person, candidates = _counterpart_or_top(role.country, on, named)
        mentions.append(_mention(doc, role.start, role.end, "ROLE", person, "role", role=role.role,
                                 of=role.country, candidates=None if person else candidates or None))
    taken += [(m["start"], m["end"]) for m in mentions if m["type"] == "ROLE"]

    if lang in ("fa", "ar"):
        keys = _key_index()
        for span in _ner_spans(doc.text, lang):
            if span.type not in ("PER", "ORG", "LOC", "GPE") or _overlaps(span.start, span.end, taken):
                continue
            start = _after_clitics(doc.text, span.start, span.end) if lang == "ar" else span.start
            text = doc.text[start:span.end]
            span_keys = sorted(k for k in name_keys(text) if len(k) >= 3)
            types = ("GPE", "LOC") if span.type in ("LOC", "GPE") else (span.type,)
            found = sorted({e for t in types for k in span_keys for e in keys.get((t, k), ())})
            if len(found) == 1:
                entity, via = found[0], "name_key"
            elif span_keys:
                entity, via = f"local:{span.type.lower()}:{span_keys[0]}", "ner"
            else:
                continue
            mentions.append(_mention(doc, start, span.end, span.type, entity, via))
            taken.append((start, span.end))
    mentions.sort(key=lambda m: (m["start"], -m["end"]))
    return replace(doc, mentions=tuple(mentions))
