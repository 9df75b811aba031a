"""HTML news pages: main text, comments and page metadata, extracted with trafilatura.

The document text is built from what trafilatura extracts, one line per paragraph::

    <title>\\n\\n<main text, one paragraph a line>\\n\\n<comments section, one line each>

``Document.title`` spans the title line; ``blocks`` has one block per line, of kind
``title``, ``body`` or ``comment``. ``meta`` holds ``format="html"``, ``url`` (the page URL,
or the page's own canonical URL when none is given), ``canonical_url`` (when the page declares
another), ``sitename``, ``author``, ``published_meta`` (ISO date from the page metadata),
``crawl_date``, ``encoding``, ``lang_hint`` (the page's ``<html lang>``) and ``extractor``.
The publication date itself is decided later by the ``pubdate.v1`` stage, which weighs
``published_meta`` against the URL.

Choices, each measured on ``../shared/data/news-html-ar-fa`` (see ``eval/html_extraction.py``):

* **ZWNJ is protected.** trafilatura 2.3.1 drops every character that is neither printable
  nor a space (``utils.remove_control_characters``); U+200C ZERO WIDTH NON-JOINER is neither,
  so Persian ``اصلاح‌طلبان`` came out as ``اصلاحطلبان`` (khabaronline page: 0 ZWNJs in
  trafilatura's main text, 67 with the protection; 82 vs 0 over the 3 Persian pages). Before extraction every ZWNJ (raw or as ``&zwnj;``/``&#8204;``/``&#x200c;``)
  is swapped for a printable letter the page does not contain, and swapped back afterwards.
  Other invisible marks (LRM, RLM, ZWJ) are still dropped, as trafilatura does.
* **Date from metadata only.** htmldate runs with ``extensive_search=False``: its extensive
  mode also reads free text and copyright lines and returned ``2016-01-01`` (a copyright year)
  for aryanews and ``2013-01-01`` (a bare year in the URL) for the CNN page. It also got two
  gold dates right that metadata lacks, one from image file names (``20201007120909561.jpg``,
  akhbarelyom) and one from a line of article text (almadenah): 9/11 gold dates vs 7/11 here,
  but 2 wrong guesses vs 0 besides the time-zone miss both share. Dates in the text
  are a later stage's job. ``deferred_url_extractor=True`` makes htmldate prefer the page's
  header metadata over a date in the URL, so that ``pubdate.v1`` can compare two sources.
  ``crawl_date``, when known, is htmldate's ``max_date``: nothing is published after its crawl.
* **Decoding.** BOM; NUL bytes go to `readers.encoding` (UTF-16 or binary); strict UTF-8 (valid
  non-ASCII UTF-8 is UTF-8, whatever a stale label says); the HTTP ``encoding_hint``, then
  ``<meta charset>``; then `readers.encoding.decode_text` (windows-1256 vs ISO-8859-6 by
  content, then charset-normalizer). Latin-1/windows-1252/ASCII labels are skipped: they
  decode any bytes and are the usual server default, also on windows-1256 Arabic pages.
* **Site name off the title.** ``<title>`` often carries the outlet (``… - اليوم السابع``,
  ``خبرگزاری آریا - …``). When the title splits on a spaced dash or bar and one part is the
  page's own headline line in the main text, or another part is the site name, the title is
  that part; the body line repeating the headline is then dropped so the text holds it once.
* **Fallback.** trafilatura already falls back to readability and jusText itself and, with
  ``MIN_OUTPUT_SIZE = 1``, returns text for almost any page with a ``<p>``. It returns none
  when the only text sits in ``<footer>`` or ``<aside>`` (tested). Then the page is extracted
  again with ``favor_recall=True`` and the document carries an ``extraction_fallback`` issue, so
  downstream can drop it; there is no home-grown ``<p>`` scraper, which would only return
  what trafilatura already judged boilerplate. No main text even then: ``no_text``.
* A page lxml cannot parse at all becomes ``bad_html``; an unexpected exception inside the
  extractor too (with its type and message): a reader never raises on bad data.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
from datetime import date, datetime
from typing import Any

from trafilatura import bare_extraction
from trafilatura.utils import load_html

from khabar.document import Block, Document, Source, Span
from khabar.readers.base import ReadResult, Rejection
from khabar.readers.encoding import DecodedText, DecodeFailure, decode_text

EXTRACTOR = "trafilatura"
PARAGRAPH_SEPARATOR = "\n"
SECTION_SEPARATOR = "\n\n"

# -- decoding ------------------------------------------------------------------------------------------
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and the
# XML declaration's encoding="x"; looked for in the first bytes only, as browsers do (WHATWG
# "prescan a byte stream", which reads up to 1024 bytes; 4096 here, for long <head> openings).
_CHARSET_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Single-byte Latin labels decode any byte string, and are what servers send by default; a
# declared Latin label is not trusted over the content check of `readers.encoding`.
_UNTRUSTED_LABELS = frozenset({"iso8859-1", "cp1252", "ascii"})


def decode_html(data: bytes, encoding_hint: str | None = None) -> DecodedText | DecodeFailure:
    """Decode HTML bytes: BOM, then strict UTF-8, then the declared charset, then content detection.

    Strict UTF-8 comes before the declared labels: bytes that are valid UTF-8 and not ASCII are
    UTF-8 with near certainty, while labels (HTTP header or ``<meta>``) are often stale.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(codec), codec)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        # UTF-16 without a BOM, or not text at all: `decode_text` tells the two apart.
        return decode_text(data)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    labels = [label for label in (encoding_hint, *_declared_charsets(data[:_CHARSET_PRESCAN_BYTES])) if label]
    for label in labels:
        codec = _codec_name(label)
        if codec is None or codec in _UNTRUSTED_LABELS or codec.startswith("utf"):
            continue
        try:
            # Reported under the label as declared (``windows-1256``), also a Python codec name.
            return DecodedText(data.decode(codec), label.strip().lower())
        except UnicodeDecodeError:
            continue
    return decode_text(data)


