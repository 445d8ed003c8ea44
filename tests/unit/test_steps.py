"""The plain step functions of flows.steps, with temp files and a fake store/parser."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from flows import steps
from flows.runtime import resolve_as_of
from parsers.base import ParseResult
from parsers.registry import Detection
from pipeline.database_url import absolute_database_url
from pipeline.frames import ALLOCATION_COLUMNS, EXCEPTION_COLUMNS, UNMATCHED_COLUMNS, empty
from pipeline.matching import MatchResult
from pipeline.models import Reject
from pipeline.settings import Settings


def write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- ingest


@dataclass
class Counts:
    new: int
    duplicates: int
    rejected: int
    invoices_updated: int
    already_ingested: bool = False


@dataclass
class FakeStore:
    ingested: set = field(default_factory=set)
    calls: list = field(default_factory=list)
    runs: dict = field(default_factory=dict)
    saved: dict = field(default_factory=dict)
    closed: int = 0

    def close(self):
        self.closed += 1

    def counts(self):
        return {"invoices": 0}

    def file_ingested(self, sha256):
        return sha256 in self.ingested

    def quarantine(self, **kwargs):
        self.calls.append(("quarantine", kwargs))

    def ingest(self, **kwargs):
        self.calls.append(("ingest", kwargs))
        self.ingested.add(kwargs["sha256"])
        return Counts(len(kwargs["records"]), 0, len(kwargs["rejects"]), 0)

    def run_lock(self):
        self.calls.append(("run_lock", {}))
        return nullcontext()

    def start_run(self, kind, as_of):
        run_id = len(self.runs) + 1
        self.runs[run_id] = {"kind": kind, "as_of": as_of, "status": "running"}
        return run_id

    def finish_run(self, run_id, status, summary):
        self.runs[run_id].update(status=status, summary=summary)

    def load_payments(self):
        return pd.DataFrame({"payment_id": [1, 2, 3]})

    def load_invoices(self):
        return pd.DataFrame({"invoice_number": ["10234"]})

    def save_match_result(self, run_id, result):
        self.saved[run_id] = result

    def load_ledger(self):
        return pd.DataFrame({"match_id": ["m1"]})

    def load_reversals(self):
        return pd.DataFrame({"money_key": []})

    def load_clients(self):
        return pd.DataFrame({"client_id": []})

    def load_tickets(self):
        return pd.DataFrame({"ticket_id": []})

    def load_payouts(self):
        return pd.DataFrame({"payout_id": []})

    def load_non_payments(self):
        return pd.DataFrame({"payment_id": []})

    def append_ledger(self, entries, now=None):
        self.calls.append(("append_ledger", len(entries)))
        return len(entries)


class FakeParser:
    format = "fake-csv"
    kind = "bank"

    def __init__(self, result=None, crash=False):
        self.result, self.crash = result, crash

    def parse(self, source):
        if self.crash:
            raise KeyError("column")
        return self.result


@pytest.fixture
def store(monkeypatch):
    fake = FakeStore()
    monkeypatch.setattr("pipeline.store.Store", lambda url: fake)
    return fake


def detecting(monkeypatch, detection, settings_seen=None):
    seen = []

    def detect(source, forced_format=None, accounts=(), default_currency=None):
        seen.append(forced_format)
        if settings_seen is not None:
            settings_seen.append((list(accounts), default_currency))
        return detection

    monkeypatch.setattr("parsers.registry.detect", detect)
    return seen


def test_ingest_stores_records_and_reports_counts(tmp_path, store, monkeypatch):
    result = ParseResult(records=["r1", "r2"], rejects=["bad"], warnings=["balance off"])
    seen = detecting(monkeypatch, Detection(FakeParser(result)))
    outcome = steps.ingest_file(write(tmp_path / "s.csv", "abc"), db_url="sqlite://", fmt="x")
    assert (outcome.status, outcome.fmt, outcome.kind) == (steps.INGESTED, "fake-csv", "bank")
    assert (outcome.new, outcome.rejected, outcome.warnings) == (2, 1, ["balance off"])
    (name, kwargs), = store.calls
    assert name == "ingest" and kwargs["size_bytes"] == 3 and kwargs["file_name"] == "s.csv"
    assert seen == ["x"] and store.closed == 1


def test_ingest_hands_the_accounts_and_default_currency_to_detection(tmp_path, store,
                                                                     monkeypatch):
    seen: list = []
    detecting(monkeypatch, Detection(FakeParser(ParseResult(records=["r"]))), seen)
    settings = Settings(default_currency="usd", accounts=[{"number": "1", "date_order": "MDY"}])
    steps.ingest_file(write(tmp_path / "s.csv"), db_url="sqlite://", settings=settings)
    assert seen == [(settings.accounts, "USD")]


def test_the_same_content_is_never_stored_twice(tmp_path, store, monkeypatch):
    detecting(monkeypatch, Detection(FakeParser(ParseResult(records=["r"]))))
    steps.ingest_file(write(tmp_path / "a.csv", "same"), db_url="sqlite://")
    again = steps.ingest_file(write(tmp_path / "renamed.csv", "same"), db_url="sqlite://")
    assert again.status == steps.ALREADY_INGESTED and again.new == 0
    assert [name for name, _ in store.calls] == ["ingest"]


@pytest.mark.parametrize("detection, reason", [
    (Detection(None, "unrecognised format"), "unrecognised format"),
    (Detection(FakeParser(ParseResult.refused("investment statement"))), "investment statement"),
    (Detection(FakeParser(crash=True)), "parser fake-csv failed: KeyError: 'column'"),
])
def test_unreadable_files_are_quarantined_with_their_reason(tmp_path, store, monkeypatch,
                                                            detection, reason):
    detecting(monkeypatch, detection)
    outcome = steps.ingest_file(write(tmp_path / "bad.ofx"), db_url="sqlite://")
    assert (outcome.status, outcome.reason) == (steps.QUARANTINED, reason)
    (name, kwargs), = store.calls
    assert name == "quarantine" and kwargs["reason"] == reason
    assert kwargs["sha256"] == outcome.sha256 and len(outcome.sha256) == 64


def test_a_file_whose_every_row_was_rejected_is_a_failed_file(tmp_path, store, monkeypatch):
    rejects = [Reject(source_file="bca.csv", source_sha256="0" * 64, source_format="bank-csv",
                      source_line=line, reason=reason)
               for line, reason in [(5, "no currency"), (6, "no currency"), (9, "bad date")]]
    detecting(monkeypatch, Detection(FakeParser(ParseResult(rejects=rejects))))
    outcome = steps.ingest_file(write(tmp_path / "bca.csv"), db_url="sqlite://")
    assert outcome.status == steps.QUARANTINED
    assert outcome.reason == ("every row was rejected (3 rows): 2× no currency (first at line "
                              "5); 1× bad date (first at line 9)")
    assert [name for name, _ in store.calls] == ["quarantine"]


def test_a_file_that_cannot_be_read_is_quarantined_without_touching_the_store(tmp_path, store):
    (tmp_path / "folder.csv").mkdir()
    outcome = steps.ingest_file(tmp_path / "folder.csv", db_url="sqlite://")
    assert outcome.status == steps.QUARANTINED and outcome.reason.startswith("cannot read file")
    assert store.calls == []


def test_a_file_gone_before_its_turn_is_gone_not_quarantined_and_nothing_is_stored(tmp_path,
                                                                                    store):
    outcome = steps.ingest_file(tmp_path / "taken-by-another-run.csv", db_url="sqlite://")
    assert outcome.status == steps.GONE and "no longer in the inbox" in outcome.reason
    assert store.calls == []
    assert steps.tally([outcome])[steps.GONE] == 1


def test_a_file_taken_while_it_was_read_is_gone_and_not_quarantined_in_the_store(tmp_path,
                                                                                  store,
                                                                                  monkeypatch):
    path = write(tmp_path / "stmt.csv", "a,b\n")

    def vanishing_parse(*args, **kwargs):
        path.unlink()
        raise FileNotFoundError(str(path))

    monkeypatch.setattr(steps, "_parse", vanishing_parse)
    outcome = steps.ingest_file(path, db_url="sqlite://")
    assert outcome.status == steps.GONE
    assert not [call for call in store.calls if call[0] == "quarantine"]


def test_tally_counts_files_and_records():
    outcomes = [steps.FileOutcome("a", "a", "1", steps.INGESTED, new=3, duplicates=1),
                steps.FileOutcome("b", "b", "2", steps.ALREADY_INGESTED),
                steps.FileOutcome("c", "c", "3", steps.QUARANTINED, reason="r")]
    totals = steps.tally(outcomes)
    assert totals[steps.INGESTED] == totals[steps.ALREADY_INGESTED] == 1
    assert (totals[steps.QUARANTINED], totals["new"], totals["duplicates"]) == (1, 3, 1)


# ----------------------------------------------------------------------------- reconcile/report


def a_match_result() -> MatchResult:
    allocations = empty(ALLOCATION_COLUMNS)
    allocations["status"] = ["auto", "auto", "suggested"]
    unmatched = empty(UNMATCHED_COLUMNS)
    unmatched["reason"] = ["no_reference"]
    return MatchResult(allocations, unmatched, empty(EXCEPTION_COLUMNS))


def test_reconcile_matches_saves_and_records_the_run(store, monkeypatch):
    seen = {}

    def match(payments, invoices, *, settings, as_of, ledger, reversals, tickets, **transfers):
        seen.update(payments=len(payments), as_of=as_of, ledger=len(ledger),
                    tickets=len(tickets), clients=len(transfers["clients"]))
        return a_match_result()

    monkeypatch.setattr("pipeline.matching.match", match)
    day = dt.date(2026, 11, 20)
    summary = steps.reconcile(db_url="sqlite://", as_of=day, settings=Settings())
    assert seen == {"payments": 3, "as_of": day, "ledger": 1, "tickets": 0, "clients": 0}
    assert ("append_ledger", 0) in store.calls and summary["ledger_added"] == 0
    assert summary["auto"] == 2 and summary["suggested"] == 1 and summary["unmatched"] == 1
    assert store.runs[1]["status"] == "completed" and store.runs[1]["summary"] == summary
    assert summary["run_id"] == 1 and 1 in store.saved


def test_a_failed_reconcile_is_recorded_as_failed(store, monkeypatch):
    def match(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("pipeline.matching.match", match)
    with pytest.raises(RuntimeError, match="boom"):
        steps.reconcile(db_url="sqlite://", as_of=dt.date(2026, 1, 1), settings=Settings())
    assert store.runs[1]["status"] == "failed" and "boom" in store.runs[1]["summary"]["error"]


def test_report_builds_from_the_store_and_writes_every_export(tmp_path, monkeypatch):
    class ReportStore(FakeStore):
        def load_report_inputs(self):
            fields = ("invoices", "clients", "payments", "match", "rejects", "tickets",
                      "payouts", "ledger", "files", "bank_lines", "payout_items",
                      "non_payments", "statement_balances", "posted")
            return {name: f"loaded {name}" for name in fields}

        def database_id(self) -> str:
            return "db-fake"

    fake = ReportStore()
    monkeypatch.setattr("pipeline.store.Store", lambda url: fake)
    built = {}

    def build_report(inputs, *, as_of, settings):
        built.update(inputs=inputs, as_of=as_of)
        return type("Data", (), {"summary": {"auto_match_rate": 0.5}, "matches": [],
                                 "invoices": []})()

    monkeypatch.setattr("pipeline.reporting.build_report", build_report)
    monkeypatch.setattr("reports.write_all", lambda data, out, halves: [out / "matches.csv"])
    out = tmp_path / "out" / "nested"
    outcome = steps.report(db_url="sqlite://", out_dir=out, as_of=dt.date(2026, 11, 20),
                           settings=Settings())
    assert outcome == steps.ReportOutcome([str(out / "matches.csv")], {"auto_match_rate": 0.5})
    assert out.is_dir() and built["inputs"].match == "loaded match"
    assert built["inputs"].database_id == "db-fake"


# ----------------------------------------------------------------------------- small helpers


def test_check_database_gives_a_one_line_reason_for_a_bad_url():
    problem = steps.check_database("not a url")
    assert problem and "\n" not in problem


def test_check_database_accepts_a_sqlite_file(tmp_path):
    assert steps.check_database(f"sqlite:///{tmp_path / 'db' / 'p.db'}") is None


def test_as_of_is_the_given_date_or_today_in_the_business_timezone():
    assert resolve_as_of("2026-11-20", "UTC") == dt.date(2026, 11, 20)
    today = resolve_as_of(None, "Pacific/Kiritimati")  # UTC+14: "today" there differs
    assert today == dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        resolve_as_of("20/11/2026", "UTC")


def test_relative_sqlite_urls_become_absolute_for_served_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert absolute_database_url("sqlite:///data/p.db") == f"sqlite:///{tmp_path}/data/p.db"
    assert absolute_database_url("sqlite:////abs/p.db") == "sqlite:////abs/p.db"
    assert absolute_database_url("postgresql://u@h/db") == "postgresql://u@h/db"
