"""The nightly flow on a Dask cluster (``task_runner = "dask"``): the same reports as a
single-process run on the same inbox, on SQLite (a local cluster) and on PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from flows.flows import nightly_flow
from tests.workbooks import workbook_values

pytest.importorskip("distributed")

AS_OF = "2026-11-20"
DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"


@pytest.fixture(scope="module")
def cluster():
    """A local Dask cluster of two worker processes (one thread each)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as local:
        yield local


def night(tmp_path: Path, name: str, db_url: str, **options: str):
    """The nightly flow on a fresh copy of the demo inbox; its report folder."""
    inbox = shutil.copytree(DEMO, tmp_path / name / "inbox")
    (inbox / "garbage.csv").write_text("no statement,at all\n\x00\x01\n")  # quarantined
    out = tmp_path / name / "out"
    result = nightly_flow(str(inbox), str(out), db_url, as_of=AS_OF,
                          archive=str(tmp_path / name / "archive"),
                          quarantine=str(tmp_path / name / "quarantine"), **options)
    assert result is not None and not list(inbox.glob("*.*")), "every file settled"
    return result, out


def twin_sqlite_databases(tmp_path: Path) -> tuple[str, str]:
    """Two copies of one new SQLite database (the same ``database_id``, which postings.csv
    carries), so two runs can be compared byte for byte."""
    from pipeline.store import Store

    template = tmp_path / "template.db"
    store = Store(f"sqlite:///{template}")
    store.database_id()
    store.close()
    for name in ("single.db", "dask.db"):
        shutil.copy(template, tmp_path / name)
    return f"sqlite:///{tmp_path / 'single.db'}", f"sqlite:///{tmp_path / 'dask.db'}"


def test_a_two_worker_cluster_writes_the_same_reports_as_one_process(
        prefect_harness, cluster, tmp_path, monkeypatch):
    single_url, dask_url = twin_sqlite_databases(tmp_path)
    from distributed import Client, get_task_stream

    single, single_out = night(tmp_path, "single", single_url)
    monkeypatch.setattr("pipeline.partitions.PARTITION_ROWS", 4)  # the demo's money in parts
    with Client(cluster) as client, get_task_stream(client) as stream:
        spread, dask_out = night(tmp_path, "dask", dask_url,
                                 dask_address=cluster.scheduler_address)
    extract = [t for t in stream.data if t["key"].startswith("extract_references-")]
    files = [t for t in stream.data if t not in extract]
    assert len({task["worker"] for task in files}) == 2, "both workers had files"
    assert len(files) == 2 * len(spread.files), "a parse and a store task per file"
    assert len(extract) > 1, "the references found in parts, on the cluster"
    assert [(o.file_name, o.status, o.new) for o in spread.files] == [
        (o.file_name, o.status, o.new) for o in single.files]
    names = sorted(p.name for p in single_out.iterdir())
    assert names == sorted(p.name for p in dask_out.iterdir())
    for name in names:
        if name.endswith((".csv", ".json")):
            assert (dask_out / name).read_bytes() == (single_out / name).read_bytes(), name
        else:
            assert workbook_values(dask_out / name) == workbook_values(single_out / name), name
    assert json.loads((dask_out / "summary.json").read_text())["as_of"] == AS_OF


@pytest.mark.postgres
def test_a_nightly_flow_on_dask_against_postgresql_ingests_reconciles_and_reports(
        prefect_harness, cluster, cli, tmp_path, monkeypatch, request):
    if not os.environ.get("PAYRECON_TEST_DATABASE_URL"):
        pytest.skip("PAYRECON_TEST_DATABASE_URL is not set")
    db_url = request.getfixturevalue("fresh_postgres_url")
    monkeypatch.setenv("PAYRECON_TASK_RUNNER", "dask")
    monkeypatch.setenv("PAYRECON_DASK_ADDRESS", cluster.scheduler_address)
    result, out = night(tmp_path, "pg", db_url)
    assert sorted(o.status for o in result.files) == ["ingested"] * 7 + ["quarantined"]
    assert result.reconcile["payments"] > 0 and (out / "matches.csv").exists()
    monkeypatch.delenv("PAYRECON_TASK_RUNNER")
    monkeypatch.delenv("PAYRECON_DASK_ADDRESS")
    inbox = shutil.copytree(DEMO, tmp_path / "again" / "inbox")
    again = cli("run", "--inbox", inbox, "--out", tmp_path / "again" / "out", "--as-of", AS_OF,
                "--db", db_url, "--dask-address", cluster.scheduler_address)
    assert again.exit_code == 0, again.output
    assert "already ingested 7" in again.output
