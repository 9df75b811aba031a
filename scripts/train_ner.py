"""Train khabar's CRF named-entity recognisers (Persian and Arabic) from ../shared/data.

    .venv/bin/python scripts/train_ner.py                 # both languages, shipped settings
    .venv/bin/python scripts/train_ner.py --tune          # pick c1/c2 on the dev sets first
    .venv/bin/python scripts/train_ner.py --lang fa --out /tmp/ner   # elsewhere, one language

Training data (training and dev splits of ../shared/data/INDEX.md only):
- fa: PEYMA train + ArmanPersoNER train_fold1; dev: PEYMA dev.
- ar: ANERcorp CamelLab-style train + Wojood sample train; dev: Wojood val.
Settings and features are chosen on the dev splits plus the last tenth of Arman train_fold1 /
ANERcorp train held out (--tune does this for c1/c2; MODEL_CARD.md lists what was measured).
The shipped model then trains on the training splits and the dev splits together (--no-dev:
training splits only). Test splits are never read here except by the closing evaluation that
writes the model card's score table (eval/ner.py's code).

Word clusters (``clusters.bin``) are an input, built beforehand by ``scripts/ner_clusters.py``
(--clusters picks another file; it is copied into --out).

Writes into --out (default src/khabar/ner/): ``model_fa.crfsuite``, ``model_ar.crfsuite``,
``gazetteer.bin`` (hashed name lists, see khabar.ner.gazetteer), ``models.json`` (settings, data,
sizes, times, scores) and ``MODEL_CARD.md``. Deterministic: the same data and settings give the
same models (crfsuite's L-BFGS has no randomness; sentences are appended in file order).
The languages train one after the other on one core. Train into a scratch --out and copy the
files over together: the tagger reads them as one set.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pycrfsuite

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from khabar.ner import corpora  # noqa: E402
from khabar.ner.clusters import WordClusters  # noqa: E402
from khabar.ner.corpora import Sentence, read_split  # noqa: E402
from khabar.ner.evaluate import MICRO, predict, score  # noqa: E402
from khabar.ner.features import FEATURE_VERSION, sentence_features  # noqa: E402
from khabar.ner.gazetteer import Gazetteer, build_name_lists  # noqa: E402
from khabar.ner.tagger import CLUSTERS_FILE, GAZETTEER_FILE, INFO_FILE, MODEL_FILE, Recogniser  # noqa: E402

DATA = (REPO / ".." / "shared" / "data").resolve()
DEFAULT_OUT = REPO / "src" / "khabar" / "ner"

TRAIN = {"fa": ("peyma/train", "arman/train_fold1"), "ar": ("anercorp/train", "wojood/train")}
DEV = {"fa": ("peyma/dev",), "ar": ("wojood/val",)}
# Held out (last tenth) while tuning only; all of it trains the final model.
TUNE_HOLDOUT = {"fa": "arman/train_fold1", "ar": "anercorp/train"}
HOLDOUT_FRACTION = 0.1
# The convention running text is tagged with: the news corpus of each language.
RUNTIME_CONVENTION = {"fa": "peyma", "ar": "anercorp"}


@dataclass(frozen=True)
class Settings:
    c1: float
    c2: float
    max_iterations: int = 150
    min_freq: int = 2
    # Give every token its corpus's annotation convention (features.sentence_features); running
    # text is then tagged with RUNTIME_CONVENTION.
    conventions: bool = True
    # Word-cluster features from clusters.bin (scripts/ner_clusters.py).
    clusters: bool = True
    # Lexical features joined to the convention (features.sentence_features).
    convention_pairs: bool = False
    # Add the dev splits to the training data of the shipped model, once the settings are chosen
    # (the dev scores in the model card then come from the tuning runs, not from this model).
    train_on_dev: bool = True


# ar: c1/c2 chosen with --tune (ANERcorp-train holdout + Wojood val; (0.01, 0.01) and (0.05, 0.01)
# tied within 0.001 mean F1, the sparser model was kept; 300 iterations beat 150 by 0.004).
# fa: the same c1/c2 without a grid search of its own (one fa fit takes 6-7 minutes of one core).
# Clusters and convention pairs: see DEV_CHOICES (measured on the dev sets).
SHIPPED = {"fa": Settings(c1=0.05, c2=0.01, max_iterations=120, convention_pairs=True),
           "ar": Settings(c1=0.05, c2=0.01, max_iterations=300)}
GRID = [(0.01, 0.01), (0.05, 0.01), (0.02, 0.05), (0.1, 0.1)]


def load(names: Sequence[str]) -> dict[str, list[Sentence]]:
    for name in names:
        if not corpora.split(name).for_training:
            raise SystemExit(f"{name} is a reporting-only split (INDEX.md): it must not be trained or tuned on")
    return {name: read_split(name, DATA) for name in names}


def make_trainer(lang: str, data: dict[str, list[Sentence]], gazetteer: Gazetteer | None,
                 conventions: bool, clusters: WordClusters | None = None,
                 convention_pairs: bool = False) -> pycrfsuite.Trainer:
    """A crfsuite trainer holding the features of the named splits (reusable for several settings)."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for name, sentences in data.items():
        convention = corpora.split(name).convention if conventions else None
        for sentence in sentences:
            xseq = sentence_features(sentence.tokens, lang, gazetteer, convention, clusters, convention_pairs)
            trainer.append(xseq, sentence.bio())
    return trainer


