"""Stage ``clean.v1``: give every line of a flat text a kind (title, lead, body, boilerplate, …).

Crawled plain text is a page flattened to lines: site chrome at the top (skip links, menus, a
breaking-news ticker, the site's clock), the headline, a lead, bylines, dates and photo captions,
the story, then the footer (tags, "end of message", related headlines, share and newsletter
lines, a copyright line), a comment form and reader comments. This stage splits the text into one
block per non-empty line (the span is the line without its surrounding whitespace, so
``text[start:end]`` is the stripped line; lines are never split or merged) and decides each
block's kind.

How, in the order the code works:

1. Evidence per line: cues (known lines, prefixes, patterns, rows of buttons; data in
   ``khabar/lang/<code>/boilerplate.yaml``), date shape, script, sentence punctuation, length,
   the share of function words (``lang/<code>/stopwords.txt``, as jusText classes paragraphs),
   rows of links and runs of menu-short lines.
2. The main text region: prose paragraphs no cue claims are grouped into runs (split by closing
   cues such as an end marker, tags, "most read", a comment heading, and by menus); the story
   starts at the first paragraph (or the first substantial run when site chrome lies between)
   and ends at the first closing cue after the run with the most words.
3. The headline is the first title-like line after the header's last piece of chrome (menu,
   skip links, account links) and before the story; a kicker may stand above it. Lines above it
   are chrome (the site's clock, navigation, …).
4. Between the headline and the story: lead, bylines and credit lines, datelines, captions,
   promos. In the story: body, with link lists under a "read also" heading and cues set apart.
   After the last paragraph: lines up to the first cue are kept (verse, a list, a signature)
   unless they are an unheaded list of headlines; from the first cue on, what no rule keeps is
   footer.
5. The comment area (after a comment heading or form, or a run of name/date pairs after the
   story): rules and form lines are boilerplate, comments are one ``comment`` block per line
   carrying the comment's number, author and timestamp spans.

Each block's ``cue`` attribute names what decided it.

Rule above all others: a body paragraph is never dropped. A line that reads like a paragraph
inside the story is body unless a *strong* cue says otherwise (an exact known line, a row of
buttons, an ad placeholder, a photo credit); a weak prefix cue does not decide prose, and a
weak pattern cue does not decide a line that reads like a paragraph.

When the document already has blocks (the HTML reader sets them) they are kept and only the
title is filled in from the first ``title`` block.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

from khabar.document import Block, Document, Span
from khabar.errors import ResourceError
from khabar.pipeline import stage

CUE_LANGUAGES: tuple[str, ...] = ("fa", "ar", "en")
CUE_RESOURCE = "lang/{lang}/boilerplate.yaml"


# -- cue roles: what each cue name in the yaml files means --------------------------------------

@dataclass(frozen=True, slots=True)
class CueRole:
    """The kind a cue gives a line, and whether it may overrule a line that reads like body.

    ``context`` limits where a cue is looked for: ``any`` line, only inside the ``comments`` area,
    or only on the ``first_body`` paragraph (it then adds attributes instead of a kind).
    """

    kind: str
    strong: bool
    context: str = "any"


CUE_ROLES: Mapping[str, CueRole] = {
    "skip_links": CueRole("boilerplate", strong=True),
    "breaking_ticker": CueRole("boilerplate", strong=False),
    "ad_marker": CueRole("boilerplate", strong=True),
    "size_buttons": CueRole("boilerplate", strong=True),
    "share_bar": CueRole("boilerplate", strong=True),
    "social_promo": CueRole("boilerplate", strong=False),
    "copyright": CueRole("boilerplate", strong=False),
    "end_marker": CueRole("boilerplate", strong=True),
    "news_id": CueRole("boilerplate", strong=False),
    "news_group": CueRole("boilerplate", strong=False),
    "source_label": CueRole("boilerplate", strong=False),
    "read_also": CueRole("boilerplate", strong=False),
    "comment_form": CueRole("boilerplate", strong=False),
    "comment_rules": CueRole("boilerplate", strong=True),
    "captcha": CueRole("boilerplate", strong=True),
    "comments_header": CueRole("boilerplate", strong=False),
    "comment_policy": CueRole("boilerplate", strong=True),
    "comment_reply": CueRole("boilerplate", strong=False),
    "tags_header": CueRole("tags", strong=False),
    "byline": CueRole("byline", strong=False),
    "caption": CueRole("caption", strong=False),
    "photo_credit": CueRole("caption", strong=True),
    "comment_author": CueRole("comment", strong=True, context="comments"),
    "comment_votes": CueRole("comment", strong=True, context="comments"),
    "dateline_prefix": CueRole("body", strong=False, context="first_body"),
    "site_ui": CueRole("boilerplate", strong=False),
    "related_header": CueRole("boilerplate", strong=False),
    "newsletter": CueRole("boilerplate", strong=False),
    "cookie_notice": CueRole("boilerplate", strong=False),
    "print_note": CueRole("boilerplate", strong=False),
    "relative_time": CueRole("dateline", strong=False),
}
# Cues that open the comment area: everything after them is the comment form or comments.
AREA_OPENERS = frozenset({"comments_header", "comment_form"})
# Cues after which the article does not go on: the main text region ends at the first of them
# after the densest run of paragraphs (what follows is footer, link lists or comments).
CLOSING_CUES = frozenset({"end_marker", "copyright", "tags_header", "related_header", "newsletter",
                          "print_note", "comments_header", "comment_form", "comment_policy",
                          "comment_rules", "captcha"})
# Credit lines that close a story when they follow its densest run of paragraphs ("Reporting
# by …; Editing by …", "Source: …"); above or inside the story they close nothing.
CLOSING_CREDITS = frozenset({"byline", "source_label"})
# Cues of a page header: the headline is looked for after the last line carrying one.
HEADER_CHROME_CUES = frozenset({"skip_links", "breaking_ticker", "site_ui", "related_header", "read_also",
                                "news_id", "news_group", "cookie_notice", "newsletter", "size_buttons"})
# Cues whose line heads a list of other stories' headlines.
LIST_HEADERS = frozenset({"read_also", "related_header"})
WORD_LISTS = ("body_opening", "date", "not_dateline", "weekday", "today", "date_label", "byline_role")
SECTIONS = ("exact", "prefix", "pattern", "tokens", "words")
STOPWORD_RESOURCE = "lang/{lang}/stopwords.txt"

# -- thresholds, chosen on the seeds, the dev pages in eval/data/clean_dev/, the bundled samples and
# the dev split of Fars News / SaudiNewsNet (eval/clean.py)
TITLE_MIN_WORDS = 3      # a one- or two-word line at the top is a menu item or a section label
TITLE_MAX_WORDS = 30
KICKER_MAX_WORDS = 15    # a kicker and the headline under it are both this short …
KICKER_GROWTH = 1.5      # … and the headline at least as long as the kicker, at most this much longer
LEAD_MAX_WORDS = 80
BODY_MIN_WORDS_PUNCT = 10   # this many words with sentence punctuation read as a paragraph
BODY_MIN_WORDS = 25         # this many words read as a paragraph even without punctuation
SENTENCE_MIN_WORDS = 4      # a full sentence this long is a paragraph (the last line of a story)
TRAILING_MIN_WORDS = 2      # between the last paragraph and the first footer cue, kept as body from here
FOOTER_TEXT_MIN_WORDS = 5   # after a footer cue, unpunctuated text is still kept as body from here
CAPTION_MAX_WORDS = 15      # a longer unpunctuated line under the title is the story, not a caption
QUOTE_MIN_WORDS = 8         # a quotation this long under the title is the story
CAPTION_MAX_LINES = 2       # more unpunctuated lines in a row under the title are the story
LEAD_MIN_WORDS_UNPUNCTUATED = 8  # a lead that lost its full stop still has this many words
FOREIGN_CAPTION_MAX_WORDS = 6
TAG_MAX_WORDS = 5
DATE_MAX_TOKENS = 12        # a date line is short …
DATE_MIN_SHARE = 0.6        # … and mostly numbers, month and weekday names
MAX_BUTTON_ROW = 12         # a row of share or size buttons has fewer words than this
NAV_ITEM_MAX_WORDS = 4      # the items of a row of links ("Home | World | Business") are this short
NAV_ROW_MIN_WORDS = 5       # a menu row without separators has at least this many capitalised words
MENU_ITEM_MAX_WORDS = 3     # a menu is a run of lines this short …
MENU_RUN_MIN_LINES = 3      # … at least this long
CLUSTER_MAX_GAP = 4         # paragraphs this many lines apart (or closer) belong to one run
SUBSTANTIAL_WORDS = 40      # a run of paragraphs this long (or of two paragraphs) is article text
LIST_HEADER_MAX_WORDS = 6   # a list heading ("Read also", "الأكثر قراءة") is this short
LINK_ITEM_MAX_WORDS = 20    # a headline in a link list is this short …
LINK_ITEM_MIN_WORDS = 6     # … and, after the first, this long (shorter is a subheading of the story)
LINK_RUN_MIN_LINES = 3      # unheaded headlines after a story: a run of at least this many …
LINK_RUN_MIN_WORDS = 4      # … lines this long, without punctuation …
LINK_MAX_STOPWORD_SHARE = 0.3  # … and with fewer function words than prose has
CREDIT_MAX_WORDS = 6        # a credit line ("Ayesha Khan, Senior Reporter") is this short
COMMENT_NAME_MAX_WORDS = 5  # the author line above a comment's date
HEADERLESS_COMMENTS_MIN = 2  # comments without a heading: at least this many author/date pairs
SITE_CLOCK_MAX_INDEX = 1    # a date line among the first two lines is the site's clock


# -- folding lines for comparison -----------------------------------------------------------------

# Removed before comparing: ZWNJ/ZWJ/ZWSP, bidi marks and isolates, BOM, tatweel, and Arabic
# harakat, superscript alef and Quranic marks (Unicode Arabic block U+064B-U+065F, U+0670,
# U+06D6-U+06ED).
_REMOVED = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2066, 0x2067, 0x2068, 0x2069, 0x202A, 0x202B,
     0x202C, 0x202D, 0x202E, 0xFEFF, 0x0640, 0x0670,
     *range(0x064B, 0x0660), *range(0x06D6, 0x06EE)],
)
_LETTER_FOLD = {
    "ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ۀ": "ه",
}
_DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
_FOLD_TABLE = str.maketrans({**_REMOVED, **_LETTER_FOLD,
                             **{d: str(i % 10) for i, d in enumerate(_DIGITS)}})
_SPACES = re.compile(r"\s+")
_TRAILING_SEPARATORS = " |:/-–—•·"
# "المصدر : …" and "خبرگزاري فارس :" as "المصدر: …": a space before a colon is typing noise.
_SPACE_BEFORE_COLON = re.compile(r"\s+([:：])")
# A list bullet at the start of a line (seed 004 lines 34-40 start with "  • ").
_BULLET = re.compile(r"^(?:[•●▪◦‣⁃·*]\s*|[-–—]\s+)")
# Characters trimmed from both ends of a line besides whitespace: invisible format characters
# that carry nothing on their own at a line edge.
_EDGE_INVISIBLES = "\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\ufeff"
# Line breaks as str.splitlines sees them, \r\n first so it counts as one.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def fold(text: str) -> str:
    """A comparison form: NFC, Arabic/Persian letter variants merged, marks removed, ASCII digits."""
    folded = unicodedata.normalize("NFC", text).translate(_FOLD_TABLE).casefold()
    return _SPACES.sub(" ", folded).strip()


def match_key(text: str) -> str:
    """The folded form of a line for exact and prefix cues: bullet and trailing separators dropped."""
    key = _SPACE_BEFORE_COLON.sub(r"\1", fold(_BULLET.sub("", text.strip())))
    return key.rstrip(_TRAILING_SEPARATORS)


# -- the cue book ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue found on a line, and how (``exact``, ``tokens``, ``prefix`` or ``pattern``)."""

    cue: str
    how: str

    @property
    def role(self) -> CueRole:
        return CUE_ROLES[self.cue]


