"""Hard limits on input, checked before any conversion, so that one absurd line or value
is a reject with a clear reason and never a crash or an unbounded cost.

Amount digits and length are checked in :func:`pipeline.money.check_amount_size` (every
amount goes through it). CSV fields are bounded by the ``csv`` module's field limit
(131,072 characters: a longer field makes the file unreadable, a refusal).
"""

from __future__ import annotations

import re

MAX_LINE_CHARS = 256 * 1024  # one JSON Lines ticket, message included, is a few KB
MAX_JSON_DEPTH = 32  # a WHMCS ticket object nests four levels
REJECT_SAMPLE_ROWS = 200  # a file whose first this many data rows are all rejected is junk

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NESTING = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets in strings ignored)."""
    depth = deepest = 0
    for match in _NESTING.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def json_line_problem(text: str) -> str | None:
    """Why one JSON Lines line is past the hard limits (length, nesting), or ``None``."""
    if len(text) > MAX_LINE_CHARS:
        return (f"line of {len(text)} characters is longer than the {MAX_LINE_CHARS} "
                "a line may have")
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        return f"JSON nested {depth} deep is deeper than the {MAX_JSON_DEPTH} a line may nest"
    return None
