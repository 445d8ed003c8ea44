"""A reviewer's decisions from the web: a manual match is a confirmed ledger allocation with
its author, kept in every later run; approve and reject in bulk go in as `review approve`."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.steps import reconcile
from pipeline.review import ReviewError, decided, suggestions
from pipeline.review_web import decide_many, manual_match
from pipeline.settings import Settings
from pipeline.store import browse
from pipeline.store.browse_detail import money_detail

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def night(store, ingest, make):
    """Three open invoices, two lines each fitting two of them by amount (suggestions), and
    a line matching nothing."""
    ingest([make.invoice("10908", 7_000_00), make.invoice("10909", 7_000_00, client_id="C2"),
            make.invoice("10910", 2_500_00, client_id="C3", currency="USD")],
           name="invoices.csv", kind="invoice")
    ingest([make.bank("TRX-1", 7_000_00, description="TRANSFER A", line=2),
            make.bank("TRX-2", 123_45, description="SETORAN", line=3)])
    reconcile(db_url=store.url, as_of=DAY, settings=Settings())
    return store


def unmatched_id(store) -> int:
    return store.read(browse.unmatched).rows[0]["payment_id"]


def test_a_manual_match_is_a_confirmed_allocation_with_its_author_in_every_later_run(night):
    line = unmatched_id(night)
    done = manual_match(night, "bank", line, "10908", user="rina", today=DAY, note="phoned")
    assert done.applied_minor == 123_45 and done.entries_added == 2
    entries = night.load_ledger()
    assert list(entries["entry"]) == ["decision", "allocation"]
    assert set(entries["user"]) == {"rina"} and set(entries["status"]) == {"confirmed"}
    assert entries["reason"].iloc[1] == "approved by rina: matched by hand: phoned"
    reconcile(db_url=night.url, as_of=DAY + dt.timedelta(days=1), settings=Settings())
    detail = night.read(money_detail, "bank", line)
    assert [(a["invoice_number"], a["status"], a["rule"]) for a in detail["allocations"]] == [
        ("10908", "confirmed", "manual")]
    assert detail["unmatched"] == [] and "by hand" in detail["allocations"][0]["reason"]


def test_a_manual_match_is_refused_across_currencies_beyond_the_money_or_twice(night):
    line = unmatched_id(night)
    with pytest.raises(ReviewError, match="never mixed"):
        manual_match(night, "bank", line, "10910", user="rina", today=DAY)
    with pytest.raises(ReviewError, match="at most 12345"):
        manual_match(night, "bank", line, "10908", user="rina", today=DAY,
                     applied_minor=200_00)
    with pytest.raises(ReviewError, match="no invoice"):
        manual_match(night, "bank", line, "99999", user="rina", today=DAY)
    manual_match(night, "bank", line, "10908", user="rina", today=DAY)
    with pytest.raises(ReviewError, match="fully applied"):
        manual_match(night, "bank", line, "10909", user="rina", today=DAY)


def test_bulk_decisions_record_each_suggestion_once_and_refuse_the_rest(night):
    ids = list(suggestions(night)["match_id"])
    assert len(ids) == 2
    outcome = decide_many(night, [ids[0], ids[0], "m0000000000000000"], "reject", user="ana",
                          today=DAY)
    assert outcome.decided == (ids[0],) and outcome.entries_added == 1
    assert outcome.refused == ("m0000000000000000: no suggestion awaiting a decision",)
    again = decide_many(night, ids, "approve", user="ana", today=DAY)
    assert again.decided == (ids[1],) and again.refused == (f"{ids[0]}: already decided",)
    assert dict(zip(decided(night)["match_id"], decided(night)["status"], strict=True)) == {
        ids[0]: "rejected", ids[1]: "confirmed"}
    assert night.read(browse.review_queue).rows == []
