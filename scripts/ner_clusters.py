"""Learn the NER word clusters (``src/khabar/ner/clusters.bin``) from unlabelled Persian and Arabic text.

    .venv/bin/python scripts/ner_clusters.py            # both languages, shipped settings
    .venv/bin/python scripts/ner_clusters.py --out /tmp/clusters.bin

Text read (all training-allowed in ../shared/data/INDEX.md; no dev or test split is read):
- fa: farsnews-articles (titles, leads, paragraphs) + the tokens of PEYMA train and Arman train_fold1;
- ar: saudinewsnet (titles and contents of the ten daily ZIPs) + the tokens of ANERcorp train and
  Wojood train.

Method (pure Python, deterministic, one core, a few minutes):
1. every token becomes its `khabar.ner.features.token_info` form (what the features look up);
   tokens with digits become ``<D>``;
2. each word of at least ``--min-count`` occurrences (at most ``--max-words``, most frequent first)
   is described by its contexts: the word at -2, -1, +1 and +2 among the ``--contexts`` most
   frequent words, weighted by positive PMI with context-distribution smoothing (alpha = 0.75;
   Levy, Goldberg and Dagan, "Improving distributional similarity with lessons learned from word
   embeddings", TACL 2015);
3. each vector keeps its ``--keep`` strongest contexts and is L2-normalised (sparse, exact: a
   random projection to a hundred dimensions was tried first and put ``تهران`` and ``گفت`` on
   one path);
4. the words are split in two again and again (principal-direction divisive partitioning,
   Boley, "Principal direction divisive partitioning", 1998, refined by two rounds of 2-means)
   until a group is smaller than ``2 * --min-leaf`` or ``--depth`` splits deep. A word's path is
   the string of left (0) / right (1) turns, so words sharing a long prefix share contexts,
   as with Brown clusters (Brown et al. 1992), whose prefixes NER features usually read
   (Ratinov and Roth, "Design challenges and misconceptions in NER", CoNLL 2009).

The result stores words only as 64-bit hashes (`khabar.ner.clusters`); ``CLUSTERS.md`` is
rewritten beside it with the sources, settings and counts.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from khabar.ner.clusters import WordClusters  # noqa: E402
from khabar.ner.corpora import read_split  # noqa: E402
from khabar.ner.features import token_info  # noqa: E402
from khabar.ner.tagger import sentences, tokenize  # noqa: E402

DATA = (REPO / ".." / "shared" / "data").resolve()
DEFAULT_OUT = REPO / "src" / "khabar" / "ner" / "clusters.bin"
TRAIN_SPLITS = {"fa": ("peyma/train", "arman/train_fold1"), "ar": ("anercorp/train", "wojood/train")}
RAW = {"fa": "farsnews-articles/farsnews_articles.jsonl", "ar": "saudinewsnet/*.zip"}
OFFSETS = (-2, -1, 1, 2)
BOUNDARY = "<S>"
DIGITS = "<D>"
SMOOTHING = 0.75
SEED = 2024


def _text_sentences(text: str) -> Iterator[list[str]]:
    for group in sentences(text, tokenize(text)):
        yield [t.text for t in group]


def raw_sentences(lang: str) -> Iterator[list[str]]:
    """Token sequences of the unlabelled news text of ``lang``."""
    if lang == "fa":
        with (DATA / RAW["fa"]).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for part in (record.get("title"), record.get("abstract"), *record.get("paragraphs", [])):
                    if part:
                        yield from _text_sentences(part)
    else:
        for archive in sorted(DATA.glob(RAW["ar"])):
            with zipfile.ZipFile(archive) as zipped:
                for member in sorted(zipped.namelist()):
                    for article in json.loads(zipped.read(member)):
                        for part in (article.get("title"), article.get("content")):
                            if part:
                                yield from _text_sentences(part)


def corpus(lang: str) -> Iterator[list[str]]:
    """Word-form sequences: raw news, then the labelled training splits' tokens (labels unused)."""
    forms: dict[str, str] = {}

    def form(token: str) -> str:
        found = forms.get(token)
        if found is None:
            found = DIGITS if any(c.isdigit() for c in token) else token_info(token, lang).norm
            forms[token] = found
        return found

    for tokens in raw_sentences(lang):
        yield [form(t) for t in tokens]
    for name in TRAIN_SPLITS[lang]:
        for sentence in read_split(name, DATA):
            yield [form(t) for t in sentence.tokens]


