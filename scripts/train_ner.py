"""Train khabar's CRF named-entity recognisers (Persian and Arabic) from ../shared/data.

    .venv/bin/python scripts/train_ner.py                 # both languages, shipped settings
    .venv/bin/python scripts/train_ner.py --tune          # pick c1/c2 on the dev sets first
    .venv/bin/python scripts/train_ner.py --lang fa --out /tmp/ner   # elsewhere, one language

Training data (training splits of ../shared/data/INDEX.md only):
- fa: PEYMA train + ArmanPersoNER train_fold1; PEYMA dev is used only to choose c1/c2 (--tune).
- ar: ANERcorp CamelLab-style train + Wojood sample train; Wojood val only to choose c1/c2.
With --tune, the last tenth of Arman train_fold1 / ANERcorp train is held out as a second dev
set while choosing, and put back for the final model. Test splits are never read here except
by the closing evaluation that writes the model card's score table (eval/ner.py's code).

Writes into --out (default src/khabar/ner/): ``model_fa.crfsuite``, ``model_ar.crfsuite``,
``gazetteer.bin`` (hashed name lists, see khabar.ner.gazetteer), ``models.json`` (settings, data,
sizes, times, scores) and ``MODEL_CARD.md``. Deterministic: the same data and settings give the
same models (crfsuite's L-BFGS has no randomness; sentences are appended in file order).
The two languages train in parallel processes (2 cores).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pycrfsuite

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from khabar.ner import corpora  # noqa: E402
from khabar.ner.corpora import Sentence, read_split  # noqa: E402
from khabar.ner.evaluate import MICRO, predict, score  # noqa: E402
from khabar.ner.features import FEATURE_VERSION, sentence_features  # noqa: E402
from khabar.ner.gazetteer import Gazetteer, build_name_lists  # noqa: E402
from khabar.ner.tagger import GAZETTEER_FILE, INFO_FILE, MODEL_FILE, Recogniser  # noqa: E402

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


# ar: c1/c2 chosen with --tune (ANERcorp-train holdout + Wojood val; (0.01, 0.01) and (0.05, 0.01)
# tied within 0.001 mean F1, the sparser model was kept; 300 iterations beat 150 by 0.004).
# fa: the same c1/c2 without a grid search of its own (one fa fit takes ~8 min on one core), and
# 120 iterations to keep the whole run under 15 minutes on 2 cores; see MODEL_CARD.md.
SHIPPED = {"fa": Settings(c1=0.05, c2=0.01, max_iterations=120), "ar": Settings(c1=0.05, c2=0.01, max_iterations=300)}
GRID = [(0.01, 0.01), (0.05, 0.01), (0.02, 0.05), (0.1, 0.1)]


def load(names: Sequence[str]) -> dict[str, list[Sentence]]:
    for name in names:
        if not corpora.split(name).for_training:
            raise SystemExit(f"{name} is a reporting-only split (INDEX.md): it must not be trained or tuned on")
    return {name: read_split(name, DATA) for name in names}


def make_trainer(lang: str, data: dict[str, list[Sentence]], gazetteer: Gazetteer | None,
                 conventions: bool) -> pycrfsuite.Trainer:
    """A crfsuite trainer holding the features of the named splits (reusable for several settings)."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for name, sentences in data.items():
        convention = corpora.split(name).convention if conventions else None
        for sentence in sentences:
            trainer.append(sentence_features(sentence.tokens, lang, gazetteer, convention), sentence.bio())
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
                settings: Settings, path: Path) -> dict[str, float | int]:
    started = time.perf_counter()
    trainer = make_trainer(lang, data, gazetteer, settings.conventions)
    seconds = round(time.perf_counter() - started, 1)
    return {"feature_seconds": seconds, **fit(trainer, settings, path)}


def open_recogniser(lang: str, path: Path, gazetteer: Gazetteer | None, settings: Settings) -> Recogniser:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return Recogniser(lang, tagger, gazetteer, RUNTIME_CONVENTION[lang] if settings.conventions else None)


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
         grid: Sequence[tuple[float, float]] = GRID) -> Settings:
    """Pick c1/c2 by micro F1 (mean over the dev sets) on the training corpora minus a holdout."""
    train = load(TRAIN[lang])
    dev = load(DEV[lang])
    kept, held = _split_holdout(train[TUNE_HOLDOUT[lang]])
    train[TUNE_HOLDOUT[lang]] = kept
    dev[f"{TUNE_HOLDOUT[lang]} (last {HOLDOUT_FRACTION:.0%})"] = held
    trainer = make_trainer(lang, train, gazetteer, base.conventions)
    best: tuple[float, Settings] | None = None
    for c1, c2 in grid:
        settings = replace(base, c1=c1, c2=c2)
        path = workdir / f"tune_{lang}_{c1}_{c2}.crfsuite"
        stats = fit(trainer, settings, path)
        results = {}
        rec = open_recogniser(lang, path, gazetteer, settings)
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


