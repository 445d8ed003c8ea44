"""Bytes to text for every parser that reads text files (MT940, CSV, JSON); OFX keeps its own
declared-charset decoding in :mod:`parsers.ofx_text`.

A byte-order mark decides (UTF-8, UTF-16); else text that is valid UTF-8 is UTF-8; else the
code page is detected by charset-normalizer among the single-byte code pages banks and
accounting tools write (Windows and DOS, Western and Central European). First the code page
that puts fewer odd characters inside words wins (``0xA0`` is a non-breaking space in
Windows-1252 and ``á`` in the DOS code pages; ``0xFB`` is ``ű`` in CP852 and ``¹`` in CP850),
then the detector's judgement, then Windows-1252 as the most common one. Text holding control
characters after decoding (a wrong code page or binary content) comes with a warning naming the
encoding used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

# In order of preference when the detector finds several equally plausible.
CODE_PAGES = ("cp1252", "cp1250", "cp852", "cp850", "iso8859_2", "latin_1")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# C0 controls but TAB/LF/CR/FF and the SWIFT framing SOH/STX/ETX, DEL, C1 controls, U+FFFD.
_CONTROL = re.compile("[\x00\x04-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_SAMPLE = 64 * 1024
_MISPLACED = {"Zs", "Sm", "So", "Sc", "Sk", "No", "Cc", "Co", "Cn"}


@dataclass(frozen=True)
class Decoded:
    """The text, the codec that produced it, and a warning when the text is doubtful."""

    text: str
    encoding: str
    warning: str | None = None


def decode(data: bytes) -> Decoded:
    """``data`` as text: BOM, else UTF-8, else the detected code page (never fails)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(codec, errors="replace"), codec)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = exc.reason == "unexpected end of data" and not data[:exc.start].isascii()
        if cut:  # UTF-8 (it has UTF-8 characters before) cut short, as a file's head is
            return _checked(data.decode("utf-8", errors="replace"), "utf-8")
    else:
        return _checked(text, "utf-8", _utf8_controls(data))
    codec = detect_code_page(data)
    return _checked(data.decode(codec, errors="replace"), codec)


_ASCII_CONTROLS = bytes([0, *range(4, 9), 11, *range(14, 32), 127])
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def _utf8_controls(data: bytes) -> int:
    """How many :data:`_CONTROL` characters valid UTF-8 ``data`` decodes to, counted on the
    bytes (C1 controls are ``C2 80``-``C2 9F``, U+FFFD is ``EF BF BD``; in valid UTF-8 a
    ``C2`` byte always starts a character)."""
    count = len(data) - len(data.translate(None, _ASCII_CONTROLS))
    if b"\xc2" in data:
        count += len(_C1_IN_UTF8.findall(data))
    return count + data.count(b"\xef\xbf\xbd")


def detect_code_page(data: bytes) -> str:
    """The most plausible of :data:`CODE_PAGES` for ``data`` (``latin_1`` when none fits)."""
    ranked: dict[str, tuple[float, float]] = {}
    for match in from_bytes(data, cp_isolation=list(CODE_PAGES)):
        for codec in match.could_be_from_charset:
            ranked.setdefault(codec, (match.chaos, -match.coherence))
    decodable = [c for c in CODE_PAGES if c in ranked or _decodes(data, c)]
    if not decodable:
        return "latin_1"

    def plausibility(codec: str) -> tuple:
        misplaced = oddities_inside_words(data[:_SAMPLE].decode(codec, errors="replace"))
        return (misplaced, *ranked.get(codec, (1.0, 0.0)), CODE_PAGES.index(codec))

    return min(decodable, key=plausibility)


def oddities_inside_words(text: str) -> int:
    """How many non-ASCII characters a word would not hold stand between two letters: spaces,
    symbols, number signs, controls (``árvízt¹rï``, ``Csoportos\u00a0tutal\u00a0s``) and capitals
    between small letters (``fŘr``): signs of a wrong code page. Soft hyphens, dashes and
    apostrophes (``l’Hôtel``) belong inside words and do not count."""
    return sum(1 for before, char, after in zip(text, text[1:], text[2:], strict=False)
               if ord(char) > 127 and before.isalpha() and after.isalpha()
               and (unicodedata.category(char) in _MISPLACED
                    or (char.isupper() and before.islower() and after.islower())))


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _checked(text: str, codec: str, controls: int | None = None) -> Decoded:
    """``text`` with a warning when it holds control characters (``controls``: their count,
    when the caller counted them on the bytes)."""
    if controls is None:
        controls = len(_CONTROL.findall(text))
    if not controls:
        return Decoded(text, codec)
    return Decoded(text, codec, f"decoded as {codec}: the text holds {controls} control or "
                                f"undecodable character(s) (a wrong encoding or binary content?)")
