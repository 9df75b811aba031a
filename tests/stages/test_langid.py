"""Tests of the language-identification stage `langid.v1` (khabar.stages.langid)."""

from __future__ import annotations

import socket
import sysconfig
import unicodedata
from pathlib import Path

import pytest
import yaml

from khabar.document import Block, Document
from khabar.stages import langid
from khabar.stages.langid import LangGuess, identify, identify_languages

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / ".." / "shared" / "seeds"
SEED_NAMES = (
    "000_c28965e3e68c553e.txt",
    "001_2b0a31d376df4e44.txt",
    "002_27d9175388c3cb3c.txt",
    "003_0fd4009b84a8a001.txt",
    "004_ca666f6c74e70a31.txt",
)
SEED_LANG = {"000": "fa", "001": "ar", "002": "ar", "003": "fa", "004": "fa"}
SEED_LINES_GOLD = REPO / "eval" / "data" / "seed_lines_lang.tsv"
PHRASES_GOLD = REPO / "eval" / "data" / "short_phrases_lang.tsv"


def read_tsv(path: Path) -> list[list[str]]:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return rows[1:]


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")  # a missing seed raises: the test fails


def line_blocks(text: str) -> tuple[Block, ...]:
    """One body block per non-empty line, spans trimmed of surrounding spaces."""
    blocks, offset = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            blocks.append(Block(start, start + len(stripped), "body"))
        offset += len(line) + 1
    return tuple(blocks)


# Phrases the model reads as the other language when they stand alone: no letter tells Persian
# from Arabic and the model leans the wrong way (docs/langid.md). Inside a page the document
# prior settles them (test_phrase_inside_a_document_of_its_language).
ALONE_MISREAD = {"نظر شما", "اتصل بنا"}


@pytest.mark.parametrize(("phrase", "gold"),
                         [(p, g) for p, g in read_tsv(PHRASES_GOLD) if p not in ALONE_MISREAD])
def test_short_phrase_alone(phrase: str, gold: str) -> None:
    # The phrases in ALONE_MISREAD carry no script evidence and the model leans to the other
    # language when they stand alone; they are read right inside a page (tests below).
    assert identify(phrase).lang == gold


@pytest.mark.parametrize("phrase", sorted(ALONE_MISREAD))
def test_known_misreads_still_misread_alone(phrase: str) -> None:
    # Guards the list above: when a model or rule change fixes one, drop it from ALONE_MISREAD.
    gold = dict(read_tsv(PHRASES_GOLD))[phrase]
    assert identify(phrase).lang != gold


@pytest.mark.parametrize(("phrase", "gold"), read_tsv(PHRASES_GOLD))
def test_phrase_inside_a_document_of_its_language(phrase: str, gold: str) -> None:
    guess = identify(phrase, document_lang=gold)
    assert guess.lang == gold
    assert guess.confidence is not None and 0.0 <= guess.confidence <= 1.0


@pytest.mark.parametrize(("text", "document_lang", "expected"), [
    ("وزارة الخارجية", "fa", "ar"),        # teh marbuta: an Arabic line in a Persian page stays Arabic
    ("مجلس الأمن الدولي", "fa", "ar"),
    ("آخرین اخبار", "ar", "fa"),            # Farsi yeh: a Persian line in an Arabic page stays Persian
    ("Breaking news", "fa", "en"),          # no Arabic-script letter: not Persian whatever the page
    ("China Russia", "fa", "en"),
    ("Breaking news", "ar", "en"),
])
def test_script_evidence_beats_the_document_prior(text: str, document_lang: str, expected: str) -> None:
    assert identify(text, document_lang=document_lang).lang == expected


@pytest.mark.parametrize("text", ["۰۲:۴۱", "0 0", "XS", "LG", "[ad_1]", "", "  \n ", "۱۴۰۱/۱۲/۰۴ - 12:30"])
def test_too_few_letters_has_no_language(text: str) -> None:
    assert identify(text) == LangGuess(None, None)


@pytest.mark.parametrize(("text", "expected"), [
    # Older Persian spelling with Arabic yeh/kaf (as in older Fars News articles) and no letter only
    # Persian uses: the bare model says "ar" for the first three; the respelled Persian score wins.
    ("قيمت جهاني نفت 5 درصد افزايش يافت", "fa"),
    ("نيروهاي عراقي يك روزنامه را بستند", "fa"),
    ("تيم جديد براي اداره امور شهر", "fa"),
    ("وي گفت: اين طرح در دولت جديد بررسي مي‌شود", "fa"),
    ("رئيس كل دادگستري استان تهران", "fa"),
    # Other languages come out with their own code.
    ("Министр иностранных дел России Сергей Лавров прибыл в Пекин", "ru"),
    ("Dışişleri Bakanı Lavrov Pekin'e gitti", "tr"),
    ("The foreign minister arrived in Beijing on Monday", "en"),
])
def test_languages_alone(text: str, expected: str) -> None:
    assert identify(text).lang == expected


