"""Token features of the CRF recogniser: pure functions shared by `scripts/train_ner.py` and the tagger.

A sentence is a sequence of token strings (corpus tokens when training, `tagger.tokenize`
tokens when running). Each token gets a list of string features (crfsuite gives each weight 1):

- its normalised form (`khabar.normalize.pattern_form`: letter variants, digits and diacritics
  folded, ZWNJ read as a space), prefixes and suffixes of it;
- Arabic clitic-stripped forms (و ف, then ب ل ك, then ال) and Persian suffix-stripped forms
  (ها های ی را ...), from ``affixes.yaml``;
- shape, length, digits in any script, punctuation, Latin;
- position in the sentence;
- the same for a window of two tokens either side, and word pairs around the token;
- gazetteer features: which name lists hold the token (or its stem), and which tokens lie
  inside the longest run of tokens that a list holds (B/I of the match);
- word-cluster features: prefixes of the token's path in the clusters learned from raw news
  (`khabar.ner.clusters`), for the token and its neighbours at -1 and +1.

Changing anything here changes what a model means: bump `FEATURE_VERSION` and retrain.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from khabar.ner.clusters import WordClusters
from khabar.ner.gazetteer import Gazetteer, entry_key
from khabar.normalize import pattern_form
from khabar.resources import load_yaml

FEATURE_VERSION = 2
WINDOW = 2
# Cluster path prefix lengths read for the token itself and for its neighbours at -1/+1 (0 = the
# whole path). Short prefixes are coarse classes (names, verbs, ...), long ones near-synonyms;
# reading several lengths is the usual way of using Brown-style paths (Ratinov and Roth 2009).
CLUSTER_PREFIXES = (4, 8, 12, 0)
NEIGHBOUR_CLUSTER_PREFIXES = (8, 0)


@dataclass(frozen=True, slots=True)
class _Affixes:
    ar_conjunctions: tuple[str, ...]
    ar_prepositions: tuple[str, ...]
    ar_article: str
    ar_li_article: str
    fa_suffixes: tuple[str, ...]


@functools.cache
def _affixes() -> _Affixes:
    data = load_yaml("ner/affixes.yaml")
    ar, fa = data["ar"], data["fa"]
    return _Affixes(tuple(ar["conjunctions"]), tuple(ar["prepositions"]), ar["article"], ar["li_article"],
                    tuple(sorted(fa["suffixes"], key=len, reverse=True)))


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What the features need to know about one token, computed once per distinct token."""

    norm: str  # pattern_form of the token
    glued: str  # norm without spaces (ZWNJ and PEYMA's multi-word tokens)
    stem: str  # affix-stripped glued form ("" when nothing was stripped)
    stem_article: str  # Arabic: stem still carrying ال (للرئيس -> الرئيس), else ""
    prefix: str  # Arabic proclitics stripped, e.g. "وب", else ""
    shape: str
    flags: tuple[str, ...]


def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "d"
    cat = unicodedata.category(ch)
    if cat.startswith("L"):
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
            return "a"
        if ch.isascii() or cat in ("Lu", "Ll"):
            return "X" if ch.isupper() else "x"
        return "o"
    if ch.isspace() or ch == "\u200c":  # PEYMA's inner space and running text's ZWNJ read alike
        return "_"
    return ch


