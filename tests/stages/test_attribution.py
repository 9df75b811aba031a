"""Attribution chains whose sources the mentions layer does not link (attribution stage, issue 5).

Every sentence here was written for these tests. Each case asserts the phrase's span, its chain
of (entity, span text) hops, and that every span is exact.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from khabar.document import Document, Published, Source
from khabar.pipeline import Pipeline


def analyse(text: str) -> Document:
    doc = Document(text=text, source=Source(url=None))
    return Pipeline()(replace(doc, published=Published("2024-04-09", "metadata")))


def assert_spans_exact(doc: Document) -> None:
    for a in doc.attributions:
        assert doc.text[a["start"]:a["end"]] == a["text"]
        for hop in a["chain"]:
            if hop.get("start") is not None:
                assert doc.text[hop["start"]:hop["end"]] == hop["text"]


def hops(doc: Document) -> list[list[tuple[str | None, str | None]]]:
    """Chains as (entity, span text); a document-local id is shown by its prefix only."""
    def short(entity: str | None) -> str | None:
        if entity and entity.startswith("local:"):
            return ":".join(entity.split(":")[:2]) + ":"
        return entity

    return [[(short(h.get("entity")), h.get("text")) for h in a["chain"]] for a in doc.attributions]


@pytest.mark.parametrize(
    ("text", "phrases", "chains"),
    [
        # a relay to a body the mentions layer does not know
        ("به گزارش خبرگزاری فارس به نقل از روابط عمومی استانداری یزد، استاندار یزد امروز با سفیر "
         "ایتالیا دیدار کرد.",
         ["به گزارش خبرگزاری فارس به نقل از روابط عمومی استانداری یزد"],
         [[("org:fars-news-agency", "خبرگزاری فارس"), ("local:org:", "روابط عمومی استانداری یزد")]]),
        # an outlet word and a name in marks as the subject of `نوشت`, after the house dateline
        ("خبرگزاری فارس: روزنامه «دیلی نیشن» روز گذشته در گزارشی نوشت: دولت کنیا برنامه تازه‌ای برای "
         "مهار تورم آماده کرده است.",
         ["خبرگزاری فارس: روزنامه «دیلی نیشن» روز گذشته در گزارشی نوشت"],
         [[("org:fars-news-agency", "خبرگزاری فارس"), ("local:org:", "دیلی نیشن")]]),
        # a knowledge-base outlet written with dots: the bare name finds it
        ("به گزارش سي.ان.ان، مذاکرات دو طرف امروز از سر گرفته شد.",
         ["به گزارش سي.ان.ان"],
         [[("org:cnn", "سي.ان.ان")]]),
        # ar: a formula with a verb of announcing makes what follows a source
        ("قتل خمسة مدنيين في قصف على ريف حلب وفق ما أعلن المرصد السوري لحقوق الانسان.",
         ["وفق ما أعلن المرصد السوري لحقوق الانسان"],
         [[("local:org:", "المرصد السوري لحقوق الانسان")]]),
        # ar: reports named only as reports
        ("وأعربت واشنطن عن قلقها إزاء تقارير تفيد بأن القائد العسكري زار موسكو الشهر الماضي.",
         ["تقارير تفيد"],
         [[(None, "تقارير تفيد")]]),
        # ar: bare `وفق` before a noun is no source (`according to the vision of ...`)
        ("وبحث الجانبان سبل تعزيز التعاون وفق رؤية قيادتي البلدين.", [], []),
        # a house byline ends before the story's first clause
        ("خبرگزاري فارس-  سفير ايران در اسپانیا گفت: روابط دو کشور رو به گسترش است.",
         ["خبرگزاري فارس"],
         [[("org:fars-news-agency", "خبرگزاري فارس")]]),
        # an outlet before a colon is the dateline, not the subject of the verb after it
        ("خبرگزاری فارس: سفیر ایران در کنیا گفت: روابط دو کشور رو به گسترش است.",
         ["خبرگزاری فارس"],
         [[("org:fars-news-agency", "خبرگزاری فارس")]]),
    ],
)
def test_sources_the_mentions_layer_leaves_unlinked(text: str, phrases: list[str],
                                                     chains: list[list[tuple[str | None, str]]]) -> None:
    doc = analyse(text)
    assert_spans_exact(doc)
    assert [a["text"] for a in doc.attributions] == phrases
    assert hops(doc) == chains
