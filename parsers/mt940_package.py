"""Calls into the mt-940 package (5.x) for the MT940 parser: a statement's tags parsed whole,
or tag by tag when the whole does not parse, with the package's errors as stable reasons."""

from __future__ import annotations

import decimal
import re
from typing import Any

import mt940

from parsers.mt940_fields import Field

_OPTIONS = mt940.Options.all()  # unbounded :86:, ?31 as IBAN, no None overwriting a value
_TAG_SETS = (None, {61: mt940.tags.StatementGLS()})  # GLS: customer reference longer than 16x
_OBJECT_REPR = re.compile(r"<mt940\.tags\.(\w+) object at 0x[0-9a-fA-F]+>")


def library(text: str) -> mt940.models.Transactions:
    """The package's parse of ``text``: standard ``:61:`` first, then the GLS variant."""
    error: Exception | None = None
    for tags in _TAG_SETS:
        transactions = mt940.models.Transactions(tags=tags, options=_OPTIONS)
        try:
            transactions.parse(text)
            return transactions
        except Exception as exc:  # the package raises RuntimeError, ValueError, decimal errors
            error = error or exc
    raise error  # type: ignore[misc]


def parse_whole(kept: list[Field], expected: int) -> mt940.models.Transactions | None:
    try:
        parsed = library("\n".join(f.for_library for f in kept))
    except Exception:
        return None
    return parsed if len(parsed.transactions) == expected else None


def parse_piecewise(kept: list[Field], groups: list[list[Field]], label: str,
                    warnings: list[str]) -> tuple[dict, list[dict | str]]:
    """Fallback when the whole statement does not parse: each tag and each ``:61:`` group on
    its own, so one bad line costs one reject (or one warning for a header/balance tag)."""
    data: dict[str, Any] = {}
    opening = ""  # a readable :60x: gives each :61: its currency, as in a whole parse
    for item in kept:
        if item.tag in ("61", "86", "NS"):
            continue
        try:
            data.update(library(item.for_library).data)
            opening = opening or (item.for_library if item.tag.startswith("60") else "")
        except Exception as exc:
            warnings.append(f"statement {label}: unreadable :{item.tag}: at line {item.line} "
                            f"ignored: {message(exc)}")
    details: list[dict | str] = []
    for group in groups:
        try:
            found = library("\n".join([opening, *(f.for_library for f in group)]).strip())
            details.append(found.transactions[0].data)
        except Exception as exc:
            details.append(message(exc))
    return data, details


def message(exc: Exception) -> str:
    """The package's error without object addresses (reasons must be stable)."""
    if isinstance(exc, decimal.InvalidOperation):
        return "the amount is not a number"
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    text = _OBJECT_REPR.sub(r"\1", text)
    return f"{type(exc).__name__}: {text}"[:300]
