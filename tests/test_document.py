"""The Document model: immutable text, spans into it, schema-1 JSON round trip, picklability."""

from __future__ import annotations

import pickle
from array import array

import pytest

from khabar.document import Block, Document, Published, Source, Span, TextView, document_id, iter_spans
from khabar.schema import schema_errors


def _doc() -> Document:
    text = "عنوان خبر\n\nمتن خبر اینجاست.\nنظر شما"
    return Document(
        text=text, source=Source(path="a.txt"), title=Span(0, 9),
        published=Published("2024-04-09", "url", None), lang="fa", lang_confidence=0.99,
        blocks=(Block(0, 9, "title"), Block(11, 27, "body", "fa", 0.9), Block(28, 35, "boilerplate",
                                                                               attrs=(("cue", "form"),))),
    )


def test_document_id_is_hash_of_text() -> None:
    assert _doc().id == document_id(_doc().text)
    assert len(_doc().id) == 16
    assert Document(text="x").id != Document(text="y").id


def test_span_rejects_reversed_offsets() -> None:
    with pytest.raises(ValueError):
        Span(5, 2)


def test_document_json_round_trip_and_schema() -> None:
    doc = _doc()
    data = doc.to_json()
    assert schema_errors(data) == []
    again = Document.from_json(data)
    assert again.to_json() == data
    assert data["blocks"][2]["cue"] == "form"


def test_schema_catches_a_span_that_lies() -> None:
    data = _doc().to_json()
    data["blocks"][1]["text"] = "something else"
    assert any("blocks/1" in p for p in schema_errors(data))
    data = _doc().to_json()
    data["blocks"][1]["end"] = 10_000
    assert any("outside text" in p for p in schema_errors(data))


def test_document_pickles_with_views() -> None:
    view = TextView("search", "ab", array("i", [0, 1]), array("i", [1, 2]))
    doc = Document(text="ab", views=(view,))
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc
    assert again.view("search").to_original(0, 2) == Span(0, 2)


def test_iter_spans_covers_every_layer() -> None:
    doc = _doc()
    layers = {layer for layer, *_ in iter_spans(doc)}
    assert layers == {"title", "blocks"}
    for _layer, start, end, claimed in iter_spans(doc):
        assert 0 <= start <= end <= len(doc.text)
        if claimed is not None:
            assert doc.text[start:end] == claimed


def test_with_meta_and_issue_do_not_mutate() -> None:
    doc = _doc()
    changed = doc.with_meta(url="https://x.example/a").with_issue("bad_published", "not a date")
    assert doc.meta == () and doc.issues == ()
    assert changed.meta_value("url") == "https://x.example/a"
    assert changed.issues[0].code == "bad_published"
