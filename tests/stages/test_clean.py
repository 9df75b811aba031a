"""Tests of the clean stage (``clean.v1``): one block per non-empty line, each with a kind and a cue."""

from __future__ import annotations

import importlib.resources
import itertools
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from khabar.document import BLOCK_KINDS, Block, Document, Span, iter_spans
from khabar.errors import ResourceError
from khabar.pipeline import get_stage
from khabar.stages.clean import (
    CUE_LANGUAGES,
    CUE_ROLES,
    blocks_for,
    build_cue_book,
    clean,
    load_cue_book,
    load_stopwords,
    match_key,
    parse_cue_yaml,
    parse_stopwords,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / ".." / "shared" / "seeds"
SEED_GOLD = ROOT / "eval" / "data" / "seed_blocks.tsv"
SEED_NAMES = (
    "000_c28965e3e68c553e.txt",
    "001_2b0a31d376df4e44.txt",
    "002_27d9175388c3cb3c.txt",
    "003_0fd4009b84a8a001.txt",
    "004_ca666f6c74e70a31.txt",
)


def seed_text(name: str) -> str:
    path = SEEDS / name
    assert path.is_file(), f"missing shared seed {path}: the tests need ../shared/seeds"
    return path.read_text(encoding="utf-8")


def seed_gold() -> dict[str, dict[int, str]]:
    gold: dict[str, dict[int, str]] = {}
    rows = [line.rstrip("\n").split("\t") for line in SEED_GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert rows[0] == ["file", "line", "kind"]
    for name, number, kind in rows[1:]:
        gold.setdefault(name, {})[int(number)] = kind
    return gold


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def kinds_by_line(text: str) -> dict[int, str]:
    return {line_of(text, b.start): b.kind for b in clean(Document(text=text)).blocks}


def block_with_text(doc: Document, wanted: str) -> Block:
    found = [b for b in doc.blocks if doc.text[b.start:b.end] == wanted]
    assert len(found) == 1, f"expected one block {wanted!r}, found {len(found)}"
    return found[0]


def assert_offsets_exact(text: str, blocks: tuple[Block, ...]) -> None:
    """One block per non-empty line, in order, each exactly the stripped line."""
    pieces = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    expected = [piece.strip() for piece in pieces if piece.strip()]
    assert [text[b.start:b.end] for b in blocks] == expected
    for before, after in itertools.pairwise(blocks):
        assert before.end < after.start
    for block in blocks:
        assert "\n" not in text[block.start:block.end] and "\r" not in text[block.start:block.end]


# -- the seeds ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_kinds_match_gold(name: str) -> None:
    gold = seed_gold()[name]
    assert kinds_by_line(seed_text(name)) == gold


@pytest.mark.parametrize("name", SEED_NAMES)
def test_no_seed_body_line_lost(name: str) -> None:
    predicted = kinds_by_line(seed_text(name))
    lost = [n for n, kind in seed_gold()[name].items() if kind == "body" and predicted[n] != "body"]
    assert lost == []


@pytest.mark.parametrize(("name", "title"), [
    ("000_c28965e3e68c553e.txt", "وزیر امور خارجه روسیه در چین؛ لاوروف بر تحکیم روابط پکن و مسکو تاکید کرد"),
    ("001_2b0a31d376df4e44.txt", "لافروف يزور الصين الإثنين والثلاثاء"),
    ("002_27d9175388c3cb3c.txt",
     "وزير الخارجية الروسي يزور بكين ويتلقى أيضًا تأكيدات بتعزيز التعاون الاقتصادي من الصين."),
    ("003_0fd4009b84a8a001.txt", "تاکید چین بر همکاری با روسیه در جهت منافع ملی دو کشور"),
    ("004_ca666f6c74e70a31.txt", "وانگ یی: به جهانی چندقطبی متعهدیم/لاوروف: توافقات جدید در راه است"),
])
def test_seed_title(name: str, title: str) -> None:
    doc = clean(Document(text=seed_text(name)))
    assert doc.title is not None
    assert doc.text[doc.title.start:doc.title.end] == title
    # The title span is the first copy of the headline, not the repeat further down.
    assert doc.title.start == doc.text.index(title)


@pytest.mark.parametrize(("name", "line", "kind", "cue"), [
    ("000_c28965e3e68c553e.txt", "لینکهای قابل دسترسی", "boilerplate", "skip_links"),
    ("000_c28965e3e68c553e.txt", "خبر فوری", "boilerplate", "breaking_ticker"),
    ("000_c28965e3e68c553e.txt", "چهارشنبه ۱۶ آبان ۱۴۰۳ ایران ۰۹:۱۹", "boilerplate", "site_clock"),
    ("000_c28965e3e68c553e.txt", "XS", "boilerplate", "size_buttons"),
    ("000_c28965e3e68c553e.txt", "LG", "boilerplate", "size_buttons"),
    ("001_2b0a31d376df4e44.txt", "أخبار", "boilerplate", "header"),
    ("001_2b0a31d376df4e44.txt", "الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو", "title", "kicker"),
    ("001_2b0a31d376df4e44.txt", "قراؤنا من مستخدمي تويتر", "boilerplate", "social_promo"),
    ("001_2b0a31d376df4e44.txt", "يمكنكم الآن متابعة آخر الأخبار مجاناً من خلال حسابنا على تويتر",
     "boilerplate", "social_promo"),
    ("001_2b0a31d376df4e44.txt", "إضغط هنا للإشتراك", "boilerplate", "social_promo"),
    ("001_2b0a31d376df4e44.txt", "التعليقات", "boilerplate", "comments_header"),
    ("001_2b0a31d376df4e44.txt", "جميع التعليقات المنشورة تعبر عن رأي كتّابها ولا تعبر بالضرورة عن رأي إيلاف",
     "boilerplate", "comment_policy"),
    ("001_2b0a31d376df4e44.txt",
     "وزير الخارجية الروسي سيرغي لافروف خلال مؤتمر صحافي في موسكو بتاريخ 28 شباط (فبراير) 2024",
     "caption", "caption"),
    ("001_2b0a31d376df4e44.txt", '"ثقة سياسية متبادلة"', "body", "short_line"),
    ("002_27d9175388c3cb3c.txt", "[ad_1]", "boilerplate", "ad_marker"),
    ("002_27d9175388c3cb3c.txt", "[ad_2]", "boilerplate", "ad_marker"),
    ("002_27d9175388c3cb3c.txt", "المصدر", "boilerplate", "source_label"),
    ("003_0fd4009b84a8a001.txt", "انتهای پیام/", "boilerplate", "end_marker"),
    ("003_0fd4009b84a8a001.txt", "گروه خبری: 1337 |", "boilerplate", "news_group"),
    ("003_0fd4009b84a8a001.txt", "© | خبرگزاری تسنیم |", "boilerplate", "copyright"),
    ("004_ca666f6c74e70a31.txt", "کد خبر 5715736", "boilerplate", "news_id"),
    ("004_ca666f6c74e70a31.txt", "برچسبها", "tags", "tags_header"),
    ("004_ca666f6c74e70a31.txt", "نظر شما", "boilerplate", "comment_form"),
    ("004_ca666f6c74e70a31.txt", "شما در حال پاسخ به نظر «» هستید.", "boilerplate", "comment_rules"),
    ("004_ca666f6c74e70a31.txt", "• نظرات حاوی توهین و هرگونه نسبت ناروا به اشخاص حقیقی و حقوقی منتشر نمیشود.",
     "boilerplate", "comment_rules"),
    ("004_ca666f6c74e70a31.txt", "• captcha", "boilerplate", "captcha"),
    ("004_ca666f6c74e70a31.txt", "نظرات", "boilerplate", "comments_header"),
])
def test_seed_line_kind_and_cue(name: str, line: str, kind: str, cue: str) -> None:
    block = block_with_text(clean(Document(text=seed_text(name))), line)
    assert (block.kind, block.attr("cue")) == (kind, cue)


@pytest.mark.parametrize(("name", "repeated"), [
    ("003_0fd4009b84a8a001.txt", "تاکید چین بر همکاری با روسیه در جهت منافع ملی دو کشور"),
    ("004_ca666f6c74e70a31.txt", "وانگ یی: به جهانی چندقطبی متعهدیم/لاوروف: توافقات جدید در راه است"),
])
def test_repeated_headline_is_boilerplate(name: str, repeated: str) -> None:
    doc = clean(Document(text=seed_text(name)))
    copies = [b for b in doc.blocks if doc.text[b.start:b.end] == repeated]
    assert [(b.kind, b.attr("cue")) for b in copies] == [("title", "first_headline"),
                                                          ("boilerplate", "repeated_title")]


def test_seed_004_comment_author_and_timestamp_spans() -> None:
    doc = clean(Document(text=seed_text("004_ca666f6c74e70a31.txt")))
    comments = [b for b in doc.blocks if b.kind == "comment"]
    assert [b.attr("cue") for b in comments] == ["comment_author", "comment_votes", "comment_text"]
    for block in comments:
        assert block.attr("comment") == 0
        assert block.attr("author") == "ابوطالبی"
        assert doc.text[block.attr("author_start"):block.attr("author_end")] == "ابوطالبی"
        assert block.attr("timestamp") == "۰۲:۴۱ - ۱۴۰۱/۱۲/۰۴"
        assert doc.text[block.attr("timestamp_start"):block.attr("timestamp_end")] == "۰۲:۴۱ - ۱۴۰۱/۱۲/۰۴"
    assert doc.text[comments[2].start:comments[2].end].startswith("امریکا پوشالیست")


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_claimed_span_holds(name: str) -> None:
    doc = clean(Document(text=seed_text(name)))
    for layer, start, end, claimed in iter_spans(doc):
        assert 0 <= start <= end <= len(doc.text), layer
        if claimed is not None:
            assert doc.text[start:end] == claimed, layer


def test_seed_001_dateline_prefix_stays_in_the_body_line() -> None:
    doc = clean(Document(text=seed_text("001_2b0a31d376df4e44.txt")))
    block = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("موسكو: يجري"))
    assert block.kind == "body"
    assert doc.text[block.attr("dateline_start"):block.attr("dateline_end")] == block.attr("dateline") == "موسكو"


def test_seed_004_bullet_lines_span_from_the_bullet() -> None:
    text = seed_text("004_ca666f6c74e70a31.txt")
    doc = clean(Document(text=text))
    block = block_with_text(doc, "• ابوطالبی IR ۰۲:۴۱ - ۱۴۰۱/۱۲/۰۴")
    assert text[block.start - 1] == " "  # the indentation is outside the span


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_offsets_exact(name: str) -> None:
    text = seed_text(name)
    blocks = clean(Document(text=text)).blocks
    assert_offsets_exact(text, blocks)
    assert all(b.kind in BLOCK_KINDS and b.attr("cue") for b in blocks)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_crlf_gives_the_same_kinds_with_exact_offsets(name: str) -> None:
    lf = seed_text(name)
    crlf = lf.replace("\n", "\r\n")
    lf_blocks = clean(Document(text=lf)).blocks
    crlf_blocks = clean(Document(text=crlf)).blocks
    assert_offsets_exact(crlf, crlf_blocks)
    assert [(b.kind, b.attr("cue")) for b in crlf_blocks] == [(b.kind, b.attr("cue")) for b in lf_blocks]


# -- other texts --------------------------------------------------------------------------------

ENGLISH = """Skip to main content
Breaking News
Russia and China pledge closer ties as Lavrov visits Beijing
By Jane Smith
April 9, 2024
Russian Foreign Minister Sergei Lavrov with Wang Yi in Beijing (AFP)
BEIJING (Reuters) - Russia and China agreed on Tuesday to deepen their security cooperation, the Russian foreign minister said after talks in Beijing.
The two ministers discussed Ukraine and the Asia-Pacific region, according to a statement from the ministry.
Follow us on Twitter
Reporting by Jane Smith; Editing by John Doe
Tags: Russia, China
Facebook Twitter WhatsApp
© 2024 Example News. All rights reserved.
Comments
Alex Doe 04/09/2024 10:15 AM
Good summary of the talks.
"""
ENGLISH_KINDS = ["boilerplate", "boilerplate", "title", "byline", "dateline", "caption", "body", "body",
                 "boilerplate", "byline", "tags", "boilerplate", "boilerplate", "boilerplate", "comment",
                 "comment"]

ARABIC = """عاجل
مصر تفتتح المرحلة الثالثة من الخط الثالث لمترو القاهرة
القاهرة - وكالات
افتتحت الحكومة المصرية، صباح الخميس، المرحلة الثالثة من الخط الثالث لمترو أنفاق القاهرة، بحسب بيان رسمي.
اقرأ أيضاً: ارتفاع عدد ركاب القطارات خلال الصيف
وقال وزير النقل إن المرحلة الجديدة ستخدم نحو مليون راكب يوميا، وإن تشغيلها الكامل سيبدأ الشهر المقبل.
الوسوم
مصر
المترو
جميع الحقوق محفوظة
"""
ARABIC_KINDS = ["boilerplate", "title", "dateline", "body", "boilerplate", "body", "tags", "tags", "tags",
                "boilerplate"]


@pytest.mark.parametrize(("text", "kinds"), [(ENGLISH, ENGLISH_KINDS), (ARABIC, ARABIC_KINDS),
                                             (ARABIC.replace("\n", "\r\n"), ARABIC_KINDS)],
                         ids=["english", "arabic", "arabic-crlf"])
def test_written_articles(text: str, kinds: list[str]) -> None:
    doc = clean(Document(text=text))
    assert [b.kind for b in doc.blocks] == kinds
    assert_offsets_exact(text, doc.blocks)


def test_english_comment_and_dateline_spans() -> None:
    doc = clean(Document(text=ENGLISH))
    author = block_with_text(doc, "Alex Doe 04/09/2024 10:15 AM")
    assert author.attr("author") == "Alex Doe"
    assert doc.text[author.attr("timestamp_start"):author.attr("timestamp_end")] == "04/09/2024 10:15 AM"
    first = block_with_text(doc, ENGLISH.splitlines()[6])
    assert first.attr("dateline") == "BEIJING"
    assert doc.title is not None and doc.span_text(doc.title) == ENGLISH.splitlines()[2]


PARAGRAPH_AR = ("وقال وزير النقل إن المرحلة الجديدة ستخدم نحو مليون راكب يوميا، وإن تشغيلها الكامل "
                "سيبدأ الشهر المقبل بعد انتهاء الاختبارات.")
PARAGRAPH_FA = ("به گزارش خبرگزاری مهر، وزیر امور خارجه روسیه امروز با همتای چینی خود در پکن دیدار و "
                "درباره همکاری‌های دوجانبه گفتگو کرد.")


@pytest.mark.parametrize(("lines", "kinds"), [
    # An Arabic headline whose halves are joined by ".." is one headline, not two sentences.
    (["بأمر ولي العهد.. نقل جثماني الشهيدين إلى بارق بالطيران", PARAGRAPH_AR], ["title", "body"]),
    # A two-word headline directly above the story (a column name) is the title.
    (["خواطر العيد", PARAGRAPH_AR], ["title", "body"]),
    # Three unpunctuated lines under the headline are verse opening the story, not a caption.
    (["قصيدة في حب الوطن الغالي", "كتابٌ عتيقُ الجمالِ وقهوةُ هَيلْ", "ومن خلف نافذتي البعيدة",
      "تتسلّلُ عينيّ للسكّةِ البائسة", PARAGRAPH_AR], ["title", "body", "body", "body", "body"]),
    # ... while one unpunctuated line there is a caption.
    (["قصيدة في حب الوطن الغالي", "صورة الشاعر خلال أمسية في عمّان", PARAGRAPH_AR], ["title", "caption", "body"]),
    # Short lines between the last paragraph and the first footer cue end the story; a rule of
    # dots carries no text.
    ([ "قصيدة في حب الوطن الغالي", PARAGRAPH_AR, "أتذكُرُهُ؟", "زنده در گور این همه دریا", "..........",
      "جميع الحقوق محفوظة"], ["title", "body", "body", "body", "boilerplate", "boilerplate"]),
    # A Persian lead that lost its full stop, followed by the "according to …" opening.
    (["تاکید چین بر همکاری با روسیه در جهت منافع ملی", "وزیر خارجه چین از آمادگی پکن برای همکاری با مسکو خبر داد",
      PARAGRAPH_FA], ["title", "lead", "body"]),
])
def test_layout_rules(lines: list[str], kinds: list[str]) -> None:
    text = "\n".join(lines)
    doc = clean(Document(text=text))
    assert [b.kind for b in doc.blocks] == kinds
    assert_offsets_exact(text, doc.blocks)


def test_long_paragraph_with_a_weak_cue_stays_body() -> None:
    # The social-promo pattern matches, but the line reads like a paragraph in the middle of the story.
    middle = ("وقال المتحدث إن الوزارة تدعو المواطنين إلى متابعة آخر المستجدات عبر حسابها الرسمي على تويتر، "
              "مشيراً إلى أن التحديثات ستنشر تباعاً خلال الأيام المقبلة.")
    text = "\n".join([ARABIC.splitlines()[1], ARABIC.splitlines()[3], middle, ARABIC.splitlines()[5]])
    doc = clean(Document(text=text))
    assert block_with_text(doc, middle).kind == "body"


@pytest.mark.parametrize("text", ["", "   ", "\n\n \r\n\t\n"])
def test_empty_text_has_no_blocks(text: str) -> None:
    doc = clean(Document(text=text))
    assert doc.blocks == () and doc.title is None


def test_text_without_newlines_is_one_body_block() -> None:
    text = "  " + seed_text("000_c28965e3e68c553e.txt").split("\n")[11] + "  "
    doc = clean(Document(text=text))
    assert len(doc.blocks) == 1
    assert doc.blocks[0].kind == "body" and doc.title is None
    assert text[doc.blocks[0].start:doc.blocks[0].end] == text.strip()


def test_single_short_line_is_body_not_title() -> None:
    doc = clean(Document(text="Lavrov visits China"))
    assert [b.kind for b in doc.blocks] == ["body"] and doc.title is None


def test_invisible_marks_at_line_edges_are_trimmed() -> None:
    text = "\ufeff\u200fتاکید چین بر همکاری با روسیه\u200c \n\u200e به گزارش خبرگزاری تسنیم، وزیر خارجه چین گفت.\u200f"
    doc = clean(Document(text=text))
    assert [doc.span_text(b) for b in doc.blocks] == ["تاکید چین بر همکاری با روسیه",
                                                      "به گزارش خبرگزاری تسنیم، وزیر خارجه چین گفت."]


def test_blocks_from_a_reader_are_kept_and_title_filled() -> None:
    text = "Headline here\nA paragraph of the story."
    blocks = (Block(0, 13, "title"), Block(14, len(text), "body"))
    doc = clean(Document(text=text, blocks=blocks))
    assert doc.blocks == blocks
    assert doc.title == Span(0, 13)
    titled = replace(doc, title=Span(14, 20))
    assert clean(titled).title == Span(14, 20)


def test_a_known_title_decides_the_title_line() -> None:
    text = seed_text("001_2b0a31d376df4e44.txt")
    start = text.index("الشريك الدبلوماسي")
    doc = clean(Document(text=text, title=Span(start, start + len("الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو"))))
    block = block_with_text(doc, "الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو")
    assert (block.kind, block.attr("cue")) == ("title", "given_title")
    assert doc.title == Span(start, block.end)


def test_stage_is_registered() -> None:
    info = get_stage("clean.v1")
    assert info.func is clean
    assert set(info.assigns) == {"blocks", "title"}


# -- the cue data --------------------------------------------------------------------------------

def test_cue_files_load_and_use_known_cues() -> None:
    book = load_cue_book()
    used = set(book.exact.values()) | {cue for _, cue in book.prefixes} | {cue for cue, _ in book.patterns}
    used |= set(book.tokens) | set(book.context_patterns)
    assert used <= set(CUE_ROLES)
    assert {"comment_author", "comment_votes", "dateline_prefix"} <= set(book.context_patterns)


@pytest.mark.parametrize("lang", CUE_LANGUAGES)
def test_cue_file_sources_are_documented(lang: str) -> None:
    folder = importlib.resources.files("khabar") / "lang" / lang
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    assert "boilerplate.yaml" in sources and "stopwords.txt" in sources
    assert yaml.safe_load((folder / "boilerplate.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("raw", "message"), [
    ({"exact": {"no_such_cue": ["x"]}}, "unknown cue name"),
    ({"nonsense": {}}, "unknown sections"),
    ({"exact": {"ad_marker": ["Advert", "ADVERT"]}}, "duplicate entry"),
    ({"exact": {"ad_marker": [" padded"]}}, "surrounding whitespace"),
    ({"exact": {"ad_marker": ["e\u0301"]}}, "NFC"),
    ({"pattern": {"caption": ["("]}}, "bad regex"),
    ({"pattern": {"comment_author": ["^(?P<author>\\S+)$"]}}, "named groups"),
    ({"exact": {"comment_votes": ["0 0"]}}, "only works as a pattern"),
    ({"words": {"months": ["x"]}}, "unknown word list"),
])
def test_bad_cue_data_is_refused(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ResourceError, match=message):
        build_cue_book({"test.yaml": raw})


def test_an_exact_line_claimed_by_two_cues_is_refused() -> None:
    with pytest.raises(ResourceError, match="already cue"):
        build_cue_book({"a.yaml": {"exact": {"ad_marker": ["x"]}}, "b.yaml": {"exact": {"captcha": ["x"]}}})


@pytest.mark.parametrize(("line", "key"), [
    ("  • برچسب‌ها: ", "برچسبها"),
    ("إضغط هنا للإشتراك", "اضغط هنا للاشتراک"),
    ("انتهای پیام/", "انتهای پیام"),
    ("Skip To Main   Content", "skip to main content"),
    ("کد خبر ۵۷۱۵۷۳۶", "کد خبر 5715736"),
])
def test_match_key_folds_variants(line: str, key: str) -> None:
    assert match_key(line) == key


def test_blocks_for_accepts_a_title_text() -> None:
    text = seed_text("001_2b0a31d376df4e44.txt")
    blocks = blocks_for(text, title_text="الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو")
    titles = [b for b in blocks if b.kind == "title"]
    assert [text[b.start:b.end] for b in titles] == ["الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو"]


# -- dev pages and samples: unseen-template accuracy ---------------------------------------------

DEV = ROOT / "eval" / "data" / "clean_dev"
SAMPLES = ROOT / "src" / "khabar" / "samples"
# Measured with eval/clean.py when these floors were set: dev 0.992 (498 of 502 lines), samples
# 0.993 (146 of 147). A change that drops below them made the stage worse on page templates.
DEV_ACCURACY_FLOOR = 0.99
SAMPLES_ACCURACY_FLOOR = 0.99
ARTICLE_KINDS = ("title", "lead", "body")


def dev_gold() -> dict[str, dict[int, str]]:
    """``eval/data/clean_dev/gold.tsv``: file, 1-based line over ``text.split("\\n")``, kind, note."""
    rows = [line.split("\t") for line in (DEV / "gold.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert rows[0][:3] == ["file", "line", "kind"]
    gold: dict[str, dict[int, str]] = {}
    for row in rows[1:]:
        gold.setdefault(row[0], {})[int(row[1])] = row[2]
    return gold


def dev_pages() -> list[str]:
    return sorted(dev_gold())


def samples_gold() -> dict[str, list[str]]:
    raw = yaml.safe_load((SAMPLES / "gold.yaml").read_text(encoding="utf-8"))["files"]
    return {name: value["kinds"] for name, value in raw.items() if name.endswith(".txt")}


def test_dev_set_is_large_enough_and_labels_every_line() -> None:
    gold = dev_gold()
    assert len(gold) >= 12
    assert {"fa", "ar", "en"} <= {name[:2] for name in gold}
    for name, labels in gold.items():
        text = (DEV / name).read_text(encoding="utf-8")
        non_empty = {n for n, line in enumerate(text.split("\n"), 1) if line.strip()}
        assert set(labels) == non_empty, name
        assert set(labels.values()) <= set(BLOCK_KINDS), name


def test_dev_pages_accuracy_floor() -> None:
    right = total = 0
    for name, labels in dev_gold().items():
        predicted = kinds_by_line((DEV / name).read_text(encoding="utf-8"))
        right += sum(1 for n, kind in labels.items() if predicted[n] == kind)
        total += len(labels)
    assert right / total >= DEV_ACCURACY_FLOOR


@pytest.mark.parametrize("name", dev_pages())
def test_no_dev_page_body_line_lost(name: str) -> None:
    predicted = kinds_by_line((DEV / name).read_text(encoding="utf-8"))
    lost = [n for n, kind in dev_gold()[name].items() if kind == "body" and predicted[n] not in ARTICLE_KINDS]
    assert lost == []


def test_samples_accuracy_floor_and_no_body_lost() -> None:
    right = total = 0
    for name, kinds in samples_gold().items():
        doc = clean(Document(text=(SAMPLES / name).read_text(encoding="utf-8")))
        predicted = [b.kind for b in doc.blocks]
        assert len(predicted) == len(kinds), name
        assert not [g for g, p in zip(kinds, predicted, strict=True) if g == "body" and p not in ARTICLE_KINDS]
        right += sum(1 for g, p in zip(kinds, predicted, strict=True) if g == p)
        total += len(kinds)
    assert right / total >= SAMPLES_ACCURACY_FLOOR


# -- generic shapes ------------------------------------------------------------------------------

P_EN = ("Officials said on Monday that the new rules would take effect next month and apply to all "
        "operators in the region.")
P_EN2 = ("The ministry did not say how many companies would be affected, but industry groups estimate "
         "that several hundred firms will need new licences.")
P_AR = PARAGRAPH_AR
P_FA = PARAGRAPH_FA
P_FA2 = ("وی افزود که این طرح در سه مرحله اجرا می‌شود و مرحله نخست آن تا پایان تابستان امسال به "
         "پایان خواهد رسید.")


def kinds_and_cues(lines: list[str]) -> list[tuple[str, str]]:
    text = "\n".join(lines)
    doc = clean(Document(text=text))
    assert_offsets_exact(text, doc.blocks)
    return [(b.kind, b.attr("cue")) for b in doc.blocks]


@pytest.mark.parametrize(("line", "kind"), [
    ("By Gulf Ledger staff", "byline"),
    ("By Kevin Marsh | kmarsh@gazette.example", "byline"),
    ("كتب- أحمد السيد:", "byline"),
    ("كتب محمد عبد الرحمن", "byline"),
    ("نوشته: مریم افشار", "byline"),
    ("Ayesha Khan, Senior Reporter", "byline"),
    ("عمّان – محرر الشؤون المحلية", "byline"),
    ("دبي: «الساحل»", "byline"),
    ("Cyclists ride along Main Street on Tuesday. (Photo: Dana Ortiz / The Gazette)", "caption"),
    ("برداشت گل زعفران در مزرعه‌ای در اطراف قائن؛ عکس آرشیوی", "caption"),
    ("محافظ الجيزة خلال جولته - صورة أرشيفية", "caption"),
    ("Getty Images", "caption"),
    ("تصوير- محمود عبد الغني:", "caption"),
    ("Published 6:05 a.m. CT June 5, 2024", "dateline"),
    ("ارسال شده در ۳ تیر ۱۴۰۳", "dateline"),
    ("تاريخ النشر: 2 يونيو 2024 00:30 صباحاً", "dateline"),
    ("3 hours ago", "dateline"),
])
def test_line_shapes_under_the_headline(line: str, kind: str) -> None:
    """Credit, caption and date shapes between the headline and the story."""
    body = P_AR if any("\u0600" <= c <= "\u06ff" for c in line) else P_EN
    second = P_FA2 if any(c in "پچژگ" for c in line) else (P_AR if body is P_AR else P_EN2)
    first = P_FA if body is P_AR and second is P_FA2 else body
    headline = "عنوان خبر درباره یک رویداد مهم" if first is P_FA else (
        "عنوان الخبر عن حدث مهم اليوم" if first is P_AR else "A headline about an important event")
    kinds = kinds_and_cues([headline, line, first, second])
    assert kinds[0][0] == "title"
    assert kinds[1][0] == kind
    assert [k for k, _ in kinds[2:]] == ["body", "body"]


@pytest.mark.parametrize("chrome", [
    ["Skip to main content", "World", "Business", "Sport", "Opinion"],
    ["پرش به محتوا", "پرش به فهرست مطالب", "صفحه اول", "ایران", "جهان"],
    ["Home News Sport Business Innovation Culture Travel Earth Video", "Share"],
    ["Exclusive news and analytics for professionals", "Learn more about", "My News", "Sign In", "Register"],
])
def test_menu_and_skip_links_are_not_the_headline(chrome: list[str]) -> None:
    headline = "Gulf insurers raise premiums as shipping risks persist"
    kinds = kinds_and_cues([*chrome, headline, P_EN, P_EN2])
    assert [k for k, _ in kinds] == ["boilerplate"] * len(chrome) + ["title", "body", "body"]


def test_cookie_notice_above_the_menu_is_not_the_story() -> None:
    kinds = kinds_and_cues([
        "This site uses tracking technology to improve your experience. By continuing you agree to this.",
        "OK", "Home | World | Business | Sport", "Gulf insurers raise premiums as shipping risks persist",
        P_EN, P_EN2])
    assert [k for k, _ in kinds] == ["boilerplate"] * 3 + ["title", "body", "body"]


def test_site_clock_names_the_day_and_story_date_does_not() -> None:
    kinds = kinds_and_cues(["امروز: دوشنبه ۱۴ خرداد ۱۴۰۳ - ۰۹:۴۲", "صفحه نخست | سیاسی | اقتصادی | ورزشی",
                            "کد خبر: ۱۲۰۸۸۴۳", "۱۴ خرداد ۱۴۰۳ - ۰۹:۱۵", "ذخایر سدهای تهران به ۴۲ درصد رسید",
                            P_FA, P_FA2])
    assert kinds[0] == ("boilerplate", "site_clock")
    assert kinds[3] == ("dateline", "header_date")
    assert kinds[4] == ("title", "first_headline")


def test_related_list_after_the_story_is_boilerplate_and_prose_after_it_too() -> None:
    kinds = kinds_and_cues(["A headline about an important event", P_EN, P_EN2, "Most Popular",
                            "Police identify driver in Route 9 crash", "High school graduation schedule announced",
                            "Sign up to get local news delivered every weekday morning to you.", "© 2024 Gazette"])
    assert [k for k, _ in kinds] == ["title", "body", "body"] + ["boilerplate"] * 5
    assert [c for _, c in kinds[4:6]] == ["link_item", "link_item"]


@pytest.mark.parametrize(("after_header", "kinds"), [
    # One linked headline, then the story's own subheading and paragraph.
    (["Insulin shortage: what are pharmacies saying?", "Who pays?", P_EN2],
     ["boilerplate", "body", "body"]),
    # Two headlines, then the story goes on.
    (["UAE announces holiday for private sector", "Dubai Metro to run extended hours during Eid", P_EN2],
     ["boilerplate", "boilerplate", "body"]),
])
def test_read_also_inside_the_story(after_header: list[str], kinds: list[str]) -> None:
    got = kinds_and_cues(["A headline about an important event", P_EN, "Also read", *after_header])
    assert [k for k, _ in got] == ["title", "body", "boilerplate", *kinds]


def test_unheaded_headline_list_after_the_story() -> None:
    headlines = ["Oil prices edge higher on supply worries", "Suez Canal revenue falls by half",
                 "Egypt raises bread prices for first time"]
    kinds = kinds_and_cues(["A headline about an important event", P_EN, P_EN2, *headlines])
    assert [(k, c) for k, c in kinds[3:]] == [("boilerplate", "link_list")] * 3


@pytest.mark.parametrize("trailing", [
    # A table the story introduces with a colon.
    ["Final standings are as follows:", "Team one leads with points", "Team two follows closely behind",
     "Team three finished third overall"],
    # Verse with function words ends a story.
    ["and the night is long for us", "but the sea is still in the heart", "and we wait for the dawn"],
])
def test_trailing_lists_and_verse_stay_body(trailing: list[str]) -> None:
    kinds = kinds_and_cues(["A headline about an important event", P_EN, P_EN2, *trailing])
    assert [k for k, _ in kinds[3:]] == ["body"] * len(trailing)


def test_lines_inside_the_story_stay_body() -> None:
    # A date (a schedule), a repeat of the headline (a poem's title) and a refrain.
    headline = "A poem for the city by the sea"
    kinds = kinds_and_cues([headline, P_EN, P_EN2, "Wednesday 11 June 2024", headline, "the sea remembers us",
                            P_EN, "the sea remembers us", "It ends here, the minister said today."])
    assert [k for k, _ in kinds] == ["title"] + ["body"] * 8


def test_comments_with_a_counted_heading_and_multiline_headers() -> None:
    text = "\n".join(["A headline about an important event", P_EN, P_EN2, "3 Comments", "Sort by Newest",
                      "mike_t", "2 hours ago", "Finally. Main Street has been dangerous for years.",
                      "Reply · 4 likes", "RiversideResident", "1 hour ago", "Where do trucks park now?"])
    doc = clean(Document(text=text))
    kinds = [(b.kind, b.attr("cue")) for b in doc.blocks]
    assert kinds[3:5] == [("boilerplate", "comments_header"), ("boilerplate", "site_ui")]
    assert [k for k, _ in kinds[5:]] == ["comment"] * 7
    second = block_with_text(doc, "Where do trucks park now?")
    assert second.attr("comment") == 1 and second.attr("author") == "RiversideResident"
    assert doc.text[second.attr("timestamp_start"):second.attr("timestamp_end")] == "1 hour ago"
    assert doc.text[second.attr("author_start"):second.attr("author_end")] == "RiversideResident"


@pytest.mark.parametrize("heading", ["التعليقات (٢)", "تعليقات الزوار", "۳ دیدگاه", "نظرات خوانندگان"])
def test_comment_headings_and_rules_before_the_first_comment(heading: str) -> None:
    kinds = kinds_and_cues(["عنوان الخبر عن حدث مهم اليوم", P_AR, heading,
                            "ملاحظة: التعليقات لا تعبر عن رأي الموقع", "سامر", "منذ ساعتين",
                            "نفس المشكلة عنا، البلدية ما عم تعمل شي"])
    assert [k for k, _ in kinds] == ["title", "body", "boilerplate", "boilerplate", "comment", "comment", "comment"]


def test_comments_without_a_heading_after_the_story() -> None:
    kinds = kinds_and_cues(["A headline about an important event", P_EN, P_EN2,
                            "Sam", "2 hours ago", "Good news for the region.",
                            "Dana", "1 hour ago", "About time they acted."])
    assert [k for k, _ in kinds[3:]] == ["comment"] * 6


def test_a_single_name_and_date_after_the_story_is_not_a_comment_section() -> None:
    kinds = kinds_and_cues(["A headline about an important event", P_EN, P_EN2, "Jane Roe", "June 3, 2024"])
    assert "comment" not in [k for k, _ in kinds]


def test_lead_set_apart_by_byline_or_followed_by_a_dateline_opening() -> None:
    lead = "Talks focused on a regular shipping service between the two ports, officials said."
    kinds = kinds_and_cues(["A headline about an important event", lead, "By Gulf Ledger staff", P_EN, P_EN2])
    assert [k for k, _ in kinds] == ["title", "lead", "byline", "body", "body"]
    opening = "MUSCAT, Dec 16 — " + P_EN
    assert [k for k, _ in kinds_and_cues(["A headline about an important event", lead, opening, P_EN2])] == \
        ["title", "lead", "body", "body"]


# -- stopwords and strict cue files ----------------------------------------------------------------

@pytest.mark.parametrize("lang", CUE_LANGUAGES)
def test_stopword_files_load(lang: str) -> None:
    path = importlib.resources.files("khabar") / "lang" / lang / "stopwords.txt"
    words = parse_stopwords(path.read_text(encoding="utf-8"), f"{lang}/stopwords.txt")
    assert len(words) >= 80
    assert words <= load_stopwords()


@pytest.mark.parametrize(("text", "message"), [
    ("the\nThe\n", "duplicate entry"),
    ("the\n padded\n", "surrounding whitespace"),
])
def test_bad_stopword_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(ResourceError, match=message):
        parse_stopwords(text, "test.txt")


def test_cue_yaml_with_a_repeated_key_is_refused() -> None:
    with pytest.raises(yaml.YAMLError, match="repeated keys"):
        parse_cue_yaml("prefix:\n  byline:\n    - a\n  byline:\n    - b\n")
