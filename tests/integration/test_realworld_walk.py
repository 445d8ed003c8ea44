"""The whole ``../shared/realworld`` folder, file by file, the way an accountant's upload
goes: content sniffing, then the parser. Every file is read by the format of its family or
refused with a reason that names the problem; none raises. (The per-format tests check the
transaction counts and balances of SOURCES.md.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.registry import detect

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"
FAMILY = {"ofx": {"ofx"}, "mt940": {"mt940"}, "camt053": {"camt053"},
          "csv": {"bank-csv", "paypal", "stripe"}}
FILES = sorted(p for p in REALWORLD.rglob("*") if p.is_file() and p.name != "SOURCES.md") \
    if REALWORLD.is_dir() else []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_real_world_file_is_read_by_its_format_or_refused_with_a_reason(realworld, path):
    family = FAMILY[path.relative_to(realworld).parts[0]]
    source = SourceFile(path)
    detection = detect(source)
    if detection.problem:
        pytest.fail(f"not recognised: {detection.problem}")
    assert detection.parser.format in family
    result = detection.parser.parse(source)
    assert result.refusal is None or len(result.refusal) > 10


def test_the_walk_sees_every_folder_of_the_shared_set(realworld):
    assert {p.relative_to(realworld).parts[0] for p in FILES} == set(FAMILY)
