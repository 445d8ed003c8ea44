"""Text-level work for the MT940 parser (SWIFT MT940, read through mt-940 5.x).

The mt-940 package parses tag *values*; this module does what it leaves to the caller:
decoding and cleaning the bytes, cutting the text into statements (one per ``:20:``) and tag
fields with their physical line numbers, and reading the SWIFT-style structured ``:86:``
(``/NAME/.../REMI/...``) that the package keeps as plain text. The German ``?20``..``?33``
structure is read by the package's own ``transaction_details_post_processor``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers import textcodec

# C0 controls except TAB/LF/CR (SOH/ETX framing, NUL...), DEL, soft hyphen, BOM.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\ufeff]")
# Same tag syntax as mt940.models.Transactions.parse; ids the package does not know are
# continuation text there too (Transactions.sanitize_tag_id_matches).
_TAG_LINE = re.compile(r"^:(?P<tag>(?P<id>\d{2}|NS)[A-Z]?):(?P<rest>.*)$")
_KNOWN_IDS = {"13", "20", "21", "25", "28", "34", "60", "61", "62", "64", "65", "86", "90", "NS"}
_END_OF_MESSAGE = re.compile(r"^-(?:\}.*|XXX\}?)?\s*$")  # "-", "-}", "-}{5:...}", "-XXX"
_ENVELOPE = re.compile(r"^\{\d:")  # SWIFT FIN blocks {1:..}{2:..}{4:
_MT942 = re.compile(r"\{2:[IO]942|^:(?:13D|34F):", re.M)
SWIFT_LINE = 65  # field 86 is 6*65x: a line this long was cut, not ended

# SWIFT/NVB structured :86: sub-field codes (ABN AMRO, ING, Rabobank, bunq, Mollie, HSBC).
_SWIFT_CODES = (
    "ABWA ABWE ADDR BENM BIC BUSP CDTRREF CDTRREFTP CHGS CNTP CSID EREF EXCH IBAN ISDT "
    "MARF NAME OCMT ORDP PREF PURP REMI RTRN STRD SVCL TRTP ULTB ULTC ULTD USTD"
).split()
_SWIFT_CODE = re.compile(r"/(" + "|".join(_SWIFT_CODES) + r")(?=/)")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")


@dataclass
class Field:
    """One tag: ``tag`` as written (``61``, ``60F``), its physical line, its value lines, and
    ``fixed``: the value as handed to the mt-940 package when it differs (see ``mt940_raw``)."""

    tag: str
    line: int
    lines: list[str] = field(default_factory=list)
    fixed: str | None = None

    @property
    def value(self) -> str:
        return "\n".join(self.lines)

    @property
    def raw(self) -> str:
        return f":{self.tag}:{self.value}"

    @property
    def for_library(self) -> str:
        return f":{self.tag}:{self.value if self.fixed is None else self.fixed}"


@dataclass
class Block:
    """One statement: the fields from its ``:20:`` up to the next ``:20:`` or message end."""

    line: int
    fields: list[Field] = field(default_factory=list)


def decode(data: bytes) -> textcodec.Decoded:
    """The statement's text and a warning when it is doubtful (see :mod:`parsers.textcodec`)."""
    return textcodec.decode(data)


