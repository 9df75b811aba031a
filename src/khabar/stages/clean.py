"""Stage ``clean.v1``: give every line of a flat text a kind (title, lead, body, boilerplate, …).

Crawled plain text is a page flattened to lines: site chrome at the top (skip links, a
breaking-news ticker, the site's clock), the headline, a photo caption, the story, then the
footer (tags, "end of message", a copyright line), a comment form and reader comments. This
stage splits the text into one block per non-empty line (the span is the line without its
surrounding whitespace, so ``text[start:end]`` is the stripped line; lines are never split or
merged) and decides each block's kind.

What decides is either a cue (a known line, prefix, pattern or row of buttons, listed as data in
``khabar/lang/<code>/boilerplate.yaml``) or the logic here: the position on the page (a header
zone before the title, a footer zone after the last body paragraph, the comment area), line length,
sentence punctuation, script and repetition. Each block's ``cue`` attribute names what decided it.

Rule above all others: a body paragraph is never dropped. A line that reads like a paragraph
(long, with sentence punctuation) between the first and the last paragraph is body unless a
*strong* cue says otherwise (an exact known line, a row of buttons, an ad placeholder); weak
cues (prefixes, patterns) only decide lines that do not read like a paragraph.

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
    "comment_author": CueRole("comment", strong=True, context="comments"),
    "comment_votes": CueRole("comment", strong=True, context="comments"),
    "dateline_prefix": CueRole("body", strong=False, context="first_body"),
}
# Cues that open the comment area: everything after them is the comment form or comments.
AREA_OPENERS = frozenset({"comments_header", "comment_form"})
WORD_LISTS = ("body_opening", "date", "not_dateline")
SECTIONS = ("exact", "prefix", "pattern", "tokens", "words")

# -- thresholds, chosen on the seeds and on the dev split of Fars News / SaudiNewsNet (eval/clean.py)
TITLE_MIN_WORDS = 3      # a one- or two-word line at the top is a menu item or a section label
TITLE_MAX_WORDS = 30
KICKER_MAX_WORDS = 15    # a kicker and the headline under it are both this short …
KICKER_GROWTH = 1.5      # … and the headline at most this much longer than the kicker
LEAD_MAX_WORDS = 80
BODY_MIN_WORDS_PUNCT = 10   # this many words with sentence punctuation read as a paragraph
BODY_MIN_WORDS = 25         # this many words read as a paragraph even without punctuation
SENTENCE_MIN_WORDS = 4      # a full sentence this long is a paragraph (the last line of a story)
TRAILING_MIN_WORDS = 2      # between the last paragraph and the first footer cue, kept as body from here
FOOTER_TEXT_MIN_WORDS = 5   # after a footer cue, unpunctuated text is still kept as body from here
CAPTION_MAX_WORDS = 20      # a longer unpunctuated line under the title is the story, not a caption
CAPTION_MAX_LINES = 2       # more unpunctuated lines in a row under the title are the story
LEAD_MIN_WORDS_UNPUNCTUATED = 6  # a lead that lost its full stop still has this many words
FOREIGN_CAPTION_MAX_WORDS = 6
TAG_MAX_WORDS = 5
DATE_MAX_TOKENS = 12        # a date line is short …
DATE_MIN_SHARE = 0.6        # … and mostly numbers, month and weekday names
MAX_BUTTON_ROW = 12         # a row of share or size buttons has fewer words than this


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
    key = fold(_BULLET.sub("", text.strip()))
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
        token = raw.strip("|·•,،/")
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


@functools.cache
def load_cue_book() -> CueBook:
    """Read and merge the fa, ar and en cue files once per process."""
    sources: dict[str, Any] = {}
    for lang in CUE_LANGUAGES:
        path = importlib.resources.files("khabar") / CUE_RESOURCE.format(lang=lang)
        try:
            sources[f"lang/{lang}/boilerplate.yaml"] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ResourceError(f"cannot read cue file {path}: {exc}; restore it from the repository") from exc
    return build_cue_book(sources)


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


class _Page:
    """The lines of one document and, per line, the facts the zone rules ask about."""

    def __init__(self, lines: list[Line], book: CueBook) -> None:
        self.lines = lines
        self.book = book
        totals: dict[str, int] = {}
        for line in lines:
            for script, count in line.letters.items():
                totals[script] = totals.get(script, 0) + count
        self.main_script = max(totals, key=lambda s: totals[s]) if totals else "none"
        self.date_words = frozenset(book.words["date"])
        self.not_dateline = frozenset(book.words["not_dateline"])
        openings = tuple(word + " " for word in book.words["body_opening"])
        self.cue = [self._applicable(book.match(line.key, line.content), line) for line in lines]
        self.date = [self._is_date(line) for line in lines]
        self.foreign = [self._is_foreign(line) for line in lines]
        self.nav = [len(_NAV_SEPARATORS.findall(line.content)) >= 2 for line in lines]
        self.opens_body = [line.key.startswith(openings) if openings else False for line in lines]

    @staticmethod
    def _applicable(hit: CueHit | None, line: Line) -> CueHit | None:
        """The line's cue if it may decide: exact lines and button rows always, strong cues always,
        weak cues only on lines that do not read like a paragraph."""
        if hit is None:
            return None
        if hit.how in ("exact", "tokens") or hit.role.strong or not line.body_like:
            return hit
        return None

    def _is_date(self, line: Line) -> bool:
        """A short line made mostly of a date or time (numbers, month and weekday names)."""
        tokens = [t.strip(",،.:()[]-–|") for t in line.key.split(" ")]
        tokens = [t for t in tokens if t]
        if not tokens or len(tokens) > DATE_MAX_TOKENS:
            return False
        numeric = any(_NUMERIC_DATE.match(t) for t in tokens)
        named = any(t in self.date_words for t in tokens)
        if not numeric and not (named and any(t.isdigit() for t in tokens)):
            return False
        dateish = sum(1 for t in tokens if t.isdigit() or _NUMERIC_DATE.match(t) or t in self.date_words)
        return dateish / len(tokens) >= DATE_MIN_SHARE

    def _is_foreign(self, line: Line) -> bool:
        """A short unpunctuated line in another script than the page's (an image's alt text)."""
        return (self.main_script in ("arabic", "latin") and line.script not in ("none", self.main_script)
                and line.words <= FOREIGN_CAPTION_MAX_WORDS and not line.has_punct)

    def plain(self, i: int) -> bool:
        """No cue, not a date, not in a foreign script: a line the position rules decide."""
        return self.cue[i] is None and not self.date[i] and not self.foreign[i]

    def title_like(self, i: int) -> bool:
        line = self.lines[i]
        return (TITLE_MIN_WORDS <= line.words <= TITLE_MAX_WORDS and line.sentences_inside == 0
                and line.script in (self.main_script, "none"))

    def headline_like(self, i: int) -> bool:
        """Title-like, short and without a final full stop: a kicker or a headline, not a sentence."""
        return (self.plain(i) and self.title_like(i) and self.lines[i].words <= KICKER_MAX_WORDS
                and not self.lines[i].sentence_end)

    def next_plain(self, i: int) -> int | None:
        """The next line after ``i`` that the position rules decide."""
        return next((j for j in range(i + 1, len(self.lines)) if self.plain(j)), None)


def classify(lines: list[Line], book: CueBook, *, given_title: int | None = None) -> list[Decision]:
    """Decide the kind of every line. ``given_title`` is the index of a line known to be the title."""
    if not lines:
        return []
    page = _Page(lines, book)
    n = len(lines)
    out: list[Decision | None] = [None] * n

    title, kicker, body_start = _find_title(page, given_title)
    for i in range(title if title is not None else (body_start if body_start is not None else n)):
        if i != kicker:
            out[i] = _header_decision(page, i)
    if kicker is not None:
        out[kicker] = Decision("title", "kicker")
    if title is not None:
        out[title] = Decision("title", "given_title" if given_title is not None else "first_headline")
    headline_keys = {lines[i].key for i in (title, kicker) if i is not None}
    seen_keys = {lines[i].key for i in range(n) if out[i] is not None}

    if title is not None:
        body_start = _classify_before_body(page, out, title, headline_keys, seen_keys)
    if body_start is not None:
        _classify_rest(page, out, body_start, headline_keys, seen_keys)
    for i in range(n):
        if out[i] is None:  # no paragraph anywhere: keep what no cue claims
            hit = page.cue[i]
            out[i] = Decision(hit.role.kind, hit.cue) if hit else Decision("body", "no_paragraph_found")
    return [d for d in out if d is not None]


def _find_title(page: _Page, given_title: int | None) -> tuple[int | None, int | None, int | None]:
    """``(title, kicker, body_start)``: the first substantive line is the title, unless it reads
    like a paragraph (then there is no title and the body starts there)."""
    lines = page.lines
    if given_title is not None:
        return given_title, None, None
    candidates = [i for i in range(len(lines)) if page.cue[i] is None]
    for i, line in enumerate(lines):
        if not page.plain(i) or page.nav[i]:
            continue
        if line.words < TITLE_MIN_WORDS:
            # A one- or two-word line is a menu item or a section label, unless the story follows
            # at once: then it is a short headline (a column name, a one-word feature title).
            following = page.next_plain(i)
            if following == i + 1 and lines[following].paragraph_like and line.script == page.main_script \
                    and not line.sentence_end:
                return i, None, None
            continue
        if not page.title_like(i) or len(candidates) == 1:
            return None, None, i
        following = i + 1
        if following + 1 < len(lines) and page.headline_like(i) and page.headline_like(following) \
                and lines[following].key != line.key \
                and lines[following].words <= KICKER_GROWTH * line.words \
                and not page.plain(following + 1):
            # Two short headlines in a row, then a photo caption, a promo or a date: a kicker above
            # the headline (Persian روتیتر; the line Elaph prints above its headline, seed 001).
            # Without that third line the second one is as likely a caption or a lead that lost
            # its full stop, so the first line stays the title.
            return following, i, None
        return i, None, None
    return None, None, None


def _header_decision(page: _Page, i: int) -> Decision:
    hit = page.cue[i]
    if hit is not None:
        return Decision(hit.role.kind, hit.cue)
    if page.date[i]:
        # The site's "today" banner above the headline, not the story's date; the time stage may
        # use it as an upper bound on the crawl date (DESIGN.md, known traps).
        return Decision("boilerplate", "site_clock")
    if page.nav[i]:
        return Decision("boilerplate", "navigation")
    return Decision("boilerplate", "header")


def _classify_before_body(page: _Page, out: list[Decision | None], title: int, headline_keys: set[str],
                          seen_keys: set[str]) -> int | None:
    """Lines between the title and the first paragraph: lead, captions, a repeated title, promos.

    Returns the index of the first body paragraph, or None when none follows.
    """
    lines = page.lines
    pending: list[int] = []
    lead_done = False
    body_start: int | None = None
    for i in range(title + 1, len(lines)):
        if out[i] is not None:
            continue
        line = lines[i]
        hit = page.cue[i]
        decision: Decision
        if hit is not None:
            decision = Decision(hit.role.kind, hit.cue)
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
        elif _SOURCE_AND_PLACE.match(line.content):
            decision = Decision("dateline", "source_and_place")
        elif not lead_done and _is_lead(page, i, headline_keys):
            decision = Decision("lead", "lead")
            lead_done = True
        elif line.paragraph_like or line.words > CAPTION_MAX_WORDS:
            body_start = i
            break
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

    Persian agency copy marks it: the lead is followed by a repeat of the headline (seed 003) or
    by the paragraph that opens "according to the report of …" (seeds 000, 004).
    """
    line = page.lines[i]
    if line.words > LEAD_MAX_WORDS or page.opens_body[i] or line.script != page.main_script:
        return False
    if not line.paragraph_like and line.words < LEAD_MIN_WORDS_UNPUNCTUATED:
        return False
    for j in range(i + 1, len(page.lines)):
        if page.lines[j].key in headline_keys:
            return True
        if page.plain(j):
            return page.opens_body[j]
    return False


