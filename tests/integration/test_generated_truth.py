"""A generated data set with ground truth (sample_data/generate.py) goes through the real
parsers, the real store and the engine: every payment ends exactly as the truth says, so
no auto match is ever wrong."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd

from flows.steps import ingest_file, reconcile
from pipeline.settings import Settings
from pipeline.store import Store

GENERATOR = Path(__file__).resolve().parents[2] / "sample_data" / "generate.py"
AS_OF = dt.date(2026, 11, 20)


def generate(out: Path, seed: int, size: int) -> dict:
    spec = importlib.util.spec_from_file_location("generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    module.generate(seed, size, out)
    return json.loads((out / "truth.json").read_text())


def outcomes(url: str, truth: dict) -> dict[str, str]:
    """Bank reference -> auto | suggested | the unmatched reason class. A payment the truth
    expects suggested (no reference) counts as suggested when client identity applied it to
    the right invoice (the payer's distinctive name and a unique exact amount)."""
    with Store(url) as store:
        payments = store.load_payments().set_index(["payment_kind", "payment_id"])
        result = store.load_match_result()
    refs = payments["source_ref"]
    allocated = result.allocations.set_index(["payment_kind", "payment_id"])
    unmatched = result.unmatched.set_index(["payment_kind", "payment_id"])["reason"]
    found = {}
    for key, row in allocated.iterrows():
        ref = refs[key]
        by_client = row["rule"] == "client_amount" and row["status"] == "auto" and \
            row["invoice_number"] == truth[ref]["invoice_number"]
        found[ref] = "suggested" if by_client else row["status"]
    found.update({refs[key]: reason.split(":")[0] for key, reason in unmatched.items()})
    return found


def test_a_generated_month_reconciles_exactly_as_its_ground_truth(tmp_path):
    truth = generate(tmp_path / "set", seed=7, size=400)
    url = f"sqlite:///{tmp_path / 'payrecon.db'}"
    for name in ("clients.csv", "invoices.csv", "bank.csv"):
        assert ingest_file(tmp_path / "set" / name, db_url=url).status == "ingested"
    reconcile(db_url=url, as_of=AS_OF, settings=Settings())
    expected = pd.Series({ref: t["outcome"] for ref, t in truth.items()}).sort_index()
    assert pd.Series(outcomes(url, truth)).sort_index().to_dict() == expected.to_dict()


def test_the_same_seed_and_size_give_the_same_files(tmp_path):
    generate(tmp_path / "a", seed=3, size=50)
    generate(tmp_path / "b", seed=3, size=50)
    for name in ("invoices.csv", "clients.csv", "bank.csv", "truth.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
