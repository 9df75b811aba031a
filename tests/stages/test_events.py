"""Rules of the events stage fixed on the events dev set, each on sentences written for these tests.

Every case checks the record khabar builds (type, participants, place, time, status) and that
each span of every event is the text it claims. Publication date: Tuesday 2024-04-09.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from khabar.document import Document, Published
from khabar.pipeline import Pipeline

PUBLISHED = "2024-04-09"
LAVROV, WANG, JUBEIR = "per:sergey-lavrov", "per:wang-yi", "per:adel-al-jubeir"
SISI, HADI = "per:abdel-fattah-el-sisi", "per:abdrabbuh-mansur-hadi"

EventKey = tuple[str, frozenset[str], str | None, str | None, str]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def analyse(pipeline: Pipeline, text: str) -> Document:
    return pipeline(replace(Document(text=text), published=Published(PUBLISHED, "metadata")))


def keys(doc: Document) -> list[EventKey]:
    return [(e["type"], frozenset(p["entity"] for p in e["participants"]), (e["place"] or {}).get("entity"),
             (e["when"] or {}).get("value"), e["status"]) for e in doc.events]


def assert_spans_exact(doc: Document) -> None:
    for e in doc.events:
        spans: list[dict[str, Any]] = [*e["triggers"], *e["evidence"], *e["participants"]]
        spans += [s for s in (e["place"], e["when"]) if s]
        for span in spans:
            if span.get("start") is not None:  # a host known only as the visited city's country has no span
                assert doc.text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # noun triggers of an agreement with a light verb (`توافقنامه ... امضا کردند`, `مذكرة تفاهم`)
        ("ایران و روسیه دیروز در مسکو توافقنامه همکاری نظامی امضا کردند.",
         ("AGREE", frozenset({"country:IR", "country:RU"}), "city:moscow-ru", "2024-04-08", "occurred")),
        ("وقع عادل الجبير وسيرغي لافروف أمس مذكرة تفاهم في الرياض.",
         ("AGREE", frozenset({JUBEIR, LAVROV}), "city:riyadh-sa", "2024-04-08", "occurred")),
        # an asset freeze is a sanction (`جمدت`)
        ("جمدت تركيا أمس أموال علي عبدالله صالح.",
         ("SANCTION", frozenset({"per:ali-abdullah-saleh"}), None, "2024-04-08", "occurred")),
        # `يبحث X مع Y`: talks; `غدا` makes them planned
        ("يبحث عادل الجبير مع سيرغي لافروف غدا في موسكو الأزمة السورية.",
         ("MEET", frozenset({JUBEIR, LAVROV}), "city:moscow-ru", "2024-04-10", "planned")),
        # `نشست` alone names a meeting
        ("سرگئی لاوروف و وانگ یی دیروز در نشست مشترک در پکن شرکت کردند.",
         ("MEET", frozenset({LAVROV, WANG}), "city:beijing-cn", "2024-04-08", "occurred")),
        # `هشدار داد`: a warning to a party is a threat
        ("سرگئی لاوروف دیروز به آمریکا هشدار داد.",
         ("THREATEN", frozenset({LAVROV}), None, "2024-04-08", "occurred")),
    ],
)
def test_noun_and_light_verb_triggers(pipeline: Pipeline, text: str, expected: EventKey) -> None:
    doc = analyse(pipeline, text)
    assert expected in keys(doc)
    assert_spans_exact(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a one-letter preposition written on the place (`بالقاهرة`)
        ("التقى عبد الفتاح السيسي أمس بالقاهرة عبد ربه منصور هادي.",
         ("MEET", frozenset({SISI, HADI}), "city:cairo-eg", "2024-04-08", "occurred")),
        # a visit to a country narrowed to the city a later sentence names for it
        ("سرگئی لاوروف روز دوشنبه به چین سفر کرد. سفر لاوروف به پکن دو روز ادامه دارد.",
         ("VISIT", frozenset({LAVROV, "country:CN"}), "city:beijing-cn", "2024-04-08", "occurred")),
        # ... but not to a city where other people met
        ("سرگئی لاوروف روز دوشنبه به چین سفر کرد. پارسال ولادیمیر پوتین در پکن با شی جین‌پینگ دیدار کرده بود.",
         ("VISIT", frozenset({LAVROV, "country:CN"}), "country:CN", "2024-04-08", "occurred")),
    ],
)
def test_place_rules(pipeline: Pipeline, text: str, expected: EventKey) -> None:
    doc = analyse(pipeline, text)
    assert expected in keys(doc)
    assert_spans_exact(doc)


@pytest.mark.parametrize(
    ("text", "expected", "host"),
    [
        # the destination country's own minister is the host; the country is then no party
        ("زار سيرغي لافروف بكين أمس بدعوة من وانغ يي.",
         ("VISIT", frozenset({LAVROV, WANG}), "city:beijing-cn", "2024-04-08", "occurred"), WANG),
        # no host person: the visited country is the host
        ("سرگئی لاوروف به چین سفر می‌کند.",
         ("VISIT", frozenset({LAVROV, "country:CN"}), "country:CN", None, "planned"), "country:CN"),
        # the person a relative clause hangs on is the guest (`هادي الذي يزور مصر`)
        ("أكد عبد ربه منصور هادي الذي يزور مصر حاليا أهمية العلاقات.",
         ("VISIT", frozenset({HADI, "country:EG"}), "country:EG", None, "occurred"), "country:EG"),
    ],
)
def test_visit_hosts(pipeline: Pipeline, text: str, expected: EventKey, host: str) -> None:
    doc = analyse(pipeline, text)
    assert expected in keys(doc)
    visit = next(e for e in doc.events if e["type"] == "VISIT")
    assert [p["entity"] for p in visit["participants"] if p["role"] == "host"] == [host]
    assert all(p["role"] == "guest" for p in visit["participants"] if p["entity"] != host)
    assert_spans_exact(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date in the reporting clause is not the event's (`روز دوشنبه اعلام شد که ...`)
        ("روز دوشنبه اعلام شد که سرگئی لاوروف در نشست خبری شرکت کرد.",
         ("STATEMENT", frozenset({LAVROV}), None, None, "occurred")),
        # what a statement announces does not make the statement planned; the visit it announces is
        ("قالت وزارة الخارجية الروسية في بيان أمس إن سيرغي لافروف سيزور بكين.",
         ("STATEMENT", frozenset({"org:russia-foreign-ministry"}), None, "2024-04-08", "occurred")),
        ("قالت وزارة الخارجية الروسية في بيان أمس إن سيرغي لافروف سيزور بكين.",
         ("VISIT", frozenset({LAVROV, "country:CN"}), "city:beijing-cn", None, "planned")),
        # `مرتقبة`: an awaited visit is planned
        ("أعلنت روسيا عن زيارة مرتقبة لسيرغي لافروف إلى بكين.",
         ("VISIT", frozenset({LAVROV, "country:CN"}), "city:beijing-cn", None, "planned")),
    ],
)
def test_time_and_status_rules(pipeline: Pipeline, text: str, expected: EventKey) -> None:
    doc = analyse(pipeline, text)
    assert expected in keys(doc)
    assert_spans_exact(doc)


def test_a_headline_visit_and_its_report_are_one_event_with_the_host_person(pipeline: Pipeline) -> None:
    doc = analyse(pipeline, "سيرغي لافروف يزور الصين اليوم.\n\nزار سيرغي لافروف بكين اليوم بدعوة من وانغ يي.")
    assert keys(doc) == [("VISIT", frozenset({LAVROV, WANG}), "country:CN", PUBLISHED, "occurred")]
    assert [t["text"] for t in doc.events[0]["triggers"]] == ["يزور", "زار"]
    assert {p["entity"]: p["role"] for p in doc.events[0]["participants"]} == {LAVROV: "guest", WANG: "host"}
    assert_spans_exact(doc)


@pytest.mark.parametrize(
    "text",
    [
        "وحضر المباحثات فيصل مقداد.",  # `فيصل` is no `ف` + `يصل`
    ],
)
def test_a_trigger_inside_a_name_opens_no_event(pipeline: Pipeline, text: str) -> None:
    assert analyse(pipeline, text).events == ()


@pytest.mark.parametrize(
    ("text", "speaker_text"),
    [
        # the statement's issuer is the speaker the quotes layer found for what follows it
        ("التقى سيرغي لافروف وانغ يي أمس. وقالت الحركة، في بيان، إن اللقاء كان مفيدا.", "الحركة"),
    ],
)
def test_a_statement_is_issued_by_the_speaker_of_its_quote(pipeline: Pipeline, text: str, speaker_text: str) -> None:
    doc = analyse(pipeline, text)
    statement = next(e for e in doc.events if e["type"] == "STATEMENT")
    assert [p["text"] for p in statement["participants"]] == [speaker_text]
    assert statement["status"] == "occurred" and statement["when"] is None and statement["place"] is None
    assert_spans_exact(doc)


def test_a_date_inside_a_quote_dates_the_quoted_event_not_the_statement(pipeline: Pipeline) -> None:
    doc = analyse(pipeline, "وقالت وزارة الخارجية الروسية أمس في بيان إن «سيرغي لافروف سيزور بكين في 10 نيسان».")
    assert keys(doc) == [
        ("STATEMENT", frozenset({"org:russia-foreign-ministry"}), None, "2024-04-08", "occurred"),
        ("VISIT", frozenset({LAVROV, "country:CN"}), "city:beijing-cn", "2024-04-10", "planned"),
    ]
    assert_spans_exact(doc)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a name the knowledge base lacks, beside the office that says who held it on the day
        ("«ژوزه سیلوا» وزیر خارجه برزیل دیروز با وانگ یی در پکن دیدار کرد.", "ژوزه سیلوا"),
        ("التقى وانغ يي أمس في بكين نظيره البرازيلي جوزيه سيلفا.", "جوزيه سيلفا"),
    ],
)
def test_a_name_beside_its_office_is_the_office_holder(pipeline: Pipeline, text: str, name: str) -> None:
    doc = analyse(pipeline, text)
    holder = "per:mauro-vieira"  # Brazil's foreign minister on 2024-04-08 in the knowledge base
    assert keys(doc) == [("MEET", frozenset({WANG, holder}), "city:beijing-cn", "2024-04-08", "occurred")]
    assert next(p["text"] for p in doc.events[0]["participants"] if p["entity"] == holder) == name
    assert_spans_exact(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a trigger closed by its verb a few words on (`وارد X شد`)
        ("سرگئی لاوروف دیروز وارد تهران شد.",
         ("VISIT", frozenset({LAVROV, "country:IR"}), "city:tehran-ir", "2024-04-08", "occurred")),
        # a statement noun with its possessive suffix (`بيانه`)
        ("وقال سيرغي لافروف في بيانه أمس إن المحادثات كانت مفيدة.",
         ("STATEMENT", frozenset({LAVROV}), None, "2024-04-08", "occurred")),
    ],
)
def test_split_and_suffixed_triggers(pipeline: Pipeline, text: str, expected: EventKey) -> None:
    doc = analyse(pipeline, text)
    assert keys(doc) == [expected]
    assert_spans_exact(doc)


def test_an_opening_word_without_its_closing_verb_is_no_trigger(pipeline: Pipeline) -> None:
    assert analyse(pipeline, "حزب به میدان سیاست وارد می‌شود.").events == ()


@pytest.mark.parametrize(
    ("text", "callee", "caller"),
    [
        ("تلقى سامح شكري أمس اتصالا هاتفيا من سيرغي لافروف.", "per:sameh-shoukry", LAVROV),
        ("Sameh Shoukry received a phone call from Sergey Lavrov on Monday.", "per:sameh-shoukry", LAVROV),
    ],
)
def test_a_receiving_verb_says_who_called(pipeline: Pipeline, text: str, callee: str, caller: str) -> None:
    doc = analyse(pipeline, text)
    assert keys(doc) == [("CALL", frozenset({callee, caller}), None, "2024-04-08", "occurred")]
    assert {p["entity"]: p["role"] for p in doc.events[0]["participants"]} == {callee: "callee", caller: "caller"}
    assert_spans_exact(doc)


def test_a_call_without_a_receiving_verb_has_no_roles(pipeline: Pipeline) -> None:
    doc = analyse(pipeline, "أجرى سيرغي لافروف أمس اتصالا هاتفيا مع سامح شكري.")
    assert [p["role"] for p in doc.events[0]["participants"]] == [None, None]
