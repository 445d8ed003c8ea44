"""Every real-world OFX file reads the same in pieces of one transaction as in one pass
(records, rejects, warnings and refusals), so cutting a file never changes what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.base import ParseResult, SourceFile
from parsers.ofx import OfxParser

_OFX_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "realworld" / "ofx"
FILES = sorted(p.name for p in _OFX_DIR.iterdir()) if _OFX_DIR.is_dir() else ["(absent)"]


def _dump(result: ParseResult) -> tuple:
    return (result.refusal, result.warnings, [r.model_dump() for r in result.records],
            [r.model_dump() for r in result.rejects])


@pytest.mark.parametrize("name", FILES)
def test_a_realworld_ofx_file_reads_the_same_in_pieces_as_in_one_pass(realworld, name):
    path = realworld / "ofx" / name
    if not path.is_file():
        pytest.skip("no OFX files")
    source = SourceFile(path)
    assert _dump(OfxParser(chunk_size=1).parse(source)) == \
        _dump(OfxParser(chunk_size=10**9).parse(source))
