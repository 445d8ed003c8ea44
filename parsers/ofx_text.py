"""What the OFX parser reads from the raw text rather than from ofxparse's tree: the bytes'
encoding, sign-on and statement statuses, investment-only files and truncation. Every
search here is one pass over the text (linear in the file).
"""

from __future__ import annotations

import re

INVESTMENT_REFUSAL = "investment statement: payrecon reconciles bank and card statements only"
SNIFF = re.compile(r"(?:^|>)\s*(?:OFXHEADER\s*:|<\?OFX\b|<OFX>)", re.I | re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def decode(data: bytes) -> tuple[str, list[str]]:
    """The file as text: BOM, else UTF-8, else the declared charset, else Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), []
    declared = re.search(rb"encoding=[\"']([\w.-]+)|CHARSET:\s*([\w.-]+)", data[:4096], re.I)
    charset = (declared.group(1) or declared.group(2)).decode() if declared else ""
    charset = {"1252": "cp1252", "8859-1": "latin-1", "NONE": ""}.get(charset.upper(), charset)
    for codec in ("utf-8-sig", charset, "cp1252"):
        try:
            return data.decode(codec), []
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1"), ["not valid UTF-8 or Windows-1252: read as Latin-1"]


def status(block: str) -> tuple[str, str, str] | None:
    """(code, severity, message) of the first ``STATUS`` aggregate in ``block``."""
    match = re.search(r"<STATUS>(.*?)</STATUS>", block, re.I | re.S)
    if not match:
        return None
    fields = [re.search(rf"<{tag}>\s*([^<]*)", match.group(1), re.I)
              for tag in ("CODE", "SEVERITY", "MESSAGE")]
    code, severity, message = (f.group(1).strip() if f else "" for f in fields)
    return code, severity.upper(), message


def raw_refusal(text: str) -> str | None:
    """Refusals that need no parsing: a failed sign-on, an investment-only statement."""
    signon = re.search(r"<SONRS>(.*?)</SONRS>", text, re.I | re.S)
    code, severity, message = (status(signon.group(1)) if signon else None) or ("", "", "")
    if code.lstrip("0"):  # 0 is success; any other code is a failed sign-on
        return f"sign-on failed: code {code} ({severity or 'no severity'}): " \
               f"{message or 'no message'}"
    if re.search(r"<INVSTMTRS>", text, re.I) and not re.search(r"<(?:CC)?STMTRS>", text, re.I):
        return INVESTMENT_REFUSAL
    return None


def failed_responses(text: str) -> list[str]:
    """Statement responses (STMTTRNRS/CCSTMTTRNRS) whose status severity is ERROR."""
    failed = []
    for match in re.finditer(r"<(?:CC)?STMTTRNRS>", text, re.I):
        block = re.split(r"<(?:CC)?STMTRS>|</(?:CC)?STMTTRNRS>",
                         text[match.end():match.end() + 4096], maxsplit=1, flags=re.I)[0]
        found = status(block)
        if found and found[1] == "ERROR":
            failed.append(f"code {found[0]} (ERROR): {found[2] or 'no message'}")
    return failed


def has_investment(text: str) -> bool:
    return re.search(r"<INVSTMTRS>", text, re.I) is not None


def lost_transactions(text: str, read: int) -> str | None:
    """Why the file is broken when ofxparse's tree does not hold every written STMTTRN (a
    truncated file: unclosed aggregates come back empty, their transactions lost)."""
    if not re.search(r"</OFX>", text, re.I):
        return "truncated or broken file: the closing </OFX> tag is missing"
    if has_investment(text):  # its cash STMTTRNs are not statement rows
        return None
    written = len(re.findall(r"<STMTTRN>", _COMMENT.sub("", text), re.I))
    if written != read:
        return (f"broken file structure: {written} STMTTRN elements written, {read} inside a "
                "statement with content (truncated, or unclosed aggregates)")
    return None


def no_statement_reason(text: str, failures: list[str]) -> str:
    if failures:
        return "statement request failed: " + "; ".join(failures)
    if re.search(r"<ACCTINFORS>", text, re.I):
        return "account information listing (ACCTINFORS), not a statement: nothing to reconcile"
    return "no bank or credit-card statement (STMTRS/CCSTMTRS) in the file"
