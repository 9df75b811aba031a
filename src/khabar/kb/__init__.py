"""The entity knowledge base: countries, cities, people, organisations and roles with tenures.

Built by ``scripts/build_kb.py`` into ``kb.jsonl.gz`` (sources in ``SOURCES.md``) and loaded once per
process by `load_kb`. Everything handed out is immutable (frozen dataclasses, tuples, read-only
mappings); the one thing that changes inside is a memo of entities made from their JSON records on
first use, which always gives the same object for an id.

    kb = load_kb()
    kb.entity("country:IR").label                           # 'Iran'
    kb.candidates(alias_key("طرابلس"))                      # Tripoli (Libya), Tripoli (Lebanon), ...
    kb.holders("foreign_minister", "country:CN", date(2024, 4, 9))
"""

from __future__ import annotations

import functools
import gzip
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from khabar.errors import ResourceError

FORMAT = "khabar-kb"
VERSION = 1
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def alias_key(text: str) -> str:
    """The key aliases are indexed by: the matching form (`khabar.normalize.pattern_form`:
    letter variants, diacritics, digits and case folded) with every space removed, so
    `سرزمین‌های فلسطینی`, `سرزمین های فلسطینی` and `سرزمینهای فلسطینی` share one key."""
    from khabar.normalize import pattern_form

    return pattern_form(text).replace(" ", "")


def alias_keys(texts: Iterable[str]) -> list[str]:
    """`alias_key` of many one-line strings in one pass (builds of the knowledge base and of
    matchers): folding is per character, so folding the texts joined by newlines and splitting
    again gives each text's `pattern_form`; whitespace is then removed as in `alias_key`."""
    from khabar.normalize import match_view

    texts = list(texts)
    if any("\n" in t for t in texts):
        raise ValueError("alias_keys takes one-line strings")
    folded = match_view("\n".join(texts)).text.split("\n") if texts else []
    return ["".join(part.split()) for part in folded]


