"""Readers of the raw article corpora in ../shared/data, shared by bench/ and eval/ scripts."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from khabar.document import Document, Source, Span

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        raise SystemExit(f"missing {path}: run from a checkout with ../shared beside it")
    return path


def _titled(title: str, body: str, source: Source, **meta: str) -> Document:
    title = title.strip()
    if title:
        text = title + "\n\n" + body
        doc = Document(text=text, source=source, title=Span(0, len(title)))
    else:
        doc = Document(text=body, source=source)
    return doc.with_meta(**meta)


def farsnews(limit: int | None = None) -> Iterator[Document]:
    """Fars News articles: title, lead and paragraphs joined by newlines, URL kept in meta."""
    path = shared("data", "farsnews-articles", "farsnews_articles.jsonl")
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if limit is not None and n > limit:
                return
            rec = json.loads(line)
            body = "\n".join([rec.get("abstract") or "", *rec.get("paragraphs", [])]).strip()
            yield _titled(rec.get("title") or "", body, Source(path=str(path), url=rec.get("link"), line=n),
                          url=rec.get("link"), format="jsonl")


def saudinewsnet(day: str = "2015-08-01", limit: int | None = None) -> Iterator[Document]:
    """SaudiNewsNet articles of one day (title + content), URL and outlet kept in meta."""
    path = shared("data", "saudinewsnet", f"{day}.zip")
    with zipfile.ZipFile(path) as z:
        records = json.loads(z.read(f"{day}.json").decode("utf-8"))
    for n, rec in enumerate(records[:limit] if limit else records, 1):
        yield _titled(rec.get("title") or "", rec.get("content") or "",
                      Source(path=f"{path}#{n}", url=rec.get("url")), url=rec.get("url"), outlet=rec.get("source"),
                      published_meta=(rec.get("date_extracted") or "")[:10] or None, format="json")
