"""The Prefect flows called directly (test harness): artifacts on every run, as-of default."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows.flows import ingest_flow, nightly_flow, reconcile_flow, report_flow


def artifacts_of(state) -> dict[str, dict]:
    """The artifacts a finished flow run published, by key (read over the REST API:
    Prefect 3.8.8's client sends omitted filter fields as null and the server refuses)."""
    from prefect.settings import PREFECT_API_URL

    body = {"artifacts": {"flow_run_id": {"any_": [str(state.state_details.flow_run_id)]}},
            "sort": "KEY_ASC", "limit": 20, "offset": 0}
    request = urllib.request.Request(f"{PREFECT_API_URL.value()}/artifacts/filter",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {a["key"]: a for a in json.load(response)}


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'p.db'}"


def test_the_nightly_flow_publishes_a_summary_table_and_the_report_paths(
        prefect_harness, demo_inbox, tmp_path, db_url):
    out = tmp_path / "out"
    state = nightly_flow(str(demo_inbox), str(out), db_url, as_of="2026-11-20",
                         return_state=True)
    assert state.is_completed(), state.message
    result = state.result()
    assert result.as_of == "2026-11-20" and result.reconcile["run_id"] >= 1
    artifacts = artifacts_of(state)
    assert artifacts["payrecon-nightly-summary"]["type"] == "table"
    table = json.loads(artifacts["payrecon-nightly-summary"]["data"])
    assert {"metric": "ingested", "value": "7"} in table  # the demo inbox's seven files
    markdown = artifacts["payrecon-nightly-report"]["data"]
    assert str(out / "matches.csv") in markdown and "2026-11-20" in markdown


def test_each_step_flow_publishes_its_artifacts(prefect_harness, demo_inbox, tmp_path,
                                                db_url):
    files = [str(p) for p in sorted(demo_inbox.glob("*")) if p.suffix != ".md"]
    runs = {
        "ingest": ingest_flow(files, db_url, return_state=True),
        "reconcile": reconcile_flow(db_url, "2026-11-20", return_state=True),
        "report": report_flow(db_url, str(tmp_path / "out"), "2026-11-20", return_state=True),
    }
    for kind, state in runs.items():
        assert state.is_completed(), (kind, state.message)
        assert set(artifacts_of(state)) == {f"payrecon-{kind}-summary",
                                            f"payrecon-{kind}-report"}
    assert all(Path(p).exists() for p in files), "ingest moves nothing"


def test_without_an_as_of_date_a_run_is_for_today_in_the_business_timezone(
        prefect_harness, db_url):
    def today() -> str:
        return dt.datetime.now(ZoneInfo("America/Los_Angeles")).date().isoformat()

    before = today()
    summary = reconcile_flow(db_url)
    assert summary["as_of"] in {before, today()}  # (a run across midnight may see either)


def test_two_nights_started_at_once_on_one_inbox_take_each_file_once(
        prefect_harness, demo_inbox, tmp_path, db_url):
    import threading

    states: dict[str, object] = {}

    def night(name: str) -> None:
        states[name] = nightly_flow(str(demo_inbox), str(tmp_path / name), db_url,
                                    as_of="2026-11-20", return_state=True)

    nights = [threading.Thread(target=night, args=(name,)) for name in ("a", "b")]
    for thread in nights:
        thread.start()
    for thread in nights:
        thread.join(timeout=300)
    assert all(state.is_completed() for state in states.values()), states
    files = [o for state in states.values() for o in state.result().files]
    assert sorted(o.file_name for o in files) == sorted(
        p.name for p in (tmp_path / "archive").rglob("*") if p.is_file())
    assert {o.status for o in files} == {"ingested"}
    assert not (tmp_path / "quarantine").exists()


def test_the_report_flow_written_by_two_processes_gives_the_files_of_one(
        prefect_harness, demo_inbox, tmp_path, db_url, monkeypatch):
    """The forked writer (flows.two_cores) inside a Prefect flow run, on the demo month: the
    same CSV/JSON bytes and workbook sheets as the report written in turn."""
    import zipfile

    from flows import two_cores

    files = [str(p) for p in sorted(demo_inbox.glob("*")) if p.suffix != ".md"]
    assert ingest_flow(files, db_url, return_state=True).is_completed()
    assert reconcile_flow(db_url, "2026-11-20", return_state=True).is_completed()
    monkeypatch.setenv("PAYRECON_PROCESSES", "1")
    assert report_flow(db_url, str(tmp_path / "one"), "2026-11-20",
                       return_state=True).is_completed()
    monkeypatch.setenv("PAYRECON_PROCESSES", "2")
    monkeypatch.setattr(two_cores, "FORK_ROWS", 0)
    forks = []
    monkeypatch.setattr(two_cores, "side_by_side", _counted(two_cores.side_by_side, forks))
    assert report_flow(db_url, str(tmp_path / "two"), "2026-11-20",
                       return_state=True).is_completed()
    assert forks, "the report was not written side by side"
    one = sorted((tmp_path / "one").iterdir())
    assert [p.name for p in one] == sorted(p.name for p in (tmp_path / "two").iterdir())
    for path in one:
        other = tmp_path / "two" / path.name
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as a, zipfile.ZipFile(other) as b:
                assert {n: a.read(n) for n in a.namelist() if "core.xml" not in n} == {
                    n: b.read(n) for n in b.namelist() if "core.xml" not in n}
        else:
            assert path.read_bytes() == other.read_bytes(), path.name


def _counted(function, calls: list):  # noqa: ANN202
    def counted(*args):  # noqa: ANN202
        calls.append(args)
        return function(*args)
    return counted
