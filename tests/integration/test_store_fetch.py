"""The column-wise reads and bulk result writes keep what the Row-by-Row code gave."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.matching import MatchResult
from pipeline.store.fetch import compact

EARLY, LATE = dt.date(2026, 3, 1), dt.date(2026, 3, 5)


def test_bank_lines_load_by_booking_date_then_id_whatever_order_they_came_in(
        store, ingest, make):
    ingest([make.bank("B1", day=LATE), make.bank("B2", -5_00, day=EARLY),
            make.bank("B3", day=EARLY)])

    lines = store.load_bank_transactions()

    assert lines["natural_key"].tolist() == ["B2", "B3", "B1"]
    assert all(type(day) is dt.date for day in lines["booking_date"])


def test_money_of_both_kinds_comes_by_date_kind_and_id_with_its_money_key(store, ingest, make):
    ingest([make.bank("B1", day=LATE), make.bank("B2", day=EARLY)])
    ingest([make.gateway("ch_2", day=LATE), make.gateway("ch_1", day=EARLY,
                                                         customer_email="jo@example.com")],
           name="stripe.csv")

    money = store.load_payments()

    assert money["money_key"].tolist() == [
        "bank:BCA-0372543386:B2", "gateway:stripe:ch_1", "bank:BCA-0372543386:B1",
        "gateway:stripe:ch_2"]
    assert money["counterparty"].tolist()[1] == "jo@example.com"


def test_texts_repeated_in_a_big_column_load_equal(store, ingest, make):
    ingest([make.bank(f"B{i}", description="BIAYA ADM" if i % 2 else f"TRSF {i}")
            for i in range(2_500)])

    lines = store.load_bank_transactions()

    assert lines["description"].tolist()[:4] == ["TRSF 0", "BIAYA ADM", "TRSF 2", "BIAYA ADM"]
    assert lines["currency"].tolist() == ["IDR"] * 2_500


def test_a_match_result_for_a_run_that_does_not_exist_is_refused(store):
    with pytest.raises(KeyError, match="no run 999"):
        store.save_match_result(999, MatchResult.empty())


def test_saving_a_match_result_leaves_foreign_keys_on(store):
    store.save_match_result(store.start_run("reconcile", None), MatchResult.empty())

    with store._engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            pytest.skip("foreign keys are switched off on SQLite only")
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_column_of_many_distinct_texts_is_made_again_equal_unless_it_cannot_be():
    texts = [f"TRSF {i} BUDI" for i in range(2_500)]

    again = compact(texts)

    assert again == texts and again is not texts
    assert compact([*texts, None])[-1] is None
    assert compact([*texts, "A\x00B"])[-1] == "A\x00B"
