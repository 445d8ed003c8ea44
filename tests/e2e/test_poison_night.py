"""Issue 10, the poison-input night: a realistic generated month (``sample_data/world``) with
poison files added (binary junk, an OFX cut inside a transaction, a bank CSV cut inside its
last row, a JSON Lines file and a tickets CSV each with a 1 MB line) goes through
``payrecon run``. The night completes (exit status 2: completed with quarantined files;
recorded ``completed``); only the
poison is quarantined or rejected, each with a reason; every good file is ingested and
archived; and the store and the exports hold exactly what the same month without poison
gives."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sample_data.world import generate  # noqa: E402

INPUT_TABLES = ("bank_transactions", "gateway_transactions", "tickets", "invoices", "clients",
                "statement_balances")


def month(folder: Path, clients: int = 20) -> dict:
    """The generated month in ``folder/inbox`` and its ``payrecon.toml`` (the shop's accounts)."""
    truth = generate(1, folder / "inbox", clients=clients)
    (folder / "inbox" / "truth.json").rename(folder / "truth.json")  # the answers, not an input
    accounts = "".join(f'[[accounts]]\nnumber = "{a["number"]}"\nbank = "{a["bank"]}"\n'
                       f'currency = "{a["currency"]}"\n\n' for a in truth["shop_accounts"])
    (folder / "payrecon.toml").write_text(accounts, encoding="utf-8")
    return truth


def poison(inbox: Path, truth: dict) -> dict[str, str]:
    """Poison files beside the month's own; what each must end as (quarantined/rejected)."""
    files = {name.split("-")[0] + Path(name).suffix: inbox / name for name in truth["files"]}
    junk = random.Random(1).randbytes(64 * 1024)
    (inbox / "zz-junk.csv").write_bytes(b"date,amount\n" + junk)
    ofx = files["chase.ofx"].read_text(encoding="utf-8")
    last = ofx.rindex("<TRNAMT>")
    (inbox / "zz-chase-cut.ofx").write_text(ofx[:last + len("<TRNAMT>1")], encoding="utf-8")
    csv = files["bca.csv"].read_text(encoding="utf-8").rstrip("\n")
    (inbox / "zz-bca-cut.csv").write_text(csv[:-5], encoding="utf-8")
    tickets = files["tickets.jsonl"].read_text(encoding="utf-8").splitlines()
    huge = json.dumps({"ticket_id": "HUGE-1", "message": "x" * 1_000_000})
    (inbox / "zz-tickets-huge.jsonl").write_text(
        "\n".join([*tickets[:3], huge, *tickets[3:]]) + "\n", encoding="utf-8")
    rows = files["tickets.csv"].read_text(encoding="utf-8").rstrip("\n")
    (inbox / "zz-tickets-huge.csv").write_text(f"{rows}\nHUGE-2,{'x' * 1_000_000}\n",
                                               encoding="utf-8")
    return {"zz-junk.csv": "quarantined", "zz-chase-cut.ofx": "truncated",
            "zz-bca-cut.csv": "truncated", "zz-tickets-huge.jsonl": "longer than",
            "zz-tickets-huge.csv": "longer than"}


def night(cli, folder: Path, as_of: str, monkeypatch):
    monkeypatch.setenv("PAYRECON_CONFIG", str(folder / "payrecon.toml"))
    return cli("run", "--inbox", folder / "inbox", "--out", folder / "out", "--as-of", as_of,
               "--db", f"sqlite:///{folder / 'payrecon.db'}")


def rows(folder: Path) -> dict[str, int]:
    from pipeline.store import Store

    with Store(f"sqlite:///{folder / 'payrecon.db'}") as store:
        counts = store.counts()
        rejects = store.load_rejects()
    return {**{t: counts[t] for t in INPUT_TABLES}, "rejects": rejects}


@pytest.mark.slow
def test_a_poisoned_month_completes_and_only_the_poison_is_set_aside(
        prefect_harness, cli, tmp_path, monkeypatch):
    clean, poisoned = tmp_path / "clean", tmp_path / "poisoned"
    truth = month(clean)
    month(poisoned)
    expected = poison(poisoned / "inbox", truth)

    assert night(cli, clean, truth["as_of"], monkeypatch).exit_code == 0
    result = night(cli, poisoned, truth["as_of"], monkeypatch)

    assert result.exit_code == 2, result.output  # completed, with quarantined files
    from flows import runlog

    last = runlog.read_last_run(poisoned)
    assert last.outcome == "completed"
    assert [q.split(":")[0] for q in last.quarantined] == ["zz-junk.csv"], last.quarantined
    assert (poisoned / "quarantine" / "zz-junk.csv.reason.txt").read_text().strip()
    archived = sorted(p.name for p in (poisoned / "archive").iterdir())
    assert archived == sorted([*truth["files"], *(n for n in expected if n != "zz-junk.csv")])

    got, want = rows(poisoned), rows(clean)
    assert {t: got[t] for t in INPUT_TABLES} == {t: want[t] for t in INPUT_TABLES}
    extra = got["rejects"][got["rejects"]["source_file"].str.startswith("zz-")]
    by_file = extra.groupby("source_file")["reason"].apply(" | ".join).to_dict()
    assert by_file.keys() == {n for n in expected if n != "zz-junk.csv"}
    for name, word in expected.items():
        if name in by_file:
            assert word in by_file[name], (name, by_file[name])
    for name in ("matches.csv", "invoices.csv", "unmatched.csv", "exceptions.csv"):
        assert (poisoned / "out" / name).read_text(encoding="utf-8") == \
            (clean / "out" / name).read_text(encoding="utf-8"), name
