"""Name lists for the recogniser's gazetteer features: built at training time, hashed when shipped.

`build_name_lists` reads the training-allowed gazetteers of ``../shared/data`` (INDEX.md) and,
when it exists, the khabar knowledge base (`khabar.kb.load_kb`). The lists are stored with the
model as 64-bit hashes of each entry's normalised form (`khabar.normalize.pattern_form`), so the
package carries no copy of the upstream lists, and the tagger sees exactly the lists the model was
trained with even after the shared data or the KB change.

File format (``gazetteer.bin``): one JSON header line (list names, entry counts, longest entry
in tokens, sources), then for each list in header order its sorted hashes as little-endian
unsigned 64-bit integers.
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from khabar.normalize import pattern_form

# Entries longer than this (in tokens) are not matched; ANERGazet's longest useful names are
# organisation names of 5-6 words.
MAX_ENTRY_TOKENS = 6
# world-cities-ar labels some cities by their province (`ولاية قندهار`, SOURCE.md): the name
# after these words is added as the city name too.
_PROVINCE_WORDS = ("ولاية ", "محافظة ")


def entry_key(phrase: str) -> str:
    """The normalised form under which a gazetteer entry (or a run of tokens) is looked up."""
    return pattern_form(phrase)


def entry_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class Gazetteer:
    """Hashed name lists: ``lists[name]`` is the set of entry hashes of list ``name`` ("aner:LOC")."""

    lists: Mapping[str, frozenset[int]]
    max_tokens: int
    sources: tuple[str, ...] = ()
    _index: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[int, list[str]] = {}
        for name in sorted(self.lists):
            for h in self.lists[name]:
                index.setdefault(h, []).append(name)
        self._index.update({h: tuple(names) for h, names in index.items()})

    def lookup(self, key: str) -> tuple[str, ...]:
        """The lists holding the normalised phrase ``key`` (empty when none)."""
        if not key:
            return ()
        return self._index.get(entry_hash(key), ())

    def dump(self, path: Path) -> None:
        names = sorted(self.lists)
        header = {"lists": {n: len(self.lists[n]) for n in names}, "max_tokens": self.max_tokens,
                  "sources": list(self.sources)}
        with path.open("wb") as out:
            out.write(json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
            for name in names:
                values = array("Q", sorted(self.lists[name]))
                if sys.byteorder != "little":
                    values.byteswap()
                out.write(values.tobytes())

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        data = path.read_bytes()
        newline = data.index(b"\n")
        header = json.loads(data[:newline])
        lists: dict[str, frozenset[int]] = {}
        offset = newline + 1
        for name, count in header["lists"].items():
            values = array("Q")
            values.frombytes(data[offset: offset + 8 * count])
            if sys.byteorder != "little":
                values.byteswap()
            lists[name] = frozenset(values)
            offset += 8 * count
        return cls(lists, int(header["max_tokens"]), tuple(header.get("sources", ())))

    @classmethod
    def from_phrases(cls, phrases: Mapping[str, Iterable[str]], sources: Iterable[str] = ()) -> Gazetteer:
        lists: dict[str, frozenset[int]] = {}
        longest = 1
        for name, items in phrases.items():
            keys = {entry_key(p) for p in items}
            keys = {k for k in keys if k and len(k.split()) <= MAX_ENTRY_TOKENS}
            longest = max([longest, *(len(k.split()) for k in keys)])
            lists[name] = frozenset(entry_hash(k) for k in keys)
        return cls(lists, longest, tuple(sources))


# -- building the lists from ../shared/data (training time only) -------------------------------

def _aner_gazet(data_dir: Path) -> dict[str, set[str]]:
    """ANERGazet: one entry per line, ``====``/``****`` lines are group headers."""
    out: dict[str, set[str]] = {}
    for kind, name in (("LOC", "Loc"), ("ORG", "Org"), ("PER", "Pers")):
        path = data_dir / "anercorp" / "gazetteers" / f"ANERGazet_{name}.txt"
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        out[f"aner:{kind}"] = {ln.strip() for ln in lines if ln.strip() and set(ln.strip()) - set("=*")}
    return out


def _geo(data_dir: Path) -> set[str]:
    """Country, territory and city names in Persian and Arabic (world-countries, CLDR, world-cities-ar)."""
    names: set[str] = set()
    countries = json.loads((data_dir / "world-countries" / "countries.json").read_text(encoding="utf-8"))
    for country in countries:
        for lang in ("ara", "per"):
            tr = country.get("translations", {}).get(lang, {})
            names.update(v for v in (tr.get("common"), tr.get("official")) if v)
        for lang in ("ara", "fas"):
            native = country.get("name", {}).get("native", {}).get(lang, {})
            names.update(v for v in (native.get("common"), native.get("official")) if v)
    for lang in ("fa", "ar"):
        main = data_dir / "cldr-fa-ar" / "main" / lang
        territories = json.loads((main / "territories.json").read_text(encoding="utf-8"))
        names.update(territories["main"][lang]["localeDisplayNames"]["territories"].values())
        zones = json.loads((main / "timeZoneNames.json").read_text(encoding="utf-8"))
        names.update(_exemplar_cities(zones))
    with (data_dir / "world-cities-ar" / "world-cities.jsonl").open(encoding="utf-8-sig") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            for value in (row.get("CityNameAr"), row.get("CountryAr")):
                if value:
                    names.add(value)
                    for word in _PROVINCE_WORDS:
                        if value.startswith(word):
                            names.add(value[len(word):])
    return {n for n in names if any("\u0600" <= c <= "\u06ff" for c in n)}


def _exemplar_cities(node: object) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "exemplarCity" and isinstance(value, str):
                yield value
            else:
                yield from _exemplar_cities(value)


def _anetac(data_dir: Path) -> dict[str, set[str]]:
    """ANETAC's Arabic names by class, without any name of its reporting-only transliteration test."""
    folder = data_dir / "anetac-en-ar-names"
    held_out = {ln.strip() for ln in (folder / "translit_test.ar").read_text(encoding="utf-8").splitlines()}
    kinds = {"PERSON": "anetac:PER", "LOCATION": "anetac:LOC", "ORGANIZATION": "anetac:ORG"}
    out: dict[str, set[str]] = {name: set() for name in kinds.values()}
    for line in (folder / "EN-AR_Named-entities.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split(" ")
        if len(fields) == 3 and fields[0] in kinds and fields[2] not in held_out:
            out[kinds[fields[0]]].add(fields[2])
    return out


def _kb_names() -> dict[str, set[str]] | None:
    """Persian and Arabic aliases of the khabar knowledge base by entity type, or None without a KB.

    Only full ("strong") aliases: weak ones (a surname alone) would mark common words.
    """
    try:
        from khabar.kb import load_kb
    except ImportError:
        return None
    kb = load_kb()
    kinds = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}
    out: dict[str, set[str]] = {}
    for row in kb.alias_table():
        if row.weak or row.lang not in ("fa", "ar"):
            continue
        kind = kinds.get(kb.entity(row.entity_id).type)
        if kind:
            out.setdefault(f"kb:{kind}", set()).add(row.text)
    return out or None


def build_name_lists(data_dir: Path, use_kb: bool = True) -> tuple[dict[str, set[str]], list[str]]:
    """The name lists (list name -> entries) and the names of the sources that went into them."""
    lists: dict[str, set[str]] = {}
    sources = ["anercorp/gazetteers (ANERGazet)", "world-countries", "cldr-fa-ar territories and exemplar cities",
               "world-cities-ar", "anetac-en-ar-names EN-AR_Named-entities.txt minus translit_test.ar"]
    lists.update(_aner_gazet(data_dir))
    lists["geo:LOC"] = _geo(data_dir)
    lists.update(_anetac(data_dir))
    if use_kb:
        kb = _kb_names()
        if kb:
            lists.update(kb)
            sources.append("khabar.kb")
    return lists, sources
