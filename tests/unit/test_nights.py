"""Scheduled slots: a missed night runs once, with its own as-of date, oldest first."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flows import nights, runlog

LA = ZoneInfo("America/Los_Angeles")
CRON, TZ = "0 19 * * *", "America/Los_Angeles"


def at(day: int, hour: int, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=LA)


def serve_since(tmp_path, when):
    return nights.mark_served(tmp_path, CRON, TZ, when)


def test_a_slot_is_its_local_firing_and_its_as_of_date_is_that_local_day():
    slot = nights.slot_text(dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC), TZ)
    assert slot == "2026-12-01T19:00:00-08:00"
    assert nights.slot_as_of(slot, TZ) == dt.date(2026, 12, 1)


def test_nothing_is_missed_before_serve_was_ever_started():
    assert nights.missed_slots(CRON, TZ, served=None, claimed=[], now=at(9, 12)) == []


def test_two_nights_without_serve_are_both_missed_oldest_first(tmp_path):
    served = serve_since(tmp_path, at(1, 12))
    claimed = [nights.slot_text(at(1, 19), TZ)]
    missed = nights.missed_slots(CRON, TZ, served=served, claimed=claimed, now=at(4, 9))
    assert missed == [at(2, 19), at(3, 19)]


def test_a_night_is_only_missed_after_the_grace_period(tmp_path):
    served = serve_since(tmp_path, at(1, 12))
    just_fired = at(1, 19) + dt.timedelta(minutes=5)
    assert nights.missed_slots(CRON, TZ, served=served, claimed=[], now=just_fired,
                               grace=nights.STATUS_GRACE) == []
    assert nights.missed_slots(CRON, TZ, served=served, claimed=[], now=at(1, 20),
                               grace=nights.STATUS_GRACE) == [at(1, 19)]


def test_serving_again_with_the_same_schedule_keeps_the_first_start(tmp_path):
    first = serve_since(tmp_path, at(1, 12))
    assert serve_since(tmp_path, at(5, 12)) == first
    changed = nights.mark_served(tmp_path, "0 6 * * *", TZ, at(5, 12))
    assert changed.since != first.since


def test_catch_up_runs_each_missed_night_once_with_its_own_as_of_date(tmp_path):
    serve_since(tmp_path, at(1, 12))
    runlog.claim_slot(tmp_path, nights.slot_text(at(1, 19), TZ), "night-1")
    ran: list[dt.date] = []

    def run_slot(slot: str) -> None:  # what the nightly flow does with a slot
        assert runlog.claim_slot(tmp_path, slot, f"run-{slot}") is None
        ran.append(nights.slot_as_of(slot, TZ))

    restarted = at(4, 9)  # serve was stopped for the nights of Dec 2 and Dec 3
    said: list[str] = []
    nights.catch_up(tmp_path, CRON, TZ, restarted, run_slot, said.append)
    assert ran == [dt.date(2026, 12, 2), dt.date(2026, 12, 3)]
    assert "missed night of 2026-12-02" in said[0]
    nights.catch_up(tmp_path, CRON, TZ, restarted, run_slot, said.append)
    assert ran == [dt.date(2026, 12, 2), dt.date(2026, 12, 3)], "never twice"


def test_catch_up_runs_at_most_a_month_and_says_so(tmp_path):
    serve_since(tmp_path, at(1, 12, month=1))
    ran: list[str] = []
    said: list[str] = []
    nights.catch_up(tmp_path, CRON, TZ, at(1, 12), ran.append, said.append)
    assert len(ran) == nights.MAX_CATCH_UP and ran[-1].startswith("2026-11-30")
    assert "scheduled nights were missed" in said[0]


def test_the_schedule_keeps_19_00_local_across_the_dst_change():
    times = nights.fire_times(CRON, TZ, at(31, 12, month=10), at(2, 20, month=11))
    assert [(t.day, t.hour) for t in times] == [(31, 19), (1, 19), (2, 19)]
