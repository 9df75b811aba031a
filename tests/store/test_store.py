"""The SQLite store: WAL, named migrations, idempotent ingest, rejections, cross-script FTS."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.document import Block, Document, Source
from khabar.readers.base import Rejection
from khabar.stages.normalize import normalize
from khabar.store import IngestStats, Store, fts_query

Z = "\u200c"


def _doc(text: str, path: str, lang: str = "fa", blocks: tuple[Block, ...] = ()) -> Document:
    return Document(text=text, source=Source(path=path), lang=lang, blocks=blocks)


def _analyse(doc: Document) -> Document:
    return normalize(doc)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "k.db") as s:
        yield s


DOCS = [
    _doc("وزير الخارجية الروسي يزور بكين", "ar1.txt", "ar"),
    _doc("این گفتوگو میشود و وزیر خارجه در سال ۱۴۰۳ سفر کرد", "fa1.txt"),
    _doc(f"همکاری فزاینده{Z}ای در حال شکل{Z}گیری است", "fa2.txt"),
    _doc("مي شود که همکاري هاي دو کشور گسترش يابد", "fa3.txt"),
]


def test_store_uses_wal_and_named_migrations(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as s:
        assert s.journal_mode() == "wal"
        assert s.applied_migrations() == ["0001_documents", "0002_times_mentions", "0003_events_quotes_attributions", "0004_stories"]
    with Store(tmp_path / "k.db") as s:  # re-opening applies nothing twice
        assert s.applied_migrations() == ["0001_documents", "0002_times_mentions", "0003_events_quotes_attributions", "0004_stories"]


def test_store_rejects_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    from khabar.errors import StoreError

    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable khabar database"):
        Store(bad)


def test_ingest_is_idempotent_and_counts_add_up(store: Store) -> None:
    rejection = Rejection(Source(path="bad.bin"), "binary", "NUL bytes at offset 3")
    first = store.ingest([*DOCS, rejection], analyse=_analyse)
    assert first == IngestStats(read=5, ingested=4, duplicates=0, rejected=1)
    again = store.ingest([*DOCS, rejection], analyse=_analyse)
    assert again == IngestStats(read=5, ingested=0, duplicates=4, rejected=1)
    counts = store.counts()
    assert counts["documents"] == 4
    assert counts["rejections"] == 1  # stored once, with its reason and source
    assert store.rejections()[0]["reason"] == "binary"
    assert store.rejections()[0]["path"] == "bad.bin"
    assert counts["ingest_runs"] == 2


def test_same_text_from_two_places_is_one_document_with_two_sources(store: Store) -> None:
    copy = _doc(DOCS[0].text, "mirror/ar1.txt", "ar")
    stats = store.ingest([DOCS[0], copy], analyse=_analyse)
    assert (stats.ingested, stats.duplicates) == (1, 1)
    paths = sorted(s.path for s in store.document_sources(DOCS[0].id))
    assert paths == ["ar1.txt", "mirror/ar1.txt"]


def test_ingest_counts_must_add_up() -> None:
    from khabar.errors import StoreError

    with pytest.raises(StoreError):
        IngestStats(read=3, ingested=1, duplicates=1, rejected=0)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("وزیر", {"ar1.txt", "fa1.txt"}),  # Persian yeh finds Arabic yeh
        ("وزير", {"ar1.txt", "fa1.txt"}),
        (f"می{Z}شود", {"fa1.txt", "fa3.txt"}),  # ZWNJ form finds stripped and spaced forms
        ("میشود", {"fa1.txt", "fa3.txt"}),
        ("فزایندهای", {"fa2.txt"}),  # stripped query finds the ZWNJ spelling
        (f"گفت{Z}وگو", {"fa1.txt"}),
        ("۱۴۰۳", {"fa1.txt"}),
        ("1403", {"fa1.txt"}),
        ("بكين", {"ar1.txt"}),
        ("وزیر ۱۴۰۳", {"fa1.txt"}),  # every term must match
        ("طهران", set()),
    ],
)
def test_search_folds_scripts_digits_and_zwnj(store: Store, query: str, expected: set[str]) -> None:
    store.ingest(DOCS, analyse=_analyse)
    hits = store.search(query)
    found = {store.document_sources(h.doc_id)[0].path for h in hits}
    assert found == expected


def test_search_snippet_points_at_the_original_spelling(store: Store) -> None:
    store.ingest(DOCS, analyse=_analyse)
    [hit] = store.search("گفت‌وگو")
    doc = store.document(hit.doc_id)
    assert doc is not None
    assert doc.text[hit.match_start:hit.match_end] == "گفتوگو"
    assert "گفتوگو" in hit.snippet


def test_search_only_indexes_title_lead_and_body(store: Store) -> None:
    text = "متن اصلی خبر درباره اقتصاد\nبرچسبها: ورزش"
    blocks = (Block(0, 26, "body"), Block(27, len(text), "tags"))
    assert text[27:] == "برچسبها: ورزش"
    store.ingest([_doc(text, "t.txt", blocks=blocks)], analyse=_analyse)
    assert len(store.search("اقتصاد")) == 1
    assert store.search("ورزش") == []


def test_document_lookup_by_prefix(store: Store) -> None:
    store.ingest(DOCS, analyse=_analyse)
    doc = store.document(DOCS[1].id[:8])
    assert doc is not None and doc.text == DOCS[1].text
    assert store.document("ffffffffffff") is None


def test_fts_query_quotes_every_term() -> None:
    assert fts_query("") is None
    assert fts_query('وزیر "') == '(search : "وزير" OR glued : "وزير")'
