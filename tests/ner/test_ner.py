"""khabar.ner: corpus readers, tokenizer, scorer, the shipped models' load time, offsets and floors.

The floors are F1 on the first sentences of each test split as measured with the shipped models
on FLOORS_MEASURED, minus a margin (see FLOORS); retrain -> re-measure -> update them.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from khabar.ner import NerSpan, tag, tokenize
from khabar.ner.corpora import EntitySpan, Sentence, read_split, read_wojood, tags_to_spans
from khabar.ner.evaluate import MICRO, predict, score
from khabar.ner.features import sentence_features, token_info
from khabar.ner.tagger import bio_spans, recogniser, sentences
from tests.conftest import SEED_LANGS, shared_path

REPO = Path(__file__).resolve().parents[2]


# -- readers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("tags", "expected"), [
    (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),  # IOB2
    (["I-PER", "I-PER", "O", "I-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),  # IOB1
    (["I-PER", "B-PER", "O"], [(0, 1, "PER"), (1, 2, "PER")]),  # IOB1: B splits two entities
    (["B_PER", "I_ORG", "O"], [(0, 1, "PER"), (1, 2, "ORG")]),  # PEYMA style, type change
    (["S-LOC", "B-ORG", "E-ORG", "O"], [(0, 1, "LOC"), (1, 3, "ORG")]),  # BIOES
    (["B-pers", "I-pers", "B-fac"], [(0, 2, "PER"), (2, 3, "FAC")]),  # Arman types
    (["B-PERS", "I-PERS", "B-MISC"], [(0, 2, "PER"), (2, 3, "MISC")]),  # ANERcorp types
    (["O", "O"], []),
])
def test_tags_to_spans(tags: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert tags_to_spans(tags) == [EntitySpan(*e) for e in expected]


def test_wojood_nesting_is_flattened_to_the_outermost_kept_entity(tmp_path: Path) -> None:
    # OCC is not a kept type, so the ORG and GPE inside it surface; GPE is read as LOC.
    path = tmp_path / "w.txt"
    path.write_text(textwrap.dedent("""\
        سكرتير B-OCC
        اللجنة I-OCC B-ORG
        القومية I-OCC I-ORG
        في I-OCC
        نابلس I-OCC B-GPE
        مجلس B-ORG
        الأمن I-ORG
        ضد I-ORG
        الأسد I-ORG B-PERS

        1948 B-DATE
        """), encoding="utf-8")
    first, second = read_wojood(path)
    assert first.spans == (EntitySpan(1, 3, "ORG"), EntitySpan(4, 5, "LOC"), EntitySpan(5, 9, "ORG"))
    assert second == Sentence(("1948",), ())


@pytest.mark.parametrize(("split", "sentences_count", "mentions"), [
    ("peyma/train", 8028, 16081),  # counts from peyma/SOURCE.md
    ("arman/train_fold1", 5121, 8743),  # arman-personer/SOURCE.md
    ("peyma/test", 1026, 1982),
    ("arman/test_fold1", 2560, 4327),
])
def test_readers_match_the_counts_in_source_md(split: str, sentences_count: int, mentions: int) -> None:
    data = shared_path("data")
    read = read_split(split, data)
    assert len(read) == sentences_count
    assert sum(len(s.spans) for s in read) == mentions


# -- tokenizer and features --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tokens"), [
    ("سیاست‌گذاری‌های دولت", ["سیاست‌گذاری‌های", "دولت"]),  # ZWNJ words stay whole
    ("«تاس»، روسیه؛ چرا؟", ["«", "تاس", "»", "،", "روسیه", "؛", "چرا", "؟"]),
    ("في ١٤٠٣/٠٨/١٦ و3.5%", ["في", "١٤٠٣/٠٨/١٦", "و3", ".", "5", "%"]),
    ("مُحَمَّد (د ب أ)", ["مُحَمَّد", "(", "د", "ب", "أ", ")"]),  # harakat inside the word
    ("‌word‌ ", ["word"]),  # stray ZWNJs at word edges are not part of it
])
def test_tokenize(text: str, tokens: list[str]) -> None:
    found = tokenize(text)
    assert [t.text for t in found] == tokens
    assert all(text[t.start:t.end] == t.text for t in found)


def test_sentences_break_at_stops_and_newlines() -> None:
    text = "الف ب. ج\nد"
    groups = sentences(text, tokenize(text))
    assert [[t.text for t in g] for g in groups] == [["الف", "ب", "."], ["ج"], ["د"]]


@pytest.mark.parametrize(("labels", "spans"), [
    (["B-PER", "I-PER", "O", "I-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
    (["B-PER", "B-PER", "I-ORG"], [(0, 1, "PER"), (1, 2, "PER"), (2, 3, "ORG")]),
])
def test_bio_spans(labels: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert bio_spans(labels) == spans


@pytest.mark.parametrize(("token", "lang", "stem"), [
    ("وبالقاهرة", "ar", "قاهره"),
    ("للرئيس", "ar", "رئيس"),
    ("کشورهای", "fa", "كشور"),
    ("کشور‌های", "fa", "كشور"),  # with a ZWNJ
    ("ایران", "fa", ""),  # no suffix of the list
])
def test_stems(token: str, lang: str, stem: str) -> None:
    assert token_info(token, lang).stem == stem


def test_features_are_the_same_for_both_spellings_of_a_zwnj_word() -> None:
    # PEYMA writes ZWNJ words with a space inside one token; running text has the ZWNJ.
    assert sentence_features(["سیاست گذاری"], "fa", None) == sentence_features(["سیاست‌گذاری"], "fa", None)


# -- scorer --------------------------------------------------------------------------------------

def test_score_is_exact_span_and_type() -> None:
    gold = [Sentence(("a", "b", "c", "d"), (EntitySpan(0, 2, "PER"), EntitySpan(3, 4, "LOC")))]
    predicted = [[EntitySpan(0, 2, "PER"), EntitySpan(2, 4, "LOC"), EntitySpan(1, 2, "FAC")]]
    scores = score(gold, predicted, ("PER", "LOC"))  # FAC is not a type of this corpus
    assert (scores[MICRO].tp, scores[MICRO].fp, scores[MICRO].fn) == (1, 1, 1)
    assert scores["PER"].f1 == 1.0 and scores["LOC"].f1 == 0.0
    assert scores[MICRO].f1 == pytest.approx(0.5)


# -- the shipped models --------------------------------------------------------------------------

def test_models_load_in_under_a_second() -> None:
    code = ("import json, time; from khabar.ner.tagger import recogniser; out = {}\n"
            "for lang in ('fa', 'ar'):\n"
            "    t = time.perf_counter(); recogniser(lang); out[lang] = time.perf_counter() - t\n"
            "print(json.dumps(out))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    seconds = json.loads(result.stdout)
    assert all(s < 1.0 for s in seconds.values()), seconds


@pytest.mark.parametrize("seed", sorted(SEED_LANGS))
def test_spans_are_exact_on_the_seeds(seed_texts: dict[str, str], seed: str) -> None:
    text = seed_texts[seed]
    spans = tag(text, SEED_LANGS[seed])
    assert spans, "every seed names someone or somewhere"
    for span in spans:
        assert isinstance(span, NerSpan)
        assert text[span.start:span.end] == span.text
        assert span.text == span.text.strip() and span.text
        assert 0.0 <= span.score <= 1.0
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


# Sentences written for this test (not from any corpus); the types are what a reader expects.
@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("سرگئی لاوروف با وانگ یی در پکن دیدار کرد", "fa",
     [("سرگئی لاوروف", "PER"), ("وانگ یی", "PER"), ("پکن", "LOC")]),
    ("حسن روحانی رئیس جمهور ایران امروز به ترکیه سفر کرد.", "fa",
     [("حسن روحانی", "PER"), ("ایران", "LOC"), ("ترکیه", "LOC")]),
    ("به گزارش خبرگزاری مهر، وزارت امور خارجه ایران بیانیه‌ای منتشر کرد.", "fa",
     [("خبرگزاری مهر", "ORG"), ("وزارت امور خارجه ایران", "ORG")]),
    ("التقى سيرغي لافروف وانغ يي في بكين.", "ar",
     [("سيرغي لافروف", "PER"), ("وانغ يي", "PER"), ("بكين", "LOC")]),
    ("قال الرئيس المصري عبد الفتاح السيسي إن مصر ستدعم الأمم المتحدة.", "ar",
     [("عبد الفتاح السيسي", "PER"), ("مصر", "LOC"), ("الأمم المتحدة", "ORG")]),
])
def test_sentences_written_for_the_test(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.text, s.type) for s in tag(text, lang) if s.type in ("PER", "ORG", "LOC")] == expected


# F1 (all the corpus's types, micro) on the first SLICE sentences of each test split, measured
# with the shipped models; each floor is the measurement minus 0.02.
# Measured with `.venv/bin/python eval/ner.py --limit 150 --json` on FLOORS_MEASURED.
FLOORS_MEASURED = "2026-11-22"
SLICE = 150
MARGIN = 0.02
FLOORS: dict[str, float] = {
    "peyma/test": 0.8253 - MARGIN,
    "arman/test_fold1": 0.7281 - MARGIN,
    "anercorp/test": 0.7605 - MARGIN,
    "wojood/test": 0.8087 - MARGIN,
}


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_f1_floor_on_a_slice_of_each_test_split(split: str) -> None:
    from khabar.ner.corpora import split as split_info

    info = split_info(split)
    sentences_ = read_split(split, shared_path("data"))[:SLICE]
    scores = score(sentences_, predict(recogniser(info.lang), sentences_, info.convention), info.types)
    assert scores[MICRO].f1 >= FLOORS[split], f"{split}: F1 {scores[MICRO].f1:.4f} < floor {FLOORS[split]}"


# -- word clusters -------------------------------------------------------------------------------

def test_word_clusters_round_trip_and_unknown_words(tmp_path: Path) -> None:
    from khabar.ner.clusters import WordClusters

    clusters = WordClusters.from_paths({"fa": {"تهران": "0110", "پکن": "0111"}, "ar": {"بكين": "0"}},
                                       {"depth": 4})
    path = tmp_path / "clusters.bin"
    clusters.dump(path)
    loaded = WordClusters.load(path)
    assert loaded.path("تهران", "fa") == "0110"
    assert loaded.path("پکن", "fa") == "0111"
    assert loaded.path("بكين", "ar") == "0"  # a leading zero survives
    assert loaded.path("بكين", "fa") == "" and loaded.path("مسکو", "fa") == ""
    assert loaded.header["langs"] == {"ar": 1, "fa": 2}


def test_cluster_features_fall_back_to_the_arabic_stem() -> None:
    from khabar.ner.clusters import WordClusters

    # والصين has no path of its own; its stem with the article (الصين) has one.
    clusters = WordClusters.from_paths({"ar": {token_info("الصين", "ar").norm: "101101"}}, {})
    own = sentence_features(["والصين"], "ar", None, clusters=clusters)[0]
    assert "cl4=1011" in own and "clF=101101" in own
    unknown = sentence_features(["قال", "والصين"], "ar", None, clusters=clusters)
    assert "cl=none" in unknown[0] and "clF[1]=101101" in unknown[0]


def test_the_shipped_clusters_cover_common_names() -> None:
    from khabar.ner.tagger import _clusters

    clusters = _clusters()
    assert clusters is not None
    for word, lang in (("تهران", "fa"), ("ایران", "fa"), ("الرياض", "ar"), ("السعودية", "ar")):
        assert clusters.path(token_info(word, lang).norm, lang), word


@pytest.mark.parametrize(("lang", "alike", "unlike"), [
    ("fa", ("تهران", "اصفهان", "مشهد"), "گفت"),  # cities vs a verb
    ("ar", ("الرياض", "جدة"), "قال"),
])
def test_shipped_clusters_put_words_used_alike_together(lang: str, alike: tuple[str, ...], unlike: str) -> None:
    from khabar.ner.tagger import _clusters

    clusters = _clusters()
    assert clusters is not None
    paths = [clusters.path(token_info(w, lang).norm, lang) for w in (*alike, unlike)]
    assert all(paths), paths
    assert len({p[:8] for p in paths[:-1]}) == 1, paths  # the alike words share 8 bits
    assert paths[-1][:8] != paths[0][:8], paths


@pytest.mark.parametrize("pairs", [False, True])
def test_convention_pairs_copy_lexical_features_per_corpus(pairs: bool) -> None:
    feats = sentence_features(["تهران"], "fa", None, "arman", convention_pairs=pairs)[0]
    assert "conv=arman" in feats
    assert ("arman|w=تهران" in feats) is pairs
    assert not any(f.startswith("peyma|") for f in feats)
