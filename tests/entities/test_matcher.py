"""Alias matching: word boundaries, Arabic clitics, spacing and ZWNJ variants, longest match first."""

from __future__ import annotations

import pytest

from khabar.entities.matcher import build_index, find_aliases

INDEX = build_index([
    ("الصين", "country:CN", False), ("چین", "country:CN", False), ("بكين", "city:beijing-cn", False),
    ("پکن", "city:beijing-cn", False), ("سرگئی لاوروف", "per:sergey-lavrov", False),
    ("لاوروف", "per:sergey-lavrov", False), ("لافروف", "per:sergey-lavrov", False),
    ("شی جین‌پینگ", "per:xi-jinping", False), ("شي جين بينغ", "per:xi-jinping", False),
    ("شی", "per:xi-jinping", True), ("بوتين", "per:vladimir-putin", False),
    ("کره شمالی", "country:KP", False), ("کره", "country:KR", False),
])


def found(text: str) -> list[tuple[str, tuple[str, ...]]]:
    hits = find_aliases(text, INDEX)
    for h in hits:
        assert 0 <= h.start < h.end <= len(text)
    return [(text[h.start:h.end], tuple(e for e, _ in h.entities)) for h in hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سفر لاوروف به چین و پکن", [("لاوروف", ("per:sergey-lavrov",)), ("چین", ("country:CN",)),
                                     ("پکن", ("city:beijing-cn",))]),
        ("همتای چینی خود", []),  # چین inside چینی is not China
        ("زيارة للصين ولبكين وبوتين", [("للصين", ("country:CN",)), ("بكين", ("city:beijing-cn",)),
                                       ("بوتين", ("per:vladimir-putin",))]),
        ("شی جینپینگ رئیس جمهوری", [("شی جینپینگ", ("per:xi-jinping",))]),
        ("وقال الرئيس الصيني شي جينبينغ", [("شي جينبينغ", ("per:xi-jinping",))]),
        ("سرگئی لاوروف گفت", [("سرگئی لاوروف", ("per:sergey-lavrov",))]),  # longest first
        ("کره شمالی و کره", [("کره شمالی", ("country:KP",)), ("کره", ("country:KR",))]),
        ("ماللصين", []),
    ],
)
def test_find_aliases(text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert found(text) == expected


def test_weak_aliases_are_marked() -> None:
    hits = find_aliases("شی گفت", INDEX)
    assert [(h.entities) for h in hits] == [(("per:xi-jinping", True),)]


def test_a_split_the_name_does_not_have_is_not_that_name() -> None:
    index = build_index([("دروین", "city:drouin-au", False), ("وین", "city:vienna-at", False),
                         ("شی جین‌پینگ", "per:xi-jinping", False)])
    assert [(h.entities[0][0]) for h in find_aliases("در وین گفت", index)] == ["city:vienna-at"]
    assert [(h.entities[0][0]) for h in find_aliases("شی جین پینگ گفت", index)] == ["per:xi-jinping"]


def test_short_capitalised_codes_need_their_case() -> None:
    index = build_index([("US", "country:US", False), ("U.S.", "country:US", False)])
    text = "let us go to the US and the U.S."
    assert [text[h.start:h.end] for h in find_aliases(text, index)] == ["US", "U.S."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وزير كويتي قال", []),  # `كويتي` "Kuwaiti" is a commoner word than كـ + the town `ويتي`
        ("التقى وبوتين", ["بوتين"]),  # `وبوتين` is rarer than `بوتين`: و + Putin
    ],
)
def test_a_clitic_reading_yields_to_the_commoner_whole_word(text: str, expected: list[str]) -> None:
    index = build_index([("ويتي", "city:wete-tz", False), ("بوتين", "per:vladimir-putin", False)])
    assert [text[h.start:h.end] for h in find_aliases(text, index)] == expected


def test_a_fathers_name_inside_a_nasab_is_not_that_person() -> None:
    index = build_index([("محمد بن سلمان", "per:mohammed-bin-salman", False),
                         ("سلمان بن عبدالعزيز آل سعود", "per:salman-bin-abdulaziz", False),
                         ("السعودية", "country:SA", False)])
    text = "الأمير محمد بن سلمان بن عبدالعزيز آل سعود والملك سلمان بن عبدالعزيز آل سعود"
    assert [(text[h.start:h.end], h.entities[0][0]) for h in find_aliases(text, index)] == [
        ("محمد بن سلمان", "per:mohammed-bin-salman"), ("سلمان بن عبدالعزيز آل سعود", "per:salman-bin-abdulaziz")]


def test_names_inside_a_longer_name_are_found_only_when_asked() -> None:
    index = build_index([("وزارت خارجه روسیه", "org:russia-foreign-ministry", False),
                         ("روسیه", "country:RU", False)])
    text = "وزارت خارجه روسیه اعلام کرد"
    assert [(text[h.start:h.end], h.inside) for h in find_aliases(text, index)] == [("وزارت خارجه روسیه", False)]
    assert [(text[h.start:h.end], h.inside) for h in find_aliases(text, index, nested=True)] == [
        ("وزارت خارجه روسیه", False), ("روسیه", True)]
