"""Decide how the bytes of a plain-text article are encoded, and decode them.

The order of tests, most certain first:

1. A byte-order mark (UTF-32, UTF-8, UTF-16) says the encoding outright.
2. NUL bytes: text in UTF-16 without a BOM has a NUL in the high byte of every ASCII
   character (spaces, digits, newlines), so its NULs sit almost all at odd offsets (little
   endian) or all at even offsets (big endian). NULs in any other pattern mean binary data.
3. Strict UTF-8. Non-UTF-8 byte strings almost never happen to be valid UTF-8.
4. The two Arabic code pages, windows-1256 and ISO-8859-6. Both put Arabic letters in the
   upper half, at partly different positions, so the same bytes often decode under both. The
   one that yields more Arabic-script letters and fewer control characters wins; ties go to
   windows-1256, by far the more common of the two (and the only one with Persian letters
   پ چ ژ گ ک and ZWNJ; note that it has no Farsi yeh U+06CC, Persian files in it use ي).
5. charset-normalizer, for whatever else is left (other single-byte code pages).

The decoded text is returned exactly as decoded: line endings are not normalised and nothing
is trimmed. The only change is that a leading byte-order mark is dropped (the codec names
returned, e.g. ``utf-8-sig`` and ``utf-16``, are the ones that drop it), so that
``data.decode(result.encoding) == result.text`` always holds.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# A control character is binary noise in a news text; \t \n \v \f \r are layout, not noise.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Letters of the Arabic script (Arabic, Persian, Urdu extensions), without tatweel U+0640 and
# without the combining marks U+064B-U+065F, which ISO-8859-6 decodes windows-1256 letters to.
_ARABIC_LETTERS = re.compile(r"[\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# More than this share of control characters makes decoded bytes binary rather than text.
MAX_CONTROL_SHARE = 0.02
# Share of a file's NUL bytes that must sit on one parity for the file to count as UTF-16, and
# the least share of its 2-byte code units that must hold a NUL (spaces alone are ~15% of the
# characters of an Arabic or Persian text; one stray NUL in a UTF-8 file is far below that).
_UTF16_NUL_PARITY_SHARE = 0.95
_UTF16_MIN_NUL_SHARE = 0.05
# An Arabic code page is only accepted when Arabic letters are at least this share of the
# non-ASCII characters it decodes to; otherwise the bytes are probably another code page.
_MIN_ARABIC_SHARE = 0.5

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 little-endian BOM.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, and the Python codec name that decodes those bytes to it."""

    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    """Why bytes could not be read as a text: ``reason`` is a key of `readers.base.REASONS`."""

    reason: str
    message: str


def decode_text(data: bytes) -> DecodedText | DecodeFailure:
    """Decode the bytes of a text article, or say why they are not one (``binary``, ``empty``, ``encoding``).

    See the module docstring for the order of tests. The text is returned exactly as decoded,
    except that a leading byte-order mark is dropped.
    """
    if not data:
        return DecodeFailure("empty", "the file is 0 bytes long")
    decoded = _decode_by_bom(data)
    if decoded is None:
        if b"\x00" in data:
            decoded = _decode_utf16_without_bom(data)
            if decoded is None:
                nuls = data.count(0)
                return DecodeFailure(
                    "binary", f"{nuls} NUL bytes in {len(data)} bytes, not in the pattern of UTF-16 text"
                )
        else:
            decoded = _decode_without_nul(data)
            if decoded is None:
                return DecodeFailure(
                    "encoding",
                    "not UTF-8, and neither windows-1256, ISO-8859-6 nor charset-normalizer decodes it cleanly",
                )
    return _check_text(decoded)


def count_control_chars(text: str) -> int:
    """How many control characters (other than tab, newlines, vertical tab and form feed) a text holds."""
    return sum(1 for _ in _CONTROL_CHARS.finditer(text))


def count_arabic_letters(text: str) -> int:
    """How many Arabic-script letters (Arabic, Persian, Urdu) a text holds, marks and tatweel excluded."""
    return sum(1 for _ in _ARABIC_LETTERS.finditer(text))


def _check_text(decoded: DecodedText) -> DecodedText | DecodeFailure:
    text = decoded.text
    if not text.strip():
        return DecodeFailure("empty", f"only whitespace after decoding as {decoded.encoding}")
    controls = count_control_chars(text)
    if controls > MAX_CONTROL_SHARE * len(text):
        return DecodeFailure(
            "binary",
            f"{controls} control characters in {len(text)} characters decoded as {decoded.encoding}",
        )
    return decoded


def _decode_by_bom(data: bytes) -> DecodedText | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(codec), codec)
            except UnicodeDecodeError:
                # The bytes only looked like a BOM (e.g. FF FE is also "ےï" in windows-1256).
                continue
    return None


def _decode_utf16_without_bom(data: bytes) -> DecodedText | None:
    """UTF-16 text without a BOM, recognised by where its NUL bytes sit; None if they sit elsewhere."""
    if len(data) % 2:
        return None
    nuls_at_even = data[0::2].count(0)
    nuls_at_odd = data[1::2].count(0)
    total = nuls_at_even + nuls_at_odd
    if total < _UTF16_MIN_NUL_SHARE * (len(data) // 2):
        return None
    # The high byte of an ASCII character is NUL: at odd offsets in little endian, even in big.
    if nuls_at_odd >= _UTF16_NUL_PARITY_SHARE * total:
        codec = "utf-16-le"
    elif nuls_at_even >= _UTF16_NUL_PARITY_SHARE * total:
        codec = "utf-16-be"
    else:
        return None
    try:
        return DecodedText(data.decode(codec), codec)
    except UnicodeDecodeError:
        return None


def _decode_without_nul(data: bytes) -> DecodedText | None:
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    arabic = _decode_arabic_code_page(data)
    if arabic is not None:
        return arabic
    return _decode_with_charset_normalizer(data)


def _decode_arabic_code_page(data: bytes) -> DecodedText | None:
    """The better of windows-1256 and ISO-8859-6, if either decodes the bytes to mostly Arabic letters."""
    best: tuple[int, DecodedText] | None = None
    for codec in ("windows-1256", "iso-8859-6"):  # windows-1256 first: it wins ties
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = count_arabic_letters(text)
        non_ascii = sum(1 for _ in _NON_ASCII.finditer(text))
        if letters < _MIN_ARABIC_SHARE * non_ascii:
            continue
        # A control character is a byte the code page cannot have meant as text; weigh it
        # above one letter so that a few Persian letters read as C1 controls lose the tie.
        score = letters - 2 * count_control_chars(text)
        if best is None or score > best[0]:
            best = (score, DecodedText(text, codec))
    return best[1] if best else None


def _decode_with_charset_normalizer(data: bytes) -> DecodedText | None:
    from charset_normalizer import from_bytes  # imported late: it is slow to import and rarely needed

    match = from_bytes(data).best()
    if match is None:
        return None
    codec = match.encoding
    try:
        return DecodedText(data.decode(codec), codec)
    except (UnicodeDecodeError, LookupError):
        return None


__all__ = ["MAX_CONTROL_SHARE", "DecodeFailure", "DecodedText", "count_arabic_letters",
           "count_control_chars", "decode_text"]