def _declared_charsets(head: bytes) -> list[str]:
    return [m.group(1).decode("ascii") for pattern in (_META_CHARSET, _XML_ENCODING) for m in pattern.finditer(head)]


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


# -- ZWNJ protection -----------------------------------------------------------------------------------
ZWNJ = "\u200c"
_ZWNJ_FORMS = re.compile(r"\u200c|&zwnj;|&#8204;|&#x0*200c;", re.IGNORECASE)
# Printable letters (Lisu, category Lo) that trafilatura keeps and that Arabic or Persian news
# pages do not contain; the first one absent from the page stands in for ZWNJ.
_ZWNJ_STAND_INS = ("\ua4d0", "\ua4d1", "\ua4d2", "\ua4d3")


def _protect_zwnj(page: str) -> tuple[str, str | None]:
    if not _ZWNJ_FORMS.search(page):
        return page, None
    for stand_in in _ZWNJ_STAND_INS:
        if stand_in not in page:
            return _ZWNJ_FORMS.sub(stand_in, page), stand_in
    return page, None  # every stand-in occurs: leave the page alone (ZWNJs will be lost)


def _restore(value: Any, stand_in: str | None) -> Any:
    if stand_in is None or not isinstance(value, str):
        return value
    return value.replace(stand_in, ZWNJ)