def clean(text: str) -> str:
    """Unify line ends and drop control characters and soft hyphens (lines keep their numbers)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).replace("\t", " ").replace("\u00a0", " ")


def is_mt942(text: str) -> bool:
    """An MT942 interim transaction report: ``{2:O942`` header or its ``:13D:``/``:34F:`` tags."""
    return bool(_MT942.search(text))


def split_blocks(text: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """Statements (with 1-based physical line numbers) and stray tag-like lines before the first
    ``:20:`` (bank preambles such as ``ABNANL2A``/``940`` are silently skipped)."""
    blocks: list[Block] = []
    stray: list[tuple[int, str]] = []
    current: Field | None = None
    for number, line in enumerate(text.split("\n"), 1):
        if _ENVELOPE.match(line):
            current, line = None, line.rpartition("{4:")[2] if "{4:" in line else ""
        if _END_OF_MESSAGE.match(line):
            current = None
            continue
        match = _TAG_LINE.match(line)
        if match and match["id"] in _KNOWN_IDS:
            if match["tag"] == "20":
                blocks.append(Block(number))
            if not blocks:
                stray.append((number, line))
                current = None
                continue
            current = Field(match["tag"], number, [match["rest"]])
            blocks[-1].fields.append(current)
        elif current is not None:
            if line.strip():
                current.lines.append(line)
        elif not blocks and line.lstrip().startswith(":") and line.strip() != ":940:":
            stray.append((number, line.strip()))  # ":940:" is Rabobank's own header line
    return blocks, stray


def join_wrapped(lines: list[str]) -> str:
    """The lines of a field as one text: a full 65-character line was cut mid-word and is glued
    to the next; a shorter one ended a phrase and gets a space. Runs of spaces collapse."""
    text, previous = "", ""
    for line in (raw.rstrip() for raw in lines):
        if line:
            text += ("" if not text or len(previous) >= SWIFT_LINE else " ") + line
            previous = line
    return re.sub(r"\s+", " ", text).strip()


def swift_subfields(text: str) -> dict[str, str] | None:
    """``/CODE/value`` pairs of a SWIFT-structured ``:86:``, or ``None`` when it is not one.

    The first occurrence of a code wins (``/ORDP//NAME/x`` and a later ``/BENM//NAME/y``)."""
    codes = list(_SWIFT_CODE.finditer(text))
    if not codes or (codes[0].start() != 0 and len(codes) < 2):
        return None
    found: dict[str, str] = {}
    for match, following in zip(codes, [*codes[1:], None], strict=True):
        end = following.start() if following else len(text)
        value = text[match.end() + 1:end] if end > match.end() else ""
        found.setdefault(match[1], value.strip(" /"))
    return found


def swift_details(subfields: dict[str, str]) -> tuple[str, str, str]:
    """(remittance, counterparty name, counterparty account) of a SWIFT-structured ``:86:``."""
    remittance = subfields.get("REMI") or subfields.get("USTD") or ""
    if not remittance and subfields.get("STRD"):
        remittance = re.sub(r"^(?:CUR|ISO|SCOR)/", "", subfields["STRD"])
    name, account = subfields.get("NAME", ""), subfields.get("IBAN", "")
    if subfields.get("CNTP"):  # /CNTP/account/BIC/name/city/ (ING)
        parts = [*subfields["CNTP"].split("/"), "", "", ""]
        account, name = account or parts[0], name or parts[2]
    return remittance.strip(), name.strip(), account.strip()


def arrange(block: Block, warnings: list[str]) -> tuple[list[Field], list[list[Field]]]:
    """Fields to hand to the package, and the ``:61:`` groups (``:61:`` + its ``:86:``).

    An ``:86:`` outside a group (statement information after ``:62F:``) and a repeated
    ``:25:`` are left out, so the package does not glue them onto the last transaction."""
    kept: list[Field] = []
    groups: list[list[Field]] = []
    in_group, seen_account = False, False
    for item in block.fields:
        if item.tag == "61":
            groups.append([item])
            in_group = True
        elif item.tag in ("86", "NS"):
            if not in_group:
                continue
            groups[-1].append(item)
        elif item.tag == "25" and seen_account:
            warnings.append(f"line {item.line}: a second :25: inside the statement of line "
                            f"{block.line} was ignored ({item.value[:40]!r})")
            in_group = False
            continue
        else:
            seen_account = seen_account or item.tag == "25"
            in_group = False
        kept.append(item)
    return kept, groups


def describe(group: list[Field], data: dict) -> tuple[str, str, str]:
    """(description, counterparty name, counterparty account) from the ``:86:``: the German
    ``?``-structure as the package read it, the SWIFT ``/CODE/`` structure, or free text."""
    text = join_wrapped([line for f in group[1:] if f.tag == "86" for line in f.lines])
    extra = " ".join(str(data.get("extra_details") or "").split())
    counterparty = iban_like(extra)
    if "purpose" in data or "posting_text" in data:  # ?00..?63 read by the package
        eref = data.get("end_to_end_reference") or ""
        parts = [data.get("posting_text"), data.get("purpose"), data.get("additional_purpose"),
                 f"EREF {eref}" if eref and eref.upper() != "NOTPROVIDED" else ""]
        description = " / ".join(p.strip() for p in parts if p and p.strip())
        name = (data.get("applicant_name") or "").strip()
        counterparty = (data.get("applicant_iban") or data.get("gvc_applicant_iban")
                        or counterparty or "").strip()
    elif (subfields := swift_subfields(text)) is not None:
        remittance, name, account = swift_details(subfields)
        description, counterparty = remittance or text, account or counterparty
    else:
        description, name = text, ""
    if extra and not counterparty.endswith(extra) and extra not in description:
        description = f"{description} / {extra}" if description else extra
    return description, name, counterparty


def iban_like(text: str) -> str:
    """``text`` when it is one IBAN-shaped token (a counterparty account), else ``''``."""
    token = text.strip().replace(" ", "")
    return token if _IBAN.fullmatch(token) else ""
