"""The CLI around postings: ``report`` reports the last reconciliation's date unless told
otherwise, commands that read a database never create a missing one, and
``payrecon postings mark-posted`` records a postings.csv once."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

AS_OF = "2026-11-20"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def one_line_error(result) -> bool:
    return (result.exit_code == 1 and "Traceback" not in result.output
            and len(result.output.strip().splitlines()) == 1)


@pytest.mark.parametrize("command", [
    ["report", "--out", "out"], ["report", "--out", "out", "--as-of", AS_OF],
    ["reconcile", "--as-of", AS_OF], ["review", "list"],
    ["postings", "mark-posted", "postings.csv"],
])
def test_a_command_on_a_missing_database_fails_in_one_line_and_creates_nothing(
        cli, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "postings.csv").write_text("invoiceid\n", encoding="utf-8")
    missing = tmp_path / "nowhere" / "payrecon.db"
    result = cli(*command, "--db", f"sqlite:///{missing}")
    assert one_line_error(result), result.output
    assert "no such file" in result.output
    assert not missing.exists() and not missing.parent.exists()
    assert not (tmp_path / "out").exists()


def test_report_without_as_of_on_a_database_never_reconciled_is_an_error(
        prefect_harness, cli, demo_inbox, tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert cli("ingest", demo_inbox, "--db", db).exit_code == 0
    result = cli("report", "--out", tmp_path / "out", "--db", db)
    assert one_line_error(result) and "no reconciliation" in result.output, result.output


def test_report_uses_the_last_reconciliation_and_mark_posted_records_its_postings_once(
        prefect_harness, cli, demo_inbox, tmp_path):
    db, out = f"sqlite:///{tmp_path / 'p.db'}", tmp_path / "out"
    assert cli("ingest", demo_inbox, "--db", db).exit_code == 0
    assert cli("reconcile", "--as-of", AS_OF, "--db", db).exit_code == 0
    reported = cli("report", "--out", out, "--db", db)
    assert reported.exit_code == 0, reported.output
    assert f"as of {AS_OF}" in reported.output
    assert (out / f"reconciliation-{AS_OF}.xlsx").exists()
    posted = rows(out / "postings.csv")
    assert posted and {r["gateway"] for r in posted} == {"banktransfer", "stripe", "paypal"}

    edited = out.joinpath("postings.csv").read_text(encoding="utf-8").replace(
        posted[0]["amount"], posted[0]["amount"] + "1", 1)
    (tmp_path / "edited.csv").write_text(edited, encoding="utf-8")
    refused = cli("postings", "mark-posted", tmp_path / "edited.csv", "--db", db)
    assert one_line_error(refused) and "edited" in refused.output, refused.output

    first = cli("postings", "mark-posted", out / "postings.csv", "--user", "rina", "--db", db)
    assert first.exit_code == 0 and f"{len(posted)} payment(s) recorded" in first.output
    again = cli("postings", "mark-posted", out / "postings.csv", "--db", db)
    assert again.exit_code == 0 and f"{len(posted)} already recorded" in again.output
    assert cli("report", "--out", tmp_path / "next", "--db", db).exit_code == 0
    assert rows(tmp_path / "next" / "postings.csv") == []
