"""flows.two_cores: one piece of work here, one in a forked child, as if in turn."""

from __future__ import annotations

import os

import pytest

from flows import two_cores
from flows.two_cores import ChildFailed, in_turn, side_by_side

pytestmark = pytest.mark.skipif(not two_cores.can_fork(), reason="this platform cannot fork")


def test_both_results_come_back_and_the_second_was_made_in_another_process():
    here, there = side_by_side(lambda: os.getpid(), lambda: ("made in", os.getpid()))
    assert here == os.getpid()
    assert there[0] == "made in" and there[1] != os.getpid()


def test_side_by_side_gives_what_in_turn_gives():
    def first() -> list[int]:
        return list(range(5))

    def second() -> dict[str, int]:
        return {"a": 1, "b": 2}

    assert side_by_side(first, second) == in_turn(first, second)


def test_the_childs_exception_is_raised_here_with_its_traceback():
    def broken() -> None:
        raise ValueError("the overdue workbook could not be written")

    with pytest.raises(ChildFailed, match="ValueError: the overdue workbook") as caught:
        side_by_side(lambda: 1, broken)
    assert "in broken" in str(caught.value)


def test_a_child_that_dies_without_answering_is_a_failure_not_a_missing_result():
    with pytest.raises(ChildFailed, match="without an answer"):
        side_by_side(lambda: 1, lambda: os._exit(3))


def test_a_failure_here_stops_the_child_and_is_raised_as_it_is(tmp_path):
    marker = tmp_path / "written-by-the-child"

    def slow_child() -> None:
        import time

        time.sleep(30)
        marker.write_text("late")

    def failing() -> None:
        raise KeyError("here")

    with pytest.raises(KeyError, match="here"):
        side_by_side(failing, slow_child)
    assert not marker.exists()


def test_the_collector_is_left_as_it_was():
    import gc

    side_by_side(lambda: 1, lambda: 2)
    assert gc.get_freeze_count() == 0


class _Report:
    def __init__(self, rows: int) -> None:
        self.matches, self.invoices = range(rows), range(rows)


def test_a_big_report_is_written_side_by_side_unless_settings_say_one_process(monkeypatch):
    from pipeline.settings import Settings

    monkeypatch.setattr(two_cores, "room_for_a_copy", lambda: True)
    big = _Report(two_cores.FORK_ROWS)
    assert two_cores.report_halves(big, Settings()) is side_by_side
    assert two_cores.report_halves(big, Settings(processes=1)) is in_turn


def test_a_small_report_is_written_in_turn():
    from pipeline.settings import Settings

    assert two_cores.report_halves(_Report(10), Settings()) is in_turn


def test_a_big_report_is_written_in_turn_when_the_machine_lacks_room_for_a_copy(monkeypatch):
    from pipeline.settings import Settings

    monkeypatch.setattr(two_cores, "room_for_a_copy", lambda: False)
    assert two_cores.report_halves(_Report(two_cores.FORK_ROWS), Settings()) is in_turn


def test_room_for_a_copy_compares_available_memory_with_this_process(tmp_path):
    meminfo, status = tmp_path / "meminfo", tmp_path / "status"
    meminfo.write_text("MemTotal: 24000000 kB\nMemAvailable:    3000000 kB\n")
    status.write_text("Name: python\nVmRSS:\t 2500000 kB\n")
    no_limit = str(tmp_path / "no-cgroup")
    assert two_cores.room_for_a_copy(str(meminfo), str(status), no_limit)
    status.write_text("Name: python\nVmRSS:\t 3500000 kB\n")
    assert not two_cores.room_for_a_copy(str(meminfo), str(status), no_limit)
    assert not two_cores.room_for_a_copy(str(tmp_path / "absent"), str(status), no_limit)


def test_a_containers_memory_limit_counts_when_it_leaves_less_room(tmp_path):
    meminfo, status, cgroup = tmp_path / "meminfo", tmp_path / "status", tmp_path / "cgroup"
    meminfo.write_text("MemAvailable:   20000000 kB\n")
    status.write_text("VmRSS:\t 2500000 kB\n")
    cgroup.mkdir()
    (cgroup / "memory.max").write_text(f"{4 * 2**30}\n")
    (cgroup / "memory.current").write_text(f"{3 * 2**30}\n")
    assert not two_cores.room_for_a_copy(str(meminfo), str(status), str(cgroup))
    (cgroup / "memory.max").write_text("max\n")
    assert two_cores.room_for_a_copy(str(meminfo), str(status), str(cgroup))


def test_work_started_meanwhile_runs_in_a_child_while_the_block_goes_on():
    with two_cores.meanwhile(lambda: os.getpid(), fork=True) as answer:
        mine = os.getpid()
        assert answer() != mine and answer() == answer()


def test_without_forking_the_work_is_done_before_the_block(tmp_path):
    done = tmp_path / "done"
    with two_cores.meanwhile(lambda: done.write_text("x") and os.getpid(), fork=False) as answer:
        assert done.exists()
    assert answer() == os.getpid()


def test_a_block_that_never_asks_still_learns_that_the_child_failed():
    def broken() -> None:
        raise OSError("disk full")

    with pytest.raises(ChildFailed, match="OSError: disk full"):
        with two_cores.meanwhile(broken, fork=True):
            pass


def test_a_block_that_raises_stops_the_work_started_meanwhile(tmp_path):
    marker = tmp_path / "written-by-the-child"

    def slow_child() -> None:
        import time

        time.sleep(30)
        marker.write_text("late")

    with pytest.raises(KeyError, match="here"):
        with two_cores.meanwhile(slow_child, fork=True):
            raise KeyError("here")
    assert not marker.exists()
