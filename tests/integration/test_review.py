"""Finance decisions persist: an approved suggestion is confirmed in every later run, a
rejected pair is never suggested again."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.steps import reconcile
from pipeline.review import ReviewError, decide, suggestions
from pipeline.settings import Settings

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def suggested(store, ingest, make) -> str:
    """One bank line whose amount equals one open invoice's balance: a suggestion."""
    ingest([make.invoice("10908", 7_000_00)], name="invoices.csv", kind="invoice")
    ingest([make.bank("TRX-7", 7_000_00, description="TRANSFER DARI B SANTOSO")])
    reconcile(db_url=store.url, as_of=DAY, settings=Settings())
    waiting = suggestions(store)
    assert list(waiting["invoice_number"]) == ["10908"]
    return waiting.loc[0, "match_id"]


def statuses(store) -> list[str]:
    return list(store.load_match_result().allocations["status"])


def test_an_approved_suggestion_is_confirmed_in_every_later_run(store, suggested):
    done = decide(store, suggested, "approve", user="rina", today=DAY)
    assert done.entries_added == 2
    for day in (DAY, DAY + dt.timedelta(days=1)):
        reconcile(db_url=store.url, as_of=day, settings=Settings())
        assert statuses(store) == ["confirmed"]
    assert suggestions(store).empty
    entries = store.load_ledger()
    assert set(entries["user"]) == {"rina"} and set(entries["entry"]) == {"decision",
                                                                          "allocation"}


def test_a_rejected_pair_is_never_suggested_again(store, suggested):
    decide(store, suggested, "reject", user="rina", today=DAY)
    reconcile(db_url=store.url, as_of=DAY + dt.timedelta(days=1), settings=Settings())
    assert statuses(store) == []
    reasons = list(store.load_match_result().unmatched["reason"])
    assert [r.split(":")[0] for r in reasons] == ["rejected_match"]
    assert suggestions(store).empty


def test_a_decision_on_something_that_is_no_suggestion_is_refused(store, suggested):
    with pytest.raises(ReviewError, match="no suggestion"):
        decide(store, "m0000000000000000", "approve", user="rina", today=DAY)
    with pytest.raises(ReviewError, match="approve or reject"):
        decide(store, suggested, "maybe", user="rina", today=DAY)
