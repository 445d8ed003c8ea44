"""The tickets pass finds its candidate bank lines by blocking (amount and day, account codes)
and scores names for many pairs at once: the same pairs and scores as one by one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from pipeline.matching.by_ticket import digit_counts
from pipeline.matching.by_ticket_fit import (
    _invoice_keys,
    _loose,
    choose,
    fitting_lines,
    in_window,
    same_account,
)
from pipeline.matching.by_ticket_names import (
    FITS,
    clean_name,
    clean_names,
    clean_number,
    inside_words,
    name_score,
)
from pipeline.matching.by_ticket_scores import Coded, best_name_scores, coded_scores
from tests.unit.matching.helpers import invoices, payments

CLAIMED = dt.date(2026, 11, 10)


def claims(*rows: dict) -> pd.DataFrame:
    """Claims as :func:`pipeline.matching.by_ticket_fit.claims` gives them (index ``t``)."""
    base = {"ticket_id": "T", "created_date": CLAIMED, "claim_date": CLAIMED, "dated": True,
            "currency": "IDR", "amount": 83_250_000, "alt": None, "claimed": "10912",
            "claimed_key": "10912", "invoice": "10912", "names": ("BUDI SANTOSO",),
            "holder": "BUDI SANTOSO", "client_id": "", "destination": "shop",
            "dest_clean": "0372543386"}
    frame = pd.DataFrame([{**base, "t": i, **row} for i, row in enumerate(rows)])
    return frame.set_index(frame["t"].rename(None))


def bank(*days_and_amounts: tuple[int, int]) -> pd.DataFrame:
    """Bank lines booked ``days`` after CLAIMED, paying ``amount``, from Budi Santoso."""
    return payments(*({"source_date": CLAIMED + dt.timedelta(days=d), "amount_minor": a,
                       "text": "TRSF E-BANKING CR 0211/FTSCY/WS1 BUDI SANTOSO"}
                      for d, a in days_and_amounts))


def found(read: pd.DataFrame, c: pd.DataFrame, lines: pd.DataFrame) -> list[tuple]:
    out = in_window(read, c, lines)
    return list(zip(out["t"], out["row"], out["days"], strict=True))


def test_a_claim_meets_only_the_lines_of_its_amount_booked_in_its_window():
    lines = bank((-3, 100), (-2, 100), (0, 100), (4, 100), (5, 100), (0, 999))
    read = pd.DataFrame({"t": [0], "amount": [100]})
    assert found(read, claims({}), lines) == [(0, 1, -2), (0, 2, 0), (0, 3, 4)]


def test_a_claim_without_a_transfer_date_looks_in_the_week_before_its_ticket():
    lines = bank((-8, 100), (-7, 100), (1, 100), (2, 100))
    read = pd.DataFrame({"t": [0], "amount": [100]})
    assert found(read, claims({"dated": False}), lines) == [(0, 1, -7), (0, 2, 1)]


def test_each_reading_of_a_claim_finds_its_lines_in_reading_order_then_line_order():
    lines = bank((1, 200), (0, 100), (0, 200))
    read = pd.DataFrame({"t": [1, 0, 0], "amount": [100, 200, 100]})
    assert found(read, claims({}, {}), lines) == [(1, 1, 0), (0, 0, 1), (0, 2, 0), (0, 1, 0)]


def test_a_claim_or_a_line_without_a_date_meets_nothing():
    lines = pd.concat([bank((0, 100)), bank((0, 100)).assign(source_date=None)],
                      ignore_index=True)
    read = pd.DataFrame({"t": [0, 1], "amount": [100, 100]})
    assert found(read, claims({}, {"claim_date": None}), lines) == [(0, 0, 0)]


def test_a_line_fits_the_account_a_claim_names_when_its_number_is_inside_it():
    account = np.array(["0372543386", "0372543386", "", "1230004567890"], dtype=object)
    named = np.array(["BCA0372543386", "0372543386", "0372543386", "0372543386"],
                     dtype=object)
    assert same_account(account, named).tolist() == [True, True, False, False]
    assert same_account(account[:0], named[:0]).tolist() == []


def test_names_are_cleaned_once_per_value_as_one_by_one():
    values = pd.Series(["Bpk. Budi  Santoso", None, "Bpk. Budi  Santoso", "00PUTRI", ""],
                       dtype=object)
    assert clean_names(values).tolist() == [clean_name(v) for v in values]
    assert clean_names(values.iloc[:0]).tolist() == []


def test_names_scored_together_score_as_one_by_one():
    cases = [
        (("BUDI SANTOSO",), "SANTOSO BUDI", ""), (("BUDI SANTOSO",), "", "CR BUDI SANTO"),
        (("BUDI SANTOSO", "RINA TANJUNG"), "RINA TANJUNG", ""),
        (("SUMMIT LABS HOSTING SOLUTIONS INTERNATIONAL",), "SUMMIT LABS HOSTING SOLUTIONS IN",
         ""), (("PT ABADI DATA",), "ABADI DATA", ""), (("BU",), "BU", "BU"), ((), "BUDI", ""),
        (("BUDI",), "", "TRSF BUDI"), (("SITI SITI AMINAH",), "", "SITI AMINA"),
        (("BAYU NUGROHO",), "", "INV10984 VPS RINA NUGROHO"),
        (("MUHAMMAD RIZKYY",), "MUHAMAD RIZKY", "MUHAMMAD RIZKY"),
        (("PUTRI ANGGRAINI",), "", "CR 832500 00 PUTRI ANGGRAINI"),
    ]
    pairs = pd.DataFrame(cases, columns=["names", "counterparty", "text"], index=range(5, 17))
    expected = [max((name_score(n, cp, tx) for n in names), default=0.0)
                for names, cp, tx in cases]
    assert best_name_scores(pairs).tolist() == expected
    assert best_name_scores(pairs).index.tolist() == list(range(5, 17))


def test_two_lines_fitting_as_well_as_each_other_stay_a_tie():
    lines = bank((0, 83_250_000), (0, 83_250_000), (3, 83_250_000))
    inv = invoices({"invoice_number": "10912", "balance_minor": 83_250_000})
    pairs = fitting_lines(claims({}), inv, lines, [])
    assert sorted(pairs["row"]) == [0, 1, 2]
    chosen = choose(pairs[~pairs["nameless"]]).iloc[0]
    assert (chosen["row"], chosen["tied"], chosen["others"]) == (0, True, (1,))


def test_a_claim_no_line_fits_gives_no_pairs():
    inv = invoices({"invoice_number": "10912", "balance_minor": 83_250_000})
    pairs = fitting_lines(claims({}), inv, bank((9, 83_250_000), (0, 5)), [])
    assert pairs.empty and {"t", "row", "score", "gap", "nameless"} <= set(pairs.columns)


def test_readings_cut_into_chunks_of_a_few_pairs_find_the_same_pairs_in_the_same_order(
        monkeypatch):
    from pipeline.matching import by_ticket_window

    lines = bank((0, 83_250_000), (1, 83_250_000), (-1, 83_250_000), (0, 5), (2, 83_250_000))
    inv = invoices({"invoice_number": "10912", "balance_minor": 83_250_000})
    c = claims({}, {"amount": None, "alt": None}, {"dated": False}, {"alt": 5})
    whole = fitting_lines(c, inv, lines, [])
    monkeypatch.setattr(by_ticket_window, "PAIRS_PER_CHUNK", 1)
    assert len(by_ticket_window.reading_chunks(pd.DataFrame(
        {"t": [0, 1, 2, 3], "amount": [83_250_000] * 4}), c, lines)) == 4
    pd.testing.assert_frame_equal(fitting_lines(c, inv, lines, []), whole)
    assert len(whole) >= 8


def test_a_claim_meets_only_the_lines_into_the_account_it_names_and_any_when_it_names_none():
    lines = bank((0, 100), (0, 100), (0, 100))
    lines.loc[1, "account_id"] = "1230004567890"
    lines.loc[2, "account_id"] = "0372-543386"  # the named account, spelled with a dash
    read = pd.DataFrame({"t": [0, 1], "amount": [100, 100]})
    c = claims({}, {"destination": "blank", "dest_clean": ""})
    assert found(read, c, lines) == [(0, 0, 0), (0, 2, 0), (1, 0, 0), (1, 1, 0), (1, 2, 0)]


NAME_WORDS = ["BUDI", "BUDY", "SANTOSO", "SANTOS", "RINA", "RINNA", "AMINAH", "PT", "ABADI",
              "DATA", "MUHAMMAD", "MUHAMAD", "RIZKY", "RIZKYY", "SITI", "TRSF", "CR", "832500"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=4).map(" ".join),
                min_size=1, max_size=3),
       st.lists(st.sampled_from(NAME_WORDS), max_size=4).map(" ".join),
       st.lists(st.sampled_from(NAME_WORDS), max_size=6).map(" ".join))
def test_names_scored_only_where_they_may_fit_keep_every_score_that_fits(names, cp, text):
    name = Coded.of(np.array(names, dtype=object))
    pos = np.zeros(len(names), dtype=np.int64)
    counterparty, said = (Coded.of(np.array([v] * len(names), dtype=object)) for v in (cp, text))
    asked = coded_scores(pos, name, counterparty, said, 1, wanted=FITS)[0]
    expected = max(name_score(n, cp, text) for n in names)
    assert asked == expected if expected >= FITS else asked < FITS


@given(st.text("0123456789O", min_size=3, max_size=7), st.integers(0, 6),
       st.sampled_from("0123456789AO"), st.sampled_from(["drop", "add", "change", "swap"]))
def test_a_number_one_typo_away_has_digit_counts_at_most_two_apart(number, at, digit, typo):
    at = at % len(number)
    typed = {"drop": number[:at] + number[at + 1:], "add": number[:at] + digit + number[at:],
             "change": number[:at] + digit + number[at + 1:],
             "swap": number[:at] + number[at + 1:at + 2] + number[at:at + 1] + number[at + 2:]
             }[typo]
    counts = digit_counts(np.array([number, typed], dtype=object))
    assert np.abs(counts[0] - counts[1]).sum() <= 2


@given(st.lists(st.text(" #0O1oa\u00df\t", max_size=6), min_size=1, max_size=8))
def test_an_invoice_number_and_its_cleaned_key_have_one_loose_form(numbers):
    typed = pd.Series(numbers, dtype=object)

    keys = clean_number(typed)

    assert _loose(typed.str.upper()).tolist() == _loose(keys).tolist()


def test_a_claimed_key_finds_the_invoice_by_number_or_billing_id_the_first_one_first():
    invoices = pd.DataFrame({"invoice_number": ["INV-7", "00012", "INV-9", "12"],
                             "invoice_id": ["0007", None, "12", "500"]})

    keys = _invoice_keys(invoices, pd.Series(["12", "7", "INV-9", "99"]))

    assert [keys.get(k) for k in ("12", "7", "INV-9", "99")] == ["00012", "INV-7", "INV-9",
                                                                 None]


def _inside_words_word_by_word(wanted: list[str], words: frozenset[str]) -> float:
    missing = [w for w in wanted if w not in words]
    if len(missing) != 1:
        return 0.0 if missing else 100.0
    lost = missing[0]
    return 90.0 if any((len(w) >= 3 and lost.startswith(w)) or (
        len(lost) >= 5 and DamerauLevenshtein.distance(lost, w) <= 1) for w in words) else 0.0


@given(st.lists(st.text("ABDE", min_size=1, max_size=7), min_size=2, max_size=3),
       st.frozensets(st.text("ABDE", min_size=1, max_size=8), max_size=6))
def test_a_name_inside_a_text_scores_as_word_by_word(wanted, words):
    words = words | frozenset(wanted[:1])

    assert inside_words(wanted, words) == _inside_words_word_by_word(wanted, words)
