"""Issue 10, findings 6 and 8, end to end: four nights at once on one database, and nights
killed with SIGKILL at random moments then run again, each compared with a serial night
(``benchmarks/night_trials.py``; run it by hand for more trials)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import night_trials  # noqa: E402


@pytest.mark.slow
def test_four_nights_at_once_on_one_database_end_like_one_serial_night(trial_db, tmp_path):
    assert night_trials.concurrent(tmp_path / "work", trial_db, processes=4) == []


@pytest.mark.slow
def test_a_night_killed_at_random_moments_and_run_again_ends_like_an_uninterrupted_one(
        trial_db, tmp_path):
    results = night_trials.crash(tmp_path / "work", trial_db, trials=5, seed=7)
    assert [r for r in results if r["problems"]] == []
