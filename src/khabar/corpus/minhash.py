"""MinHash signatures of word shingles and their LSH band keys (Broder 1997; Leskovec et al.,
*Mining of Massive Datasets*, ch. 3).

Each shingle is hashed to 32 bits (BLAKE2b, stable across processes and machines, unlike
Python's salted `hash`); permutation ``i`` is ``(a_i * x + b_i) mod (2**61 - 1)`` with fixed
coefficients, computed for all shingles at once with numpy. With 64 permutations in 16 bands of
4 rows, two texts whose shingle sets have Jaccard similarity 0.7 share a band with probability
``1 - (1 - 0.7**4)**16 ≈ 0.99``, at 0.3 with probability ``≈ 0.12``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
_PRIME = np.uint64((1 << 61) - 1)
_RNG = np.random.default_rng(20260101)  # fixed: signatures must be comparable across runs
_A = _RNG.integers(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _RNG.integers(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_EMPTY = (0xFFFFFFFFFFFFFFFF,) * NUM_PERM


def shingles(words: Sequence[str], size: int) -> list[str]:
    """Word ``size``-grams (the whole text as one shingle when it is shorter)."""
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]


def _hash32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "little")


def minhash_signature(items: Sequence[str]) -> tuple[int, ...]:
    """The MinHash signature of a set of strings (all-ones for the empty set)."""
    if not items:
        return _EMPTY
    hashed = np.fromiter((_hash32(s) for s in set(items)), dtype=np.uint64)
    values = (np.outer(hashed, _A) + _B) % _PRIME  # both factors < 2**32: no overflow
    return tuple(int(v) for v in values.min(axis=0))


def jaccard_estimate(a: Sequence[int], b: Sequence[int]) -> float:
    """Share of equal positions: an unbiased estimate of the Jaccard similarity of the two sets."""
    if a == _EMPTY or b == _EMPTY:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / NUM_PERM


def band_keys(signature: Sequence[int]) -> list[tuple[int, int]]:
    """One key per band: ``(band, hash of its rows)``; texts sharing a key are candidates."""
    if tuple(signature) == _EMPTY:
        return []
    return [(band, hash(tuple(signature[band * ROWS:(band + 1) * ROWS]))) for band in range(BANDS)]