@dataclass(frozen=True, slots=True)
class CueBook:
    """The merged contents of every ``lang/<code>/boilerplate.yaml``."""

    exact: Mapping[str, str]                          # match key -> cue
    prefixes: tuple[tuple[str, str], ...]             # (folded prefix, cue), longest first
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (cue, regex), general cues only
    context_patterns: Mapping[str, tuple[re.Pattern[str], ...]]  # comment_author, …
    tokens: Mapping[str, frozenset[str]]              # cue -> folded tokens
    words: Mapping[str, tuple[str, ...]]              # word-list name -> folded entries

    def match(self, key: str, content: str) -> CueHit | None:
        """The cue a line carries, looking at exact lines, button rows, prefixes, then patterns."""
        if not key:
            return None
        cue = self.exact.get(key)
        if cue is not None:
            return CueHit(cue, "exact")
        tokens = _tokens(key) if key.count(" ") < MAX_BUTTON_ROW else ()
        if tokens:
            for name, allowed in self.tokens.items():
                if all(token in allowed for token in tokens):
                    return CueHit(name, "tokens")
        for prefix, name in self.prefixes:
            if key.startswith(prefix) and (len(key) == len(prefix) or not prefix[-1].isalnum()
                                           or not key[len(prefix)].isalnum()):
                return CueHit(name, "prefix")
        for name, pattern in self.patterns:
            if pattern.search(content):
                return CueHit(name, "pattern")
        return None

    def context_match(self, cue: str, content: str) -> re.Match[str] | None:
        for pattern in self.context_patterns.get(cue, ()):
            found = pattern.search(content)
            if found:
                return found
        return None


def _tokens(key: str) -> list[str]:
    """Words of a folded line with separator-only tokens (``|``, ``·``) left out."""
    out = []
    for raw in key.split(" "):
        token = raw.strip("|·•,،/:»«›")
        if token:
            out.append(token)
    return out


