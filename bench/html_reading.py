"""Per-page time of khabar's HTML reader against trafilatura alone, side by side in one process.

Pages: the 13 real news pages of ``../shared/data/news-html-ar-fa/pages``. Each round runs every
contender once on every page, in rotating order, so caches and CPU frequency treat them alike;
the table shows each page's median over the rounds.

Contenders:

* ``khabar``: `khabar.readers.html.document_from_html` (decode, ZWNJ protection, trafilatura,
  title clean-up, blocks);
* ``traf-same``: ``trafilatura.bare_extraction`` on the bytes with the options khabar passes
  (metadata, comments, htmldate without extensive search): khabar's own overhead is the gap;
* ``traf-default``: ``bare_extraction(with_metadata=True)`` with trafilatura's defaults (extensive
  date search), what one would call without khabar;
* ``resiliparse``: ``extract_plain_text(main_content=True)`` when resiliparse is installed (it is
  not a khabar dependency; libraries.md measured it at 0.2-0.3 ms/page, text only, no metadata).

Run: ``python bench/html_reading.py [--rounds N]`` from the repository root.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from trafilatura import bare_extraction

from khabar.document import Source
from khabar.readers.html import document_from_html

REPO = Path(__file__).resolve().parents[1]
PAGES = (REPO / ".." / "shared" / "data" / "news-html-ar-fa" / "pages").resolve()
KHABAR_DATE_PARAMS = {"extensive_search": False, "original_date": True, "deferred_url_extractor": True}


def contenders() -> dict[str, Callable[[bytes], object]]:
    runs: dict[str, Callable[[bytes], object]] = {
        "khabar": lambda data: document_from_html(data, source=Source(path="bench.html")),
        "traf-same": lambda data: bare_extraction(data, with_metadata=True, include_comments=True,
                                                  date_extraction_params=dict(KHABAR_DATE_PARAMS)),
        "traf-default": lambda data: bare_extraction(data, with_metadata=True),
    }
    if importlib.util.find_spec("resiliparse") is not None:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding

        runs["resiliparse"] = lambda data: extract_plain_text(
            bytes_to_str(data, detect_encoding(data)), main_content=True)
    return runs


def bench(rounds: int) -> dict[str, dict[str, list[float]]]:
    pages = sorted(PAGES.glob("*.html"))
    if len(pages) != 13:
        raise SystemExit(f"expected 13 pages in {PAGES}, found {len(pages)}: the bench reads ../shared")
    runs = contenders()
    names = list(runs)
    times: dict[str, dict[str, list[float]]] = {p.name: {n: [] for n in names} for p in pages}
    data = {p.name: p.read_bytes() for p in pages}
    for name in names:  # warm-up: imports, lazy caches, first-call costs
        for page in data.values():
            runs[name](page)
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for page, content in data.items():
            for name in order:
                start = time.perf_counter()
                runs[name](content)
                times[page][name].append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per page and contender")
    args = parser.parse_args(argv)
    times = bench(args.rounds)
    names = list(next(iter(times.values())))
    print(f"median ms per page over {args.rounds} rounds")
    print(f"{'page':44}" + "".join(f"{n:>14}" for n in names) + f"{'khabar/same':>13}")
    totals = dict.fromkeys(names, 0.0)
    for page, per in times.items():
        medians = {n: statistics.median(per[n]) * 1000 for n in names}
        for n in names:
            totals[n] += medians[n]
        print(f"{page:44}" + "".join(f"{medians[n]:14.1f}" for n in names)
              + f"{medians['khabar'] / medians['traf-same']:13.2f}")
    print(f"{'total':44}" + "".join(f"{totals[n]:14.1f}" for n in names)
          + f"{totals['khabar'] / totals['traf-same']:13.2f}")
    print(f"\nkhabar / trafilatura with the same options: {totals['khabar'] / totals['traf-same']:.2f}x")
    print(f"khabar / trafilatura with its defaults:     {totals['khabar'] / totals['traf-default']:.2f}x")
    if "resiliparse" not in names:
        print("resiliparse: not installed (not a khabar dependency); libraries.md measured 0.2-0.3 ms/page "
              "for text only, no metadata")
    return 0


if __name__ == "__main__":
    sys.exit(main())
