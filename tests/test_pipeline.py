"""Stages as pure, registered, picklable functions; the offset invariant on every real text."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from khabar.document import Document, Source, iter_spans
from khabar.errors import StageError
from khabar.pipeline import DEFAULT_STAGES, Pipeline, get_stage, registered_stages, stage
from khabar.readers import read_inputs
from khabar.readers.base import Rejection
from khabar.schema import schema_errors


@stage("test_explodes.v1")
def _explodes(doc: Document) -> Document:
    raise RuntimeError("boom")


@stage("test_returns_text.v1")
def _returns_text(doc: Document) -> Document:
    return doc.text  # type: ignore[return-value]


def test_default_stages_are_registered() -> None:
    names = {s.name for s in registered_stages()}
    assert set(DEFAULT_STAGES) <= names
    for name in DEFAULT_STAGES:
        assert get_stage(name).doc, f"{name} needs a docstring: `khabar stages` shows it"


def test_unknown_stage_names_the_known_ones() -> None:
    with pytest.raises(StageError, match=r"known stages: .*clean\.v1"):
        Pipeline(("clean.v1", "nope.v9"))


def test_a_failing_stage_is_recorded_on_the_document_and_the_rest_runs() -> None:
    doc = Pipeline(("test_explodes.v1", "normalize.v1"))(Document(text="سلام دنیا"))
    assert [i.code for i in doc.issues] == ["stage_failed"]
    assert "boom" in doc.issues[0].message
    assert doc.view("search") is not None


def test_a_stage_that_returns_something_else_is_a_programming_error() -> None:
    with pytest.raises(StageError, match="not a Document"):
        Pipeline(("test_returns_text.v1",))(Document(text="x"))


def _read_all(paths: list[Path]) -> list[Document]:
    docs = [r for r in read_inputs([str(p) for p in paths]) if not isinstance(r, Rejection)]
    assert docs
    return docs


def test_pipeline_is_pure_and_picklable(seed_files: list[Path]) -> None:
    pipeline = Pipeline()
    pipeline = pickle.loads(pickle.dumps(pipeline))  # what Spark does with the function it ships
    for doc in _read_all(seed_files):
        before = pickle.dumps(doc)
        first = pipeline(doc)
        assert pickle.dumps(doc) == before, "a stage mutated its input"
        second = pipeline(doc)
        assert first == second
        assert pickle.loads(pickle.dumps(first)) == first


def _assert_offsets_and_schema(doc: Document) -> None:
    spans = list(iter_spans(doc))
    assert spans, "no spans at all"
    for layer, start, end, claimed in spans:
        assert 0 <= start <= end <= len(doc.text), (layer, start, end)
        if claimed is not None:
            assert doc.text[start:end] == claimed, (layer, start, end)
    assert schema_errors(doc.to_json()) == []


def test_offsets_and_schema_hold_on_the_seeds(seed_files: list[Path]) -> None:
    for doc in Pipeline().pipe(_read_all(seed_files)):
        _assert_offsets_and_schema(doc)
        assert doc.lang in ("fa", "ar")
        assert any(b.kind == "body" for b in doc.blocks)


def test_offsets_and_schema_hold_on_the_bundled_samples(samples_dir: Path) -> None:
    for doc in Pipeline().pipe(_read_all(sorted(samples_dir.iterdir()))):
        _assert_offsets_and_schema(doc)


def test_offsets_and_schema_hold_on_real_html_pages() -> None:
    from tests.conftest import shared_path

    pages = sorted(shared_path("data", "news-html-ar-fa", "pages").glob("*.html"))
    assert len(pages) == 13
    for doc in Pipeline().pipe(_read_all(pages)):
        _assert_offsets_and_schema(doc)


def test_pipeline_keeps_what_readers_found(seed_files: list[Path]) -> None:
    doc = _read_all(seed_files[:1])[0]
    doc = replace(doc, source=Source(path="x.txt", url="https://www.example.com/2024/04/08/a"))
    doc = doc.with_meta(url="https://www.example.com/2024/04/08/a")
    out = Pipeline()(doc)
    assert out.source.path == "x.txt"
    assert out.published is not None and out.published.value == "2024-04-08" and out.published.source == "url"