@dataclass(frozen=True, slots=True)
class Role:
    """An office held: ``role`` (an id of roles.yaml) of ``of`` (an entity id) from ``start`` to
    ``end``, both days included; None for an unknown start or a tenure still running."""

    role: str
    of: str
    start: date | None
    end: date | None

    def held_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity. ``aliases``/``weak_aliases`` map a language code to names; weak aliases are short
    forms that are also common words, to be accepted only beside the full name. ``prior`` orders
    candidates that share an alias (see the disambiguation rule in `KnowledgeBase.rule`)."""

    id: str
    type: str
    label: str
    aliases: Mapping[str, tuple[str, ...]]
    weak_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    roles: tuple[Role, ...] = ()
    prior: float = 0.0
    attrs: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __hash__(self) -> int:  # the mappings are not hashable; the id is unique in a knowledge base
        return hash(self.id)

    def names(self, lang: str | None = None, weak: bool = False) -> tuple[str, ...]:
        """Aliases of one language (every language when None), weak ones too when ``weak``."""
        buckets = (self.aliases, self.weak_aliases) if weak else (self.aliases,)
        langs = [lang] if lang else sorted({k for b in buckets for k in b})
        return tuple(n for lg in langs for b in buckets for n in b.get(lg, ()))


class AliasRow(NamedTuple):
    """One row of `KnowledgeBase.alias_table`, for building matchers."""

    text: str
    lang: str
    entity_id: str
    weak: bool


def _freeze(value: Any) -> Any:
    """JSON objects and arrays as read-only mappings and tuples (exact type checks: this runs for
    every entity at load time)."""
    kind = type(value)
    if kind is dict:
        return MappingProxyType({k: v if type(v) not in (dict, list) else _freeze(v) for k, v in value.items()})
    if kind is list:
        return tuple(v if type(v) not in (dict, list) else _freeze(v) for v in value)
    return value


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _entity(record: Mapping[str, Any]) -> Entity:
    return Entity(
        id=record["id"],
        type=record["type"],
        label=record["label"],
        aliases=MappingProxyType({k: tuple(v) for k, v in record.get("aliases", {}).items()}),
        weak_aliases=(MappingProxyType({k: tuple(v) for k, v in record["weak_aliases"].items()})
                      if "weak_aliases" in record else _EMPTY),
        roles=(tuple(Role(r["role"], r["of"], _day(r.get("start")), _day(r.get("end"))) for r in record["roles"])
               if "roles" in record else ()),
        prior=float(record.get("prior", 0.0)),
        attrs=_freeze(record.get("attrs", {})),
    )


class KnowledgeBase:
    """Entities with indexes by id, alias key and (role, of); read-only.

    Built from a file (`read_kb`), an entity is made from its JSON record the first time it is
    asked for and kept (a memo: the same id always gives the same immutable object), so loading
    does not pay for thousands of cities a document never mentions.
    """

    __slots__ = ("_by_key", "_by_role", "_demonyms", "_entities", "_ids", "_keys", "_records", "_roles_vocab",
                 "ambiguous", "rule")

    def __init__(self, entities: Iterable[Entity], *, roles_vocab: Mapping[str, Any] | None = None,
                 demonyms: Any = None, rule: str = "") -> None:
        """A knowledge base of ready entities (fixtures, tests); alias keys are computed here."""
        built: dict[str, Entity] = {}
        keys: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for entity in entities:
            if entity.id in built:
                raise ResourceError(f"knowledge base: entity id {entity.id} appears twice")
            built[entity.id] = entity
            strong = tuple(sorted({alias_key(n) for ns in entity.aliases.values() for n in ns} - {""}))
            weak = tuple(sorted({alias_key(n) for ns in entity.weak_aliases.values() for n in ns} - {""} - set(strong)))
            keys[entity.id] = (strong, weak)
        self._setup(built, {}, keys, {i: e.prior for i, e in built.items()}, roles_vocab, demonyms, None, rule)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, roles_vocab: Mapping[str, Any] | None = None,
                     demonyms: Any = None, ambiguous: Mapping[str, tuple[str, ...]] | None = None,
                     rule: str = "") -> KnowledgeBase:
        """A knowledge base over the JSON entity records of ``kb.jsonl.gz`` (keys as the build stored them)."""
        raw: dict[str, Mapping[str, Any]] = {}
        for record in records:
            if record["id"] in raw:
                raise ResourceError(f"knowledge base: entity id {record['id']} appears twice; "
                                    "rebuild with scripts/build_kb.py")
            raw[record["id"]] = record
        keys = {i: (tuple(r.get("keys", ())), tuple(r.get("weak_keys", ()))) for i, r in raw.items()}
        priors = {i: float(r.get("prior", 0.0)) for i, r in raw.items()}
        self = cls.__new__(cls)
        self._setup({}, raw, keys, priors, roles_vocab, demonyms, ambiguous, rule)
        return self

    def _setup(self, built: dict[str, Entity], raw: dict[str, Mapping[str, Any]],
               keys: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], priors: Mapping[str, float],
               roles_vocab: Mapping[str, Any] | None, demonyms: Any,
               ambiguous: Mapping[str, tuple[str, ...]] | None, rule: str) -> None:
        self._entities = built
        self._records = raw
        self._ids = tuple(sorted(keys))
        self._keys = keys
        by_key: dict[str, list[str]] = defaultdict(list)
        for entity_id in self._ids:
            strong, weak = keys[entity_id]
            for key in (*strong, *weak):
                by_key[key].append(entity_id)
        self._by_key: dict[str, tuple[str, ...]] = {
            k: tuple(v) if len(v) == 1 else tuple(sorted(v, key=lambda i: (-priors[i], i))) for k, v in by_key.items()}
        if ambiguous is None:  # derived here; a built file records its own and the lint test compares them
            ambiguous = {k: v for k, v in self._by_key.items() if len(v) > 1}
        by_role: dict[tuple[str, str], list[tuple[Role, str]]] = defaultdict(list)
        with_roles = [i for i in self._ids if (raw[i].get("roles") if i in raw else built[i].roles)]
        for entity_id in with_roles:
            for role in self.entity(entity_id).roles:
                by_role[(role.role, role.of)].append((role, entity_id))
        self._by_role = {k: tuple(v) for k, v in by_role.items()}
        self._roles_vocab = _freeze(dict(roles_vocab or {}))
        self._demonyms = _freeze(demonyms if demonyms is not None else {})
        self.ambiguous: Mapping[str, tuple[str, ...]] = MappingProxyType(dict(ambiguous))
        self.rule = rule

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[Entity]:
        """Every entity, in id order."""
        return (self.entity(i) for i in self._ids)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._keys

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id; KeyError names the id when there is none."""
        found = self._entities.get(entity_id)
        if found is None:
            record = self._records.get(entity_id)
            if record is None:
                raise KeyError(f"no entity {entity_id!r} in the knowledge base")
            found = self._entities[entity_id] = _entity(record)
        return found

    def get(self, entity_id: str) -> Entity | None:
        return self.entity(entity_id) if entity_id in self._keys else None

    def ids(self) -> tuple[str, ...]:
        """Every entity id, sorted."""
        return self._ids

    def keys_of(self, entity_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The (strong, weak) alias keys of one entity."""
        return self._keys[entity_id]

    def candidates(self, key: str, *, weak: bool = True) -> tuple[Entity, ...]:
        """Entities with an alias of this key (`alias_key`), best prior first, ties by id.
        With ``weak=False`` only entities holding it as a full alias."""
        ids = self._by_key.get(key, ())
        if not weak:
            ids = tuple(i for i in ids if key in self._keys[i][0])
        return tuple(self.entity(i) for i in ids)

    def holders(self, role: str, of: str, on: date) -> tuple[Entity, ...]:
        """Who held ``role`` of ``of`` on day ``on`` (both tenure ends count), latest start first:
        on a handover day both the outgoing and the incoming holder are returned."""
        held = [(r, i) for r, i in self._by_role.get((role, of), ()) if r.held_on(on)]
        held.sort(key=lambda item: (item[0].start or date.min, item[1]), reverse=True)
        return tuple(self.entity(i) for i in dict.fromkeys(i for _, i in held))

    def alias_table(self) -> Iterator[AliasRow]:
        """Every (alias text, language, entity id, weak) in id order, for building matchers."""
        for entity_id in self._ids:
            record = self._records.get(entity_id)
            if record is not None:  # straight from the JSON: no need to make the entity
                buckets = ((False, record.get("aliases", {})), (True, record.get("weak_aliases", {})))
            else:
                entity = self._entities[entity_id]
                buckets = ((False, entity.aliases), (True, entity.weak_aliases))
            for weak, bucket in buckets:
                for lang in sorted(bucket):
                    for text in bucket[lang]:
                        yield AliasRow(text, lang, entity_id, weak)

    def roles_vocab(self) -> Mapping[str, Any]:
        """roles.yaml as built: role id -> {label, fa: [...], ar: [...], en: [...]}, read-only."""
        return self._roles_vocab

    def demonyms(self) -> Any:
        """demonyms.yaml as built, read-only."""
        return self._demonyms


def read_kb(path: Path | str) -> KnowledgeBase:
    """Parse a built knowledge base file (``kb.jsonl.gz``); not cached: use `load_kb`."""
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
        # one decoder call for the whole file: several times faster than one call per line
        lines = json.loads(b"[" + raw.rstrip(b"\n").replace(b"\n", b",") + b"]")
    except FileNotFoundError:
        raise ResourceError(f"missing knowledge base {path}; run scripts/build_kb.py") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ResourceError(f"knowledge base {path} is unreadable ({exc}); run scripts/build_kb.py") from None
    if not lines or lines[0].get("format") != FORMAT or lines[0].get("version") != VERSION:
        raise ResourceError(f"{path} is not a {FORMAT} v{VERSION} file; run scripts/build_kb.py")
    header = lines[0]
    records = [line for line in lines[1:] if "id" in line]
    ambiguous = {line["alias_key"]: tuple(line["candidates"]) for line in lines[1:] if "candidates" in line}
    return KnowledgeBase.from_records(records, roles_vocab=header.get("roles_vocab"), demonyms=header.get("demonyms"),
                                      ambiguous=ambiguous, rule=header.get("disambiguation", ""))


def kb_path() -> Path:
    """Where the packaged knowledge base lives."""
    return Path(str(resources.files("khabar").joinpath("kb", "kb.jsonl.gz")))


def country_of(entity_id: str | None) -> str | None:
    """The country an entity id stands in: itself for `country:XX`, a city's country, else None
    (an organisation, a region, an occasion)."""
    if not entity_id:
        return None
    if entity_id.startswith("country:"):
        return entity_id
    if entity_id.startswith("city:"):
        entity = load_kb().get(entity_id)
        return entity.attrs.get("country") if entity else None
    return None


@functools.cache
def load_kb() -> KnowledgeBase:
    """The packaged knowledge base, parsed once per process."""
    return read_kb(kb_path())


__all__ = ["AliasRow", "Entity", "KnowledgeBase", "Role", "alias_key", "alias_keys", "kb_path", "load_kb", "read_kb"]
