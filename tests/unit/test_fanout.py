"""flows.fanout's per-file halves (parse on a worker, store in order) for files that are
not there any more."""

from __future__ import annotations

from flows import fanout, steps


def test_a_file_gone_before_a_worker_reads_it_is_gone_and_never_reaches_the_store(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'unused.db'}"
    parsed = fanout.parse_file(str(tmp_path / "taken.csv"), db_url=db_url)
    outcome = fanout.store_parsed_file(parsed, db_url=db_url)
    assert outcome.status == steps.GONE and outcome.file_name == "taken.csv"
    assert not (tmp_path / "unused.db").exists()


def test_a_folder_in_place_of_a_file_is_quarantined_with_the_systems_reason(tmp_path):
    (tmp_path / "folder.csv").mkdir()
    db_url = f"sqlite:///{tmp_path / 'unused.db'}"
    parsed = fanout.parse_file(str(tmp_path / "folder.csv"), db_url=db_url)
    outcome = fanout.store_parsed_file(parsed, db_url=db_url)
    assert outcome.status == steps.QUARANTINED and outcome.reason.startswith("cannot read file")