def _classify_rest(page: _Page, out: list[Decision | None], body_start: int,
                   headline_keys: set[str], seen_keys: set[str]) -> None:
    """From the first paragraph on: the body, the footer after the last paragraph, the comments."""
    lines = page.lines
    n = len(lines)
    area_start = next((i for i in range(body_start + 1, n)
                       if (hit := page.cue[i]) is not None and hit.cue in AREA_OPENERS), n)
    last_body = max((i for i in range(body_start, area_start)
                     if page.cue[i] is None and lines[i].paragraph_like), default=body_start)
    footer_cue = next((i for i in range(last_body + 1, area_start) if page.cue[i] is not None), area_start)
    in_tags = False
    for i in range(body_start, area_start):
        line = lines[i]
        hit = page.cue[i]
        decision: Decision
        if hit is not None:
            out[i] = Decision(hit.role.kind, hit.cue)
            in_tags = hit.cue == "tags_header"
            seen_keys.add(line.key)
            continue
        if in_tags and line.words <= TAG_MAX_WORDS and not line.paragraph_like:
            out[i] = Decision("tags", "tag_item")
            continue
        in_tags = False
        if not line.words:
            decision = Decision("boilerplate", "no_words")  # a rule of dots or stars: nothing to keep
        elif line.key in headline_keys:
            decision = Decision("boilerplate", "repeated_title")
        elif line.key in seen_keys and not line.body_like:
            decision = Decision("boilerplate", "repeated_line")
        elif page.date[i] and not line.paragraph_like:
            decision = Decision("dateline", "date_line")
        elif page.foreign[i]:
            decision = Decision("caption", "foreign_script")
        elif i <= last_body:
            attrs = _dateline_attrs(page, i) if i == body_start else ()
            decision = Decision("body", "paragraph" if line.paragraph_like else "short_line", attrs)
        elif i < footer_cue and line.script == page.main_script \
                and (line.words >= TRAILING_MIN_WORDS or (line.words and line.sentence_end)):
            # After the last paragraph but before any footer cue: a list, verse or signature that
            # ends the story. Keep it (losing body is worse than keeping chrome).
            decision = Decision("body", "trailing_text")
        elif line.script == page.main_script and line.words >= FOOTER_TEXT_MIN_WORDS:
            decision = Decision("body", "unpunctuated_text")
        else:
            decision = Decision("boilerplate", "footer")
        out[i] = decision
        seen_keys.add(line.key)
    _classify_comment_area(page, out, area_start)


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
    """The comment form (boilerplate) and the comments (one ``comment`` block per line).

    Every line of a comment carries the comment's number, author and timestamp, the latter two
    as exact text with offsets into the document.
    """
    lines = page.lines
    state = ""
    attrs: tuple[tuple[str, Any], ...] = ()
    number = -1
    for i in range(area_start, len(lines)):
        line = lines[i]
        hit = page.cue[i]
        if hit is not None:
            if hit.cue == "comments_header":
                state, attrs = "comments", ()
            elif hit.cue == "comment_form":
                state = "form"
            out[i] = Decision(hit.role.kind, hit.cue)
            continue
        if state == "form":
            out[i] = Decision("boilerplate", "comment_form")
            continue
        author = page.book.context_match("comment_author", line.content)
        if author is not None:
            number += 1
            attrs = (("comment", number), *_group_span(line, author, "author"),
                     *_group_span(line, author, "timestamp"))
            out[i] = Decision("comment", "comment_author", attrs)
        elif page.book.context_match("comment_votes", line.content) is not None:
            out[i] = Decision("comment", "comment_votes", attrs)
        else:
            out[i] = Decision("comment", "comment_text", attrs)


def _group_span(line: Line, found: re.Match[str], group: str) -> tuple[tuple[str, Any], ...]:
    start = line.content_start + found.start(group)
    end = line.content_start + found.end(group)
    return ((group, found.group(group)), (f"{group}_start", start), (f"{group}_end", end))


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
    decisions = classify(lines, book, given_title=given)
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