def fit(trainer: pycrfsuite.Trainer, settings: Settings, path: Path) -> dict[str, float | int]:
    started = time.perf_counter()
    trainer.set_params({"c1": settings.c1, "c2": settings.c2, "max_iterations": settings.max_iterations,
                        "feature.minfreq": settings.min_freq, "feature.possible_transitions": True})
    trainer.train(str(path))
    log = trainer.logparser.last_iteration or {}
    return {"train_seconds": round(time.perf_counter() - started, 1),
            "iterations": int(log.get("num", 0)), "active_features": int(log.get("active_features", 0)),
            "bytes": path.stat().st_size}


def train_model(lang: str, data: dict[str, list[Sentence]], gazetteer: Gazetteer | None,
                settings: Settings, path: Path, clusters: WordClusters | None = None) -> dict[str, float | int]:
    started = time.perf_counter()
    trainer = make_trainer(lang, data, gazetteer, settings.conventions, clusters, settings.convention_pairs)
    seconds = round(time.perf_counter() - started, 1)
    return {"feature_seconds": seconds, **fit(trainer, settings, path)}


def open_recogniser(lang: str, path: Path, gazetteer: Gazetteer | None, settings: Settings,
                    clusters: WordClusters | None = None) -> Recogniser:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return Recogniser(lang, tagger, gazetteer, RUNTIME_CONVENTION[lang] if settings.conventions else None,
                      clusters if settings.clusters else None, settings.convention_pairs)


def evaluate_splits(recogniser: Recogniser, data: dict[str, list[Sentence]]) -> dict[str, dict[str, object]]:
    """Scores per split: all the corpus's types and PER/ORG/LOC only."""
    out: dict[str, dict[str, object]] = {}
    for name, sentences in data.items():
        predicted = predict(recogniser, sentences, corpora.split(name).convention)
        types = corpora.split(name).types
        out[name] = {"all": {k: v.as_dict() for k, v in score(sentences, predicted, types).items()},
                     "per_org_loc": score(sentences, predicted, ("PER", "ORG", "LOC"))[MICRO].as_dict()}
    return out


