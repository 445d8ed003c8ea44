"""``payrecon run`` as a user runs it (the nightly flow, Prefect's temporary server, settings
from ``PAYRECON_*`` variables) on a generated month matches exactly what the steps match when
called directly, as the pipeline benchmark calls them (``bench_pipeline.py --cli``)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_pipeline import run_pipeline
from benchmarks.pipeline_cli import run_cli
from sample_data.world import generate


def test_payrecon_run_on_a_month_writes_the_matches_of_the_steps_run(tmp_path: Path):
    inbox = tmp_path / "month"
    generate(3, inbox, 300)
    steps = run_pipeline(inbox, tmp_path, f"sqlite:///{tmp_path / 'steps.db'}")
    command = run_cli(inbox, tmp_path, f"sqlite:///{tmp_path / 'cli.db'}")
    assert command["same_matches"] is True
    assert command["counts"]["unmatched"] == steps["matches"]["unmatched"]
    assert command["counts"]["allocations"] == (steps["matches"]["auto"]
                                                + steps["matches"]["suggested"])