def _shape(token: str) -> str:
    out: list[str] = []
    for ch in token:
        c = _char_class(ch)
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def _length_bucket(n: int) -> str:
    for limit, name in ((1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (8, "6-8")):
        if n <= limit:
            return name
    return "9+"


def _arabic_stem(glued: str) -> tuple[str, str, str]:
    """(stem, stem with article, stripped proclitics) of a folded Arabic-script word."""
    aff = _affixes()
    rest, prefix = glued, ""
    if len(rest) > 3 and rest[0] in aff.ar_conjunctions:
        rest, prefix = rest[1:], rest[0]
    with_article = ""
    if len(rest) > 4 and rest.startswith(aff.ar_li_article):
        # للرئيس = ل + الرئيس
        with_article = aff.ar_article + rest[2:]
        rest, prefix = rest[2:], prefix + rest[0]
    elif len(rest) > 3 and rest[0] in aff.ar_prepositions:
        rest, prefix = rest[1:], prefix + rest[0]
    if rest.startswith(aff.ar_article) and len(rest) > 4:
        with_article = with_article or rest
        rest = rest[len(aff.ar_article):]
    if rest == glued:
        return "", "", ""
    if with_article == glued:
        with_article = ""
    return rest, with_article, prefix


def _persian_stem(glued: str) -> str:
    for suffix in _affixes().fa_suffixes:
        if glued.endswith(suffix) and len(glued) - len(suffix) >= 3:
            return glued[: -len(suffix)]
    return ""


@functools.lru_cache(maxsize=262144)
def token_info(token: str, lang: str) -> TokenInfo:
    norm = " ".join(pattern_form(token).split()) or token
    glued = norm.replace(" ", "")
    arabic_script = any("\u0600" <= c <= "\u06ff" for c in glued)
    stem, stem_article, prefix = "", "", ""
    if arabic_script:
        if lang == "ar":
            stem, stem_article, prefix = _arabic_stem(glued)
        else:
            stem = _persian_stem(glued)
    flags: list[str] = []
    digits = sum(c.isdigit() for c in token)
    if digits:
        flags.append("dig")
        if digits == len(token) or all(c.isdigit() or c in ".,/:٫٬-" for c in token):
            flags.append("num")
            if digits == 4 and token.isdigit():
                flags.append("year4")
    if all(unicodedata.category(c)[0] in "PS" for c in token):
        flags.append("punct")
    if token.isascii() and any(c.isalpha() for c in token):
        flags.append("latin")
        if token[:1].isupper():
            flags.append("title")
    if "\u200c" in token or " " in token:
        flags.append("multi")
    if any(unicodedata.combining(c) for c in token):
        flags.append("marks")
    return TokenInfo(norm, glued, stem, stem_article, prefix, _shape(token), tuple(flags))


def _gazetteer_marks(infos: Sequence[TokenInfo], gazetteer: Gazetteer | None) -> list[list[str]]:
    """Per token: ``gz=LIST`` for single-token entries (form or stem) and ``gzB=``/``gzI=`` for
    the tokens of the longest multi-token entry starting at each token."""
    marks: list[list[str]] = [[] for _ in infos]
    if gazetteer is None:
        return marks
    n = len(infos)
    for i, info in enumerate(infos):
        single = set(gazetteer.lookup(info.norm))
        for form in (info.stem, info.stem_article):
            if form:
                single.update(gazetteer.lookup(form))
        marks[i].extend(f"gz={name}" for name in sorted(single))
        for length in range(min(gazetteer.max_tokens, n - i), 1, -1):
            words = [infos[j].norm for j in range(i, i + length)]
            found = gazetteer.lookup(" ".join(words))
            if not found and (infos[i].stem or infos[i].stem_article):
                first = infos[i].stem_article or infos[i].stem
                found = gazetteer.lookup(" ".join([first, *words[1:]]))
            if found:
                for name in found:
                    marks[i].append(f"gzB={name}")
                    for j in range(i + 1, i + length):
                        marks[j].append(f"gzI={name}")
                break
    return marks


def _own(info: TokenInfo) -> list[str]:
    g = info.glued
    feats = [f"w={info.norm}", f"sh={info.shape}", f"len={_length_bucket(len(g))}"]
    for k in (1, 2, 3, 4):
        if len(g) > k:
            feats.append(f"p{k}={g[:k]}")
            feats.append(f"s{k}={g[-k:]}")
    # Letter trigrams inside the word: transliterated foreign names share letter sequences
    # (کوف, ـوف, يو) that no word list holds.
    padded = f"<{g}>"
    if len(g) >= 4:
        feats.extend(sorted({f"c3={padded[k:k + 3]}" for k in range(len(padded) - 2)}))
    if info.stem:
        feats.append(f"st={info.stem}")
        feats.append(f"st_s3={info.stem[-3:]}")
    if info.stem_article:
        feats.append(f"sta={info.stem_article}")
    if info.prefix:
        feats.append(f"pre={info.prefix}")
    feats.extend(info.flags)
    return feats


def _cluster_path(info: TokenInfo, lang: str, clusters: WordClusters | None) -> str:
    """The token's cluster path: of its own form, else of its stem (Arabic ``والصين`` -> ``الصين``)."""
    if clusters is None:
        return ""
    for form in (info.norm, info.stem_article, info.stem):
        if form:
            path = clusters.path(form, lang)
            if path:
                return path
    return ""


def _cluster_feats(path: str, prefixes: Sequence[int], suffix: str = "") -> list[str]:
    if not path:
        return [f"cl=none{suffix}"]
    return [f"cl{k or 'F'}{suffix}={path[:k] if k else path}" for k in prefixes]


def sentence_features(tokens: Sequence[str], lang: str, gazetteer: Gazetteer | None,
                      convention: str | None = None, clusters: WordClusters | None = None,
                      convention_pairs: bool = False) -> list[list[str]]:
    """The feature lists of every token of one sentence (``lang``: "fa" or "ar").

    ``convention`` names the annotation scheme the labels follow ("peyma", "arman", ...): every
    token gets a ``conv=`` feature, so the model can learn that one corpus never uses a type the
    other annotates (PEYMA has no EVENT, Arman no DAT) without unlearning that type elsewhere.
    ``convention_pairs`` also gives the lexical features (word, stem, gazetteer lists, cluster
    prefixes, neighbour words) a copy joined to the convention, so a word can be typed one way in
    one corpus and another way in the other ("frustratingly easy" domain adaptation: Daumé,
    ACL 2007).
    """
    infos = [token_info(t, lang) for t in tokens]
    gaz = _gazetteer_marks(infos, gazetteer)
    paths = [_cluster_path(info, lang, clusters) for info in infos] if clusters is not None else None
    n = len(infos)

    def word(j: int) -> str:
        if j < 0:
            return "<S>"
        if j >= n:
            return "</S>"
        return infos[j].norm

    out: list[list[str]] = []
    for i, info in enumerate(infos):
        feats = ["bias", *_own(info), *gaz[i]]
        if paths is not None:
            feats.extend(_cluster_feats(paths[i], CLUSTER_PREFIXES))
        if convention:
            feats.append(f"conv={convention}")
        if i == 0:
            feats.append("BOS")
        elif i == 1:
            feats.append("pos=1")
        if i == n - 1:
            feats.append("EOS")
        for d in range(-WINDOW, WINDOW + 1):
            if d == 0:
                continue
            j = i + d
            feats.append(f"w[{d}]={word(j)}")
            if 0 <= j < n:
                other = infos[j]
                if abs(d) == 1:
                    feats.append(f"sh[{d}]={other.shape}")
                    feats.extend(f"{f}[{d}]" for f in other.flags)
                    if other.stem:
                        feats.append(f"st[{d}]={other.stem}")
                    if len(other.glued) > 3:
                        feats.append(f"s3[{d}]={other.glued[-3:]}")
                    if paths is not None:
                        feats.extend(_cluster_feats(paths[j], NEIGHBOUR_CLUSTER_PREFIXES, f"[{d}]"))
                feats.extend(f"{g}[{d}]" for g in gaz[j])
        feats.append(f"w[-1]|w={word(i - 1)}|{info.norm}")
        feats.append(f"w|w[1]={info.norm}|{word(i + 1)}")
        feats.append(f"w[-2]|w[-1]={word(i - 2)}|{word(i - 1)}")
        feats.append(f"w[1]|w[2]={word(i + 1)}|{word(i + 2)}")
        if convention and convention_pairs:
            lexical = [f"w={info.norm}", f"w[-1]={word(i - 1)}", f"w[1]={word(i + 1)}", *gaz[i]]
            if info.stem:
                lexical.append(f"st={info.stem}")
            if paths is not None:
                lexical.extend(_cluster_feats(paths[i], CLUSTER_PREFIXES[:2]))
            feats.extend(f"{convention}|{f}" for f in lexical)
        out.append(feats)
    return out


def lookup_key(tokens: Sequence[str]) -> str:
    """The gazetteer key of a run of tokens (exposed for tests and the tagger's diagnostics)."""
    return entry_key(" ".join(tokens))
