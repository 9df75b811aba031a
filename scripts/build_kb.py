"""Build `src/khabar/kb/kb.jsonl.gz`, the entity knowledge base, from ../shared/data and the curated YAML.

Inputs (read in place, never copied into the repository):

* ``world-countries/countries.json`` (mledoze/countries, ODbL 1.0): countries, ISO codes, capitals,
  English/Arabic/Persian/Russian/Chinese names;
* ``cldr-fa-ar/main/{en,fa,fa-AF,ar}/territories.json`` (Unicode CLDR, Unicode License v3): country
  names incl. ``-alt-short``/``-alt-variant`` forms;
* ``cldr-fa-ar/main/{en,fa,fa-AF,ar}/timeZoneNames.json``: exemplar-city names keyed by IANA zone id;
  the zone is mapped to a country by the IANA ``zone.tab`` shipped in the ``tzdata`` package;
* ``world-cities-ar/world-cities.jsonl`` (Wikidata-derived, CC BY 4.0): cities with English and
  Arabic names and population;
* ``src/khabar/kb/curated/*.yaml``: hand-written people, organisations, roles and demonyms.

The output holds one JSON object per line, gzip-compressed with a zero timestamp so the bytes
depend only on the inputs: a header (format, disambiguation rule, priors, counts, the role and
demonym vocabularies), then the entities sorted by id, then one record per ambiguous alias key
listing its candidates best first.

    .venv/bin/python scripts/build_kb.py           # rewrite the artefact, print counts and timings
    .venv/bin/python scripts/build_kb.py --check   # exit 1 if the committed artefact is stale

Research-licensed name lists in ../shared/data (ANERcorp gazetteers, ANETAC, name-transliteration
pairs) are deliberately not read: their licences do not allow redistribution in the package.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from khabar.kb import alias_key as kb_alias_key
from khabar.kb import alias_keys

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
KB_DIR = REPO / "src" / "khabar" / "kb"
CURATED = KB_DIR / "curated"
OUT = KB_DIR / "kb.jsonl.gz"

FORMAT = "khabar-kb"
VERSION = 1
TYPES = ("PER", "ORG", "GPE", "LOC", "MISC")
VOCAB_FILES = ("roles.yaml", "demonyms.yaml")  # every other curated *.yaml is a list of entities
# country:<ISO 3166-1 alpha-2>; everything else <prefix>:<ascii-lowercase-hyphen slug> (kb_spec).
ID_PATTERN = re.compile(r"^(?:country:[A-Z]{2}|(?:per|org|city|loc|gpe|misc):[a-z0-9]+(?:-[a-z0-9]+)*)$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")

DISAMBIGUATION_RULE = (
    "An alias key (khabar.normalize.pattern_form of the alias with spaces removed) held by several "
    "entities lists them in an 'ambiguous' record, best prior first (ties by id). The linker keeps every "
    "candidate and decides by document context (co-mentioned entities, country of the story, date); "
    "without context it takes the first. Priors: countries 1.0; curated PER/ORG 0.9, curated GPE/LOC 0.8, "
    "curated MISC 0.6 unless the entry sets 'prior'; cities 0.3 + 0.4 * clamp((log10(population) - 4) / 3.5, 0, 1) "
    "+ 0.15 for a national capital, population unknown counts as 0.1 over the base."
)
PRIOR_COUNTRY = 1.0
PRIOR_CURATED = {"PER": 0.9, "ORG": 0.9, "GPE": 0.8, "LOC": 0.8, "MISC": 0.6}
PRIOR_CITY_BASE = 0.3
PRIOR_CITY_POPULATION = 0.4
PRIOR_CITY_UNKNOWN_POPULATION = 0.1
PRIOR_CAPITAL_BONUS = 0.15

# world-cities-ar Arabic labels that name an administrative unit rather than the city
# (`ولاية قندهار` for Kandahar; SOURCE.md of world-cities-ar). The unit word is dropped into an
# extra alias; the full label is kept too, because news names the unit that way.
ADMIN_PREFIXES = ("ولاية", "محافظة", "مقاطعة", "بلدية", "إقليم", "منطقة", "إدارة", "مديرية")
CITY_PREFIX = "مدينة"      # "city of": `مدينة بروكسل`, but part of the name in `مدينة حمد` (Madinat Hamad)
CLUB_PREFIX = "نادي"       # a football club's label (`نادي توركي يونايتد` for Torquay), not the city
# English city labels in world-cities-ar that are the territory's formal name, not the city's.
WORLD_CITIES_NAME_FIXES = {"Hong Kong S.A.R.": "Hong Kong"}
# Country names in world-cities-ar that match no name in world-countries or CLDR (checked by hand).
WORLD_CITIES_COUNTRY_FIXES = {
    "Bosnia and Herzevina": "BA",
    "Fiji Islands": "FJ",
    "Hong Kong S.A.R.": "HK",
    "Man (Isle of)": "IM",
    "Palestinian Territory Occupied": "PS",
}
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_IPA = re.compile(r"[\u0250-\u02AF]")  # IPA transcriptions among altSpellings (Angola)
_LATIN_LETTERS = re.compile(r"^[\u0000-\u024F\u1E00-\u1EFF\u2018\u2019\u02BB\u02BC\u02BE\u02BF]+$")


class BuildError(Exception):
    """The inputs cannot be built into a knowledge base; the message says which file and what to fix."""


# -- small helpers ---------------------------------------------------------------------------------

def clean_name(text: str) -> str:
    """NFC, no leading/trailing whitespace or ZWNJ, inner whitespace runs as one space."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split()).strip("\u200c")


