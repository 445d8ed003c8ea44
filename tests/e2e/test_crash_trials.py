"""Issue 10, crash trials on the real command: ``payrecon run`` killed with SIGKILL at seeded
points of ingest, reconcile and report, then run again, ends like an uninterrupted night
(same exports, input rows, ledger entries and allocations), and ``payrecon status`` shows
the killed run as interrupted (``benchmarks/crash_trials.py``). A few seeded trials here;
``--crash-trials N`` runs N, and the script runs any number by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import crash_trials  # noqa: E402


def test_the_first_three_kill_points_are_one_in_ingest_one_in_reconcile_one_in_report():
    points = crash_trials.seeded_points(12, seed=7)
    assert [next(n for n, phase in enumerate(crash_trials.PHASES) if p in phase)
            for p, _ in points[:3]] == [0, 1, 2]
    assert all(1 <= nth <= crash_trials.POINTS[p] for p, nth in points)
    assert crash_trials.seeded_points(12, seed=7) == points


@pytest.mark.slow
def test_payrecon_run_killed_at_seeded_points_and_run_again_loses_and_doubles_nothing(
        tmp_path, crash_trial_count):
    results = crash_trials.trials(tmp_path / "work", f"sqlite:///{tmp_path / 'db' / 'p.db'}",
                                  crash_trial_count, seed=8)
    assert [r for r in results if r["problems"]] == []
    assert len(results) == crash_trial_count
