"""Quotes, attribution chains and events on the seeds and on sentences written for these tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from khabar.document import Document, Published, Source
from khabar.pipeline import Pipeline
from khabar.stages.attribution import publisher_of
from khabar.stages.quotes import quote_segments


@pytest.fixture(scope="module")
def seeds(seed_texts: dict[str, str]) -> dict[str, Document]:
    pipeline = Pipeline()
    return {key: pipeline(Document(text=text)) for key, text in seed_texts.items()}


def analyse(text: str, published: str | None = "2024-04-09", url: str | None = None) -> Document:
    doc = Document(text=text, source=Source(url=url))
    if published:
        doc = replace(doc, published=Published(published, "metadata"))
    return Pipeline()(doc)


def speakers(doc: Document) -> list[tuple[str, str | None]]:
    return [(q["text"], (q["speaker"] or {}).get("entity")) for q in doc.quotes]


def chains(doc: Document) -> list[list[str | None]]:
    return [[hop["entity"] for hop in a["chain"]] for a in doc.attributions]


def events(doc: Document) -> list[tuple[str, frozenset[str], str | None, str | None, str]]:
    return [(e["type"], frozenset(p["entity"] for p in e["participants"]), (e["place"] or {}).get("entity"),
             (e["when"] or {}).get("value"), e["status"]) for e in doc.events]


def test_every_span_of_the_new_layers_is_exact(seeds: dict[str, Document]) -> None:
    for doc in seeds.values():
        for q in doc.quotes:
            assert doc.text[q["start"]:q["end"]] == q["text"]
            for part in (q["cue"], q["speaker"]):
                if part and part.get("start") is not None:
                    assert doc.text[part["start"]:part["end"]] == part["text"]
        for a in doc.attributions:
            assert doc.text[a["start"]:a["end"]] == a["text"]
            for hop in a["chain"]:
                if hop.get("start") is not None:
                    assert doc.text[hop["start"]:hop["end"]] == hop["text"]
        for e in doc.events:
            for span in [*e["evidence"], *e["triggers"], *e["participants"], *([e["place"]] if e["place"] else [])]:
                if span.get("start") is not None:  # a host known only as the visited city's country has no span
                    assert doc.text[span["start"]:span["end"]] == span["text"]


# -- quotes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("«الف ب» و «ج د»", ["الف ب", "ج د"]),
        ('قال "كلام طويل" ثم "كلام آخر"', ["كلام طويل", "كلام آخر"]),
        ("بـ”العقوبات غير القانونية” التي", ["العقوبات غير القانونية"]),  # ” used as both marks (seed 002)
        ("«باز مانده و «بسته»", ["بسته"]),  # the unmatched opener costs its own quote only
        ("هیچ گیومه‌ای", []),
    ],
)
def test_quotation_marks_pair_within_a_block(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in quote_segments(text, 0, len(text))] == expected


def test_seed_quotes_have_their_speakers(seeds: dict[str, Document]) -> None:
    got = speakers(seeds["003"])
    assert ("سایر محافل چندجانبه نیز اهمیت بالایی دارند. از جمله، قطعاً آسهآن و تمام ساختارهای مرتبط با آن. "
            "موضع ما یکسان است – ما باید هر کاری کنیم که از تخریب آن جلوگیری کنیم.", "per:sergey-lavrov") in got
    by_cue = {q["cue"]["text"]: q for q in seeds["003"].quotes if q["cue"]}
    assert by_cue["افزود"]["speaker"]["entity"] == "per:wang-yi"  # «وزیر خارجه چین افزود که ...»
    pronoun = [q for q in seeds["003"].quotes if (q["speaker"] or {}).get("via") == "pronoun"]
    assert pronoun and all(q["speaker"]["entity"] == "per:wang-yi" for q in pronoun)  # او / وی after Wang Yi spoke
    headline = [q for q in seeds["004"].quotes if q["cue"] is None]
    # the title, then its copy as the body's first line: each is a quote (events_dev.md)
    assert [(q["text"], q["speaker"]["entity"]) for q in headline] == [
        ("به جهانی چندقطبی متعهدیم", "per:wang-yi"), ("توافقات جدید در راه است", "per:sergey-lavrov")] * 2
    direct = [q for q in seeds["002"].quotes if q["direct"]]
    assert any(q["speaker"]["entity"] == "per:sergey-lavrov" and q["text"].startswith("منذ فترة طويلة") for q in direct)


def test_a_speaker_inside_an_attribution_formula_is_not_the_speaker(seeds: dict[str, Document]) -> None:
    # «به گزارش خبرگزاری اسپوتنیک، این ۲ دیپلمات ارشد مشترکا اعلام کردند: ...»: Sputnik reports, it does not speak.
    quote = next(q for q in seeds["004"].quotes if q["text"].startswith("ما یک سیاست خارجی"))
    assert (quote["speaker"] or {}).get("entity") != "org:sputnik"


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("وقال وزير الخارجية الروسي سيرغي لافروف إن موسكو مستعدة للحوار.", "موسكو مستعدة للحوار", "per:sergey-lavrov"),
        ("سرگئی لاوروف گفت: روسیه آماده گفتگو است.", "روسیه آماده گفتگو است", "per:sergey-lavrov"),
        ("سرگئی لاوروف در تهران گفت که روسیه آماده گفتگو است.", "روسیه آماده گفتگو است", "per:sergey-lavrov"),
        ('"We are ready for talks," Sergey Lavrov said.', "We are ready for talks,", "per:sergey-lavrov"),
        ("Sergey Lavrov said that Moscow was ready for talks.", "Moscow was ready for talks", "per:sergey-lavrov"),
    ],
)
def test_quote_shapes(text: str, content: str, speaker: str) -> None:
    assert (content, speaker) in speakers(analyse(text))


def test_a_subjectless_arabic_verb_continues_the_last_speaker() -> None:
    doc = analyse("وقال لافروف إن موسكو مستعدة للحوار. وأضاف أن العلاقات مع الصين قوية.")
    assert [s for _, s in speakers(doc)] == ["per:sergey-lavrov", "per:sergey-lavrov"]
    assert doc.quotes[1]["speaker"]["via"] == "previous"


# -- attribution -------------------------------------------------------------------------
def test_seed_attribution_chains(seeds: dict[str, Document]) -> None:
    assert ["org:webangah", "org:tasnim", "org:tass"] in chains(seeds["003"])
    assert ["org:mehr-news-agency", "org:sputnik"] in chains(seeds["004"])
    assert ["org:russia-foreign-ministry"] in chains(seeds["001"])
    assert ["org:ria-novosti"] in chains(seeds["002"])
    assert ["org:associated-press"] in chains(seeds["000"])
    correspondent = [a for a in seeds["002"].attributions if a["kind"] == "correspondent"]
    assert correspondent and correspondent[0]["chain"][0]["entity"] == "org:al-jazeera"
    signature = [a for a in seeds["003"].attributions if a["kind"] == "signature"]
    assert [[h["entity"] for h in a["chain"]] for a in signature] == [["org:tasnim"]]
    tass = next(a for a in seeds["003"].attributions if a["kind"] == "formula")["chain"][-1]
    assert tass["text"] == "خبرگزاری «تاس»"  # the closing mark belongs to the name


def test_the_publisher_from_the_url_heads_the_chain() -> None:
    doc = analyse("الرياض (رويترز) - قالت المملكة إن الاجتماع ناجح.", url="http://www.okaz.com.sa/new/1.htm")
    assert publisher_of(doc) == "org:okaz"
    assert chains(doc) == [["org:okaz", "org:reuters"]]
    assert doc.attributions[0]["chain"][0]["source"] == "url"
    same = analyse("به گزارش خبرگزاری فارس، وزیر امور خارجه امروز به مسکو رفت.",
                   url="http://www.farsnews.com/newstext.php?nn=13930302000123")
    assert chains(same) == [["org:fars-news-agency"]]  # the publisher is not given twice


def test_an_unnamed_source_is_a_hop_without_entity() -> None:
    doc = analyse("به گزارش منابع آگاه، مذاکرات ادامه دارد.")
    assert chains(doc) == [[None]]


# -- events ------------------------------------------------------------------------------
def test_seed_events(seeds: dict[str, Document]) -> None:
    lavrov, wang = "per:sergey-lavrov", "per:wang-yi"
    assert ("MEET", frozenset({wang, lavrov}), "city:moscow-ru", "2023-02-22", "occurred") in events(seeds["004"])
    assert ("MEET", frozenset({"per:nikolai-patrushev", wang}), "city:moscow-ru", "2023-02-21", "occurred") \
        in events(seeds["004"])
    meet_003 = [e for e in seeds["003"].events if e["type"] == "MEET"]
    assert len(meet_003) == 1 and len(meet_003[0]["triggers"]) >= 3  # one meeting, told four times
    assert meet_003[0]["place"]["entity"] == "org:asean"  # «در حاشیه نشستهای ... آسهآن»
    visit_001 = next(e for e in seeds["001"].events if e["type"] == "VISIT")
    assert visit_001["status"] == "planned" and visit_001["when"]["value"] == "2024-04-08/2024-04-09"
    assert visit_001["place"]["entity"] == "country:CN"
    assert ("MEET", frozenset({"per:vladimir-putin", "per:xi-jinping"}), None, "2023-10", "occurred") \
        in events(seeds["001"])  # «اجتمع الرئيس الروسي مع نظيره الصيني»: the counterpart is the president
    call = next(e for e in seeds["000"].events if e["type"] == "CALL")
    assert {p["entity"] for p in call["participants"]} == {"per:joe-biden", "per:xi-jinping"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سرگئی لاوروف فردا به تهران سفر خواهد کرد.",
         ("VISIT", frozenset({"per:sergey-lavrov", "country:IR"}), "city:tehran-ir", "2024-04-10", "planned")),
        ("التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني وانغ يي في بكين أمس.",
         ("MEET", frozenset({"per:sergey-lavrov", "per:wang-yi"}), "city:beijing-cn", "2024-04-08", "occurred")),
        ("Sergey Lavrov met Wang Yi in Beijing on Monday.",
         ("MEET", frozenset({"per:sergey-lavrov", "per:wang-yi"}), "city:beijing-cn", "2024-04-08", "occurred")),
    ],
)
def test_event_arguments(text: str, expected: tuple[Any, ...]) -> None:
    assert expected in events(analyse(text))


def test_negated_events() -> None:
    doc = analyse("سرگئی لاوروف با وانگ یی دیدار نکرد.")
    assert [e["negated"] for e in doc.events] == [True]
    doc = analyse("لم يلتق لافروف وانغ يي في بكين.")
    assert [e["negated"] for e in doc.events] == [True]


def test_an_anaphoric_trigger_adds_evidence_not_an_event() -> None:
    doc = analyse("سرگئی لاوروف امروز با وانگ یی در پکن دیدار کرد. لاوروف در این دیدار گفت: روابط خوب است.")
    assert len(doc.events) == 1 and len(doc.events[0]["triggers"]) == 2


def test_countries_named_as_topics_are_not_parties() -> None:
    doc = analyse("ایران و روسیه درباره اوکراین مذاکره کردند.")
    assert ("NEGOTIATE", frozenset({"country:IR", "country:RU"}), None, None, "occurred") in events(doc)


# -- categories fixed on the events dev set (sentences written for these tests) ---------------
@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        # Persian: content straight after the verb, no `که` or `:` (Fars News style)
        ("سرگئی لاوروف گفت، روابط دو کشور در بهترین سطح خود قرار دارد.",
         "روابط دو کشور در بهترین سطح خود قرار دارد", "per:sergey-lavrov"),
        ("سرگئی لاوروف تاکید کرد؛ همکاری‌های دو کشور ادامه خواهد یافت.",
         "همکاری‌های دو کشور ادامه خواهد یافت", "per:sergey-lavrov"),
        # Persian: `با بیان اینکه X، ...` quotes X for the clause's subject
        ("سرگئی لاوروف با بیان اینکه روابط دو کشور راهبردی است، افزود: همکاری ادامه دارد.",
         "روابط دو کشور راهبردی است", "per:sergey-lavrov"),
        # Arabic: a speech verb with a noun object, with and without its preposition
        ("وأكد سيرغي لافروف أهمية تعزيز التعاون بين البلدين في كل المجالات.",
         "أهمية تعزيز التعاون بين البلدين في كل المجالات", "per:sergey-lavrov"),
        ("وشدد سيرغي لافروف على ضرورة الحل السياسي للأزمة في سوريا.",
         "ضرورة الحل السياسي للأزمة في سوريا", "per:sergey-lavrov"),
        # Arabic: the citing noun after `نقل ... عن X`
        ("ونقلت وكالة الأنباء السعودية عن سيرغي لافروف قوله إن الزيارة ناجحة جدا.",
         "الزيارة ناجحة جدا", "per:sergey-lavrov"),
    ],
)
def test_quote_categories(text: str, content: str, speaker: str) -> None:
    assert (content, speaker) in speakers(analyse(text))


def test_a_participle_opens_its_own_quote_for_the_same_speaker() -> None:
    doc = analyse("وقال سيرغي لافروف إن المحادثات كانت مفيدة، مشيرا إلى أن الجانبين سيلتقيان مجددا.")
    assert speakers(doc) == [("المحادثات كانت مفيدة", "per:sergey-lavrov"),
                             ("الجانبين سيلتقيان مجددا", "per:sergey-lavrov")]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("وقال مصدر عسكري إن خمسة جنود قتلوا في الهجوم.", "مصدر"),
        ("یک منبع آگاه گفت که مذاکرات هفته آینده ادامه می‌یابد.", "یک منبع"),
    ],
)
def test_an_unnamed_source_speaks_without_an_entity(text: str, source: str) -> None:
    quote = analyse(text).quotes[0]
    assert quote["speaker"]["entity"] is None and quote["speaker"]["text"] == source


def test_a_role_nobody_is_known_to_hold_gets_a_document_local_id() -> None:
    from khabar.discourse import Context

    text = "وزير الدفاع الفلاني قال كلاما"
    role = {"start": 0, "end": 11, "text": text[:11], "type": "ROLE", "entity": None, "label": None,
            "role": "defence_minister", "of": "country:IT"}
    ctx = Context.of(Document(text=text, mentions=(role,)))
    assert ctx.mentions[0]["entity"] == "local:role:defence_minister:country:IT"


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        # bylines at the head of a line (SaudiNewsNet): a weak alias is the outlet in this slot
        ("خبر\n\nسبق- متابعة: أكدت الكويت أن العلاقات جيدة.", ["org:sabq"]),
        ("خبر\n\nسبق- وكالات: أكدت الكويت أن العلاقات جيدة.", ["org:sabq", None]),
        ("خبر\n\nعين اليوم – القاهرة\nأكدت مصر أن العلاقات جيدة.", ["org:ain-alyoum"]),
        # `علمت X من مصادرها`, `نقلت X عن Y`
        ("وعلمت «عكاظ» من مصادرها أن الوزير سيزور موسكو.", ["org:okaz", None]),
        ("ونقلت وكالة الأنباء السعودية عن مصدر مسؤول قوله إن الزيارة ناجحة.", ["org:spa", None]),
        # an agency closing a dateline
        ("خبر\n\nالقاهرة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس\nتلقى الوزير اتصالا.", ["org:spa"]),
        # Persian: a weak alias after a desk name, a dateline place before the relay, unnamed reports
        ("به گزارش گروه اقتصاد بین‌الملل فارس به نقل از رویترز، قیمت نفت بالا رفت.",
         ["org:fars-news-agency", "org:reuters"]),
        ("به گزارش خبرگزاری فارس از اصفهان به نقل از رویترز، قیمت نفت بالا رفت.",
         ["org:fars-news-agency", "org:reuters"]),
        ("گزارش‌ها حاکی از آن است که قیمت نفت بالا رفت.", [None]),
    ],
)
def test_attribution_categories(text: str, chain: list[str | None]) -> None:
    assert chain in chains(analyse(text))


def test_a_statement_named_as_the_source_is_still_an_event() -> None:
    doc = analyse("جاء ذلك في بيان أصدره الديوان الملكي أمس.", published="2015-08-04")
    assert [(e["type"], [p["entity"] for p in e["participants"]]) for e in doc.events] == \
        [("STATEMENT", ["org:saudi-royal-court"])]
