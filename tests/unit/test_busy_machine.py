"""Issue 10, finding 5: on a busy machine Prefect's temporary server may start too slowly;
the flow call is tried once more, and only for that failure."""

from __future__ import annotations

import pytest

from flows.cli_support import SERVER_START_TIMEOUT, retry_server_start
from flows.runtime import QUIET_DEFAULTS


class SlowServerFlow:
    """A flow whose first ``failures`` calls fail like a temporary server that never came up."""

    def __init__(self, failures: int, message: str = SERVER_START_TIMEOUT + ".") -> None:
        self.failures, self.message, self.calls = failures, message, []

    def __call__(self, **params):
        self.calls.append(params)
        if len(self.calls) <= self.failures:
            raise RuntimeError(self.message)
        return "done"


def test_a_server_that_starts_too_slowly_once_is_tried_again_and_the_run_completes():
    flow = SlowServerFlow(failures=1)
    assert retry_server_start(flow, {"as_of": "2026-11-20"}) == "done"
    assert flow.calls == [{"as_of": "2026-11-20"}] * 2


def test_a_server_that_never_starts_fails_after_one_retry():
    flow = SlowServerFlow(failures=5)
    with pytest.raises(RuntimeError, match="ephemeral Prefect API server"):
        retry_server_start(flow, {})
    assert len(flow.calls) == 2


def test_any_other_failure_is_not_retried():
    flow = SlowServerFlow(failures=1, message="database is locked")
    with pytest.raises(RuntimeError, match="locked"):
        retry_server_start(flow, {})
    assert len(flow.calls) == 1


def test_the_temporary_server_gets_a_generous_start_timeout():
    assert int(QUIET_DEFAULTS["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) >= 120


def test_a_prefect_home_whose_parents_are_missing_is_made_with_them(tmp_path, monkeypatch):
    from flows.runtime import prefect_home_problem

    home = tmp_path / "not" / "yet" / "prefect"
    monkeypatch.setenv("PREFECT_HOME", str(home))
    assert prefect_home_problem() is None
    assert home.is_dir()


def test_a_prefect_home_that_cannot_be_made_is_named_before_any_server_starts(
        tmp_path, monkeypatch):
    from flows.runtime import prefect_home_problem

    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "a-file" / "prefect"))
    assert "cannot be made: Not a directory" in prefect_home_problem()


def test_without_a_prefect_home_setting_nothing_is_made(monkeypatch):
    from flows.runtime import prefect_home_problem

    monkeypatch.delenv("PREFECT_HOME", raising=False)
    assert prefect_home_problem() is None