def slugify(text: str) -> str:
    """ASCII lowercase hyphen slug: `Chișinău` -> `chisinau`, `Pul-e `Alam` -> `pul-e-alam`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def without_city_suffix(name: str) -> str:
    """`Kuwait City` and CLDR's `Kuwait` name one city (also Guatemala, Panama, Mexico...);
    world-countries' capital `Washington D.C.` is world-cities' `Washington`."""
    for suffix in (" City", " D.C."):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


_KEY_MEMO: dict[str, str] = {}  # text -> alias key, for this build process (names repeat across sources)


def alias_key(text: str) -> str:
    """`khabar.kb.alias_key`, memoised."""
    key = _KEY_MEMO.get(text)
    if key is None:
        key = _KEY_MEMO[text] = kb_alias_key(text)
    return key


def prime_alias_keys(texts: Iterable[str]) -> None:
    """Compute the keys of many texts in one pass (`khabar.kb.alias_keys`), which is much faster
    than one `alias_key` call each."""
    new = [t for t in dict.fromkeys(texts) if t not in _KEY_MEMO and "\n" not in t]
    _KEY_MEMO.update(zip(new, alias_keys(new), strict=True))


def cldr_display_name(name: str) -> str:
    """Display forms with a qualifier -> the bare name news uses: `Congo - Kinshasa`, `Congo (DRC)`
    -> `Congo`; `هنگ‌کنگ، منطقهٔ ویژهٔ اداری چین` -> `هنگ‌کنگ`; `كولون، هونغ كونغ` -> `كولون`."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    return re.split(r" - |، |, ", name)[0].strip()


def read_json(path: Path) -> Any:
    if not path.exists():
        raise BuildError(f"missing shared data {path}: the build reads ../shared/data beside the repository")
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _jsonable(value: Any) -> Any:
    """YAML values (dates included) as JSON values, mappings with sorted keys."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# -- the entity being built ------------------------------------------------------------------------

@dataclass
class Draft:
    """A mutable entity while the sources are merged; frozen into JSON at the end."""

    id: str
    type: str
    label: str
    aliases: dict[str, list[str]] = field(default_factory=dict)
    weak_aliases: dict[str, list[str]] = field(default_factory=dict)
    roles: list[dict[str, Any]] = field(default_factory=list)
    prior: float | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def add(self, lang: str, name: str | None, weak: bool = False) -> None:
        if not name:
            return
        name = clean_name(name)
        if not name:
            return
        bucket = (self.weak_aliases if weak else self.aliases).setdefault(lang, [])
        if name not in bucket:
            bucket.append(name)


# -- countries ---------------------------------------------------------------------------------------

def _cldr_territories(data: Path) -> dict[str, dict[str, list[str]]]:
    """code -> lang -> names (main name first, then -alt- forms), for fa (fa + fa-AF), ar, en."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for locale, lang in (("en", "en"), ("fa", "fa"), ("fa-AF", "fa"), ("ar", "ar")):
        path = data / "cldr-fa-ar" / "main" / locale / "territories.json"
        names = read_json(path)["main"][locale]["localeDisplayNames"]["territories"]
        for key in sorted(names, key=lambda k: ("-alt-" in k, k)):
            code = key.split("-alt-")[0]
            if key.endswith("-alt-chagos"):
                continue  # a sub-territory name (Chagos Archipelago), not another name of IO
            for form in dict.fromkeys((names[key], cldr_display_name(names[key]))):
                if form and form not in out[code][lang]:
                    out[code][lang].append(form)
    return out


def _alt_spelling_is_name(spelling: str, country: Mapping[str, Any]) -> bool:
    """altSpellings mixes codes (`IR`), inverted ISO names (`Iran, Islamic Republic of`),
    IPA (`ʁɛpublika de an'ɡɔla`) and native names in other scripts with real names; keep the names
    written in Latin letters."""
    if spelling in (country["cca2"], country.get("ccn3"), country.get("cioc")):
        return False
    if "," in spelling or _IPA.search(spelling):
        return False
    return bool(_LATIN_LETTERS.match(spelling))


