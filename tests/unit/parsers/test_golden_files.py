"""Golden files: each format's small sample under ``sample_data/golden/<format>/`` parses to
exactly its ``expected.json`` (records and rejects as JSON, without the file's sha256); so
does each further case of a format in ``sample_data/golden/<format>/<case>/`` (a file shape
that once was misread, e.g. ``camt053/v08-undated-entries``).

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
FORMATS = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.json").is_file())
CASES = sorted((fmt, folder) for fmt in FORMATS
               for folder in [GOLDEN / fmt, *(GOLDEN / fmt).iterdir()]
               if (folder / "expected.json").is_file())


def _case_id(case: tuple[str, Path]) -> str:
    return str(case[1].relative_to(GOLDEN))


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


def _parse(fmt: str, folder: Path) -> dict:
    source = SourceFile(_input(folder))
    return normalised(detect(source, forced_format=fmt).parser.parse(source))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_each_golden_sample_is_detected_as_its_own_format(case):
    fmt, folder = case
    detection = detect(SourceFile(_input(folder)))
    assert detection.problem is None
    assert detection.parser.format == fmt


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_each_golden_sample_parses_to_its_expected_records_and_rejects(case):
    fmt, folder = case
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert _parse(fmt, folder) == expected


def test_every_registered_format_has_a_golden_sample():
    assert set(formats()) <= set(FORMATS)


if __name__ == "__main__":  # regenerate: review the diff before committing
    for fmt, folder in CASES:
        target = folder / "expected.json"
        target.write_text(json.dumps(_parse(fmt, folder), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
