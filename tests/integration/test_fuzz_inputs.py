"""Fuzzing the file boundary: Hypothesis mutates every golden input and every broken input
(truncation, flipped bytes, repeated lines, huge numbers, deep nesting, other encodings)
and sends each through detection, parsing and storing into a real SQLite store via
``flows.steps.ingest_file``. No exception escapes; each file ends ingested (records and
rejects) or quarantined with a one-line reason, and no parser crashes on the way.

A few seeded examples per file by default (CI stays fast); ``--fuzz-long`` runs many more.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from flows import steps

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "sample_data" / "golden"
BAD = ROOT / "sample_data" / "bad"
INPUTS = sorted({*GOLDEN.glob("*/input.*"), *GOLDEN.glob("*/*/input.*")}) + sorted(
    p for p in BAD.iterdir() if not p.name.endswith(".expected.txt"))
CRASH = re.compile(r"^(parser \S+ failed: |could not be read or stored: )")


def _truncate(data: bytes, draw) -> bytes:
    return data[: draw(st.integers(0, max(len(data) - 1, 0)))]


def _flip(data: bytes, draw) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if out:
            out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return bytes(out)


def _duplicate_lines(data: bytes, draw) -> bytes:
    lines = data.splitlines(keepends=True) or [data]
    n = draw(st.integers(0, len(lines) - 1))
    return b"".join(lines[: n + 1] + lines[n: n + 1] * draw(st.integers(1, 3)) + lines[n + 1:])


def _huge_number(data: bytes, draw) -> bytes:
    digits = draw(st.sampled_from([b"9" * 25, b"1" * 5000, b"1" + b"0" * 400 + b",00"]))
    at = draw(st.integers(0, len(data)))
    return data[:at] + digits + data[at:]


def _deep_nesting(data: bytes, draw) -> bytes:
    depth = draw(st.sampled_from([100, 5000, 50_000]))
    kind = draw(st.sampled_from([(b"[", b"]"), (b"{\"a\":", b"}"), (b"<A>", b"</A>")]))
    at = draw(st.integers(0, len(data)))
    return data[:at] + kind[0] * depth + kind[1] * depth + data[at:]


def _encoding(data: bytes, draw) -> bytes:
    text = data.decode("utf-8", errors="replace")
    codec = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-8-sig"]))
    return text.encode(codec, errors="replace")


MUTATIONS = [_truncate, _flip, _duplicate_lines, _huge_number, _deep_nesting, _encoding]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}"


@pytest.mark.parametrize("original", INPUTS, ids=lambda p: str(p.relative_to(ROOT / "sample_data")))
def test_no_mutated_input_escapes_the_file_boundary(original, store_url, fuzz_examples,
                                                    tmp_path_factory):
    folder = tmp_path_factory.mktemp("mutated")
    data = original.read_bytes()

    @settings(max_examples=fuzz_examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(draw_data):
        draw = draw_data.draw
        mutated = data
        for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=2)):
            mutated = mutation(mutated, draw)
        path = folder / original.name
        path.write_bytes(mutated)

        outcome = steps.ingest_file(path, db_url=store_url)

        assert outcome.status in (steps.INGESTED, steps.ALREADY_INGESTED, steps.QUARANTINED)
        if outcome.status == steps.QUARANTINED:
            assert outcome.reason and "\n" not in outcome.reason
            assert not CRASH.match(outcome.reason), outcome.reason

    check()
