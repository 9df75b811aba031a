"""Word clusters for the recogniser's features: hierarchical bit-string paths learned from raw news.

Words that occur in the same contexts (``وزیر ... گفت``, ``في مدينة ...``) get paths sharing a
long prefix, so a name the labelled corpora never show still shares features with names they do
show. The paths are built by ``scripts/ner_clusters.py`` from unlabelled text (Fars News,
SaudiNewsNet and the tokens of the NER training splits) and read by `features.sentence_features`;
``CLUSTERS.md`` beside this file says how and from what.

File format (``clusters.bin``): one JSON header line (languages with word counts, path depth,
sources, settings), then for each language in header order its sorted word hashes
(`gazetteer.entry_hash` of the word's `features.token_info` form) as little-endian unsigned
64-bit integers, then the paths as little-endian unsigned 32-bit integers, each path written
as the integer of ``"1" + bits`` (the leading 1 keeps leading zeros).
"""

from __future__ import annotations

import json
import sys
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from khabar.ner.gazetteer import entry_hash


@dataclass(frozen=True)
class WordClusters:
    """Per language, sorted word hashes and, parallel to them, their bit-string paths (``"0110..."``)."""

    hashes: Mapping[str, array]  # sorted uint64 per language
    codes: Mapping[str, array]  # uint32, parallel to hashes
    header: Mapping[str, object] = field(default_factory=dict)

    def path(self, word: str, lang: str) -> str:
        """The path of ``word`` (a `features.token_info` form), or "" for a word without one."""
        hashes = self.hashes.get(lang)
        if not hashes or not word:
            return ""
        h = entry_hash(word)
        i = bisect_left(hashes, h)
        if i == len(hashes) or hashes[i] != h:
            return ""
        return bin(self.codes[lang][i])[3:]  # drop "0b1"

    def dump(self, path: Path) -> None:
        langs = sorted(self.hashes)
        header = dict(self.header)
        header["langs"] = {lang: len(self.hashes[lang]) for lang in langs}
        with path.open("wb") as out:
            out.write(json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
            for lang in langs:
                for values in (array("Q", self.hashes[lang]), array("I", self.codes[lang])):
                    if sys.byteorder != "little":
                        values.byteswap()
                    out.write(values.tobytes())

    @classmethod
    def load(cls, path: Path) -> WordClusters:
        data = path.read_bytes()
        newline = data.index(b"\n")
        header = json.loads(data[:newline])
        hashes: dict[str, array] = {}
        codes: dict[str, array] = {}
        offset = newline + 1
        for lang, count in header["langs"].items():
            for store, code, width in ((hashes, "Q", 8), (codes, "I", 4)):
                values = array(code)
                values.frombytes(data[offset: offset + width * count])
                if sys.byteorder != "little":
                    values.byteswap()
                store[lang] = values
                offset += width * count
        return cls(hashes, codes, header)

    @classmethod
    def from_paths(cls, paths: Mapping[str, Mapping[str, str]], header: Mapping[str, object]) -> WordClusters:
        """``paths[lang][word] = "0110..."`` -> the hashed, sorted form."""
        hashes: dict[str, array] = {}
        codes: dict[str, array] = {}
        for lang, words in paths.items():
            pairs = sorted({entry_hash(w): int("1" + p, 2) for w, p in words.items()}.items())
            hashes[lang] = array("Q", [h for h, _ in pairs])
            codes[lang] = array("I", [c for _, c in pairs])
        return cls(hashes, codes, header)