def context_vectors(seqs: Sequence[list[str]], min_count: int, max_words: int, n_contexts: int,
                    ) -> tuple[list[str], list[dict[int, float]], int]:
    """The clustered words and, per word, its PPMI-weighted contexts (slot * n_contexts + context id)."""
    freq = Counter(w for seq in seqs for w in seq)
    words = [w for w, c in freq.most_common() if c >= min_count and w != DIGITS][:max_words]
    contexts = [BOUNDARY] + [w for w, _ in freq.most_common(n_contexts - 1)]
    word_id = {w: i for i, w in enumerate(words)}
    context_id = {w: i for i, w in enumerate(contexts)}
    n_ctx = len(contexts)
    width = len(OFFSETS) * n_ctx
    pairs: Counter[int] = Counter()
    for seq in seqs:
        n = len(seq)
        cids = [context_id.get(w, -1) for w in seq]
        for i, w in enumerate(seq):
            target = word_id.get(w)
            if target is None:
                continue
            base = target * width
            for slot, d in enumerate(OFFSETS):
                j = i + d
                c = 0 if j < 0 or j >= n else cids[j]
                if c >= 0:
                    pairs[base + slot * n_ctx + c] += 1
    word_totals = [[0] * len(OFFSETS) for _ in words]
    context_totals = [0] * width
    for key, count in pairs.items():
        target, feature = divmod(key, width)
        word_totals[target][feature // n_ctx] += count
        context_totals[feature] += count
    # Smoothed context distribution, per slot.
    smoothed = [c ** SMOOTHING for c in context_totals]
    slot_sums = [sum(smoothed[s * n_ctx:(s + 1) * n_ctx]) for s in range(len(OFFSETS))]
    p_context = [smoothed[f] / slot_sums[f // n_ctx] if slot_sums[f // n_ctx] else 0.0 for f in range(width)]
    vectors: list[dict[int, float]] = [{} for _ in words]
    for key, count in pairs.items():
        target, feature = divmod(key, width)
        pmi = math.log(count / (word_totals[target][feature // n_ctx] * p_context[feature]))
        if pmi > 0:
            vectors[target][feature] = pmi
    return words, vectors, width


Row = tuple[tuple[int, ...], tuple[float, ...]]  # a sparse vector: feature ids, values


def truncate(vectors: Sequence[dict[int, float]], keep: int) -> list[Row]:
    """Each word's ``keep`` strongest contexts, L2-normalised (exact sparse vectors, no projection)."""
    rows: list[Row] = []
    for vector in vectors:
        top = sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
        norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
        rows.append((tuple(f for f, _ in top), tuple(v / norm for _, v in top)))
    return rows


def _dot(row: Row, dense: list[float]) -> float:
    return sum(dense[f] * v for f, v in zip(*row, strict=True))


def _add(dense: list[float], row: Row, scale: float) -> None:
    for f, v in zip(*row, strict=True):
        dense[f] += scale * v


def _centroid(rows: Sequence[Row], width: int) -> list[float]:
    total = [0.0] * width
    for row in rows:
        _add(total, row, 1.0)
    return [t / len(rows) for t in total] if rows else total


def split_in_two(rows: Sequence[Row], width: int, rng: random.Random) -> list[bool]:
    """Which rows go right: sign on the principal direction of the centred rows (power
    iteration on the sparse rows, the mean kept apart so nothing is densified), then 2-means."""
    mean = _centroid(rows, width)
    direction = [rng.gauss(0.0, 1.0) for _ in range(width)]
    for _ in range(6):
        offset = sum(m * d for m, d in zip(mean, direction, strict=True))
        acc = [0.0] * width
        total = 0.0
        for row in rows:
            s = _dot(row, direction) - offset
            total += s
            _add(acc, row, s)
        acc = [a - total * m for a, m in zip(acc, mean, strict=True)]
        norm = math.sqrt(sum(a * a for a in acc)) or 1.0
        direction = [a / norm for a in acc]
    offset = sum(m * d for m, d in zip(mean, direction, strict=True))
    right = [_dot(row, direction) > offset for row in rows]
    for _ in range(2):
        left_c = _centroid([r for r, go in zip(rows, right, strict=True) if not go], width)
        right_c = _centroid([r for r, go in zip(rows, right, strict=True) if go], width)
        # Nearest centroid (Euclidean): |c_r|^2 - |c_l|^2 < 2 x.(c_r - c_l).
        diff = [r - m for r, m in zip(right_c, left_c, strict=True)]
        bias = (sum(r * r for r in right_c) - sum(m * m for m in left_c)) / 2
        right = [_dot(row, diff) > bias for row in rows]
        if all(right) or not any(right):
            break
    return right


def cluster_paths(words: Sequence[str], rows: Sequence[Row], width: int, depth: int,
                  min_leaf: int) -> dict[str, str]:
    rng = random.Random(SEED)
    paths = {w: "" for w in words}
    frontier: list[list[int]] = [list(range(len(words)))]
    for _ in range(depth):
        next_frontier: list[list[int]] = []
        for group in frontier:
            if len(group) < 2 * min_leaf:
                continue
            right = split_in_two([rows[i] for i in group], width, rng)
            halves = ([i for i, go in zip(group, right, strict=True) if not go],
                      [i for i, go in zip(group, right, strict=True) if go])
            if not halves[0] or not halves[1]:
                continue
            for bit, half in zip("01", halves, strict=True):
                for i in half:
                    paths[words[i]] += bit
                next_frontier.append(half)
        frontier = next_frontier
    return {w: p or "0" for w, p in paths.items()}


def build(lang: str, args: argparse.Namespace) -> tuple[dict[str, str], dict[str, object]]:
    started = time.perf_counter()
    seqs = list(corpus(lang))
    tokens = sum(len(s) for s in seqs)
    words, vectors, width = context_vectors(seqs, args.min_count[lang], args.max_words[lang], args.contexts)
    rows = truncate(vectors, args.keep)
    paths = cluster_paths(words, rows, width, args.depth, args.min_leaf)
    leaves = len(set(paths.values()))
    stats = {"sentences": len(seqs), "tokens": tokens, "words": len(words), "leaves": leaves,
             "min_count": args.min_count[lang], "seconds": round(time.perf_counter() - started, 1)}
    print(f"[{lang}] {stats}", flush=True)
    return paths, stats


def write_card(path: Path, header: dict[str, object]) -> None:
    stats: dict[str, dict[str, object]] = header["stats"]  # type: ignore[assignment]
    lines = [
        "# Word clusters of the NER features (`clusters.bin`)",
        "",
        "Written by `scripts/ner_clusters.py`; do not edit by hand (rerun the script, then retrain the "
        "models with `scripts/train_ner.py`, since a model is only valid with the clusters it was trained with).",
        "",
        "Each word of the unlabelled text below gets a bit-string path from repeated two-way splits "
        "of its PPMI context vectors (method in the script's docstring); the features read prefixes "
        "of the path (`khabar.ner.features`). Words are stored only as 64-bit hashes of their "
        "normalised form: no word list or text ships.",
        "",
        "| lang | text | sentences | tokens | words with a path | leaves | min count |",
        "|---|---|---|---|---|---|---|",
    ]
    for lang, st in stats.items():
        lines.append(f"| {lang} | {header['sources'][lang]} | {st['sentences']} | {st['tokens']} | "  # type: ignore[index]
                     f"{st['words']} | {st['leaves']} | {st['min_count']} |")
    lines += [
        "",
        "Settings: " + ", ".join(f"{k} {v}" for k, v in header["settings"].items()) + ".",  # type: ignore[union-attr]
        "",
        "## Sources and licences (as stated in each set's SOURCE.md under ../shared/data)",
        "- farsnews-articles: repository Apache-2.0; article texts copyright Fars News Agency.",
        "- saudinewsnet: CC BY-NC-SA 4.0, \"for the sole purpose of aiding open scientific research\"; "
        "article copyright stays with the newspapers.",
        "- PEYMA, ArmanPersoNER, ANERcorp, Wojood training splits: see MODEL_CARD.md.",
        "",
        "Only statistics derived from these texts ship (a hash and a cluster path per word). The "
        "SaudiNewsNet licence is non-commercial: treat the Arabic clusters, and the Arabic model "
        "trained with them, as carrying that restriction.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--lang", choices=("fa", "ar", "all"), default="all")
    parser.add_argument("--contexts", type=int, default=2000)
    parser.add_argument("--keep", type=int, default=40, help="strongest contexts kept per word")
    parser.add_argument("--depth", type=int, default=16)
    parser.add_argument("--min-leaf", type=int, default=8)
    args = parser.parse_args(argv)
    # fa has far less raw text (about 1M tokens against 4.5M for ar): a lower count keeps more names.
    args.min_count = {"fa": 3, "ar": 5}
    args.max_words = {"fa": 40000, "ar": 60000}
    langs = ("fa", "ar") if args.lang == "all" else (args.lang,)
    paths: dict[str, dict[str, str]] = {}
    stats: dict[str, object] = {}
    for lang in langs:
        paths[lang], stats[lang] = build(lang, args)
    header = {"depth": args.depth, "stats": stats,
              "sources": {"fa": "farsnews-articles + PEYMA train, Arman train_fold1 tokens",
                          "ar": "saudinewsnet (10 daily ZIPs) + ANERcorp train, Wojood train tokens"},
              "settings": {"contexts": args.contexts, "kept_contexts": args.keep, "depth": args.depth,
                           "min_leaf": args.min_leaf, "window": "-2..+2", "smoothing": SMOOTHING, "seed": SEED}}
    header["sources"] = {k: v for k, v in header["sources"].items() if k in langs}  # type: ignore[attr-defined]
    WordClusters.from_paths(paths, header).dump(args.out)
    write_card(args.out.with_name("CLUSTERS.md"), header)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
