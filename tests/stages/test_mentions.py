"""The mentions layer on the seeds and on sentences written for these tests, with the real knowledge base."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from khabar.document import Document, Published
from khabar.pipeline import Pipeline
from khabar.stages.mentions import link_mentions


@pytest.fixture(scope="module")
def seeds(seed_texts: dict[str, str]) -> dict[str, Document]:
    pipeline = Pipeline()
    return {key: pipeline(Document(text=text)) for key, text in seed_texts.items()}


def linked(doc: Document) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in doc.mentions:
        assert doc.text[m["start"]:m["end"]] == m["text"]
        if m["entity"]:
            out.setdefault(m["text"], set()).add(m["entity"])
    return out


@pytest.mark.parametrize(
    ("seed", "text", "entity"),
    [
        ("000", "لاوروف", "per:sergey-lavrov"),
        ("000", "وانگ یی", "per:wang-yi"),
        ("000", "همتای چینی", "per:wang-yi"),  # his Chinese counterpart, named in the same sentence
        ("000", "وزیر امور خارجه روسیه", "per:sergey-lavrov"),
        ("000", "شی جینپینگ", "per:xi-jinping"),
        ("001", "لافروف", "per:sergey-lavrov"),
        ("001", "وانغ يي", "per:wang-yi"),
        ("001", "وزير الخارجية الروسي", "per:sergey-lavrov"),
        ("001", "نظيره الصيني", "per:wang-yi"),
        ("002", "شي جين بينج", "per:xi-jinping"),
        ("003", "وانگ ایی", "per:wang-yi"),
        ("003", "سرگئی لاوروف", "per:sergey-lavrov"),
        ("004", "نیکلای پاتروشف", "per:nikolai-patrushev"),
        ("004", "دبیر شورای امنیت ملی روسیه", "per:nikolai-patrushev"),
    ],
)
def test_seed_mentions_are_linked_across_scripts(seeds: dict[str, Document], seed: str, text: str,
                                                 entity: str) -> None:
    assert entity in linked(seeds[seed]).get(text, set()), sorted(linked(seeds[seed]))


def test_chinese_adjective_is_not_china(seeds: dict[str, Document]) -> None:
    doc = seeds["000"]
    china = [m for m in doc.mentions if m["entity"] == "country:CN"]
    assert china
    for m in china:  # never the start of `چینی` (Chinese)
        assert m["end"] == len(doc.text) or not doc.text[m["end"]].isalpha()


def test_the_same_people_have_the_same_ids_in_persian_and_arabic(seeds: dict[str, Document]) -> None:
    fa = {e for key in ("000", "003", "004") for e in _people(seeds[key])}
    ar = {e for key in ("001", "002") for e in _people(seeds[key])}
    assert {"per:sergey-lavrov", "per:wang-yi", "per:xi-jinping", "per:vladimir-putin"} <= fa & ar


def _people(doc: Document) -> set[str]:
    return {m["entity"] for m in doc.mentions if m["entity"] and m["entity"].startswith("per:")}


@pytest.mark.parametrize(
    ("day", "holder"),
    [("2023-05-01", "per:qin-gang"), ("2024-04-09", "per:wang-yi"), ("2012-06-01", "per:yang-jiechi")],
)
def test_a_role_is_linked_to_who_held_it_on_the_documents_date(day: str, holder: str) -> None:
    doc = Document(text="وزیر امور خارجه چین در این نشست سخنرانی کرد.", lang="fa",
                   published=Published(day, "metadata"))
    roles = [m for m in link_mentions(doc).mentions if m["type"] == "ROLE"]
    assert [(m["text"], m["entity"]) for m in roles] == [("وزیر امور خارجه چین", holder)]


def test_arabic_clitics_and_spacing_variants() -> None:
    doc = Document(text="وصل لافروف إلى بكين ثم التقى وبوتين في موسكو.", lang="ar")
    found = {m["text"]: m["entity"] for m in link_mentions(doc).mentions}
    assert found["بكين"] == "city:beijing-cn"
    assert found["بوتين"] == "per:vladimir-putin"
    assert found["لافروف"] == "per:sergey-lavrov"


def test_common_words_are_not_small_towns() -> None:
    doc = Document(text="سایر کشورها نیم ساعت پس از اعلام نتایج واکنش نشان دادند.", lang="fa")
    assert [m["text"] for m in link_mentions(doc).mentions if m["type"] in ("GPE", "LOC")] == []


def test_mentions_validate_against_the_schema(seeds: dict[str, Document]) -> None:
    from khabar.schema import schema_errors

    for doc in seeds.values():
        assert schema_errors(replace(doc).to_json()) == []
        assert doc.mentions


def _types(doc: Document) -> dict[str, Any]:
    return {m["text"]: m["type"] for m in doc.mentions}


@pytest.mark.parametrize(("word", "name"), [("لموسكو", "موسكو"), ("وبوتين", "بوتين"), ("ولندن", "لندن"),
                                            ("لبنان", "لبنان"), ("ليبيا", "ليبيا"), ("لفلان", "لفلان")])
def test_recognised_arabic_names_lose_their_glued_clitics(word: str, name: str) -> None:
    from khabar.stages.mentions import _after_clitics

    assert word[_after_clitics(word, 0, len(word)):] == name
