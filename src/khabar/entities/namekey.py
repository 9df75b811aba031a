"""The cross-script name key: one consonant skeleton for Persian, Arabic and Latin spellings.

`name_keys("لاوروف") & name_keys("Lavrov")` is non-empty, so a spelling no gazetteer holds can
still meet its entity. Letter classes are data (`data/name_key.yaml`); see its header for sources.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass

from khabar.normalize import pattern_form
from khabar.resources import load_yaml

_MAX_VARIANTS = 8


@dataclass(frozen=True, slots=True)
class _Table:
    digraphs: dict[str, str]
    classes: dict[str, str]
    vowels: frozenset[str]
    ambiguous: dict[str, tuple[str, ...]]


@functools.cache
def _table() -> _Table:
    data = load_yaml("data/name_key.yaml")
    classes = {letter: cls for cls, letters in data["classes"].items() for letter in letters}
    # the folded forms (ي for ی, ك for ک...) must map like the letters they fold from
    for letter, cls in list(classes.items()):
        classes.setdefault(pattern_form(letter), cls)
    vowels = frozenset(data["vowels"]) | frozenset(pattern_form(v) for v in data["vowels"] if pattern_form(v))
    def cls(value: str) -> str:
        return "" if value == "-" else value

    return _Table({k.lower(): cls(v) for k, v in data["digraphs"].items()}, classes, vowels,
                  {k: tuple(cls(x) for x in v) for k, v in data["ambiguous"].items()})


def _letters(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in text if c.isalpha() and not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)
def name_keys(name: str) -> frozenset[str]:
    """Every key of a name (more than one when a letter can be read two ways); empty if no letters."""
    t = _table()
    letters = _letters(name)
    if not letters:
        return frozenset()
    options: list[tuple[str, ...]] = []
    i = 0
    while i < len(letters):
        pair = letters[i:i + 2]
        if pair in t.digraphs:
            options.append((t.digraphs[pair],))
            i += 2
            continue
        ch = letters[i]
        if i == 0 and ch in t.vowels:
            options.append(("A",))
        elif ch in t.ambiguous:
            readings = t.ambiguous[ch]
            # a name-initial و is the consonant (`وانگ` Wang), never a vowel
            options.append(readings if i > 0 or "" not in readings else tuple(r for r in readings if r))
        elif ch in t.vowels:
            options.append(("",))
        else:
            options.append((t.classes.get(ch, ""),))
        i += 1
    keys = set()
    for combo in itertools.islice(itertools.product(*options), _MAX_VARIANTS):
        collapsed = []
        for cls in "".join(combo):
            if not collapsed or collapsed[-1] != cls:
                collapsed.append(cls)
        if collapsed:
            keys.add("".join(collapsed))
    return frozenset(keys)


def same_name(a: str, b: str) -> bool:
    return bool(name_keys(a) & name_keys(b))