# -- the reader ----------------------------------------------------------------------------------------
def document_from_html(
    data: bytes,
    *,
    source: Source,
    url: str | None = None,
    crawl_date: str | None = None,
    encoding_hint: str | None = None,
) -> ReadResult:
    """Extract one HTML page into a `Document`, or a `Rejection` saying why not (never raises)."""
    url = url or source.url
    decoded = decode_html(data, encoding_hint)
    if isinstance(decoded, DecodeFailure):
        return Rejection(source, decoded.reason, decoded.message)
    if not decoded.text.strip():
        return Rejection(source, "empty", f"only whitespace after decoding as {decoded.encoding}")
    page, stand_in = _protect_zwnj(decoded.text)
    try:
        extracted, extractor, fallback_note = _extract(page, url, crawl_date)
    except _Unparseable as problem:
        return Rejection(source, "bad_html", str(problem))
    except Exception as error:  # a crash inside lxml/trafilatura/htmldate must not cost the batch
        return Rejection(source, "bad_html", f"{EXTRACTOR} failed: {type(error).__name__}: {error}")

    body_lines = _lines(_restore(extracted.text, stand_in) if extracted else None)
    if not body_lines:
        return Rejection(source, "no_text", f"{EXTRACTOR} found no main text in {len(decoded.text)} characters "
                                            "of HTML (also with favor_recall)")
    comment_lines = _lines(_restore(extracted.comments, stand_in))
    sitename = _clean_meta_string(_restore(extracted.sitename, stand_in))
    raw_title = _clean_meta_string(_restore(extracted.title, stand_in))
    title, body_lines = _headline(raw_title, sitename, body_lines)

    text, title_span, blocks = _assemble(title, body_lines, comment_lines)
    page_url = extracted.url or None
    doc = Document(text=text, source=source, title=title_span, blocks=blocks)
    doc = doc.with_meta(
        format="html",
        url=url or page_url,
        canonical_url=page_url if page_url and page_url != url else None,
        sitename=sitename,
        author=_clean_meta_string(_restore(extracted.author, stand_in)),
        published_meta=_publisher_local_day(page, _iso_date(extracted.date)),
        crawl_date=crawl_date,
        encoding=decoded.encoding,
        lang_hint=_html_lang(page),
        extractor=extractor,
    )
    if fallback_note:
        doc = doc.with_issue("extraction_fallback", fallback_note)
    return doc


class _Unparseable(Exception):
    """lxml built no tree from the page, even wrapped in <html><body>."""


def _extract(page: str, url: str | None, crawl_date: str | None) -> tuple[Any, str, str | None]:
    """trafilatura's result (or None), the extractor name, and a note when the fallback ran."""
    date_params: dict[str, Any] = {"extensive_search": False, "original_date": True,
                                   "deferred_url_extractor": True}
    max_date = _iso_date(crawl_date)
    if max_date:
        date_params["max_date"] = max_date

    def run(content: str, **options: Any) -> Any:
        return bare_extraction(content, url=url, with_metadata=True, include_comments=True,
                               date_extraction_params=date_params, **options)

    result = run(page)
    if result is None and load_html(page) is None:
        # trafilatura rejects input without "html" in its first 50 characters unless it parses
        # to 2+ elements, e.g. a bare "<p>…</p>" fragment from a JSONL `html` field; its own
        # docstring says to wrap fragments.
        page = f"<html><body>{page}</body></html>"
        if load_html(page) is None:
            raise _Unparseable("lxml could not build a tree from the page, even wrapped in <html><body>")
        result = run(page)
    if result is not None and (result.text or "").strip():
        return result, EXTRACTOR, None
    recall = run(page, favor_recall=True)
    if recall is not None and (recall.text or "").strip():
        note = f"{EXTRACTOR} found no main text with default settings; extracted with favor_recall=True"
        return recall, f"{EXTRACTOR}:favor_recall", note
    return recall or result, EXTRACTOR, None


def _lines(text: str | None) -> list[str]:
    """Non-blank lines, trimmed (trafilatura keeps table-cell indentation as spaces)."""
    if not text:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def _clean_meta_string(value: str | None) -> str | None:
    """Metadata strings come from attributes, where double-escaped entities (``&amp;copy;``) are common."""
    if not value:
        return None
    cleaned = " ".join(html_lib.unescape(value).split())
    return cleaned or None


# A title part separator: a dash, en/em dash, bar, colon pair or guillemet with spaces around it.
_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—»]|::)\s+")