@pytest.mark.parametrize("text", ["قيمت جهاني نفت 5 درصد افزايش يافت", "تيم جديد براي اداره امور شهر"])
def test_bare_model_misreads_older_persian_spelling(text: str) -> None:
    # Why spelling_variants exists; if a new model reads these as Persian, the respelling can go.
    scores = langid.fasttext_scores(text)
    assert max(scores, key=scores.__getitem__) == "ar"


def test_newlines_are_read_not_rejected() -> None:
    # fastText raises on "\n" in its input; the scorer flattens whitespace first.
    assert identify("خبر فوری\nوزیر امور خارجه روسیه در چین").lang == "fa"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_document_language_without_blocks(name: str) -> None:
    doc = identify_languages(Document(text=seed_text(name)))
    assert doc.lang == SEED_LANG[name[:3]]
    assert doc.lang_confidence is not None and 0.9 <= doc.lang_confidence <= 1.0
    assert doc.blocks == ()
    assert not doc.issues


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_block_languages(name: str) -> None:
    text = seed_text(name)
    gold = {int(line): lang for seed, line, lang in read_tsv(SEED_LINES_GOLD) if seed == name}
    doc = identify_languages(Document(text=text, blocks=line_blocks(text)))
    assert doc.lang == SEED_LANG[name[:3]]
    assert len(doc.blocks) == len(gold)
    for block in doc.blocks:
        line_no = text.count("\n", 0, block.start) + 1
        expected = None if gold[line_no] == "und" else gold[line_no]
        assert block.lang == expected, f"line {line_no}: {doc.span_text(block)!r}"
        if block.lang is None:
            assert block.lang_confidence is None
        else:
            assert block.lang_confidence is not None and 0.0 <= block.lang_confidence <= 1.0


def test_stage_keeps_text_and_spans() -> None:
    text = seed_text(SEED_NAMES[4])
    before = Document(text=text, blocks=line_blocks(text))
    after = identify_languages(before)
    assert after.text == before.text and after.id == before.id
    assert [(b.start, b.end, b.kind, b.attrs) for b in after.blocks] == \
        [(b.start, b.end, b.kind, b.attrs) for b in before.blocks]


def test_document_language_comes_from_article_blocks() -> None:
    persian = "وزیر امور خارجه روسیه روز دوشنبه به چین سفر کرد تا بر تحکیم روابط دو کشور تاکید کند."
    arabic = ("قال وزير الخارجية الروسي إن روسيا والصين اتفقتا على مناقشة سبل تعميق تعاونهما الأمني في آسيا "
              "وأوروبا لمواجهة محاولات الولايات المتحدة فرض إرادتها على المنطقة، وأضاف أن العلاقات قوية.")
    text = f"{persian}\n{arabic}"
    blocks = (Block(0, len(persian), "body"), Block(len(persian) + 1, len(text), "comment"))
    doc = identify_languages(Document(text=text, blocks=blocks))
    assert doc.lang == "fa"  # the longer Arabic comment does not decide the page
    assert [b.lang for b in doc.blocks] == ["fa", "ar"]


def test_no_letters_records_an_issue() -> None:
    doc = identify_languages(Document(text="۱۴۰۱/۱۲/۰۴ - 12:30"))
    assert doc.lang is None and doc.lang_confidence is None
    assert [i.code for i in doc.issues] == ["lang_unknown"]


@pytest.mark.parametrize(("declared", "issues"), [("ar", ["lang_mismatch"]), ("fa-IR", []), ("FA", [])])
def test_declared_language_is_checked(declared: str, issues: list[str]) -> None:
    doc = Document(text=seed_text(SEED_NAMES[0])).with_meta(lang=declared)
    assert [i.code for i in identify_languages(doc).issues] == issues


def test_model_ships_inside_an_installed_package() -> None:
    path = langid.model_path().resolve()
    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert path.name == "lid.176.ftz"
    assert path.is_relative_to(site_packages)
    assert path.stat().st_size > 500_000


def test_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("language identification tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    langid._fasttext_model.cache_clear()
    try:
        assert identify("وزیر امور خارجه روسیه در چین").lang == "fa"
    finally:
        langid._fasttext_model.cache_clear()


def test_settings_letter_lists_are_clean() -> None:
    raw = yaml.safe_load((REPO / "src" / "khabar" / "lang" / "langid.yaml").read_text(encoding="utf-8"))
    for lang, letters in raw["letters_not_used"].items():
        assert len(letters) == len(set(letters)), f"duplicate letter for {lang}"
        for letter in letters:
            assert len(letter) == 1 and letter.isalpha(), f"{lang}: {letter!r} is not one letter"
            assert unicodedata.normalize("NFC", letter) == letter
    for lang, table in raw["model"]["spelling_variants"].items():
        for source, target in table.items():
            assert len(source) == len(target) == 1 and source != target, f"{lang}: {source!r} -> {target!r}"
    assert set(raw["scripts"]) <= set(raw["languages_in_play"])
