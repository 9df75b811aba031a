"""Speed and memory of entity recognition and linking.

Prints: knowledge-base load time, alias-automaton build time, mentions per second and documents
per second of `mentions.v1` on Fars News and SaudiNewsNet articles, and peak memory — beside a
named baseline run in the same process on the same texts: a plain Python regular expression made
of the same aliases (what one writes without an automaton), restricted to 2,000 aliases because
the full alternation takes minutes to compile.

    .venv/bin/python bench/entities.py [--json] [--limit N]
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import farsnews, saudinewsnet


def main() -> None:
    as_json = "--json" in sys.argv
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 300
    t = time.perf_counter()
    from khabar.kb import load_kb

    kb = load_kb()
    kb_seconds = time.perf_counter() - t
    from khabar.entities.matcher import build_index
    from khabar.entities.matcher import kb_index as _kb_index

    t = time.perf_counter()
    index = build_index((row.text, row.entity_id, row.weak) for row in kb.alias_table())
    index_seconds = time.perf_counter() - t
    _kb_index()
    from khabar.pipeline import Pipeline
    from khabar.stages.mentions import link_mentions

    prepare = Pipeline(("clean.v1", "langid.v1", "normalize.v1", "pubdate.v1", "times.v1"))
    corpora = {
        f"farsnews ({limit})": [prepare(d) for d in farsnews(limit)],
        f"saudinewsnet 2015-08-01 ({limit})": [prepare(d) for d in saudinewsnet(limit=limit)],
    }
    link_mentions(next(iter(corpora.values()))[0])  # warm-up: role patterns, key index
    aliases = sorted({row.text for row in kb.alias_table()}, key=len, reverse=True)[:2000]
    baseline = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in aliases) + r")(?!\w)")
    rows = []
    for name, docs in corpora.items():
        t = time.perf_counter()
        count = sum(len(link_mentions(replace(d, mentions=())).mentions) for d in docs)
        seconds = time.perf_counter() - t
        t = time.perf_counter()
        base_count = sum(len(baseline.findall(d.text)) for d in docs)
        base_seconds = time.perf_counter() - t
        rows.append({"corpus": name, "docs": len(docs), "mentions": count, "seconds": round(seconds, 3),
                     "docs_per_s": round(len(docs) / seconds, 1), "mentions_per_s": round(count / seconds),
                     "baseline_regex_2000_aliases_seconds": round(base_seconds, 3),
                     "baseline_hits": base_count, "ratio_to_baseline": round(seconds / base_seconds, 2)})
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    result = {"kb_entities": len(kb), "kb_load_seconds": round(kb_seconds, 3), "aliases": index.size,
              "automaton_build_seconds": round(index_seconds, 3), "peak_memory_mb": round(peak_kb / 1024, 1),
              "corpora": rows}
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"knowledge base: {len(kb)} entities, loaded in {kb_seconds:.2f} s; automaton over {index.size} alias "
          f"keys built in {index_seconds:.2f} s; peak RSS of the process {result['peak_memory_mb']} MB")
    print(f"{'corpus':34} {'docs':>5} {'mentions':>9} {'docs/s':>7} {'mentions/s':>11} {'regex(2k aliases) s':>20} {'ratio':>6}")
    for r in rows:
        print(f"{r['corpus']:34} {r['docs']:>5} {r['mentions']:>9} {r['docs_per_s']:>7} {r['mentions_per_s']:>11} "
              f"{r['baseline_regex_2000_aliases_seconds']:>20} {r['ratio_to_baseline']:>6}")


if __name__ == "__main__":
    main()
