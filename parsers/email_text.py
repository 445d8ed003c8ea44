"""What a person wrote in an e-mail: the readable body of a MIME message, without the
quoted replies and the signature.

Body (RFC 2045-2049 through the standard library's ``email`` package, ``policy.default``):
the ``text/plain`` alternative when there is one, else the ``text/html`` one as text
(lxml's HTML parser; ``<blockquote>`` and Gmail's quote container dropped, an Outlook reply
header kept as text for the rules below); quoted-printable, base64 and the declared charset
are decoded; attachments are ignored.

Quoted replies: lines starting with ``>``; an attribution line (``On ... wrote:``,
``Le ... a écrit :``, ``Pada ... menulis:``, ``Am ... schrieb ...:``, also wrapped over two
lines) and, when no ``>`` lines follow it, everything after it; an Outlook reply header
(``-----Original Message-----`` and its translations, or a ``From:``/``Von:``/``De :``/
``Dari:`` line followed by ``Sent:``/``Gesendet:``/``Envoyé :``/``Dikirim:``) and everything
after it. A forwarded message (``---------- Forwarded message ---------``) is not a quote:
only its header lines are left out. Signature: everything after the standard delimiter line
``-- `` (RFC 3676 4.3; also without its trailing space, which transports often lose).
Sign-offs such as ``Regards`` are ordinary text and stay.
"""

from __future__ import annotations

import re
from email.message import EmailMessage, Message

from lxml import etree, html

_ATTRIBUTION = re.compile(
    r"^\s*(?:on\s.+\swrote|le\s.+\sa\s[ée]crit|pada\s.+\smenulis|am\s.+\sschrieb.*)\s?:\s*$",
    re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|"
                       r"message d'origine|pesan asli)\s*-{2,}\s*$", re.IGNORECASE)
_FORWARDED = re.compile(r"^\s*-{2,}\s*(?:forwarded message|weitergeleitete nachricht|"
                        r"message transféré|pesan yang diteruskan)\s*-{2,}\s*$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^\s*\*?[^\W\d][\w' -]{0,30}\s?:")
_REPLY_FROM = re.compile(r"^\s*\*?(?:from|von|de|dari)\s?:", re.IGNORECASE)
_REPLY_SENT = re.compile(r"^\s*\*?(?:sent|date|gesendet|datum|envoyé|date d'envoi|dikirim|"
                         r"tanggal)\s?:", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s?$")
_HTML_QUOTES = ("//blockquote", "//*[contains(concat(' ', @class, ' '), ' gmail_quote ')]",
                "//script", "//style", "//head")
_BLOCKS = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
           "pre", "address"}


class BodyError(ValueError):
    """A body part that cannot be decoded as it declares; the message is the reason."""


def body_text(message: Message) -> str:
    """The readable text of ``message`` (a ``policy.default`` message): its plain-text
    body, else its HTML body as text, else ``''``. Raises :class:`BodyError` for a part
    whose charset is unknown or whose bytes do not fit it."""
    if not isinstance(message, EmailMessage):  # pragma: no cover - parsers use policy.default
        raise TypeError("parse messages with email.policy.default")
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except LookupError as exc:
        raise BodyError(f"unknown charset {part.get_content_charset()!r}") from exc
    if not isinstance(content, str):  # pragma: no cover - text parts decode to str
        return ""
    if "\ufffd" in content and "\ufffd".encode() not in (part.get_payload(decode=True) or b""):
        raise BodyError(f"the body is not valid {part.get_content_charset() or 'us-ascii'}")
    if part.get_content_subtype() == "html":
        return html_text(content)
    return content


def html_text(markup: str) -> str:
    """The text a mail client shows for ``markup``: block elements and ``<br>`` end lines,
    quoted replies (``<blockquote>``, quote containers), scripts and styles are left out."""
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)  # lxml refuses it in a str
    if not markup.strip():
        return ""
    try:
        root = html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for xpath in _HTML_QUOTES:
        for element in root.xpath(xpath):
            if element.getparent() is not None:
                element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br" or element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def own_words(text: str) -> str:
    """``text`` without quoted replies and without the signature (see the module)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _SIGNATURE.match(line) or _ORIGINAL.match(line) or _reply_header(lines, index):
            break
        if _FORWARDED.match(line):  # a forwarded message is the sender's claim: keep its words
            index = _after_headers(lines, index + 1)
            continue
        joined = _attribution(lines, index)
        if joined:
            index += joined
            if not _quoted_next(lines, index):
                break  # an unmarked quote: the rest of the message is the quoted one
            continue
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
        index += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _attribution(lines: list[str], index: int) -> int:
    """How many lines the attribution starting at ``index`` takes (0 when none)."""
    if _ATTRIBUTION.match(lines[index]):
        return 1
    if index + 1 < len(lines) and lines[index].strip() and not lines[index].startswith(">") \
            and _ATTRIBUTION.match(f"{lines[index].rstrip()} {lines[index + 1].strip()}"):
        return 2
    return 0


def _after_headers(lines: list[str], index: int) -> int:
    """The index after the ``From:``/``Date:``/``Subject:`` lines of a forwarded message."""
    while index < len(lines) and _HEADER_LINE.match(lines[index]):
        index += 1
    return index


def _quoted_next(lines: list[str], index: int) -> bool:
    following = next((line for line in lines[index:] if line.strip()), "")
    return following.lstrip().startswith(">")


def _reply_header(lines: list[str], index: int) -> bool:
    """An Outlook reply header: ``From:`` then, within three lines, ``Sent:`` (translated);
    also the underscore rule Outlook puts above it."""
    line = lines[index]
    if re.fullmatch(r"\s*_{10,}\s*", line):
        following = next((ln for ln in lines[index + 1:] if ln.strip()), "")
        return bool(_REPLY_FROM.match(following))
    if not _REPLY_FROM.match(line):
        return False
    return any(_REPLY_SENT.match(ln) for ln in lines[index + 1:index + 4])