def build_countries(data: Path, stats: Counter[str]) -> tuple[dict[str, Draft], dict[str, list[str]]]:
    countries = read_json(data / "world-countries" / "countries.json")
    cldr = _cldr_territories(data)
    drafts: dict[str, Draft] = {}
    capitals: dict[str, list[str]] = {}
    for country in sorted(countries, key=lambda c: c["cca2"]):
        cca2 = country["cca2"]
        draft = Draft(f"country:{cca2}", "GPE", clean_name(country["name"]["common"]))
        names = country["name"]
        for name in (names["common"], names["official"]):
            draft.add("en", name)
            draft.add("en", cldr_display_name(name))
        for spelling in country.get("altSpellings", []):
            if _alt_spelling_is_name(spelling, country):
                draft.add("en", spelling)
        for lang, keys in (("ar", ("ara",)), ("fa", ("per", "fas")), ("ru", ("rus",)), ("zh", ("zho",))):
            for key in keys:
                for source in (country.get("translations", {}).get(key), names.get("native", {}).get(key)):
                    for form in ("common", "official"):
                        if source and source.get(form):
                            draft.add(lang, source[form])
                            draft.add(lang, cldr_display_name(source[form]))
        for lang, forms in sorted(cldr.get(cca2, {}).items()):
            for name in forms:
                draft.add(lang, name)
        draft.prior = PRIOR_COUNTRY
        draft.attrs = {
            "cca2": cca2,
            "cca3": country["cca3"],
            "capital": [clean_name(c) for c in country.get("capital", [])],
            "independent": country.get("independent"),
            "languages": sorted(country.get("languages", {})),
            "region": country.get("region") or None,
            "subregion": country.get("subregion") or None,
            "sources": ["cldr", "world-countries"] if cca2 in cldr else ["world-countries"],
        }
        capitals[cca2] = draft.attrs["capital"]
        drafts[draft.id] = draft
    stats["countries"] = len(drafts)
    stats["cldr_territories_not_countries"] = sum(1 for code in cldr if f"country:{code}" not in drafts)
    return drafts, capitals