def build_language(args: tuple[str, Settings, Path, Gazetteer | None, list[tuple[float, float]], Path],
                   ) -> dict[str, object]:
    lang, settings, out, gazetteer, grid, workdir = args
    if grid:
        settings = tune(lang, settings, gazetteer, workdir, grid)
    train = load(TRAIN[lang])
    sentences = [s for name in TRAIN[lang] for s in train[name]]
    path = out / MODEL_FILE.format(lang=lang)
    stats = train_model(lang, train, gazetteer, settings, path)
    print(f"[{lang}] trained: {stats}", flush=True)
    rec = open_recogniser(lang, path, gazetteer, settings)
    dev_scores = evaluate_splits(rec, load(DEV[lang]))
    # Reporting only: the test splits are scored with the final model and never fed back.
    tests = [s.name for s in corpora.SPLITS if s.lang == lang and not s.for_training]
    test_scores = evaluate_splits(rec, {name: read_split(name, DATA) for name in tests})
    return {"lang": lang, "settings": asdict(settings),
            "runtime_convention": RUNTIME_CONVENTION[lang] if settings.conventions else None, "train": list(TRAIN[lang]), "dev": list(DEV[lang]),
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
        "## Training data (training splits of `../shared/data/INDEX.md` only)",
        "| lang | splits | sentences | tokens | tuning (c1/c2 only) |",
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
        "own licence; `model_ar.crfsuite` carries CC BY-SA 4.0 (ANERcorp) obligations at least.",
        "",
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
        "token and its neighbours at -2..+2. Affix lists: `affixes.yaml`.",
        "",
        "Annotation convention: every training token carries `conv=<corpus>` (peyma, arman, anercorp, "
        "wojood), so the model can learn that PEYMA never labels EVENT and Arman never labels DAT "
        "without unlearning those types. Running text is tagged with the news corpus's convention "
        "(fa: " + str(models.get("fa", {}).get("runtime_convention")) + ", ar: "
        + str(models.get("ar", {}).get("runtime_convention")) + "); each test set below is tagged with "
        "its own corpus's convention, since it is scored against that corpus's scheme.",
        "",
        "## Choices measured on the dev sets",
        "Dev = PEYMA dev (fa); for ar, Wojood val and the last tenth of ANERcorp train held out "
        "(the model then trained on all of it). Micro F1, all types:",
        "",
        "| change | dev before | dev after |",
        "|---|---|---|",
        "| ar: + letter trigrams (c1 = c2 = 0.01, 150 it.) | Wojood val 0.792, ANERcorp holdout 0.677 | "
        "0.807, 0.677 |",
        "| ar: + conventions (c1 0.05, c2 0.01, 150 it.) | 0.797, 0.686 | 0.779, 0.702 |",
        "| ar: 150 -> 300 iterations | 0.779, 0.702 | 0.785, 0.704 |",
        "| ar: c1/c2 (0.01, 0.01) -> (0.05, 0.01), with trigrams, no conventions, 150 it. | mean of the "
        "two dev sets 0.7418 | 0.7415 (sparser model kept; the rest of the grid was stopped for time) |",
        "| fa: + letter trigrams + conventions (c1 0.05, c2 0.01, 100 it.) | PEYMA dev 0.703 | 0.737 |",
        "",
        "No c1/c2 grid was run for fa (one fit takes ~8 minutes of one core).",
        "",
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
        f"Whole run (both languages in parallel on 2 cores, plus scoring): {info.get('total_seconds_last_run')} s. "
        "Times are wall-clock on the development machine, which other jobs shared during the shipped run "
        "(load average about 4 on 2 cores), so they are upper bounds; alone, the fa fit took about 450 s "
        "for 100 iterations.",
        "",
        "## Scores (entity level, exact span and type; `eval/ner.py`)",
        "Dev sets:",
        "",
    ]
    for m in models.values():
        lines += _score_table(m["dev_scores"], {})  # type: ignore[arg-type]
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
    langs = ("fa", "ar") if args.lang == "all" else (args.lang,)
    jobs = []
    for lang in langs:
        settings = SHIPPED[lang]
        if args.max_iterations:
            settings = replace(settings, max_iterations=args.max_iterations)
        if args.no_conventions:
            settings = replace(settings, conventions=False)
        grid = [tuple(map(float, pair.split(","))) for pair in args.grid.split(";")] if args.grid else GRID
        jobs.append((lang, settings, args.out, gazetteer, grid if args.tune else [], workdir))
    if len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
            results = pool.map(build_language, jobs)
    else:
        results = [build_language(jobs[0])]

    info_path = args.out / INFO_FILE
    info: dict[str, object] = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    models = dict(info.get("models", {}))  # type: ignore[arg-type]
    for result in results:
        models[str(result["lang"])] = result
    info = {"feature_version": FEATURE_VERSION, "gazetteer": gazetteer_info, "models": models,
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
