"""Quote speakers the mentions layer does not link (quotes stage, issue 5).

Every sentence here was written for these tests. Each case names the quote by a word of its
content and asserts the content span, the speaker's entity (or its kind of local id), the
speaker's own span and how it was found.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from khabar.document import Document, Published, Source
from khabar.pipeline import Pipeline


def analyse(text: str) -> Document:
    doc = Document(text=text, source=Source(url=None))
    return Pipeline()(replace(doc, published=Published("2024-04-09", "metadata")))


def quote_with(doc: Document, word: str) -> dict[str, Any]:
    found = [q for q in doc.quotes if word in q["text"]]
    assert len(found) == 1, [q["text"] for q in doc.quotes]
    return found[0]


def assert_spans_exact(doc: Document) -> None:
    for q in doc.quotes:
        assert doc.text[q["start"]:q["end"]] == q["text"]
        for part in (q["cue"], q["speaker"]):
            if part and part.get("start") is not None:
                assert doc.text[part["start"]:part["end"]] == part["text"]


def entity_matches(entity: str | None, expected: str | None) -> bool:
    """An expected id ending in `:` is a prefix (`local:role:`): the id is document-local."""
    if expected is None or entity is None:
        return entity == expected
    return entity.startswith(expected) if expected.endswith(":") else entity == expected


@pytest.mark.parametrize(
    ("text", "word", "content", "entity", "speaker_text", "via"),
    [
        # fa: a role phrase no mention covers, opening the clause after an attribution formula
        ("به گزارش خبرگزاری فارس، سخنگوی نمایندگی ژاپن در اتحادیه اروپا روز دوشنبه گفت که توکیو به "
         "تحریم‌های تازه علیه این کشور پاسخ خواهد داد.",
         "توکیو", "توکیو به تحریم‌های تازه علیه این کشور پاسخ خواهد داد", "local:role:",
         "سخنگوی نمایندگی ژاپن", "described"),
        # fa: a role phrase after the outlet's own dateline (`خبرگزاری فارس:` is no subject)
        ("خبرگزاری فارس: سفیر ایران در کنیا گفت: روابط دو کشور رو به گسترش است.",
         "روابط", "روابط دو کشور رو به گسترش است", "local:role:", "سفیر ایران", "described"),
        # fa: a country opening the clause after the formula and a dateline place
        ("به گزارش خبرگزاری فارس از اسلام‌آباد، پاکستان اعلام کرد که مرزهای خود با افغانستان را از "
         "هفته آینده باز می‌کند.",
         "مرزهای", "مرزهای خود با افغانستان را از هفته آینده باز می‌کند", "country:PK", "پاکستان", "name"),
        # fa: the same after a house byline cut by a dash (`خبرگزاري فارس-`)
        ("خبرگزاري فارس-  سفير ايران در اسپانیا گفت: روابط دو کشور رو به گسترش است.",
         "روابط", "روابط دو کشور رو به گسترش است", "local:role:", "سفير ايران", "described"),
        # fa: the role phrase opening the clause beats a person named after a preposition
        ("فرماندار استان گیلان در بیانیه‌ای با اشاره به دیدار با «مارکو روسی» سفیر ایتالیا در تهران "
         "خاطرنشان کرد: همکاری‌های دو طرف در بخش کشاورزی گسترش می‌یابد.",
         "همکاری", "همکاری‌های دو طرف در بخش کشاورزی گسترش می‌یابد", "local:role:",
         "فرماندار استان گیلان", "described"),
        # ar: a body named again by its head noun
        ("أصدرت وزارة الخارجية الروسية بيانا حول الأزمة. وقالت الوزارة في بيانها إن موسكو لن تقبل بأي "
         "شروط مسبقة للحوار.",
         "شروط", "موسكو لن تقبل بأي شروط مسبقة للحوار", "org:russia-foreign-ministry", "الوزارة", "anaphor"),
        # ar: a statement speaks for whoever issued it
        ("عقد مجلس الأمن الدولي جلسة طارئة أمس وأصدر بيانا بالإجماع. وأوضح البيان أن الهجمات على "
         "المدنيين تمثل انتهاكا للقانون الدولي.",
         "المدنيين", "الهجمات على المدنيين تمثل انتهاكا للقانون الدولي", "org:un-security-council",
         "البيان", "statement"),
        # ar: a role phrase after the verb, cut before the setting of the utterance
        ("وأوضح المتحدث الرئاسي التونسي في تصريح له أمس أن الرئيس سيزور الجزائر الأسبوع المقبل لبحث "
         "ملفات التعاون.",
         "الجزائر", "الرئيس سيزور الجزائر الأسبوع المقبل لبحث ملفات التعاون", "local:role:",
         "المتحدث الرئاسي التونسي", "described"),
        # ar: a name the recogniser missed, before `أن`
        ("ونفى كير أن تكون الحرب في بلاده قائمة على أسس قبلية.",
         "الحرب", "تكون الحرب في بلاده قائمة على أسس قبلية", "local:per:", "كير", "name_unlinked"),
        # ar: the same after a verb of saying and the setting `في تصريحات`
        ("وقال كير في تصريحات صحفية إن الحوار هو السبيل الوحيد.",
         "الحوار", "الحوار هو السبيل الوحيد", "local:per:", "كير", "name_unlinked"),
    ],
)
def test_subjects_the_mentions_layer_leaves_unlinked(text: str, word: str, content: str, entity: str,
                                                      speaker_text: str, via: str) -> None:
    doc = analyse(text)
    assert_spans_exact(doc)
    quote = quote_with(doc, word)
    assert quote["text"] == content
    speaker = quote["speaker"]
    assert speaker is not None
    assert entity_matches(speaker["entity"], entity), speaker
    assert speaker["text"] == speaker_text
    assert speaker["via"] == via


def test_a_demonstrative_phrase_goes_on_with_the_last_speaker() -> None:
    doc = analyse("«کنجی واتانابه» معاون وزیر خارجه ژاپن گفت: «ما برای گفت‌وگو آماده‌ایم.»\n"
                  "این دیپلمات ژاپنی افزود: «هیچ تصمیمی درباره تحریم‌ها گرفته نشده است.»")
    assert_spans_exact(doc)
    first, second = quote_with(doc, "آماده‌ایم"), quote_with(doc, "تصمیمی")
    assert second["text"] == "هیچ تصمیمی درباره تحریم‌ها گرفته نشده است."
    assert second["speaker"]["entity"] == first["speaker"]["entity"] is not None
    assert (second["speaker"]["text"], second["speaker"]["via"]) == ("این دیپلمات ژاپنی", "anaphor")


@pytest.mark.parametrize(
    ("text", "word", "speaker_text"),
    [
        # a surname after the full name: the full name's entity, the surname's span
        ("وقال الخبير الاقتصادي يونس الحربي إن الأسواق ستتعافى قريبا. ونفى الحربي أن تكون هناك أزمة "
         "سيولة في المصارف.", "سيولة", "الحربي"),
        # the same with the surname in quotation marks: a name in marks is the subject, not the quote
        ("وقال الخبير الاقتصادي يونس الحربي إن الأسواق ستتعافى قريبا. ونفى \"الحربي\" أن تكون هناك أزمة "
         "سيولة في المصارف.", "سيولة", "الحربي"),
    ],
)
def test_a_surname_names_the_person_named_in_full(text: str, word: str, speaker_text: str) -> None:
    doc = analyse(text)
    assert_spans_exact(doc)
    full = quote_with(doc, "الأسواق")["speaker"]
    assert full["text"] == "يونس الحربي" and full["entity"]
    quote = quote_with(doc, word)
    assert quote["text"] == "تكون هناك أزمة سيولة في المصارف"
    assert quote["speaker"]["entity"] == full["entity"]
    assert quote["speaker"]["text"] == speaker_text


def test_a_participle_continues_the_subject_of_its_own_sentence() -> None:
    doc = analyse("قال المتحدث باسم الحكومة إن الاجتماع انتهى.\n"
                  "شن الرئيس الكيني وليام روتو هجوما على المعارضة في خطاب أمس، مؤكدا أن الانتخابات "
                  "المقبلة ستجري في موعدها.")
    assert_spans_exact(doc)
    quote = quote_with(doc, "الانتخابات")
    assert quote["text"] == "الانتخابات المقبلة ستجري في موعدها"
    assert quote["speaker"]["text"] == "وليام روتو"
    assert quote["speaker"]["entity"] != quote_with(doc, "الاجتماع")["speaker"]["entity"]


def test_the_verb_of_a_source_formula_opens_no_quote() -> None:
    doc = analyse("قتل خمسة مدنيين في قصف على ريف حلب وفق ما أعلن المرصد السوري لحقوق الانسان.")
    assert doc.quotes == ()
    assert [a["text"] for a in doc.attributions] == ["وفق ما أعلن المرصد السوري لحقوق الانسان"]


def test_an_unnamed_source_after_a_comma_is_the_subject_of_its_clause() -> None:
    doc = analyse("رئیس جمهور چین به مسکو سفر کرد، ولی مقامات چینی اعلام کردند که هیچ توافقی درباره "
                  "خط لوله امضا نشده است.")
    assert_spans_exact(doc)
    quote = quote_with(doc, "توافقی")
    assert quote["text"] == "هیچ توافقی درباره خط لوله امضا نشده است"
    assert quote["speaker"]["entity"] is None
    assert quote["speaker"]["via"] == "unnamed"
    assert quote["speaker"]["text"] == "مقامات"


def test_a_source_formula_inside_the_clause_opens_no_quote() -> None:
    doc = analyse("شدد رئيس الوزراء الليبي بحسب قناة الوطنية على أن الحوار مستمر، قائلا إن الحكومة لن "
                  "تنسحب من المفاوضات.")
    assert_spans_exact(doc)
    assert [q["cue"]["text"] for q in doc.quotes] == ["شدد", "قائلا"]
    speaker = quote_with(doc, "تنسحب")["speaker"]
    assert speaker["entity"] == quote_with(doc, "مستمر")["speaker"]["entity"]
    assert speaker["entity"].startswith("local:role:prime_minister")
    assert [a["text"] for a in doc.attributions] == ["بحسب قناة الوطنية"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline repeated as the body's first line, two speakers cut by `/`
        ("عنوان خبر\n\nلاوروف: همکاری دو کشور ادامه می‌یابد/وانگ یی: به جهانی چندقطبی متعهدیم\n\n"
         "وزیران خارجه دو کشور امروز در پکن دیدار کردند.",
         [("همکاری دو کشور ادامه می‌یابد", "per:sergey-lavrov", "لاوروف"),
          ("به جهانی چندقطبی متعهدیم", "per:wang-yi", "وانگ یی")]),
        # a headline whose speaker is a role phrase nobody is linked to
        ("سفیر ژاپن: برای گفت‌وگو آماده‌ایم\n\nوزیر خارجه ژاپن امروز به تهران سفر کرد.",
         [("برای گفت‌وگو آماده‌ایم", "local:role:", "سفیر ژاپن")]),
    ],
)
def test_headline_lines(text: str, expected: list[tuple[str, str, str]]) -> None:
    doc = analyse(text)
    assert_spans_exact(doc)
    found = [(q["text"], q["speaker"]["entity"], q["speaker"]["text"]) for q in doc.quotes if q["cue"] is None]
    assert len(found) == len(expected)
    for (content, entity, speaker_text), (f_content, f_entity, f_text) in zip(expected, found, strict=True):
        assert (f_content, f_text) == (content, speaker_text)
        assert entity_matches(f_entity, entity)