def country_name_index(data: Path) -> dict[str, str]:
    """casefolded English or Arabic country name -> cca2 (only names that point to one country)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for country in read_json(data / "world-countries" / "countries.json"):
        names = [country["name"]["common"], country["name"]["official"], *country.get("altSpellings", []),
                 country["translations"]["ara"]["common"]]
        for name in names:
            seen[clean_name(name).casefold()].add(country["cca2"])
    for code, langs in _cldr_territories(data).items():
        for name in langs.get("en", []):
            seen[clean_name(name).casefold()].add(code)
    return {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}


# -- cities ----------------------------------------------------------------------------------------

@dataclass
class CityRecord:
    """One city as one source gives it, before records of the same city are merged."""

    country: str | None
    en: list[str]
    ar: list[str]
    fa: list[str]
    population: int | None
    source: str
    zone: str | None = None


def zone_countries(zones: Iterable[str]) -> dict[str, str | None]:
    """IANA zone id -> ISO country (or None when not reliable), from zone.tab of the `tzdata` package.

    CLDR keeps some old zone ids (Asia/Calcutta, Europe/Kiev) that zone.tab lists under their new
    names; such a zone is a link, i.e. a byte-identical compiled file, so it takes the country of the
    zone.tab zones with the same bytes when those all agree, and None otherwise (Asia/Rangoon's bytes
    are shared by Myanmar and the Cocos Islands).
    """
    try:
        root = resources.files("tzdata").joinpath("zoneinfo")
        table = root.joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        raise BuildError("the build needs the `tzdata` package for zone.tab: pip install tzdata") from None
    countries: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coords, zone, *_ = line.split("\t")
            countries[zone] = code
    by_bytes: dict[bytes, set[str]] = defaultdict(set)
    for zone, code in countries.items():
        by_bytes[root.joinpath(*zone.split("/")).read_bytes()].add(code)
    out: dict[str, str | None] = {}
    for zone in zones:
        if zone in countries:
            out[zone] = countries[zone]
            continue
        path = root.joinpath(*zone.split("/"))
        codes = by_bytes.get(path.read_bytes(), set()) if path.is_file() else set()
        out[zone] = next(iter(codes)) if len(codes) == 1 else None
    return out


def _walk_zones(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    for key, value in tree.items():
        if not isinstance(value, Mapping):
            continue
        if any(isinstance(v, str) for v in value.values()):  # a zone entry (`_type`, `exemplarCity`...)
            yield prefix + key, value
        else:
            yield from _walk_zones(value, f"{prefix}{key}/")


def cldr_cities(data: Path, stats: Counter[str]) -> list[CityRecord]:
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for locale, lang in (("en", "en"), ("fa", "fa"), ("fa-AF", "fa"), ("ar", "ar")):
        path = data / "cldr-fa-ar" / "main" / locale / "timeZoneNames.json"
        tree = read_json(path)["main"][locale]["dates"]["timeZoneNames"]["zone"]
        for zone, entry in _walk_zones(tree):
            if zone.startswith("Etc/") or "exemplarCity" not in entry:
                continue
            name = clean_name(entry["exemplarCity"])
            if name not in names[zone][lang]:
                names[zone][lang].append(name)
    zones = zone_countries(names)
    records = []
    for zone in sorted(names):
        # CLDR English omits the exemplar city when it is the zone id's last part (`Asia/Tehran`).
        english = names[zone]["en"] or [zone.rsplit("/", 1)[1].replace("_", " ")]
        country = zones[zone]
        stats["cldr_zone_cities"] += 1
        stats["cldr_zone_cities_without_country"] += country is None
        records.append(CityRecord(country, english, names[zone]["ar"], names[zone]["fa"], None, "cldr", zone))
    return records


def _arabic_city_names(arabic: str, english: str, stats: Counter[str]) -> list[str]:
    """The Arabic aliases of one world-cities-ar label (prefix rules above)."""
    arabic = cldr_display_name(clean_name(arabic))  # drop a Wikipedia-style `، country` qualifier
    if not _ARABIC_LETTER.search(arabic):
        stats["world_cities_ar_label_not_arabic"] += 1
        return []
    first, _, rest = arabic.partition(" ")
    if first == CLUB_PREFIX:
        stats["world_cities_ar_label_club"] += 1
        return []
    if rest and first in ADMIN_PREFIXES:
        stats["world_cities_ar_label_admin_prefix"] += 1
        return [rest, arabic]
    if rest and first == CITY_PREFIX and not english.startswith("Madinat"):
        stats["world_cities_ar_label_city_prefix"] += 1
        return [arabic, rest]
    return [arabic]


def world_cities(data: Path, countries: Mapping[str, Draft], stats: Counter[str]) -> list[CityRecord]:
    path = data / "world-cities-ar" / "world-cities.jsonl"
    if not path.exists():
        raise BuildError(f"missing shared data {path}: the build reads ../shared/data beside the repository")
    index = country_name_index(data)
    # Some rows carry the Arabic label of a country (Pa, Burkina Faso -> `بنما` Panama; Gabu ->
    # `جيبوتي`; Kanata, Canada -> `كندا`): a Wikidata item mix-up. Such a label is dropped unless the
    # English name also names that country (Armenia, Colombia / `أرمينيا` and Djibouti / `جيبوتي` are
    # real homonyms). Capitals named like their country (`تونس`, `الجزائر`) keep that name through
    # CLDR's exemplar city, which is not filtered.
    country_keys: dict[str, dict[str, set[str]]] = {"ar": defaultdict(set), "en": defaultdict(set)}
    for draft in countries.values():
        for lang in ("ar", "en"):
            for name in draft.aliases.get(lang, []):
                country_keys[lang][alias_key(name)].add(draft.id.removeprefix("country:"))
    rows = [(number, json.loads(line)) for number, line in
            enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1) if line.strip()]
    prime_alias_keys(name for _, row in rows for field in ("CityNameEn", "CityNameAr")
                     for name in (clean_name(row[field]), *clean_name(row[field]).split(" ", 1)[1:]))
    records = []
    for number, row in rows:
        country = (WORLD_CITIES_COUNTRY_FIXES.get(row["Country"])
                   or index.get(clean_name(row["Country"]).casefold())
                   or index.get(clean_name(row["CountryAr"]).casefold()))
        if country is None:
            raise BuildError(f"{path}:{number}: country {row['Country']!r} matches no country; "
                             "add it to WORLD_CITIES_COUNTRY_FIXES in scripts/build_kb.py")
        english = clean_name(WORLD_CITIES_NAME_FIXES.get(row["CityNameEn"], row["CityNameEn"]))
        population = int(row["Population"]) if row.get("Population") else None
        arabic = []
        for name in _arabic_city_names(row["CityNameAr"], english, stats):
            named = country_keys["ar"].get(alias_key(name), set())
            if named and not named & country_keys["en"].get(alias_key(english), set()):
                stats["world_cities_ar_label_other_country"] += 1
                continue
            arabic.append(name)
        records.append(CityRecord(country, [english], arabic, [], population, "world-cities"))
    stats["world_cities_rows"] = len(records)
    return records


def merge_cities(records: list[CityRecord], countries: Mapping[str, Draft], capitals: Mapping[str, list[str]],
                 stats: Counter[str]) -> dict[str, Draft]:
    """One entity per city: records of one country meet by English slug (`X City` = `X`) or Arabic key.

    A CLDR zone that no world-cities row joins and whose English name is its country's name
    (Atlantic/Bermuda, Indian/Comoro, America/Costa_Rica) names the country, not a city: skipped.
    """
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_by_key: dict[tuple[str, str, str], int] = {}
    for i, record in enumerate(records):
        if record.country is None:
            continue
        keys = [("en", slugify(without_city_suffix(n))) for n in record.en]
        keys += [("ar", alias_key(n)) for n in record.ar]
        for kind, key in keys:
            if not key:
                continue
            j = first_by_key.setdefault((record.country, kind, key), i)
            parent[find(i)] = find(j)
    groups: dict[int, list[CityRecord]] = defaultdict(list)
    for i, record in enumerate(records):
        groups[find(i)].append(record)
    capital_slugs = {(code, slugify(without_city_suffix(name))) for code, names in capitals.items() for name in names}
    drafts: dict[str, Draft] = {}
    for members in groups.values():
        country = members[0].country
        if country and all(m.source == "cldr" for m in members):
            country_keys = set(countries[f"country:{country}"].aliases.get("en", [])) if f"country:{country}" in countries else set()
            if all(alias_key(n) in {alias_key(c) for c in country_keys} for m in members for n in m.en):
                stats["cldr_zones_named_after_country"] += 1
                continue
        labelled = [m for m in members if m.source == "world-cities"] or members
        label = labelled[0].en[0]
        slug = slugify(label) or "unnamed"
        draft = Draft(f"city:{slug}-{country.lower()}" if country else f"city:{slug}", "GPE", label)
        for member in sorted(members, key=lambda m: m.source != "world-cities"):
            for lang in ("en", "ar", "fa"):
                for name in getattr(member, lang):
                    draft.add(lang, name)
        populations = [m.population for m in members if m.population]
        population = max(populations) if populations else None
        capital = country is not None and any(
            (country, slugify(without_city_suffix(n))) in capital_slugs for m in members for n in m.en)
        draft.prior = city_prior(population, capital)
        zones = sorted({m.zone for m in members if m.zone})
        draft.attrs = {"country": f"country:{country}" if country else None, "population": population,
                       "capital": capital, "tz": zones[0] if zones else None,
                       "sources": sorted({m.source for m in members})}
        if draft.id in drafts:  # different slugs never collide; equal slugs were merged above
            raise BuildError(f"two cities build the id {draft.id}: {label!r} and {drafts[draft.id].label!r}")
        drafts[draft.id] = draft
        stats["cities_in_both_sources"] += len({m.source for m in members}) == 2
        stats["cities_merged_records"] += len(members) - 1
    stats["cities"] = len(drafts)
    stats["capitals_found"] = sum(1 for d in drafts.values() if d.attrs["capital"])
    return drafts


def demote_common_words(cities: Mapping[str, Draft], countries: Mapping[str, Draft], stats: Counter[str]) -> None:
    """Make weak the one-word Arabic/Persian city names that are above all common words.

    Wikidata labels small towns with words (`كان` "was" for Caen, `يوم` "day" for Mokolo, `ثانية`
    "second" for Secunda), and some towns are named by words (`الجديدة` "the new"). Such a name is
    far more frequent in the language (wordfreq Zipf, small lists: a word below them reads 0) than
    the town's English name is in English, whereas a city that is merely often in the news (`غزة`,
    `القدس`) is frequent in both. Rule: not a
    capital, population under a million, and Zipf(name) >= 4.0 and Zipf(name) - Zipf(English label)
    >= 2.0; inside a country that speaks the language the name must also reach Zipf 4.5, since
    local names are naturally rarer in English (`حماة`, `الرقة`, `تعز` stay full aliases).
    """
    from wordfreq import zipf_frequency

    speakers = {"ar": {"ara"}, "fa": {"fas", "per", "prs", "tgk"}}
    for city in cities.values():
        if city.attrs["capital"] or (city.attrs["population"] or 0) >= 1_000_000:
            continue
        country = countries.get(city.attrs["country"] or "")
        languages = set(country.attrs.get("languages", [])) if country else set()
        english: float | None = None  # looked up only for a frequent name: wordfreq calls are slow
        for lang in ("ar", "fa"):
            native = bool(languages & speakers[lang])
            for name in list(city.aliases.get(lang, [])):
                if " " in name:
                    continue
                zipf = zipf_frequency(name, lang, wordlist="small")
                if zipf < 4.0 or (native and zipf < 4.5):
                    continue
                if english is None:
                    english = zipf_frequency(city.label, "en", wordlist="small")
                if zipf - english >= 2.0:
                    city.aliases[lang].remove(name)
                    city.add(lang, name, weak=True)
                    stats[f"city_names_made_weak_{lang}"] += 1


def city_prior(population: int | None, capital: bool) -> float:
    if population:
        share = min(max((math.log10(population) - 4) / 3.5, 0.0), 1.0)
        prior = PRIOR_CITY_BASE + PRIOR_CITY_POPULATION * share
    else:
        prior = PRIOR_CITY_BASE + PRIOR_CITY_UNKNOWN_POPULATION
    return round(prior + (PRIOR_CAPITAL_BONUS if capital else 0.0), 4)


# -- curated YAML ----------------------------------------------------------------------------------

class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's when present: 8x faster on the people files) that refuses
    duplicate mapping keys, which PyYAML would otherwise resolve silently (last wins)."""