def _headline(title: str | None, sitename: str | None, body: list[str]) -> tuple[str | None, list[str]]:
    """The article headline out of ``<title>``, and the body without a line repeating it."""
    if not title:
        return None, body
    leading = [_squash(line) for line in body[:_HEADLINE_SEARCH_LINES]]
    parts = [p for p in _TITLE_SEPARATOR.split(title) if p.strip()]
    headline = title
    if _squash(title) not in leading and len(parts) > 1:
        in_body = [p for p in parts if _squash(p) in leading]
        if len(in_body) == 1:
            headline = in_body[0]
        elif sitename:
            site = _squash(sitename)
            kept = [p for p in parts if not _same_site(_squash(p), site)]
            if 0 < len(kept) < len(parts):
                # Rejoin the rest with the separators they had.
                headline = _rejoin(title, kept)
    target = _squash(headline)
    for i, line in enumerate(leading):
        if line == target and len(body) > 1:  # a body of the headline alone stays as it is
            return headline, body[:i] + body[i + 1:]
    return headline, body


# The headline line, when the extractor keeps it, sits above the article body: among the first
# few lines (after a kicker and a dateline at most).
_HEADLINE_SEARCH_LINES = 5


def _squash(value: str) -> str:
    return " ".join(value.split()).casefold()


def _same_site(part: str, site: str) -> bool:
    # Only the part inside the site name, never the site name inside the part: "CNN" is inside
    # "CNN says …", which is the headline.
    return part == site or (len(part) >= 4 and part in site)


def _rejoin(title: str, kept: list[str]) -> str:
    first = title.index(kept[0])
    last = title.index(kept[-1], first) + len(kept[-1])
    return title[first:last].strip()


def _assemble(title: str | None, body: list[str], comments: list[str]) -> tuple[str, Span | None, tuple[Block, ...]]:
    pieces: list[str] = []
    blocks: list[Block] = []
    title_span = None
    pos = 0

    def add_section(lines: list[str], kind: str) -> None:
        nonlocal pos
        if pieces:
            pieces.append(SECTION_SEPARATOR)
            pos += len(SECTION_SEPARATOR)
        for i, line in enumerate(lines):
            if i:
                pieces.append(PARAGRAPH_SEPARATOR)
                pos += len(PARAGRAPH_SEPARATOR)
            blocks.append(Block(pos, pos + len(line), kind))
            pieces.append(line)
            pos += len(line)

    if title:
        add_section([title], "title")
        title_span = Span(0, len(title))
    add_section(body, "body")
    if comments:
        add_section(comments, "comment")
    return "".join(pieces), title_span, tuple(blocks)


def _iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or date-time string; None for anything else."""
    if not value:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return None


# Publication timestamps a page states about itself: JSON-LD `datePublished` and the Open Graph /
# schema.org meta tags (https://ogp.me/#type_article, https://schema.org/datePublished).
_STATED_TIMESTAMPS = (
    re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"'),
    re.compile(r"""<meta\b[^>]*?(?:property|itemprop|name)\s*=\s*["'](?:article:published_time|datePublished)["']"""
               r"""[^>]*?\bcontent\s*=\s*["']([^"']{10,40})["']""", re.IGNORECASE),
)


def _publisher_local_day(page: str, metadata_day: str | None) -> str | None:
    """The calendar day in the publisher's own time zone, when the page states one.

    htmldate reads timestamps in UTC, so an article posted at 01:59 +02:00 on the 25th comes out as
    the 24th (elbalad in ../shared/data/news-html-ar-fa). A timestamp written with a non-zero UTC
    offset states the outlet's local day directly; it wins when it is the next or previous day of
    what htmldate found, i.e. when the two differ only by the time-zone shift.
    """
    if metadata_day is None:
        return None
    for pattern in _STATED_TIMESTAMPS:
        for match in pattern.finditer(page):
            try:
                stamp = datetime.fromisoformat(match.group(1).strip().replace("Z", "+00:00"))
            except ValueError:
                continue
            offset = stamp.utcoffset()
            if not offset:
                continue
            local = stamp.date()
            if abs((local - date.fromisoformat(metadata_day)).days) == 1:
                return local.isoformat()
    return metadata_day


_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""",
                        re.IGNORECASE)


def _html_lang(page: str) -> str | None:
    """The ``<html lang>`` the page declares (a hint for language identification, not a verdict)."""
    match = _HTML_LANG.search(page, 0, 20_000)
    return match.group(1).lower().replace("_", "-") if match else None


__all__ = ["EXTRACTOR", "decode_html", "document_from_html"]