def _split_holdout(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    cut = int(len(sentences) * (1 - HOLDOUT_FRACTION))
    return sentences[:cut], sentences[cut:]


def tune(lang: str, base: Settings, gazetteer: Gazetteer | None, workdir: Path,
         grid: Sequence[tuple[float, float]] = GRID, clusters: WordClusters | None = None) -> Settings:
    """Pick c1/c2 by micro F1 (mean over the dev sets) on the training corpora minus a holdout."""
    train = load(TRAIN[lang])
    dev = load(DEV[lang])
    kept, held = _split_holdout(train[TUNE_HOLDOUT[lang]])
    train[TUNE_HOLDOUT[lang]] = kept
    dev[f"{TUNE_HOLDOUT[lang]} (last {HOLDOUT_FRACTION:.0%})"] = held
    clusters = clusters if base.clusters else None
    trainer = make_trainer(lang, train, gazetteer, base.conventions, clusters, base.convention_pairs)
    best: tuple[float, Settings] | None = None
    for c1, c2 in grid:
        settings = replace(base, c1=c1, c2=c2)
        path = workdir / f"tune_{lang}_{c1}_{c2}.crfsuite"
        stats = fit(trainer, settings, path)
        results = {}
        rec = open_recogniser(lang, path, gazetteer, settings, clusters)
        for name, sents in dev.items():
            base = name.split(" ")[0]
            predicted = predict(rec, sents, corpora.split(base).convention)
            results[name] = score(sents, predicted, corpora.split(base).types)[MICRO].f1
        mean = sum(results.values()) / len(results)
        print(f"[{lang}] c1={c1} c2={c2}: " + ", ".join(f"{k} F1={v:.4f}" for k, v in results.items())
              + f"; mean {mean:.4f} ({stats['train_seconds']} s)", flush=True)
        if best is None or mean > best[0]:
            best = (mean, settings)
    assert best is not None
    print(f"[{lang}] chosen: {best[1]}", flush=True)
    return best[1]


def build_language(args: tuple[str, Settings, Path, Gazetteer | None, list[tuple[float, float]], Path,
                                WordClusters | None]) -> dict[str, object]:
    lang, settings, out, gazetteer, grid, workdir, clusters = args
    clusters = clusters if settings.clusters else None
    if grid:
        settings = tune(lang, settings, gazetteer, workdir, grid, clusters)
    names = TRAIN[lang] + (DEV[lang] if settings.train_on_dev else ())
    train = load(names)
    sentences = [s for name in names for s in train[name]]
    path = out / MODEL_FILE.format(lang=lang)
    stats = train_model(lang, train, gazetteer, settings, path, clusters)
    print(f"[{lang}] trained: {stats}", flush=True)
    rec = open_recogniser(lang, path, gazetteer, settings, clusters)
    # A model trained on the dev splits has no held-out dev score of its own.
    dev_scores = {} if settings.train_on_dev else evaluate_splits(rec, load(DEV[lang]))
    # Reporting only: the test splits are scored with the final model and never fed back.
    tests = [s.name for s in corpora.SPLITS if s.lang == lang and not s.for_training]
    test_scores = evaluate_splits(rec, {name: read_split(name, DATA) for name in tests})
    return {"lang": lang, "settings": asdict(settings), "clusters": clusters is not None,
            "runtime_convention": RUNTIME_CONVENTION[lang] if settings.conventions else None,
            "train": list(names), "dev": list(DEV[lang]),
            "train_sentences": len(sentences), "train_tokens": sum(len(s.tokens) for s in sentences),
            "stats": stats, "dev_scores": dev_scores, "test_scores": test_scores}


LICENCES = {
    "peyma": "no licence stated by the PEYMA authors (distributed by download link); the hosting repository "
             "(ParsTwiNER) is MIT for its own content: treat as research-use data (peyma/SOURCE.md)",
    "arman": "\"released only for academic research use\" (ArmanPersoNERCorpus README; arman-personer/SOURCE.md)",
    "anercorp": "CAMeL Lab's release of the ANERcorp splits is CC BY-SA 4.0; the copy used here is a "
                "reconstruction from a repository without a licence file (anercorp/SOURCE.md)",
    "wojood": "MIT (SinaLab/ArabicNER repository; wojood-sample/SOURCE.md)",
}
GAZETTEER_LICENCES = {
    "anercorp/gazetteers (ANERGazet)": "no licence statement (anercorp/SOURCE.md)",
    "world-countries": "ODbL 1.0",
    "cldr-fa-ar territories and exemplar cities": "Unicode License v3",
    "world-cities-ar": "CC BY 4.0 (Wikidata-derived)",
    "anetac-en-ar-names EN-AR_Named-entities.txt minus translit_test.ar": "no licence stated; the paper calls it "
                                                                          "freely accessible",
    "khabar.kb": "see src/khabar/kb",
}


def _score_table(scores: dict[str, object], goals: dict[str, float]) -> list[str]:
    rows = ["| split | types | P | R | F1 | gold | PER/ORG/LOC F1 | issue-4 goal |", "|---|---|---|---|---|---|---|---|"]
    for name, res in scores.items():
        res_all = res["all"]  # type: ignore[index]
        micro = res_all[MICRO]
        goal = goals.get(name)
        rows.append(f"| {name} | all ({', '.join(k for k in res_all if k != MICRO)}) | {micro['precision']:.3f} | "
                    f"{micro['recall']:.3f} | **{micro['f1']:.3f}** | {micro['gold']} | "
                    f"{res['per_org_loc']['f1']:.3f} | {f'>= {goal:.2f}' if goal else '-'} |")  # type: ignore[index]
    rows.append("")
    rows.append("Per type (F1): " + "; ".join(
        f"{name}: " + ", ".join(f"{k} {v['f1']:.3f}" for k, v in res["all"].items() if k != MICRO)  # type: ignore[index]
        for name, res in scores.items()))
    return rows


# What each change did on the dev sets (measured with the dev protocol of the model card; the
# first rows are from earlier runs with the models of feature version 1).
DEV_CHOICES = [
    "| ar: + letter trigrams (c1 = c2 = 0.01, 150 it.) | Wojood val 0.792, ANERcorp holdout 0.677 | "
    "0.807, 0.677 | yes |",
    "| ar: + conventions (c1 0.05, c2 0.01, 150 it.) | 0.797, 0.686 | 0.779, 0.702 | yes |",
    "| ar: 150 -> 300 iterations | 0.779, 0.702 | 0.785, 0.704 | yes |",
    "| ar: c1/c2 (0.01, 0.01) -> (0.05, 0.01), trigrams, no conventions, 150 it. | mean of the two dev "
    "sets 0.7418 | 0.7415 | yes (sparser) |",
    "| fa: + letter trigrams + conventions (c1 0.05, c2 0.01, 100 it.; no Arman holdout) | PEYMA dev 0.703 | "
    "0.737 | yes |",
    "| ar: + word clusters (c1 0.05, c2 0.01, 300 it.; KB of this run) | Wojood val 0.780, ANERcorp "
    "holdout 0.698 | 0.795, 0.714 | yes |",
    "| fa: + word clusters (c1 0.05, c2 0.01, 120 it.; KB of this run) | PEYMA dev 0.742, Arman holdout "
    "0.588 | 0.737, 0.619 | yes (mean +0.013) |",
    "| fa: + convention pairs (with clusters) | 0.737, 0.619 | 0.758, 0.624 | yes |",
    "| ar: + convention pairs (with clusters) | 0.795, 0.714 | 0.793, 0.715 | no (no change) |",
]


def _clusters_section(clusters: dict[str, object]) -> list[str]:
    if not clusters:
        return ["## Word clusters", "None: these models were trained without word-cluster features.", ""]
    stats: dict[str, dict[str, object]] = clusters.get("stats", {})  # type: ignore[assignment]
    sources: dict[str, str] = clusters.get("sources", {})  # type: ignore[assignment]
    lines = [
        "## Word clusters",
        f"`clusters.bin` ({clusters.get('bytes')} bytes, built by `scripts/ner_clusters.py`, described in "
        "`CLUSTERS.md`) gives each word of unlabelled news text a bit-string path from repeated two-way "
        "splits of its PPMI context vectors, so that words used alike (`تهران`, `اصفهان`, `مشهد`; `روحانی`, "
        "`احمدی‌نژاد`) share path prefixes. Words are stored as 64-bit hashes only.",
        "",
        "| lang | text | tokens | words with a path |",
        "|---|---|---|---|",
    ]
    lines += [f"| {lang} | {sources.get(lang)} | {st.get('tokens')} | {st.get('words')} |" for lang, st in stats.items()]
    lines += ["", "Licences: farsnews-articles: repository Apache-2.0, texts copyright Fars News; saudinewsnet: "
              "CC BY-NC-SA 4.0 (non-commercial), texts copyright the newspapers.", ""]
    return lines


def write_model_card(info: dict[str, object], path: Path) -> None:
    """MODEL_CARD.md from what this run measured (models.json holds the same numbers)."""
    goals = {"peyma/test": 0.90, "arman/test_fold1": 0.85, "anercorp/test": 0.85}
    models: dict[str, dict[str, object]] = info["models"]  # type: ignore[assignment]
    gaz: dict[str, object] = info["gazetteer"]  # type: ignore[assignment]
    lines = [
        "# khabar NER models (CRF, Persian and Arabic)",
        "",
        "Written by `scripts/train_ner.py`; do not edit by hand (rerun the script). Numbers below are from "
        "the run that wrote the models beside this file.",
        "",
        "## What",
        "Linear-chain CRFs (CRFsuite via python-crfsuite, L-BFGS with L1+L2 regularisation) that tag "
        "tokens with IOB2 labels. `khabar.ner.tag(text, lang)` tokenises running text (offsets kept), "
        "cuts it into sentences and returns `NerSpan(start, end, text, type, score)`; score is the mean "
        "marginal probability of the span's labels. CPU only; each model loads in well under a second.",
        "",
        "Types: fa: PER ORG LOC (both corpora), DAT TIM MON PCT (PEYMA only), FAC PRO EVENT (Arman only); "
        "ar: PER ORG LOC MISC. Spans cover whole tokens, so Arabic spans keep attached proclitics "
        "(`لموسكو`, `والصين`) as ANERcorp annotates them; linking must strip them. The two Persian corpora annotate different extra types, so a sentence of "
        "one corpus teaches `O` for the other's extra types; this costs recall on those types.",
        "",
        "## Training data (training and dev splits of `../shared/data/INDEX.md` only; no test split)",
        "| lang | splits | sentences | tokens | dev splits (for choosing settings; trained on at the end when listed under splits) |",
        "|---|---|---|---|---|",
    ]
    for lang, m in models.items():
        lines.append(f"| {lang} | {', '.join(m['train'])} | {m['train_sentences']} | {m['train_tokens']} | "  # type: ignore[arg-type]
                     f"{', '.join(m['dev'])} |")  # type: ignore[arg-type]
    lines += [
        "",
        "Wojood (nested, 21 types) is flattened to the outermost entity among the kept types, with "
        "PERS->PER, ORG->ORG, GPE->LOC, LOC->LOC (ANERcorp tags countries and cities LOC and has no GPE), "
        "EVENT/PRODUCT/CURR->MISC (ANERcorp's MISC holds currencies, events and products); the other "
        "types (OCC, NORP, DATE, FAC, LAW, ...) become O. PEYMA tokens that hold a space (`روش های`) stay "
        "one token; the features read them exactly like the ZWNJ spelling of running text.",
        "",
        "Licences as stated in each set's SOURCE.md (the models are derived from these sets):",
        "",
    ]
    lines += [f"- {name}: {text}" for name, text in LICENCES.items()]
    lines += [
        "",
        "**Consequence:** the Persian model is trained on research-only data (Arman: academic research "
        "use only; PEYMA: no licence). Treat `model_fa.crfsuite` as research-use only whatever khabar's "
        "own licence; `model_ar.crfsuite` carries CC BY-SA 4.0 (ANERcorp) obligations at least"
        + (", and, through its word clusters learned from SaudiNewsNet (CC BY-NC-SA 4.0), the "
           "non-commercial restriction of that corpus." if info.get("clusters") else ".") + "",
        "",
    ]
    lines += _clusters_section(info.get("clusters") or {})  # type: ignore[arg-type]
    lines += [
        "## Gazetteer features",
        f"`gazetteer.bin` holds the name lists used in training as 64-bit hashes of each entry's "
        f"normalised form ({gaz.get('bytes', 0)} bytes; no plain copy of the lists ships). "
        f"Longest entry matched: {gaz.get('max_tokens')} tokens.",
        "",
        "| list | entries |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in gaz.get("lists", {}).items()]  # type: ignore[union-attr]
    lines += ["", "Sources (and licences):", ""]
    lines += [f"- {src}: {GAZETTEER_LICENCES.get(src, 'see its SOURCE.md')}" for src in gaz.get("sources", [])]  # type: ignore[union-attr]
    if "khabar.kb" in gaz.get("sources", []):  # type: ignore[operator]
        lines.append("- khabar.kb was read as it stood when the models were trained (its kb:* lists above); "
                     "the KB was still being built then, so retraining after it grows changes these lists.")
    else:
        lines.append("- the khabar knowledge base (`khabar.kb.load_kb`) did not exist when these models were "
                     "trained, so it was not used.")
    lines += [
        "",
        "## Features (`khabar.ner.features`, version " + str(info["feature_version"]) + ")",
        "Normalised token (`khabar.normalize.pattern_form`); prefixes and suffixes of 1-4 letters; Arabic "
        "clitic-stripped stem (و ف, ب ل ك, لل, ال) and the stripped proclitics; Persian suffix-stripped stem "
        "(ها های هایی ی ای یی را اش شان تان مان); shape, length, digits of any script, punctuation, Latin, "
        "ZWNJ/multi-word; letter trigrams of words of 4+ letters; sentence position; words at -2..+2, "
        "shape/stem/suffix/flags at -1 and +1; word pairs (-1,0), (0,+1), (-2,-1), (+1,+2); gazetteer "
        "membership of the token or its stem and B/I of the longest multi-token gazetteer match, for the "
        "token and its neighbours at -2..+2; word-cluster path prefixes of 4, 8 and 12 bits and the whole "
        "path for the token (or, when the token has none, its clitic- or suffix-stripped stem), 8 bits "
        "and the whole path for its neighbours at -1 and +1 (`clusters.bin`). Affix lists: `affixes.yaml`.",
        "",
        "Annotation convention: every training token carries `conv=<corpus>` (peyma, arman, anercorp, "
        "wojood), so the model can learn that PEYMA never labels EVENT and Arman never labels DAT "
        "without unlearning those types. Running text is tagged with the news corpus's convention "
        "(fa: " + str(models.get("fa", {}).get("runtime_convention")) + ", ar: "
        + str(models.get("ar", {}).get("runtime_convention")) + "); each test set below is tagged with "
        "its own corpus's convention, since it is scored against that corpus's scheme. Convention pairs "
        "(models: " + (", ".join(k for k, m in models.items() if m["settings"].get("convention_pairs")) or "none")  # type: ignore[union-attr]
        + "): the word, stem, neighbour words, gazetteer lists and 4/8-bit cluster prefixes also get a "
        "copy joined to the convention (`peyma|w=...`), so a word can be typed one way in one corpus and "
        "another way in the other (Daumé, \"Frustratingly easy domain adaptation\", ACL 2007).",
        "",
        "## Choices measured on the dev sets",
        "Dev = PEYMA dev and the last tenth of Arman train_fold1 held out (fa); Wojood val and the last "
        "tenth of ANERcorp train held out (ar). While measuring, the models trained on the rest of the "
        "training splits; the shipped models then trained on all of the training splits"
        + (" plus the dev splits" if any(m["settings"].get("train_on_dev") for m in models.values())  # type: ignore[union-attr]
           else "") + ". Micro F1, all types:",
        "",
        "| change | dev before | dev after | kept |",
        "|---|---|---|---|",
        *DEV_CHOICES,
        "",
    ]
    lines += [
        "## Hyper-parameters, sizes, time",
        "| lang | c1 | c2 | max iterations | min feature freq | active features | model bytes | "
        "feature extraction s | training s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, m in models.items():
        st, se = m["settings"], m["stats"]
        lines.append(f"| {lang} | {st['c1']} | {st['c2']} | {st['max_iterations']} | {st['min_freq']} | "  # type: ignore[index]
                     f"{se['active_features']} | {se['bytes']} | {se['feature_seconds']} | {se['train_seconds']} |")  # type: ignore[index]
    lines += [
        "",
        f"Whole run (one language after the other on one core, plus scoring): {info.get('total_seconds_last_run')} s. "
        "Times are wall-clock on the development machine, which other jobs shared (its second core was busy), "
        "so they are upper bounds.",
        "",
        "## Scores (entity level, exact span and type; `eval/ner.py`)",
    ]
    for lang, m in models.items():
        if m["dev_scores"]:
            lines += ["", f"Dev sets ({lang}):", ""]
            lines += _score_table(m["dev_scores"], {})  # type: ignore[arg-type]
        else:
            lines += ["", f"Dev sets ({lang}): none held out, since the shipped model trained on them; "
                      "the table of choices above has the dev scores of the same settings."]
    lines.append("")
    lines += ["Test sets (reporting only, never trained or tuned on):", ""]
    for m in models.values():
        lines += _score_table(m["test_scores"], goals)  # type: ignore[arg-type]
        lines.append("")
    lines += [
        "`eval/ner.py --runtime-convention` tags every test set the way running text is tagged (fa: "
        "PEYMA's convention, ar: ANERcorp's); that lowers the scores of the corpora whose scheme differs "
        "(Arman, Wojood) and shows what the news-text setting gives on them.",
        "",
        "Predicted types a corpus does not annotate (e.g. FAC on PEYMA) are left out of that corpus's "
        "score; gold entities missed or mistyped always count. The ANERcorp test file is a "
        "reconstruction of the CAMeL Lab split (anercorp/SOURCE.md), so scores are comparable to, not "
        "identical with, published CAMeL-split numbers.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=("fa", "ar", "all"), default="all")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tune", action="store_true", help="choose c1/c2 on the dev sets first")
    parser.add_argument("--grid", help="with --tune: the c1,c2 pairs to try, e.g. '0.05,0.01;0.1,0.01'")
    parser.add_argument("--no-gazetteer", action="store_true")
    parser.add_argument("--no-kb", action="store_true", help="ignore khabar.kb even when it exists")
    parser.add_argument("--max-iterations", type=int)
    parser.add_argument("--card-only", action="store_true",
                        help="only rewrite MODEL_CARD.md from the models.json in --out")
    parser.add_argument("--no-conventions", action="store_true", help="train without the conv= feature")
    parser.add_argument("--no-clusters", action="store_true", help="train without word-cluster features")
    parser.add_argument("--clusters", type=Path, help="the clusters.bin to train with (default: the shipped one)")
    parser.add_argument("--no-dev", action="store_true",
                        help="train the shipped model on the training splits only (dev scores kept held out)")
    args = parser.parse_args(argv)

    if args.card_only:
        write_model_card(json.loads((args.out / INFO_FILE).read_text(encoding="utf-8")), args.out / "MODEL_CARD.md")
        return 0
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    workdir = args.out / ".tune"
    if args.tune:
        workdir.mkdir(exist_ok=True)
    gazetteer: Gazetteer | None = None
    gazetteer_info: dict[str, object] = {"lists": {}, "sources": []}
    if not args.no_gazetteer:
        lists, sources = build_name_lists(DATA, use_kb=not args.no_kb)
        gazetteer = Gazetteer.from_phrases(lists, sources)
        gazetteer.dump(args.out / GAZETTEER_FILE)
        gazetteer_info = {"lists": {k: len(v) for k, v in sorted(gazetteer.lists.items())},
                          "sources": sources, "max_tokens": gazetteer.max_tokens,
                          "bytes": (args.out / GAZETTEER_FILE).stat().st_size}
    clusters: WordClusters | None = None
    clusters_info: dict[str, object] = {}
    if not args.no_clusters:
        source = args.clusters or DEFAULT_OUT / CLUSTERS_FILE
        if not source.exists():
            raise SystemExit(f"{source} is missing: build it with scripts/ner_clusters.py (or pass --no-clusters)")
        clusters = WordClusters.load(source)
        if source.resolve() != (args.out / CLUSTERS_FILE).resolve():
            shutil.copyfile(source, args.out / CLUSTERS_FILE)
        clusters_info = {"bytes": source.stat().st_size, **{k: v for k, v in clusters.header.items()}}
    langs = ("fa", "ar") if args.lang == "all" else (args.lang,)
    jobs = []
    for lang in langs:
        settings = SHIPPED[lang]
        if args.max_iterations:
            settings = replace(settings, max_iterations=args.max_iterations)
        if args.no_conventions:
            settings = replace(settings, conventions=False)
        if args.no_clusters:
            settings = replace(settings, clusters=False)
        if args.no_dev:
            settings = replace(settings, train_on_dev=False)
        grid = [tuple(map(float, pair.split(","))) for pair in args.grid.split(";")] if args.grid else GRID
        jobs.append((lang, settings, args.out, gazetteer, grid if args.tune else [], workdir, clusters))
    # One language after the other: crfsuite trains on one core, and the machine is shared.
    results = [build_language(job) for job in jobs]

    info_path = args.out / INFO_FILE
    info: dict[str, object] = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    models = dict(info.get("models", {}))  # type: ignore[arg-type]
    for result in results:
        models[str(result["lang"])] = result
    info = {"feature_version": FEATURE_VERSION, "gazetteer": gazetteer_info, "clusters": clusters_info,
            "models": models,
            "total_seconds_last_run": round(time.perf_counter() - started, 1)}
    info_path.write_text(json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    write_model_card(info, args.out / "MODEL_CARD.md")
    for result in results:
        print(json.dumps({"lang": result["lang"], "test": {k: v["all"][MICRO]["f1"]  # type: ignore[index]
                                                           for k, v in result["test_scores"].items()}}))  # type: ignore[union-attr]
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
