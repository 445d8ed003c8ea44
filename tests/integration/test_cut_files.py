"""Issue 10, truncation through the file boundary into a real SQLite store: a file cut
inside its last record stores the whole records and a reject for the cut one; when the
complete file arrives later, each record is stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import steps
from pipeline.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def counts(url: str) -> dict[str, int]:
    with Store(url) as store:
        return store.counts()


@pytest.mark.parametrize(("whole", "cut_at", "table"), [
    (SAMPLES / "demo" / "chase-usd.ofx", "<TRNAMT>70", "bank_transactions"),
    (SAMPLES / "demo" / "bank-bca-idr.csv", "2,220,000.0", "bank_transactions"),
    (SAMPLES / "golden" / "btcpay" / "input.csv", '"fajar.nugroho@exam', "gateway_transactions"),
], ids=["ofx", "bank-csv", "btcpay"])
def test_a_cut_file_then_the_whole_one_store_each_record_once(tmp_path, whole, cut_at, table):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    text = whole.read_text(encoding="utf-8")
    cut = tmp_path / "cut" / whole.name
    cut.parent.mkdir()
    cut.write_text(text[:text.rindex(cut_at) + len(cut_at)], encoding="utf-8")

    first = steps.ingest_file(cut, db_url=url)
    second = steps.ingest_file(whole, db_url=url)
    alone = f"sqlite:///{tmp_path / 'alone.db'}"
    steps.ingest_file(whole, db_url=alone)

    assert (first.status, second.status) == (steps.INGESTED, steps.INGESTED)
    assert first.rejected >= 1 and any(w.startswith("truncated:") for w in first.warnings)
    assert counts(url)[table] == counts(alone)[table]
