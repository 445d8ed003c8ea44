"""The inbox lock: a second run on one inbox waits for the first to finish its drain."""

from __future__ import annotations

import threading

from flows.inbox_lock import inbox_lock, lock_path


def test_a_second_holder_waits_until_the_first_lets_go(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    order: list[str] = []
    waited = threading.Event()
    holding = threading.Event()

    def second() -> None:
        holding.wait()
        with inbox_lock(inbox, data, on_wait=lambda _inbox: waited.set()):
            order.append("second")

    worker = threading.Thread(target=second)
    worker.start()
    with inbox_lock(inbox, data):
        holding.set()
        assert waited.wait(timeout=10)
        order.append("first")
    worker.join(timeout=10)
    assert order == ["first", "second"]


def test_a_free_inbox_is_taken_at_once_and_another_inbox_never_waits(tmp_path):
    told: list = []
    with inbox_lock(tmp_path / "a", tmp_path, on_wait=told.append):
        with inbox_lock(tmp_path / "b", tmp_path, on_wait=told.append):
            pass
    with inbox_lock(tmp_path / "a", tmp_path, on_wait=told.append):
        pass
    assert told == []


def test_nothing_is_written_into_the_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with inbox_lock(inbox, tmp_path / "data"):
        assert lock_path(inbox, tmp_path / "data").exists()
    assert list(inbox.iterdir()) == []


def test_one_inbox_named_two_ways_has_one_lock(tmp_path):
    (tmp_path / "inbox").mkdir()
    assert lock_path(tmp_path / "inbox", tmp_path) == lock_path(
        tmp_path / "inbox" / ".." / "inbox", tmp_path)
