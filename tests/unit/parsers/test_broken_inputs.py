"""Every deliberately broken input in ``sample_data/bad/`` goes the way a user's file goes
(content sniffing, then the parser) and comes back refused or rejected with the reason in
its ``<name>.expected.txt``; none raises, and nothing in it disappears silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.registry import detect

BAD = Path(__file__).resolve().parents[3] / "sample_data" / "bad"
EXPECTED = ".expected.txt"
SAMPLES = sorted(p for p in BAD.iterdir() if not p.name.endswith(EXPECTED))


def reasons_for(path: Path) -> list[str]:
    """Why the file (or rows of it) cannot be taken: detection problem, refusal, rejects."""
    source = SourceFile(path)
    detection = detect(source)
    if detection.problem:
        return [detection.problem]
    result = detection.parser.parse(source)
    return [result.refusal or ""] + [reject.reason for reject in result.rejects]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_each_broken_input_is_refused_or_rejected_with_its_expected_reason(path):
    expected = (BAD / f"{path.name}{EXPECTED}").read_text(encoding="utf-8").strip()
    reasons = reasons_for(path)
    assert any(expected in reason for reason in reasons), reasons


def test_every_broken_input_says_what_it_expects():
    assert SAMPLES
    assert all((BAD / f"{p.name}{EXPECTED}").is_file() for p in SAMPLES)
