"""The ``payrecon`` command line end to end: real files, a real SQLite store, real flows."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AS_OF = "2026-11-20"
# Export headers as DESIGN.md "Outputs" states them (tests/export_headers.json).
_STATED = json.loads(
    (Path(__file__).resolve().parents[1] / "export_headers.json").read_text())
# DESIGN.md's columns, then the trailing columns the code adds after them.
HEADERS = {name: columns + _STATED["_trailing"].get(name, [])
           for name, columns in _STATED.items() if not name.startswith("_")}

# The console script of the interpreter running the tests (works without an activated venv).
PAYRECON = str(Path(sys.executable).with_name("payrecon"))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def store_counts(db_url: str) -> dict[str, int]:
    """Rows per table, without the run log (which grows by design on every run)."""
    from pipeline.store import Store

    store = Store(db_url)
    try:
        return {k: v for k, v in store.counts().items() if k != "runs"}
    finally:
        store.close()


# ----------------------------------------------------------------------------- no flows


def test_help_works_and_does_not_import_prefect():
    done = subprocess.run([PAYRECON, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    for command in ("ingest", "reconcile", "report", "run", "demo", "serve"):
        assert command in done.stdout
    probe = "import sys, flows.cli; sys.exit('prefect' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], timeout=60).returncode == 0


@pytest.mark.parametrize("args, message", [
    (["run", "--inbox", ".", "--out", "o", "--as-of", "2026-13-45"], "invalid as-of date"),
    (["reconcile", "--as-of", "yesterday"], "invalid as-of date"),
    (["run", "--inbox", "no/such/inbox", "--as-of", AS_OF], "inbox folder not found"),
    (["ingest", "no/such/file.csv"], "no such file"),
    (["ingest", "--format", "nope", "."], "unknown format"),
    (["reconcile", "--db", "not-a-url"], "cannot open database"),
    (["reconcile", "--db", "sqlite:///{tmp}/f/x.db/y.db"], "cannot open database"),
    (["serve", "--inbox", "no/such/inbox"], "inbox folder not found"),
])
def test_user_errors_are_one_line_and_fail(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "x.db").write_text("a file, not a folder")
    (tmp_path / "some.csv").write_text("a,b\n")
    result = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_formats_lists_the_format_names(cli):
    result = cli("formats")
    assert result.exit_code == 0 and "ofx" in result.output and "bank-csv" in result.output


# ----------------------------------------------------------------------------- flows


def run_nightly(cli, inbox: Path, out: Path, db_url: str, *extra: str, status: int = 0):
    result = cli("run", "--inbox", inbox, "--out", out, "--as-of", AS_OF, "--db", db_url, *extra)
    assert result.exit_code == status, result.output
    return result


def test_run_writes_every_export_with_the_design_headers(prefect_harness, cli, demo_inbox,
                                                         tmp_path):
    out = tmp_path / "out"
    result = run_nightly(cli, demo_inbox, out, f"sqlite:///{tmp_path / 'p.db'}")
    for name, columns in HEADERS.items():
        assert header(out / name) == columns, name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert isinstance(summary, dict) and summary
    assert str(out) in result.output.replace("\n", "")
    left = [p.name for p in demo_inbox.rglob("*") if p.is_file()]
    assert all(name.endswith(".md") for name in left), "the inbox is drained (notes stay)"
    assert "quarantined 0" in result.output
    archived = sorted(p.name for p in (tmp_path / "archive").rglob("*") if p.is_file())
    assert archived, "processed files are archived"


def test_running_again_on_the_same_inbox_changes_nothing(prefect_harness, cli, demo_copier,
                                                        tmp_path):
    db_url, inbox, copy_demo = f"sqlite:///{tmp_path / 'p.db'}", tmp_path / "inbox", demo_copier
    run_nightly(cli, copy_demo(inbox), tmp_path / "out1", db_url)
    first_counts = store_counts(db_url)
    run_nightly(cli, copy_demo(inbox), tmp_path / "out2", db_url)
    assert store_counts(db_url) == first_counts
    for name in ("matches.csv", "invoices.csv", "unmatched.csv", "exceptions.csv"):
        first = (tmp_path / "out1" / name).read_text(encoding="utf-8")
        assert (tmp_path / "out2" / name).read_text(encoding="utf-8") == first, name
    archive = tmp_path / "archive"
    assert list(archive.rglob("*-1.*")), "the second copies are archived beside the first"


def test_an_unreadable_file_is_quarantined_with_a_reason_and_the_run_goes_on(
        prefect_harness, cli, demo_inbox, tmp_path):
    (demo_inbox / "notes").mkdir()
    (demo_inbox / "notes" / "lunch.txt").write_text("not a statement\n", encoding="utf-8")
    (demo_inbox / "empty.csv").write_bytes(b"")
    out = tmp_path / "out"
    result = run_nightly(cli, demo_inbox, out, f"sqlite:///{tmp_path / 'p.db'}", status=2)
    assert "2 file(s) quarantined" in result.output
    quarantine = tmp_path / "quarantine"
    assert (quarantine / "notes" / "lunch.txt").exists()
    assert (quarantine / "notes" / "lunch.txt.reason.txt").read_text().strip()
    assert "empty file" in (quarantine / "empty.csv.reason.txt").read_text()
    assert "quarantined" in result.output and (out / "matches.csv").exists()


def test_ingest_reconcile_report_one_by_one(prefect_harness, cli, demo_inbox, tmp_path):
    db_url, out = f"sqlite:///{tmp_path / 'p.db'}", tmp_path / "out"
    files = sorted(p for p in demo_inbox.rglob("*") if p.is_file() and p.suffix != ".md")
    first = cli("ingest", *files, "--db", db_url)
    assert first.exit_code == 0, first.output
    again = cli("ingest", *files, "--db", db_url)
    assert again.exit_code == 0 and "already ingested" in again.output
    assert cli("reconcile", "--as-of", AS_OF, "--db", db_url).exit_code == 0
    result = cli("report", "--out", out, "--as-of", AS_OF, "--db", db_url)
    assert result.exit_code == 0, result.output
    assert all((out / name).exists() for name in HEADERS)
    assert all(p.exists() for p in files), "ingest never moves the user's files"


def shadow_packages(folder: Path) -> None:
    """Folders named like payrecon's packages whose import fails loudly."""
    for name in ("reports", "parsers", "flows", "pipeline"):
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('shadowed {name}')\n")


def test_demo_prints_where_the_reports_are_and_reruns_cleanly(tmp_path):
    shadow_packages(tmp_path)  # a user's folder must never shadow payrecon's own packages
    env = {**os.environ, "COLUMNS": "200"}
    for _ in range(2):
        done = subprocess.run([PAYRECON, "demo"], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=240)
        assert done.returncode == 0, done.stdout + done.stderr
        reports = (tmp_path / "payrecon-demo" / "reports").resolve()
        assert str(reports) in done.stdout.replace("\n", "")
        for name in [*HEADERS, "summary.json"]:
            assert (reports / name).exists(), name
        assert list(reports.glob("reconciliation-2026-11-20.xlsx"))
    assert (tmp_path / "payrecon-demo" / "payrecon.db").exists()
    assert not list((tmp_path / "payrecon-demo" / "archive").rglob("*-1.*")), "clean each time"
