"""Golden files: each format's small sample under ``sample_data/golden/<format>/``, and each
further case of it under ``sample_data/golden/<format>/<case>/`` (a real file's shape the parser
once misread), parses to exactly its ``expected.json`` (records, rejects and warnings as JSON,
without the file's sha256).

Regenerate after an intended change with ``python tests/unit/parsers/test_golden_files.py``
and review the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from parsers.base import ParseResult, SourceFile
from parsers.registry import detect, formats

GOLDEN = Path(__file__).resolve().parents[3] / "sample_data" / "golden"
CASES = sorted(p.parent.relative_to(GOLDEN).as_posix()
               for pattern in ("*/input.*", "*/*/input.*") for p in GOLDEN.glob(pattern))
FORMATS = sorted({case.split("/")[0] for case in CASES})


def _input(folder: Path) -> Path:
    (found,) = [p for p in folder.iterdir() if p.name.startswith("input.")]
    return found


def _without_sha(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k != "source_sha256"}
    if "origin" in data:
        data["origin"] = _without_sha(data["origin"])
    return data


def normalised(result: ParseResult) -> dict:
    """A parse result as the JSON kept in ``expected.json``."""
    return {
        "refusal": result.refusal,
        "warnings": result.warnings,
        "records": [{"type": type(r).__name__, **_without_sha(r.model_dump(mode="json"))}
                    for r in result.records],
        "rejects": [_without_sha(r.model_dump(mode="json")) for r in result.rejects],
    }


def _format(case: str) -> str:
    return case.split("/")[0]


def _parse(case: str) -> dict:
    source = SourceFile(_input(GOLDEN / case))
    return normalised(detect(source, forced_format=_format(case)).parser.parse(source))


@pytest.mark.parametrize("case", CASES)
def test_each_golden_sample_is_detected_as_its_own_format(case):
    detection = detect(SourceFile(_input(GOLDEN / case)))
    assert detection.problem is None
    assert detection.parser.format == _format(case)


@pytest.mark.parametrize("case", CASES)
def test_each_golden_sample_parses_to_its_expected_records_and_rejects(case):
    expected = json.loads((GOLDEN / case / "expected.json").read_text(encoding="utf-8"))
    assert _parse(case) == expected


def test_every_registered_format_has_a_golden_sample():
    assert set(formats()) <= set(FORMATS)


if __name__ == "__main__":  # regenerate: review the diff before committing
    for case in CASES:
        target = GOLDEN / case / "expected.json"
        target.write_text(json.dumps(_parse(case), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