def _no_duplicate_keys(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise BuildError(f"{path}: not valid YAML: {exc}") from None


def _check_text(where: str, text: Any) -> str:
    if not isinstance(text, str) or not text:
        raise BuildError(f"{where}: expected a non-empty string, got {text!r}")
    if unicodedata.normalize("NFC", text) != text:
        raise BuildError(f"{where}: {text!r} is not NFC-normalised")
    if clean_name(text) != text:
        raise BuildError(f"{where}: {text!r} has stray whitespace (leading, trailing, doubled or ZWNJ at an end)")
    return text


def _check_names(where: str, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BuildError(f"{where}: expected a mapping language -> list of names, got {type(value).__name__}")
    out: dict[str, list[str]] = {}
    for lang, names in value.items():
        if not isinstance(lang, str) or not LANG_PATTERN.match(lang):
            raise BuildError(f"{where}: {lang!r} is not a language code (fa, ar, en, ru, zh...)")
        if names is None:
            continue
        if not isinstance(names, list):
            raise BuildError(f"{where}.{lang}: expected a list of names, got {names!r}")
        out[lang] = [_check_text(f"{where}.{lang}", n) for n in names]
    return out


def _check_date(where: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        raise BuildError(f"{where}: expected a date (YYYY-MM-DD), got a timestamp {value!r}")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise BuildError(f"{where}: expected an ISO date YYYY-MM-DD or null, got {value!r}")


ENTITY_FIELDS = ("id", "type", "label", "aliases", "weak_aliases", "roles", "prior")


def curated_entity(path: Path, index: int, item: Any) -> Draft:
    where = f"{path.name} item {index + 1}"
    if not isinstance(item, Mapping):
        raise BuildError(f"{where}: expected a mapping with id, type, label, aliases; got {item!r}")
    entity_id = item.get("id")
    if not isinstance(entity_id, str) or not ID_PATTERN.match(entity_id):
        raise BuildError(f"{where}: id {entity_id!r} is not country:XX or per:/org:/city:/loc:/gpe:/misc: "
                         "followed by an ascii-lowercase-hyphen slug")
    where = f"{path.name} {entity_id}"
    if item.get("type") not in TYPES:
        raise BuildError(f"{where}: type {item.get('type')!r} is not one of {', '.join(TYPES)}")
    draft = Draft(entity_id, item["type"], _check_text(f"{where}.label", item.get("label")))
    for lang, names in _check_names(f"{where}.aliases", item.get("aliases")).items():
        for name in names:
            draft.add(lang, name)
    for lang, names in _check_names(f"{where}.weak_aliases", item.get("weak_aliases")).items():
        for name in names:
            draft.add(lang, name, weak=True)
    roles = item.get("roles") or []
    if not isinstance(roles, list):
        raise BuildError(f"{where}.roles: expected a list of {{role, of, from, to}}, got {roles!r}")
    for number, role in enumerate(roles, 1):
        here = f"{where}.roles[{number}]"
        if not isinstance(role, Mapping) or not isinstance(role.get("role"), str) or not isinstance(role.get("of"), str):
            raise BuildError(f"{here}: expected {{role: <role id>, of: <entity id>, from: date, to: date|null}}, got {role!r}")
        unknown = set(role) - {"role", "of", "from", "to", "note", "seen"}
        if unknown:
            raise BuildError(f"{here}: unknown keys {sorted(unknown)} (use role, of, from, to)")
        draft.roles.append({"role": role["role"], "of": role["of"], "start": _check_date(f"{here}.from", role.get("from")),
                            "end": _check_date(f"{here}.to", role.get("to"))})
    prior = item.get("prior")
    if prior is not None and (not isinstance(prior, int | float) or isinstance(prior, bool) or not 0 <= prior <= 1):
        raise BuildError(f"{where}.prior: expected a number between 0 and 1, got {prior!r}")
    draft.prior = float(prior) if prior is not None else None  # defaults are set in merge_curated
    draft.attrs = {str(k): _jsonable(v) for k, v in item.items() if k not in ENTITY_FIELDS}
    draft.attrs["sources"] = [f"curated/{path.name}"]
    return draft


def read_curated(curated: Path, stats: Counter[str]) -> tuple[dict[str, Draft], dict[str, Any], Any]:
    """Curated entities by id, the role vocabulary and the demonyms (files may be missing)."""
    entities: dict[str, Draft] = {}
    origin: dict[str, str] = {}
    roles_vocab: dict[str, Any] = {}
    demonyms: Any = {}
    if not curated.is_dir():
        return entities, roles_vocab, demonyms
    for path in sorted(curated.glob("*.yaml")):
        data = read_yaml(path)
        if path.name == "roles.yaml":
            roles_vocab = check_roles_vocab(path, data)
            continue
        if path.name == "demonyms.yaml":
            if data is not None and not isinstance(data, Mapping | list):
                raise BuildError(f"{path.name}: expected a mapping or a list, got {type(data).__name__}")
            _check_all_texts(path.name, data)
            demonyms = _jsonable(data) if data is not None else {}
            continue
        if data is None:
            stats["curated_empty_files"] += 1
            continue
        if not isinstance(data, list):
            raise BuildError(f"{path.name}: expected a YAML list of entities, got {type(data).__name__}")
        for index, item in enumerate(data):
            draft = curated_entity(path, index, item)
            if draft.id in entities:
                raise BuildError(f"{path.name}: id {draft.id} is defined twice (also in {origin[draft.id]})")
            entities[draft.id] = draft
            origin[draft.id] = path.name
            stats[f"curated_{path.stem}"] += 1
    return entities, roles_vocab, demonyms


def check_roles_vocab(path: Path, data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise BuildError(f"{path.name}: expected a mapping role id -> {{label, fa: [...], ar: [...], en: [...]}}")
    for role_id, entry in data.items():
        if not isinstance(role_id, str) or not re.match(r"^[a-z][a-z0-9_]*$", role_id):
            raise BuildError(f"{path.name}: role id {role_id!r} is not snake_case ascii")
        if not isinstance(entry, Mapping):
            raise BuildError(f"{path.name} {role_id}: expected a mapping with label and phrases per language")
        _check_all_texts(f"{path.name} {role_id}", entry)
    return _jsonable(data)


def _check_all_texts(where: str, value: Any) -> None:
    """Every string inside a vocabulary file is NFC and without stray whitespace."""
    if isinstance(value, str):
        _check_text(where, value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_all_texts(f"{where}.{key}", item)
    elif isinstance(value, list):
        for item in value:
            _check_all_texts(where, item)


def merge_curated(base: dict[str, Draft], curated: Mapping[str, Draft], stats: Counter[str]) -> None:
    """Curated entries win: label, type, attrs (and prior when the entry sets one) replace the
    imported ones; aliases are added in front."""
    for entity_id, entry in curated.items():
        old = base.get(entity_id)
        if old is None:
            if entry.prior is None:
                entry.prior = PRIOR_CURATED[entry.type]
            base[entity_id] = entry
            continue
        stats["curated_merged_into_imported"] += 1
        merged = Draft(entity_id, entry.type, entry.label, roles=entry.roles,
                       prior=entry.prior if entry.prior is not None else old.prior,
                       attrs={**old.attrs, **entry.attrs, "sources": sorted({*old.attrs.get("sources", []),
                                                                             *entry.attrs["sources"]})})
        for source in (entry, old):
            for weak in (False, True):
                for lang, names in (source.weak_aliases if weak else source.aliases).items():
                    for name in names:
                        merged.add(lang, name, weak=weak)
        base[entity_id] = merged


# -- output ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildResult:
    payload: bytes
    lines: tuple[dict[str, Any], ...]
    stats: Mapping[str, int]
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...]
    warnings: tuple[str, ...]


def entity_record(draft: Draft, keys: Mapping[str, str]) -> dict[str, Any]:
    strong = sorted({keys[n] for names in draft.aliases.values() for n in names} - {""})
    weak = sorted({keys[n] for names in draft.weak_aliases.values() for n in names} - {""} - set(strong))
    record: dict[str, Any] = {
        "id": draft.id,
        "type": draft.type,
        "label": draft.label,
        "prior": draft.prior,
        "aliases": {lang: draft.aliases[lang] for lang in sorted(draft.aliases)},
        "keys": strong,
    }
    weak_aliases = {lang: [n for n in names if keys[n] not in strong]
                    for lang, names in sorted(draft.weak_aliases.items())}
    weak_aliases = {lang: names for lang, names in weak_aliases.items() if names}
    if weak_aliases:
        record["weak_aliases"] = weak_aliases
        record["weak_keys"] = weak
    if draft.roles:
        record["roles"] = sorted(draft.roles, key=lambda r: (r["role"], r["of"], r["start"] or "", r["end"] or ""))
    record["attrs"] = {k: draft.attrs[k] for k in sorted(draft.attrs)}
    return record


def lint(drafts: Mapping[str, Draft], roles_vocab: Mapping[str, Any], demonyms: Any) -> list[str]:
    """Problems that do not stop the build but fail tests/kb/test_kb.py: references to entity or
    role ids that are not defined (yet: the curated files are written in parallel) and tenures
    that end before they start."""
    problems = []
    for role_id, entry in roles_vocab.items():
        for entity_id in dict.fromkeys([*(entry.get("of") or {}), *([entry["implied_of"]] if entry.get("implied_of") else [])]):
            if entity_id not in drafts:
                problems.append(f"roles.yaml {role_id}: {entity_id} is not an entity id")
    if isinstance(demonyms, Mapping):
        problems += [f"demonyms.yaml: {k} is not an entity id" for k in demonyms if k not in drafts]
    for draft in drafts.values():
        for role in draft.roles:
            where = f"{draft.id} role {role['role']} of {role['of']}"
            if role["of"] not in drafts:
                problems.append(f"{where}: {role['of']} is not an entity id")
            if role["role"] not in roles_vocab:
                problems.append(f"{where}: role {role['role']!r} is not defined in roles.yaml")
            if role["start"] and role["end"] and role["start"] > role["end"]:
                problems.append(f"{where}: tenure starts {role['start']} after it ends {role['end']}")
    return problems


def build(data: Path = DATA, curated: Path = CURATED) -> BuildResult:
    stats: Counter[str] = Counter()
    entities, capitals = build_countries(data, stats)
    prime_alias_keys(n for d in entities.values() for names in d.aliases.values() for n in names)
    cities = merge_cities(cldr_cities(data, stats) + world_cities(data, entities, stats), entities, capitals, stats)
    demote_common_words(cities, entities, stats)
    for city_id, city in cities.items():
        if city_id in entities:
            raise BuildError(f"city id {city_id} collides with a country id")
        entities[city_id] = city
    curated_entities, roles_vocab, demonyms = read_curated(curated, stats)
    merge_curated(entities, curated_entities, stats)
    capital_ids: dict[str, list[str]] = defaultdict(list)
    for city_id in sorted(cities):
        if cities[city_id].attrs["capital"]:
            capital_ids[cities[city_id].attrs["country"]].append(city_id)
    for entity_id, draft in entities.items():
        if entity_id.startswith("country:"):
            draft.attrs["capital_ids"] = capital_ids.get(entity_id, [])
    texts = sorted({n for d in entities.values() for bucket in (d.aliases, d.weak_aliases)
                    for names in bucket.values() for n in names})
    prime_alias_keys(texts)
    keys = {t: alias_key(t) for t in texts}
    records = [entity_record(entities[i], keys) for i in sorted(entities)]
    holders: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for key in (*record["keys"], *record.get("weak_keys", ())):
            holders[key].add(record["id"])
    prior = {r["id"]: r["prior"] for r in records}
    ambiguous = tuple(sorted((key, tuple(sorted(ids, key=lambda i: (-prior[i], i))))
                             for key, ids in holders.items() if len(ids) > 1))
    counts = Counter(r["type"] for r in records)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "alias_key_rule": "khabar.normalize.pattern_form(alias) with spaces removed",
        "disambiguation": DISAMBIGUATION_RULE,
        "counts": {t: counts[t] for t in sorted(counts)},
        "roles_vocab": roles_vocab,
        "demonyms": demonyms,
    }
    lines = (header, *records, *({"alias_key": k, "candidates": list(ids)} for k, ids in ambiguous))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as gz:
        for line in lines:
            gz.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    return BuildResult(buffer.getvalue(), lines, dict(stats), ambiguous, tuple(lint(entities, roles_vocab, demonyms)))


# -- report ------------------------------------------------------------------------------------------

def report(result: BuildResult, seconds: float) -> str:
    records = [line for line in result.lines if "id" in line]
    by_type = Counter(r["type"] for r in records)
    by_lang: Counter[str] = Counter()
    weak_by_lang: Counter[str] = Counter()
    for record in records:
        for lang, names in record["aliases"].items():
            by_lang[lang] += len(names)
        for lang, names in record.get("weak_aliases", {}).items():
            weak_by_lang[lang] += len(names)
    label = {r["id"]: r["label"] for r in records}
    examples = sorted(result.ambiguous, key=lambda item: (not any(i.startswith("country:") for i in item[1]),
                                                          -len(item[1]), item[0]))
    out = [f"entities: {len(records)}  " + "  ".join(f"{t}={by_type[t]}" for t in sorted(by_type)),
           "aliases by language: " + "  ".join(f"{lang}={by_lang[lang]}" for lang in sorted(by_lang)),
           "weak aliases by language: " + ("  ".join(f"{lang}={weak_by_lang[lang]}" for lang in sorted(weak_by_lang))
                                           or "none"),
           f"ambiguous alias keys: {len(result.ambiguous)}"]
    for key, ids in examples[:15]:
        out.append(f"  {key}: " + ", ".join(f"{i} ({label[i]})" for i in ids[:5]) + (" ..." if len(ids) > 5 else ""))
    out.append("sources: " + "  ".join(f"{k}={v}" for k, v in sorted(result.stats.items())))
    for problem in result.warnings:
        out.append(f"lint: {problem}")
    out.append(f"size: {len(result.payload):,} bytes gzip; build time {seconds:.2f} s")
    return "\n".join(out)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed artefact is stale")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder (../shared/data)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    started = time.perf_counter()
    try:
        result = build(args.data)
    except BuildError as exc:
        print(f"build_kb: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    if args.check:
        if not OUT.exists() or OUT.read_bytes() != result.payload:
            print(f"stale: {OUT.relative_to(REPO)} differs from its sources; run scripts/build_kb.py")
            return 1
        print(f"{OUT.relative_to(REPO)} is up to date ({seconds:.2f} s)")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(result.payload)
    print(report(result, seconds))
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
