"""The inbox lock: a second run on one inbox waits for the first to finish its drain."""

from __future__ import annotations

import threading

from flows import steps
from flows.inbox_lock import LOCK_NAME, inbox_lock


def test_a_second_holder_waits_until_the_first_lets_go(tmp_path):
    order: list[str] = []
    waited = threading.Event()
    holding = threading.Event()

    def second() -> None:
        holding.wait()
        with inbox_lock(tmp_path, on_wait=lambda _inbox: waited.set()):
            order.append("second")

    worker = threading.Thread(target=second)
    worker.start()
    with inbox_lock(tmp_path):
        holding.set()
        assert waited.wait(timeout=10)
        order.append("first")
    worker.join(timeout=10)
    assert order == ["first", "second"]


def test_a_free_inbox_is_taken_at_once(tmp_path):
    told: list = []
    with inbox_lock(tmp_path, on_wait=told.append):
        pass
    with inbox_lock(tmp_path, on_wait=told.append):
        pass
    assert told == []


def test_the_drain_never_lists_the_lock_file(tmp_path):
    (tmp_path / "stmt.csv").write_text("x", encoding="utf-8")
    with inbox_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).exists()
        assert steps.drain_inbox(tmp_path) == [tmp_path / "stmt.csv"]


def test_a_missing_inbox_is_left_to_the_drain_to_name(tmp_path):
    with inbox_lock(tmp_path / "nope"):
        pass
    assert not (tmp_path / "nope").exists()
