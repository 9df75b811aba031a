"""Normalised views: folding, ZWNJ restoration and the offset map back to the original text."""

from __future__ import annotations

import pytest

from khabar.normalize import (
    ZWNJ,
    glued_form,
    make_views,
    restore_zwnj,
    search_form,
    zwnj_split_points,
)

Z = ZWNJ


@pytest.mark.parametrize(
    ("joined", "restored"),
    [
        ("میشود", f"می{Z}شود"),
        ("نمیداند", f"نمی{Z}داند"),
        ("رسانههای", f"رسانه{Z}های"),
        ("گفتوگو", f"گفت{Z}وگو"),
        ("بینالمللی", f"بین{Z}المللی"),
        ("نکردهاند", f"نکرده{Z}اند"),
        ("سهشنبه", f"سه{Z}شنبه"),
        ("رئیسجمهور", f"رئیس{Z}جمهور"),
        ("بهطور", f"به{Z}طور"),
        ("هستهای", f"هسته{Z}ای"),
        ("فزایندهای", f"فزاینده{Z}ای"),
        ("برچسبها", f"برچسب{Z}ها"),
        ("ميشود", f"مي{Z}شود"),  # older Persian sites write Arabic yeh
    ],
)
def test_restore_zwnj_in_stripped_words(joined: str, restored: str) -> None:
    assert restore_zwnj(joined) == restored


@pytest.mark.parametrize("word", ["میزان", "بیشتر", "اینکه", "کشورهای", "همچنین", "وزیر", "میان", "متحدان", "همتای"])
def test_restore_zwnj_leaves_whole_words_alone(word: str) -> None:
    assert zwnj_split_points(word) == ()


def test_restore_zwnj_on_a_seed_sentence_changes_only_zwnj(seed_texts: dict[str, str]) -> None:
    text = seed_texts["000"]
    restored = restore_zwnj(text)
    assert restored.replace(Z, "") == text
    assert f"می{Z}شود" in restored and f"گفت{Z}وگو" in restored


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("وزیر", "وزير"),  # Persian vs Arabic yeh
        ("کشور", "كشور"),  # keheh vs kaf
        ("مدرسة", "مدرسه"),  # teh marbuta vs heh
        ("أبريل", "ابريل"),
        ("إيران", "ايران"),
        ("آسيا", "اسيا"),
        ("۱۴۰۳", "1403"),
        ("١٤٤٥", "1445"),
        ("وَزِيرُ", "وزير"),  # harakat
        ("وزيـــر", "وزير"),  # tatweel
        ("مصطفى", "مصطفي"),
        ("لا", "ﻻ"),  # presentation form ligature
        ("Lavrov", "LAVROV"),
    ],
)
def test_search_form_folds_variants(a: str, b: str) -> None:
    assert search_form(a) == search_form(b)


@pytest.mark.parametrize("variant", ["میشود", f"می{Z}شود", "می شود", "مي شود"])
def test_search_form_is_zwnj_insensitive(variant: str) -> None:
    assert search_form(variant) == search_form(f"می{Z}شود") == "مي شود"


def test_glued_form_removes_zwnj_without_restoring() -> None:
    assert glued_form(f"فزاینده{Z}ای") == glued_form("فزایندهای")


def test_views_map_back_to_original_offsets(seed_texts: dict[str, str]) -> None:
    for key, text in seed_texts.items():
        for view in make_views(text, "fa" if key in ("000", "003", "004") else "ar"):
            assert len(view.starts) == len(view.ends) == len(view.text)
            # every view character maps inside the text, in order
            assert all(0 <= s <= e <= len(text) for s, e in zip(view.starts, view.ends, strict=True))
            assert list(view.starts) == sorted(view.starts)


def test_a_match_in_the_search_view_maps_to_the_original_spelling() -> None:
    text = "سخنگوی وزارت امور خارجه گفتوگو میکند؛ وَزِيرُ الخارجية ١٤٤٥"
    _display, search, glued = make_views(text, "fa")
    for needle, original in [("گفت وگو", "گفتوگو"), ("مي كند", "میکند"), ("وزير", "وَزِيرُ"), ("1445", "١٤٤٥")]:
        pos = search.text.find(needle)
        assert pos >= 0, needle
        span = search.to_original(pos, pos + len(needle))
        assert text[span.start:span.end] == original
    pos = glued.text.find("گفتوگو".replace("گ", "گ"))
    assert text[glued.to_original(pos, pos + 6).start:][:6] == "گفتوگو"


def test_display_view_inserted_zwnj_maps_to_an_empty_original_span() -> None:
    display = make_views("میشود", "fa")[0]
    assert display.text == f"می{Z}شود"
    assert display.to_original(2, 3).start == display.to_original(2, 3).end == 2
    assert display.to_original(0, 6) == display.to_original(0, 6).__class__(0, 5)
    assert display.to_original(0, 5).end == 4


def test_arabic_text_gets_no_zwnj_restoration() -> None:
    display = make_views("ميشود", "ar")[0]
    assert display.text == "ميشود"


def _reference_view(text: str, *, restore: bool, fold: bool, zwnj_as: str) -> tuple[str, list[int], list[int]]:
    """The plain one-character-at-a-time definition of a view, to check the fast builder against."""
    import unicodedata

    from khabar.normalize import fold_char, zwnj_insertions

    inserts = zwnj_insertions(text) if restore else frozenset()
    out, starts, ends = [], [], []
    for i, ch in enumerate(text):
        if i in inserts:
            for c in zwnj_as:
                out.append(c)
                starts.append(i)
                ends.append(i)
        piece = zwnj_as if ch == ZWNJ else (fold_char(ch) if fold else ch)
        if not piece and ends and ends[-1] == i and (ch == "\u0640" or unicodedata.combining(ch)):
            ends[-1] = i + 1
        for c in piece:
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


TRICKY = [
    "",
    "\u200c",
    "میشود\u200c",
    "وَزِيرُ الخارجية ١٤٤٥ ﻻ ﷲ İstanbul ÀB\u200cC",
    "ـــ\u064b start with marks",
    "گفتوگو\u200cها میشود\u200c\u200cو",
    # lengths at and around powers of two: the offset maps are cut from a shared table of that size
    "ي" * 1023 + "\u064b",
    "كي" * 512,
    "\u064b" + "x" * 1024 + "\u200c",
]


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_fast_view_builder_matches_the_reference(lang: str, seed_texts: dict[str, str]) -> None:
    from khabar.normalize import _build

    for text in [*TRICKY, *seed_texts.values()]:
        for restore, fold, zwnj_as in [(lang == "fa", False, ZWNJ), (lang == "fa", True, " "), (False, True, "")]:
            view = _build(text, "v", restore=restore, fold=fold, zwnj_as=zwnj_as)
            ref = _reference_view(text, restore=restore, fold=fold, zwnj_as=zwnj_as)
            assert (view.text, list(view.starts), list(view.ends)) == ref, text[:40]
