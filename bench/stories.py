"""Cost of online story clustering as the corpus grows: 10k, 100k and 1M documents.

Base documents are real SaudiNewsNet articles of 1 August 2015, analysed by the full pipeline
once; the stream replays them with shifted dates (1,500 documents a day, about SaudiNewsNet's
rate) and perturbed content: a tenth of each copy's words dropped, two words of its own added,
and a fifth of its MinHash positions redrawn (a copy that reads like a re-edited wire text).
Each pass over the base set renames its words and entities (`w~3` in pass 3), so every pass
brings new stories, as a real stream does, instead of extending the first pass's stories forever.
Each size runs in its own process so that peak memory (max RSS) is measured per size. The
clusterer forgets stories older than its window every simulated day (`evict_before`).

Baseline, same process, same base documents: datasketch's `MinHash` (64 permutations, word
5-shingles) and `MinHashLSH` insert and query, against khabar's signature and band index.

    .venv/bin/python bench/stories.py [--sizes 10000,100000,1000000] [--base 300] [--json]
"""

from __future__ import annotations

import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import saudinewsnet

from khabar.corpus.features import SHINGLE_WORDS, StoryFeatures, content_words
from khabar.corpus.minhash import NUM_PERM, band_keys, minhash_signature, shingles
from khabar.corpus.stories import StoryClusterer
from khabar.pipeline import Pipeline

PER_DAY = 1500
START = date(2015, 8, 1)


def base_documents(n: int) -> list[tuple[StoryFeatures, list[str]]]:
    pipeline = Pipeline()
    out = []
    for doc in saudinewsnet("2015-08-01", limit=n):
        analysed = pipeline(doc)
        out.append((StoryFeatures.of(analysed), content_words(analysed.body_text())))
    return out


def stream(base: list[StoryFeatures], size: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(size):
        f = base[i % len(base)]
        cycle = i // len(base)
        terms = [(f"{t}~{cycle}", c) for t, c in f.terms if rng.random() > 0.1] + [(f"w{i}a", 1), (f"w{i}b", 1)]
        signature = tuple(rng.getrandbits(61) if rng.random() < 0.2 else (v + cycle) % (1 << 61) for v in f.signature)
        yield replace(f, doc_id=f"d{i}", day=START + timedelta(days=i // PER_DAY), terms=tuple(terms),
                      title_terms=tuple(f"{t}~{cycle}" for t in f.title_terms),
                      entities=tuple((f"{e}~{cycle}", c) for e, c in f.entities),
                      events=tuple(e.replace("|", f"~{cycle}|", 1) for e in f.events),
                      lead_events=tuple(e.replace("|", f"~{cycle}|", 1) for e in f.lead_events), signature=signature)


def run_size(base_path: str, size: int) -> dict[str, float]:
    with open(base_path, "rb") as fh:
        base = pickle.load(fh)
    clusterer = StoryClusterer()
    # time inside the clusterer only (making the replayed copies is not counted), as wall-clock
    # and as CPU time of this process: on a shared machine the CPU time is the one-core cost
    seconds = cpu_seconds = 0.0
    day = None
    stories = 0
    wall, cpu = time.perf_counter, time.process_time
    for f in stream(base, size):
        started, started_cpu = wall(), cpu()
        if f.day != day:
            if day is not None:
                clusterer.evict_before(day - timedelta(days=8))
            day = f.day
        if clusterer.add(f).probability is None:
            stories += 1
        seconds += wall() - started
        cpu_seconds += cpu() - started_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"documents": size, "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
            "docs_per_cpu_second": round(size / cpu_seconds), "peak_rss_mb": round(peak_mb), "stories": stories}


def minhash_baseline(docs: list[tuple[StoryFeatures, list[str]]]) -> dict[str, float]:
    from datasketch import MinHash, MinHashLSH

    texts = [shingles(words, SHINGLE_WORDS) for _, words in docs]
    t0 = time.perf_counter()
    ours = [minhash_signature(s) for s in texts]
    index: dict = {}
    for i, sig in enumerate(ours):
        for key in band_keys(sig):
            index.setdefault(key, []).append(i)
    khabar_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.7, num_perm=NUM_PERM)
    for i, s in enumerate(texts):
        m = MinHash(num_perm=NUM_PERM)
        for sh in set(s):
            m.update(sh.encode("utf-8"))
        lsh.query(m)
        lsh.insert(str(i), m)
    baseline_seconds = time.perf_counter() - t0
    return {"documents": len(texts), "khabar_seconds": round(khabar_seconds, 3),
            "datasketch_seconds": round(baseline_seconds, 3), "ratio": round(baseline_seconds / khabar_seconds, 2)}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        print(json.dumps(run_size(argv[1], int(argv[2]))))
        return 0
    sizes = [10_000, 100_000, 1_000_000]
    base_n = 300
    for i, arg in enumerate(argv):
        if arg == "--sizes":
            sizes = [int(x) for x in argv[i + 1].split(",")]
        if arg == "--base":
            base_n = int(argv[i + 1])
    docs = base_documents(base_n)
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as fh:
        pickle.dump([f for f, _ in docs], fh)
        base_path = fh.name
    rows = []
    for size in sizes:
        child = subprocess.run([sys.executable, __file__, "--child", base_path, str(size)],
                               capture_output=True, text=True, check=True)
        rows.append(json.loads(child.stdout))
    Path(base_path).unlink()
    baseline = minhash_baseline(docs)
    result = {"base_documents": base_n, "per_day": PER_DAY, "sizes": rows, "minhash_vs_datasketch": baseline}
    if "--json" in argv:
        print(json.dumps(result, indent=1))
        return 0
    print(f"online story clustering, {base_n} real base articles replayed at {PER_DAY}/day (one process per size)")
    print(f"{'documents':>10} {'wall s':>9} {'CPU s':>9} {'docs/CPU s':>10} {'peak RSS MB':>12} {'stories':>9} "
          f"{'CPU growth':>10}")
    previous = None
    for r in rows:
        growth = f"{r['cpu_seconds'] / previous['cpu_seconds']:.1f}x" if previous else "–"
        print(f"{r['documents']:>10} {r['seconds']:>9} {r['cpu_seconds']:>9} {r['docs_per_cpu_second']:>10} "
              f"{r['peak_rss_mb']:>12} {r['stories']:>9} {growth:>10}")
        previous = r
    b = baseline
    print(f"MinHash + LSH over {b['documents']} articles: khabar {b['khabar_seconds']} s, datasketch "
          f"{b['datasketch_seconds']} s ({b['ratio']}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