def _entries(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ResourceError(f"{where}: expected a list of strings; fix the yaml file")
    for entry in value:
        if not entry or entry != entry.strip():
            raise ResourceError(f"{where}: entry {entry!r} is empty or has surrounding whitespace")
        if unicodedata.normalize("NFC", entry) != entry:
            raise ResourceError(f"{where}: entry {entry!r} is not NFC-normalised")
    return value


def build_cue_book(sources: Mapping[str, Mapping[str, Any]]) -> CueBook:
    """Validate and merge parsed yaml files (``{source name: parsed yaml}``) into one `CueBook`.

    Raises `ResourceError` for an unknown section or cue name, a malformed entry, a duplicate
    after folding, an exact line claimed by two cues, or a regex that does not compile.
    """
    exact: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    patterns: list[tuple[str, re.Pattern[str]]] = []
    context_patterns: dict[str, list[re.Pattern[str]]] = {}
    tokens: dict[str, set[str]] = {}
    words: dict[str, list[str]] = {name: [] for name in WORD_LISTS}
    for source, raw in sources.items():
        if not isinstance(raw, Mapping):
            raise ResourceError(f"{source}: expected a mapping of sections {SECTIONS}")
        unknown = set(raw) - set(SECTIONS)
        if unknown:
            raise ResourceError(f"{source}: unknown sections {sorted(unknown)}; known: {SECTIONS}")
        for section in SECTIONS:
            groups = raw.get(section) or {}
            if not isinstance(groups, Mapping):
                raise ResourceError(f"{source}: section {section!r} must map names to lists")
            for name, value in groups.items():
                where = f"{source}: {section}.{name}"
                if section == "words":
                    if name not in WORD_LISTS:
                        raise ResourceError(f"{where}: unknown word list; known: {WORD_LISTS}")
                    # Unique within a file; the same month name may appear in two languages' files.
                    words[name].extend(_add_unique([], [fold(e) for e in _entries(value or [], where)], where))
                    continue
                role = CUE_ROLES.get(name)
                if role is None:
                    raise ResourceError(f"{where}: unknown cue name; known: {sorted(CUE_ROLES)}")
                entries = _entries(value, where)
                if role.context != "any" and section != "pattern":
                    raise ResourceError(f"{where}: cue {name!r} only works as a pattern")
                if section == "exact":
                    seen: list[str] = []
                    _add_unique(seen, [match_key(e) for e in entries], where)
                    for key in seen:
                        if exact.get(key, name) != name:
                            raise ResourceError(f"{where}: {key!r} is already cue {exact[key]!r}")
                        exact[key] = name
                elif section == "prefix":
                    for key in _add_unique([], [fold(e) for e in entries], where):
                        if prefixes.get(key, name) != name:
                            raise ResourceError(f"{where}: {key!r} is already cue {prefixes[key]!r}")
                        prefixes[key] = name
                elif section == "tokens":
                    bucket = tokens.setdefault(name, set())
                    bucket.update(_add_unique([], [fold(e) for e in entries], where))
                else:
                    compiled = [_compile(entry, name, where) for entry in entries]
                    if role.context == "any":
                        patterns.extend((name, c) for c in compiled)
                    else:
                        context_patterns.setdefault(name, []).extend(compiled)
    return CueBook(
        exact=exact,
        prefixes=tuple(sorted(prefixes.items(), key=lambda item: -len(item[0]))),
        patterns=tuple(patterns),
        context_patterns={k: tuple(v) for k, v in context_patterns.items()},
        tokens={k: frozenset(v) for k, v in tokens.items()},
        words={k: tuple(dict.fromkeys(v)) for k, v in words.items()},
    )


def _add_unique(target: list[str], entries: Sequence[str], where: str) -> list[str]:
    for entry in entries:
        if entry in target:
            raise ResourceError(f"{where}: duplicate entry {entry!r} (after folding); remove one")
        target.append(entry)
    return target


_REQUIRED_GROUPS = {"comment_author": ("author", "timestamp"), "dateline_prefix": ("dateline",)}


def _compile(entry: str, cue: str, where: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(entry)
    except re.error as exc:
        raise ResourceError(f"{where}: bad regex {entry!r}: {exc}") from exc
    missing = [g for g in _REQUIRED_GROUPS.get(cue, ()) if g not in compiled.groupindex]
    if missing:
        raise ResourceError(f"{where}: regex {entry!r} needs named groups {missing}")
    return compiled


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with a repeated key (plain YAML keeps the last one,
    which would silently drop a cue list)."""


def _strict_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
    if repeated:
        raise yaml.constructor.ConstructorError(None, None, f"repeated keys {repeated}", node.start_mark)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _strict_mapping)


def parse_cue_yaml(text: str) -> Any:
    """Parse a cue file, refusing repeated keys."""
    return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects


@functools.cache
def load_cue_book() -> CueBook:
    """Read and merge the fa, ar and en cue files once per process."""
    sources: dict[str, Any] = {}
    for lang in CUE_LANGUAGES:
        path = importlib.resources.files("khabar") / CUE_RESOURCE.format(lang=lang)
        try:
            sources[f"lang/{lang}/boilerplate.yaml"] = parse_cue_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ResourceError(f"cannot read cue file {path}: {exc}; restore it from the repository") from exc
    return build_cue_book(sources)


def parse_stopwords(text: str, where: str) -> frozenset[str]:
    """Folded entries of a stopword file: one word a line, ``#`` comments; refuses duplicates."""
    entries = [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    _entries(entries, where)
    return frozenset(_add_unique([], [fold(e) for e in entries], where))


@functools.cache
def load_stopwords() -> frozenset[str]:
    """The merged fa, ar and en stopword lists (function words), folded, once per process."""
    words: set[str] = set()
    for lang in CUE_LANGUAGES:
        path = importlib.resources.files("khabar") / STOPWORD_RESOURCE.format(lang=lang)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ResourceError(f"cannot read stopword file {path}: {exc}; restore it from the repository") from exc
        words |= parse_stopwords(text, f"lang/{lang}/stopwords.txt")
    return frozenset(words)


# -- lines ------------------------------------------------------------------------------------------

_TERMINALS = ".!?؟…"
_SENTENCE_PUNCT = re.compile(r"[.!?؟…،,؛;:]")
_CLOSERS = " |»”’\"')]}›"
# A full stop, question or exclamation mark followed by more text. Two or more dots are not one:
# Arabic headlines join their halves with ".." ("بأمر ولي العهد.. نقل جثماني …").
_INNER_SENTENCE_END = re.compile(r"(?<!\.)[.!?؟](?!\.)(?=[»”\"')]*\s+\S)")
# "<outlet> – <city>" or "<city> - <reporter>" on its own line under a headline.
_SOURCE_AND_PLACE = re.compile(r"^[^\s\-–—]+(?: [^\s\-–—]+){0,2} [-–—] [^\s\-–—]+(?: [^\s\-–—]+){0,2}$")
_NAV_SEPARATORS = re.compile(r"\s[|›»>/·]\s")
_NUMERIC_DATE = re.compile(r"^\d{1,4}(?:[/:.\-]\d{1,4})+$")


# Letters (``[^\W\d_]``) by script, counted with regexes because a per-character Python loop was
# most of the stage's time. Arabic: the Unicode blocks Arabic, Arabic Supplement, Arabic
# Extended-B/A and Arabic Presentation Forms-A/B; Latin: Basic Latin to Latin Extended-B and
# Latin Extended Additional.
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile(r"(?=[^\W\d_])[\u0600-\u06FF\u0750-\u077F\u0870-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF](?<=[^\W\d_])")
_WORD = re.compile(r"\S*\w\S*")


def _letters_by_script(text: str) -> dict[str, int]:
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    other = len(_LETTER.findall(text)) - arabic - latin
    counts = {"arabic": arabic, "latin": latin, "other": other}
    return {script: count for script, count in counts.items() if count > 0}


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line: its trimmed span, the part after a list bullet, and what it looks like."""

    index: int
    start: int
    end: int
    text: str
    content_start: int
    content: str
    key: str
    words: int
    letters: Mapping[str, int]

    @property
    def script(self) -> str:
        """The script most of its letters are in, or ``none`` when it has no letters."""
        if not self.letters:
            return "none"
        return max(self.letters, key=lambda s: self.letters[s])

    @property
    def sentence_end(self) -> bool:
        """Ends in a full stop, question or exclamation mark (or a colon after a few words)."""
        tail = self.content.rstrip(_CLOSERS)
        if not tail:
            return False
        return tail[-1] in _TERMINALS or (tail[-1] == ":" and self.words >= SENTENCE_MIN_WORDS)

    @property
    def has_punct(self) -> bool:
        return _SENTENCE_PUNCT.search(self.content) is not None

    @property
    def body_like(self) -> bool:
        """Reads like a paragraph: long with sentence punctuation, or very long."""
        return (self.words >= BODY_MIN_WORDS_PUNCT and self.has_punct) or self.words >= BODY_MIN_WORDS

    @property
    def paragraph_like(self) -> bool:
        """A paragraph, or a complete sentence of a few words (a story's short last line)."""
        return self.body_like or (self.sentence_end and self.words >= SENTENCE_MIN_WORDS)

    @property
    def sentences_inside(self) -> int:
        return len(_INNER_SENTENCE_END.findall(self.content))



def split_lines(text: str) -> list[Line]:
    """Every non-empty line of ``text`` with its span trimmed of whitespace and invisible marks."""
    lines: list[Line] = []
    for start, end in _iter_pieces(text):
        while start < end and (text[start].isspace() or text[start] in _EDGE_INVISIBLES):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_INVISIBLES):
            end -= 1
        if start == end:
            continue
        line_text = text[start:end]
        bullet = _BULLET.match(line_text)
        offset = bullet.end() if bullet else 0
        content = line_text[offset:]
        if not content:  # a bare bullet: compare the bullet itself
            offset, content = 0, line_text
        lines.append(Line(len(lines), start, end, line_text, start + offset, content, match_key(content),
                          len(_WORD.findall(content)), _letters_by_script(content)))
    return lines


def _iter_pieces(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for found in _LINE_BREAK.finditer(text):
        yield start, found.start()
        start = found.end()
    yield start, len(text)


# -- deciding kinds -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Decision:
    """The kind of one line and what decided it."""

    kind: str
    cue: str
    attrs: tuple[tuple[str, Any], ...] = ()


_TOKEN_EDGES = ",،.:;؛()[]{}-–—|«»\"'“”"


def _plain_tokens(key: str) -> list[str]:
    tokens = [t.strip(_TOKEN_EDGES) for t in key.split(" ")]
    return [t for t in tokens if t]


class _Page:
    """The lines of one document and, per line, the facts the zone rules ask about."""

    def __init__(self, lines: list[Line], book: CueBook, stopwords: frozenset[str]) -> None:
        self.lines = lines
        self.book = book
        self.stopwords = stopwords
        self.n = len(lines)
        totals: dict[str, int] = {}
        for line in lines:
            for script, count in line.letters.items():
                totals[script] = totals.get(script, 0) + count
        self.main_script = max(totals, key=lambda s: totals[s]) if totals else "none"
        words = book.words
        self.clock_words = frozenset(words["weekday"]) | frozenset(words["today"])
        self.date_words = frozenset(words["date"]) | self.clock_words | frozenset(words["date_label"])
        self.month_words = frozenset(words["date"]) | frozenset(words["weekday"])
        self.not_dateline = frozenset(words["not_dateline"])
        self.roles = frozenset(words["byline_role"])
        openings = tuple(word + " " for word in words["body_opening"])
        self.raw = [book.match(line.key, line.content) for line in lines]
        self.cue = [self._applicable(hit, line) for hit, line in zip(self.raw, lines, strict=True)]
        tokens = [_plain_tokens(line.key) for line in lines]
        self.date = [self._is_date(t) for t in tokens]
        self.clock = [self.date[i] and any(t in self.clock_words for t in tokens[i]) for i in range(self.n)]
        self.stopword_share = [sum(1 for t in ts if t in stopwords) / len(ts) if ts else 0.0 for ts in tokens]
        self.credit = [self._is_credit(line, ts) for line, ts in zip(lines, tokens, strict=True)]
        self.foreign = [self._is_foreign(line) for line in lines]
        self.nav = [_is_nav_row(line) or self._is_word_row(line, ts) for line, ts in zip(lines, tokens, strict=True)]
        self.menu = self._menu_runs()
        self.opens_body = [line.key.startswith(openings) if openings else False for line in lines]
        self.stamp = [self.date[i] or (hit is not None and hit.cue == "relative_time") for i, hit in enumerate(self.raw)]

    @staticmethod
    def _applicable(hit: CueHit | None, line: Line) -> CueHit | None:
        """The line's cue if it may decide inside the story: exact lines, button rows and strong
        cues always; a weak prefix (a label opening the line) unless the line is prose; a weak
        pattern (found anywhere in the line) only on a line that does not read like a paragraph."""
        if hit is None:
            return None
        if hit.how in ("exact", "tokens") or hit.role.strong:
            return hit
        if hit.how == "prefix":
            return None if _prose(line) else hit
        return None if line.body_like else hit

    def _is_date(self, tokens: list[str]) -> bool:
        """A short line made mostly of a date or time (numbers, month and weekday names, labels
        such as "published")."""
        if not tokens or len(tokens) > DATE_MAX_TOKENS:
            return False
        numeric = any(_NUMERIC_DATE.match(t) for t in tokens)
        named = any(t in self.month_words for t in tokens)
        if not numeric and not (named and any(t.isdigit() for t in tokens)):
            return False
        dateish = sum(1 for t in tokens if t.isdigit() or _NUMERIC_DATE.match(t) or t in self.date_words)
        return dateish / len(tokens) >= DATE_MIN_SHARE

    def _is_word_row(self, line: Line, tokens: list[str]) -> bool:
        """A menu flattened to one line without separators ("Home News Sport Business …"): Latin
        words, every one capitalised, no function word, no punctuation."""
        return (line.words >= NAV_ROW_MIN_WORDS and line.script == "latin" and not line.has_punct
                and all(word[:1].isupper() for word in line.content.split())
                and not any(t in self.stopwords for t in tokens))

    def _is_credit(self, line: Line, tokens: list[str]) -> bool:
        """A short line naming a job title ("economic reporter", "محرر الشؤون المحلية")."""
        return (0 < line.words <= CREDIT_MAX_WORDS and not line.sentence_end and line.sentences_inside == 0
                and any(t in self.roles for t in tokens))

    def _is_foreign(self, line: Line) -> bool:
        """A short unpunctuated line in another script than the page's (an image's alt text)."""
        return (self.main_script in ("arabic", "latin") and line.script not in ("none", self.main_script)
                and line.words <= FOREIGN_CAPTION_MAX_WORDS and not line.has_punct)

    def _menu_runs(self) -> list[bool]:
        """Lines in a run of very short lines without sentence punctuation: a menu or a button row."""
        short = [0 < line.words <= MENU_ITEM_MAX_WORDS and not line.has_punct and not self.date[i]
                 for i, line in enumerate(self.lines)]
        menu = [False] * self.n
        for run in _runs([i for i in range(self.n) if short[i]]):
            if len(run) >= MENU_RUN_MIN_LINES:
                for i in run:
                    menu[i] = True
        return menu

    def plain(self, i: int) -> bool:
        """No cue, not a date, not in a foreign script: a line the position rules decide."""
        return self.cue[i] is None and not self.date[i] and not self.foreign[i]

    def anchor(self, i: int) -> bool:
        """A prose paragraph no cue claims: what the main text region is built from."""
        line = self.lines[i]
        return (self.raw[i] is None and not self.date[i] and line.script == self.main_script
                and _prose(line) and not self.nav[i])

    def header_chrome(self, i: int) -> bool:
        """Site chrome of a page header: menus, skip links, account links. Share buttons are not
        (they often stand between the headline and the story), nor date lines (the story's date
        under the headline may name the weekday as the site's clock does)."""
        hit = self.raw[i]
        if hit is not None and hit.cue == "share_bar":
            return False
        return (hit is not None and hit.cue in HEADER_CHROME_CUES) or self.nav[i] or self.menu[i]

    def title_like(self, i: int) -> bool:
        line = self.lines[i]
        return (TITLE_MIN_WORDS <= line.words <= TITLE_MAX_WORDS and line.sentences_inside == 0
                and line.script in (self.main_script, "none"))

    def title_candidate(self, i: int) -> bool:
        """Could be the headline: title-like, no cue, not chrome, not prose, not a link item."""
        return (self.raw[i] is None and not self.date[i] and not self.foreign[i] and not self.nav[i]
                and not self.menu[i] and self.title_like(i) and not _prose(self.lines[i])
                and not self.after_list_header(i) and not _TIMED_ITEM.match(self.lines[i].content))

    def after_list_header(self, i: int) -> bool:
        return i > 0 and self.list_header(i - 1)

    def list_header(self, i: int) -> bool:
        """A heading over a list of headlines ("Read also", "Most read:"), not a one-line link
        ("Read also: <headline>")."""
        hit = self.raw[i]
        return (hit is not None and hit.cue in LIST_HEADERS and self.lines[i].words <= LIST_HEADER_MAX_WORDS
                and (hit.how == "exact" or _introduces(self.lines[i]) or ":" not in self.lines[i].content))

    def headline_like(self, i: int) -> bool:
        """Title-like, short and without a final full stop: a kicker or a headline, not a sentence."""
        return (self.plain(i) and self.title_like(i) and self.lines[i].words <= KICKER_MAX_WORDS
                and not self.lines[i].sentence_end)

    def link_shaped(self, i: int) -> bool:
        """A headline in an unheaded list after the story: short, unpunctuated, few function words,
        at most one number, not a numbered item and not a table row (columns set apart by spaces)."""
        line = self.lines[i]
        numbers = sum(1 for token in line.key.split(" ") if any(c.isdigit() for c in token))
        return (self.raw[i] is None and LINK_RUN_MIN_WORDS <= line.words <= LINK_ITEM_MAX_WORDS
                and not line.has_punct and line.script == self.main_script and numbers <= 1
                and not _LIST_NUMBER.match(line.content) and "   " not in line.content
                and not any(c in line.content for c in "()[]*")
                and self.stopword_share[i] < LINK_MAX_STOPWORD_SHARE)

    def link_item(self, i: int, first: bool, inside_story: bool) -> bool:
        """A headline under a list heading. Inside the story a line after the first that is
        shorter than LINK_ITEM_MIN_WORDS words and followed by prose is the story's subheading."""
        line = self.lines[i]
        if not line.words or line.words > LINK_ITEM_MAX_WORDS or line.sentences_inside or _prose(line):
            return False
        if line.sentence_end and line.content.rstrip(_CLOSERS)[-1:] == ".":
            return False
        if first or not inside_story or line.words >= LINK_ITEM_MIN_WORDS:
            return True
        following = next((j for j in range(i + 1, self.n) if self.lines[j].words), None)
        return following is not None and not _prose(self.lines[following])

    def next_plain(self, i: int) -> int | None:
        """The next line after ``i`` that the position rules decide."""
        return next((j for j in range(i + 1, self.n) if self.plain(j)), None)


def _is_nav_row(line: Line) -> bool:
    """A row of links: two or more separators (``|``, ``»``, ``/`` …) between short items."""
    separators = len(_NAV_SEPARATORS.findall(line.content))
    return separators >= 2 and not line.sentence_end and line.words <= NAV_ITEM_MAX_WORDS * (separators + 1)


# "14:05 <headline>": an item of a news ticker or a live feed, not the page's headline.
_TIMED_ITEM = re.compile(r"^\d{1,2}:\d{2}\s+\S")
# "1- …", "2. …", "3) …": a numbered item of the story's own list.
_LIST_NUMBER = re.compile(r"^\d{1,3}\s*[-.)]")


def _prose(line: Line) -> bool:
    """A paragraph of running text: long with sentence punctuation and a final stop, or very long."""
    return (line.body_like and line.sentence_end) or line.words >= BODY_MIN_WORDS


def _hit_decision(hit: CueHit) -> Decision:
    """The kind a cue gives. A reply button is a comment's only inside a comment (decided in the
    comment area); elsewhere it is a button."""
    return Decision(hit.role.kind, hit.cue)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the story is: the first anchor paragraph, the densest run's last one, the comments."""

    first_anchor: int | None
    main_last: int | None
    area_start: int


def _layout(page: _Page) -> _Layout:
    """Find the main text region: runs of prose paragraphs split by closing cues and long gaps.

    The story starts at the first paragraph, or at the first substantial run (jusText-style: two
    paragraphs or SUBSTANTIAL_WORDS words) when page-header chrome lies between the two, so a
    cookie notice or a teaser above the menu is not taken for it; it ends after the run with the
    most words, at the next closing cue.
    """
    n = page.n
    clusters: list[list[int]] = []
    last = -10**9
    for i in range(n):
        hit = page.raw[i]
        if (hit is not None and hit.cue in CLOSING_CUES) or page.header_chrome(i):
            last = -10**9  # a closing cue or a menu between two paragraphs splits the run
            continue
        if not page.anchor(i):
            continue
        gap = sum(1 for j in range(last + 1, i) if page.lines[j].words) if last >= 0 else 10**9
        if clusters and gap <= CLUSTER_MAX_GAP:
            clusters[-1].append(i)
        else:
            clusters.append([i])
        last = i
    if not clusters:
        return _Layout(None, None, n)

    def words(cluster: list[int]) -> int:
        return sum(page.lines[i].words for i in cluster)

    substantial = [c for c in clusters if len(c) >= 2 or words(c) >= SUBSTANTIAL_WORDS]
    first = clusters[0][0]
    if substantial and substantial[0][0] != first \
            and any(page.header_chrome(i) for i in range(first + 1, substantial[0][0])):
        # Prose above the site's menu or clock (a cookie notice, a teaser) is not the story.
        first = substantial[0][0]
    area_start = next((i for i in range(first + 1, n)
                       if (hit := page.raw[i]) is not None and hit.cue in AREA_OPENERS), n)
    area_start = min(area_start, _headerless_comments(page, first + 1, area_start))
    inside = [c for c in clusters if first <= c[0] < area_start] or [clusters[0]]
    main = max(inside, key=words)
    return _Layout(first, main[-1], area_start)


def classify(lines: list[Line], book: CueBook, *, given_title: int | None = None,
             stopwords: frozenset[str] = frozenset()) -> list[Decision]:
    """Decide the kind of every line. ``given_title`` is the index of a line known to be the title."""
    if not lines:
        return []
    page = _Page(lines, book, stopwords)
    n = len(lines)
    out: list[Decision | None] = [None] * n
    layout = _layout(page)

    title, kicker, body_start = _find_title(page, layout, given_title)
    header_end = title if title is not None else (body_start if body_start is not None else n)
    for i in range(header_end):
        if i != kicker:
            out[i] = _header_decision(page, i)
    if kicker is not None:
        out[kicker] = Decision("title", "kicker")
    if title is not None:
        out[title] = Decision("title", "given_title" if given_title is not None else "first_headline")
    headline_keys = {lines[i].key for i in (title, kicker) if i is not None}
    seen_keys = {lines[i].key for i in range(n) if out[i] is not None}

    if title is not None:
        body_start = _classify_before_body(page, out, title, layout.area_start, headline_keys, seen_keys)
    if body_start is not None:
        _classify_rest(page, out, body_start, layout, headline_keys, seen_keys)
    for i in range(n):
        if out[i] is None:  # no paragraph anywhere: keep what no cue claims
            hit = page.cue[i]
            out[i] = _hit_decision(hit) if hit else Decision("body", "no_paragraph_found")
    return [d for d in out if d is not None]


def _find_title(page: _Page, layout: _Layout,
                given_title: int | None) -> tuple[int | None, int | None, int | None]:
    """``(title, kicker, body_start)``.

    The headline is the first title-like line after the page header's last piece of chrome (a
    menu, skip links, account links, the site's clock) and before the first paragraph of the
    story; a kicker may stand above it. Without such a line a one- or two-word line right above
    the story is a short headline, or the story's first line is the headline when it is a single
    sentence (a headline with a full stop, seed 002); else there is no title.
    """
    lines = page.lines
    if given_title is not None:
        return given_title, None, None
    limit = layout.first_anchor if layout.first_anchor is not None else page.n
    chrome_end = max((i for i in range(limit) if page.header_chrome(i)), default=-1)
    candidates = [i for i in range(chrome_end + 1, limit) if page.title_candidate(i)]
    if not candidates:
        candidates = [i for i in range(limit) if page.title_candidate(i)][-1:]
    if candidates and not any(page.plain(i) and lines[i].words for i in range(page.n) if i != candidates[0]):
        return None, None, candidates[0]  # a lone line: the story, not a headline over nothing
    if candidates:
        first = candidates[0]
        following = page.next_plain(first)
        if following is not None and following in candidates and following == first + 1 \
                and lines[following].key != lines[first].key \
                and (_kicker_colon(lines[first]) or _kicker_pair(page, first, following)):
            return following, first, None
        return first, None, None
    anchor = layout.first_anchor
    first_plain = next((i for i in range(chrome_end + 1, anchor if anchor is not None else page.n)
                        if page.plain(i) and lines[i].words and not page.nav[i] and not page.menu[i]), anchor)
    if anchor is None:
        return None, None, first_plain
    before = next((i for i in range(anchor - 1, chrome_end, -1) if lines[i].words), None)
    if before is not None and page.plain(before) and 0 < lines[before].words < TITLE_MIN_WORDS \
            and lines[before].script == page.main_script and not lines[before].sentence_end \
            and not page.menu[before] and not page.nav[before]:
        # A one- or two-word headline right above the story (a column name, a feature title).
        return before, None, None
    later = next((j for j in range(anchor + 1, page.n) if page.anchor(j)), None)
    if page.title_like(anchor) and later is not None and first_plain == anchor:
        return anchor, None, None
    # No headline found: keep everything after the header chrome (losing body is worse).
    return None, None, first_plain


def _kicker_colon(line: Line) -> bool:
    """A kicker that introduces the headline with a colon ("X said:" above the headline)."""
    return line.content.rstrip(_CLOSERS).endswith((":", "："))


def _kicker_pair(page: _Page, first: int, following: int) -> bool:
    """Two short headlines in a row, then a photo caption, a promo or a date: a kicker above the
    headline (Persian روتیتر; the line Elaph prints above its headline, seed 001). Without that
    third line the second one is as likely a caption or a lead that lost its full stop."""
    lines = page.lines
    return (following + 1 < page.n and page.headline_like(first) and page.headline_like(following)
            and lines[first].words <= lines[following].words <= KICKER_GROWTH * lines[first].words
            and not page.plain(following + 1))


def _header_decision(page: _Page, i: int) -> Decision:
    hit = page.raw[i]
    if hit is not None:
        return _hit_decision(hit)
    if page.date[i]:
        if page.clock[i] or i <= SITE_CLOCK_MAX_INDEX:
            # The site's "today" banner above the headline, not the story's date; the time stage
            # may use it as an upper bound on the crawl date (DESIGN.md, known traps).
            return Decision("boilerplate", "site_clock")
        # A date without a weekday next to the news code above the headline: the story's own.
        return Decision("dateline", "header_date")
    if page.nav[i] or page.menu[i]:
        return Decision("boilerplate", "navigation")
    return Decision("boilerplate", "header")


# "<city>: <credit>" under a headline ("دبي: محمد علاء"): one or two words of letters, a colon,
# one to three words of letters (guillemets allowed), nothing else.
_PLACE_COLON_CREDIT = re.compile(r"^[^\W\d_]{2,20}(?: [^\W\d_]{2,20})?\s?:\s*«?[^\W\d_]+(?: [^\W\d_]+){0,2}»?$")


def _classify_before_body(page: _Page, out: list[Decision | None], title: int, area_start: int,
                          headline_keys: set[str], seen_keys: set[str]) -> int | None:
    """Lines between the title and the first paragraph: lead, captions, bylines, dates, promos.

    Returns the index of the first body paragraph, or None when none follows.
    """
    lines = page.lines
    pending: list[int] = []
    lead_done = False
    body_start: int | None = None
    for i in range(title + 1, area_start):
        if out[i] is not None:
            continue
        line = lines[i]
        hit = page.cue[i]
        decision: Decision
        if hit is not None:
            decision = _hit_decision(hit)
        elif page.after_list_header(i) and page.link_item(i, True, True):
            decision = Decision("boilerplate", "link_item")
        elif not line.words:
            decision = Decision("boilerplate", "no_words")
        elif line.key in headline_keys:
            decision = Decision("boilerplate", "repeated_title")
        elif line.key in seen_keys:
            decision = Decision("boilerplate", "repeated_line")
        elif page.date[i]:
            decision = Decision("dateline", "date_line")
        elif page.foreign[i]:
            decision = Decision("caption", "foreign_script")
        elif page.credit[i]:
            decision = Decision("byline", "credit_line")
        elif _SOURCE_AND_PLACE.match(line.content):
            decision = Decision("dateline", "source_and_place")
        elif page.nav[i]:
            decision = Decision("boilerplate", "navigation")
        elif not lead_done and _is_lead(page, i, headline_keys):
            decision = Decision("lead", "lead")
            lead_done = True
        elif line.paragraph_like or line.words > CAPTION_MAX_WORDS or _introduces(line) \
                or (line.content[:1] in _OPENING_QUOTES and line.words >= QUOTE_MIN_WORDS):
            # A paragraph, a long line (a paragraph broken by the crawler), a line introducing what
            # follows ("… as follows:") or a quotation: the story, not a caption.
            body_start = i
            break
        elif _PLACE_COLON_CREDIT.match(line.content) and not line.sentence_end:
            decision = Decision("byline", "place_and_credit")
        else:
            pending.append(i)
            decision = Decision("caption", "pre_body_caption")
        seen_keys.add(line.key)
        out[i] = decision
    if body_start is None:
        # No paragraph came: the unpunctuated lines after the title are the story after all.
        for i in pending:
            out[i] = Decision("body", "no_paragraph_found")
    else:
        # A photo has a caption of a line or two; a longer run of unpunctuated lines is verse or
        # a list that opens the story.
        for run in _runs(pending):
            if len(run) > CAPTION_MAX_LINES:
                for i in run:
                    out[i] = Decision("body", "unpunctuated_run")
    return body_start


_OPENING_QUOTES = "\"“"


def _introduces(line: Line) -> bool:
    """Ends in a colon: it introduces the lines after it."""
    return line.content.rstrip(_CLOSERS).endswith((":", "："))


def _runs(indices: list[int]) -> list[list[int]]:
    """Consecutive line indices grouped: [1, 2, 3, 7] -> [[1, 2, 3], [7]]."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _is_lead(page: _Page, i: int, headline_keys: set[str]) -> bool:
    """A one-paragraph summary between the headline and the report proper.

    Set apart from the report by what follows it: a repeat of the headline (seed 003), the
    paragraph that opens "according to the report of …" (Persian agency copy, seeds 000, 004), a
    report that opens with a dateline ("عمّان – …", "MUSCAT, Dec 16 —"), or a byline, date or
    photo caption between it and the report.
    """
    line = page.lines[i]
    if line.words > LEAD_MAX_WORDS or page.opens_body[i] or line.script != page.main_script:
        return False
    if not line.paragraph_like and line.words < LEAD_MIN_WORDS_UNPUNCTUATED:
        return False
    # A line that itself opens with a dateline is the report, unless the agency formula follows.
    own_dateline = _opens_with_dateline(page, i)
    set_apart = False
    for j in range(i + 1, page.n):
        if page.lines[j].key in headline_keys:
            return True
        if not page.lines[j].words:
            continue
        if page.plain(j) and not page.credit[j] and not page.nav[j]:
            # The next plain line: the report, or a subheading or short line of it.
            if page.opens_body[j]:
                return True
            return not own_dateline and (_opens_with_dateline(page, j) or set_apart)
        hit = page.cue[j]
        if page.date[j] or page.credit[j] or page.foreign[j] or page.nav[j] \
                or (hit is not None and (hit.role.kind in ("byline", "caption", "dateline") or hit.cue == "share_bar")):
            set_apart = True  # a byline, date, photo caption or share row between it and the report
    return False


# "عمّان – …" / "بيروت - …": a place and a dash opening the report.
_DASH_DATELINE = re.compile(r"^[^\s\-–—:،,.]{2,20}(?: [^\s\-–—:،,.]{2,20})?\s[-–—]\s\S")


def _opens_with_dateline(page: _Page, i: int) -> bool:
    """Opens with a place and a dash or colon ("عمّان – …", "موسكو: …", "MUSCAT, Dec 16 — …").
    A Latin place is in capitals (so "Insulin shortage: …" is not one) and a speech verb is not
    a place ("وقال: …")."""
    content = page.lines[i].content
    if _DASH_DATELINE.match(content):
        return True
    found = page.book.context_match("dateline_prefix", content)
    if found is None:
        return False
    place = found.group("dateline")
    if _LATIN_LETTER.search(place) and not place.isupper():
        return False
    return not any(fold(word) in page.not_dateline for word in place.split())


def _classify_rest(page: _Page, out: list[Decision | None], body_start: int, layout: _Layout,
                   headline_keys: set[str], seen_keys: set[str]) -> None:
    """From the first paragraph on: the body, what trails it, the footer and the comments.

    The body runs to the last paragraph before the closing cue that follows the densest run of
    paragraphs. Lines right after it that no cue claims are kept (a list, verse or a signature
    ending the story) unless they form a list of headlines; from the first cue after the body
    on, what no rule keeps is footer.
    """
    lines = page.lines
    area_start = max(layout.area_start, body_start)
    region_from = max(layout.main_last if layout.main_last is not None else body_start, body_start)
    boundary = next((i for i in range(region_from + 1, area_start)
                     if (hit := page.raw[i]) is not None and (hit.cue in CLOSING_CUES or hit.cue in CLOSING_CREDITS)),
                    area_start)
    last_body = max((i for i in range(body_start, boundary)
                     if page.cue[i] is None and lines[i].paragraph_like and not page.date[i]
                     and lines[i].script == page.main_script), default=body_start)
    footer_from = next((i for i in range(last_body + 1, area_start) if page.raw[i] is not None), area_start)
    link_run = _link_runs(page, last_body + 1, footer_from)
    above_story = set(seen_keys) - headline_keys  # a repeat of one of these inside the story is chrome
    in_tags = False
    list_items = -1  # >= 0 while under a list heading: the number of headlines seen
    for i in range(body_start, area_start):
        line = lines[i]
        inside = i <= last_body
        hit = page.cue[i] if inside else page.raw[i]
        decision: Decision
        if hit is not None:
            out[i] = _hit_decision(hit)
            in_tags = hit.cue == "tags_header"
            if page.list_header(i):
                list_items = 0
            elif hit.cue != "site_ui":  # "list 2 of 3" inside a list keeps it open
                list_items = -1
            seen_keys.add(line.key)
            continue
        if in_tags and line.words <= TAG_MAX_WORDS and not line.paragraph_like:
            out[i] = Decision("tags", "tag_item")
            continue
        in_tags = False
        if list_items >= 0 and page.link_item(i, list_items == 0, inside):
            out[i] = Decision("boilerplate", "link_item")
            list_items += 1
            continue
        list_items = -1
        if not line.words:
            decision = Decision("boilerplate", "no_words")  # a rule of dots or stars: nothing to keep
        elif line.key in headline_keys and not inside:
            decision = Decision("boilerplate", "repeated_title")
        elif line.key in (above_story if inside else seen_keys) and not line.body_like:
            # Inside the story only a repeat of a line from above it is chrome (a refrain is body).
            decision = Decision("boilerplate", "repeated_line")
        elif page.foreign[i] and not inside:
            decision = Decision("caption", "foreign_script")
        elif inside:
            # Inside the story a repeat of the headline (a poem's title), a date (a schedule) or a
            # phrase in another script (a product name) is the story's own.
            attrs = _dateline_attrs(page, i) if i == body_start else ()
            decision = Decision("body", "paragraph" if line.paragraph_like else "short_line", attrs)
        elif page.date[i] and not line.paragraph_like:
            decision = Decision("dateline", "date_line")
        elif i in link_run:
            decision = Decision("boilerplate", "link_list")
        elif page.nav[i]:
            decision = Decision("boilerplate", "navigation")  # a row of links after the story
        elif i < footer_from and line.script == page.main_script \
                and (line.words >= TRAILING_MIN_WORDS or (line.words and line.sentence_end)):
            # After the last paragraph but before any cue: a list, verse or signature that ends
            # the story. Keep it (losing body is worse than keeping chrome).
            decision = Decision("body", "trailing_text")
        elif page.menu[i]:
            decision = Decision("boilerplate", "navigation")
        else:
            decision = Decision("boilerplate", "footer")
        out[i] = decision
        seen_keys.add(line.key)
    _classify_comment_area(page, out, area_start)


def _link_runs(page: _Page, start: int, end: int) -> set[int]:
    """An unheaded list of headlines between the story and the footer: every line with words in
    ``start..end`` is link-shaped, there are at least LINK_RUN_MIN_LINES of them, and the story's
    last line does not introduce them ("… as follows:" opens a list or a table of the story)."""
    lines = [i for i in range(start, end) if page.lines[i].words]
    if len(lines) < LINK_RUN_MIN_LINES or not all(page.link_shaped(i) for i in lines):
        return set()
    before = next((j for j in range(start - 1, -1, -1) if page.lines[j].words), None)
    if before is not None and page.lines[before].content.rstrip(_CLOSERS).endswith((":", "：")):
        return set()
    return set(lines)


def _headerless_comments(page: _Page, start: int, end: int) -> int:
    """Where comments without a heading begin after the story's first paragraph: the first of
    several short name lines each followed by a full date or a relative time and then text
    (``Name`` / ``2 hours ago`` / text), else ``end``. A bare clock time does not count: a live
    blog's entries carry one."""
    starts = [i - 1 for i in range(start + 1, end)
              if _full_stamp(page, i) and _name_line(page, i - 1) and page.lines[i - 1].words <= MENU_ITEM_MAX_WORDS
              and i + 1 < page.n and page.lines[i + 1].words]
    if len(starts) >= HEADERLESS_COMMENTS_MIN:
        return starts[0]
    return end


def _full_stamp(page: _Page, i: int) -> bool:
    """A relative time ("2 hours ago") or a date line with a day, not only a clock time."""
    hit = page.raw[i]
    if hit is not None and hit.cue == "relative_time":
        return True
    return page.date[i] and (bool(_DAY_DATE.search(page.lines[i].key))
                             or any(t in page.month_words for t in page.lines[i].key.split(" ")))


# A numeric day: 16/12/2024, 1403/09/27, 7-1-2025.
_DAY_DATE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")


def _name_line(page: _Page, i: int) -> bool:
    """A commenter's name: a short line with no cue, no date and no sentence punctuation."""
    line = page.lines[i]
    return (page.raw[i] is None and not page.stamp[i] and 0 < line.words <= COMMENT_NAME_MAX_WORDS
            and not line.sentence_end and line.sentences_inside == 0)


def _dateline_attrs(page: _Page, i: int) -> tuple[tuple[str, Any], ...]:
    """``dateline``/``dateline_start``/``dateline_end`` for an opening like ``موسكو: …``."""
    line = page.lines[i]
    found = page.book.context_match("dateline_prefix", line.content)
    if found is None:
        return ()
    place = found.group("dateline")
    if any(fold(word) in page.not_dateline for word in place.split()):
        return ()
    start = line.content_start + found.start("dateline")
    return (("dateline", place), ("dateline_start", start), ("dateline_end", start + len(place)))


def _classify_comment_area(page: _Page, out: list[Decision | None], area_start: int) -> None:
    """The comment form and rules (boilerplate) and the comments (one ``comment`` block per line).

    A comment starts at a header line (name and timestamp on one line, as a cue pattern says) or
    at a date line, with the short name line above it when there is one. Every line of a comment
    carries the comment's number, author and timestamp (exact text with offsets into the
    document) as far as they are known. Lines after a comments heading but before the first
    comment are the section's rules; lines after a form heading are the form.
    """
    lines = page.lines
    n = page.n
    starts: dict[int, tuple[int | None, int | None, re.Match[str] | None]] = {}
    for i in range(area_start, n):
        found = page.book.context_match("comment_author", lines[i].content)
        if found is not None:
            starts[i] = (None, None, found)
        elif page.stamp[i] and (i - 1) not in starts:
            if i - 1 >= area_start and _name_line(page, i - 1) and out[i - 1] is None:
                starts[i - 1] = (i - 1, i, None)
            else:
                starts[i] = (None, i, None)
    state = "comments"
    attrs: tuple[tuple[str, Any], ...] = ()
    number = -1
    skip: set[int] = set()
    for i in range(area_start, n):
        if i in skip:
            continue
        line = lines[i]
        if i in starts:
            name, stamp, found = starts[i]
            number += 1
            if found is not None:
                attrs = (("comment", number), *_group_span(line, found, "author"),
                         *_group_span(line, found, "timestamp"))
                out[i] = Decision("comment", "comment_author", attrs)
                state = "comments"
                continue
            parts: list[tuple[str, Any]] = [("comment", number)]
            if name is not None:
                parts += _line_span(lines[name], "author")
            if stamp is not None:
                parts += _line_span(lines[stamp], "timestamp")
            attrs = tuple(parts)
            if name is not None:
                out[name] = Decision("comment", "comment_author", attrs)
            if stamp is not None:
                out[stamp] = Decision("comment", "comment_timestamp", attrs)
                skip.add(stamp)
            state = "comments"
            continue
        hit = page.raw[i]
        if hit is not None:
            if hit.cue == "comments_header":
                state, attrs, number = "rules", (), number
            elif hit.cue == "comment_form":
                state = "form"
            elif hit.cue in ("comment_reply", "comment_votes") and state == "comments" and attrs:
                out[i] = Decision("comment", hit.cue, attrs)
                continue
            elif hit.cue in ("related_header", "copyright", "newsletter", "cookie_notice"):
                state = "footer"
            elif hit.cue == "tags_header":
                state = "tags"
            out[i] = _hit_decision(hit)
            continue
        if state == "tags" and line.words <= TAG_MAX_WORDS and not line.paragraph_like:
            out[i] = Decision("tags", "tag_item")
        elif state == "form":
            out[i] = Decision("boilerplate", "comment_form")
        elif state == "footer":
            out[i] = Decision("boilerplate", "footer")
        elif state == "rules" or not attrs:
            out[i] = Decision("boilerplate", "comment_rules")
        elif page.book.context_match("comment_votes", line.content) is not None:
            out[i] = Decision("comment", "comment_votes", attrs)
        else:
            out[i] = Decision("comment", "comment_text", attrs)


def _group_span(line: Line, found: re.Match[str], group: str) -> tuple[tuple[str, Any], ...]:
    start = line.content_start + found.start(group)
    end = line.content_start + found.end(group)
    return ((group, found.group(group)), (f"{group}_start", start), (f"{group}_end", end))


def _line_span(line: Line, name: str) -> list[tuple[str, Any]]:
    return [(name, line.content), (f"{name}_start", line.content_start), (f"{name}_end", line.end)]


# -- the stage ----------------------------------------------------------------------------------------

def blocks_for(text: str, *, title: Span | None = None, title_text: str | None = None,
               book: CueBook | None = None) -> tuple[Block, ...]:
    """One block per non-empty line of ``text`` with its kind and ``cue`` (and comment spans).

    ``title`` (a span) or ``title_text`` name a line already known to be the title.
    """
    book = book or load_cue_book()
    lines = split_lines(text)
    given: int | None = None
    if title is not None:
        given = next((ln.index for ln in lines if ln.start <= title.start < ln.end), None)
    elif title_text:
        wanted = match_key(title_text)
        given = next((ln.index for ln in lines if ln.key == wanted), None)
    decisions = classify(lines, book, given_title=given, stopwords=load_stopwords())
    return tuple(Block(ln.start, ln.end, d.kind, attrs=(("cue", d.cue), *d.attrs))
                 for ln, d in zip(lines, decisions, strict=True))


@stage("clean.v1", assigns=("blocks", "title"))
def clean(doc: Document) -> Document:
    """Split the text into line blocks and give each a kind; set the title when unset.

    Blocks set by a reader (HTML) are kept; only a missing title is taken from them.
    """
    if doc.blocks:
        if doc.title is not None:
            return doc
        first = next((b for b in doc.blocks if b.kind == "title" and b.attr("cue") != "kicker"), None)
        return replace(doc, title=Span(first.start, first.end)) if first else doc
    meta_title = doc.meta_value("title")
    blocks = blocks_for(doc.text, title=doc.title,
                        title_text=meta_title if isinstance(meta_title, str) else None)
    title = doc.title
    if title is None:
        first = next((b for b in blocks if b.kind == "title" and b.attr("cue") != "kicker"), None)
        title = Span(first.start, first.end) if first else None
    return replace(doc, blocks=blocks, title=title)
