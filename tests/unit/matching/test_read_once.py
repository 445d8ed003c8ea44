"""Texts many payments share (a memo, a holder's name) are read once per distinct text, and
every payment gets the same rows, in the same order, as when each text is read by itself."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.matching.by_client_names import each_distinct, plain_name, token_frame
from pipeline.matching.candidates import distinct_references
from pipeline.matching.runs import repeated_runs
from pipeline.references import extract_references
from pipeline.settings import Settings

PATTERNS = Settings().reference_patterns
TEXTS = pd.Series(["TRF BUDI SANTOSO INV 10912", None, "Ibu Rina Tanjung", "",
                   "TRF BUDI SANTOSO INV 10912", "pembayaran inv10913 dan inv10914",
                   "Ibu Rina Tanjung", "INV 11908 11909"], index=[7, 3, 9, 1, 4, 8, 2, 5],
                  dtype=object)


def one_by_one_tokens(texts: pd.Series, first: int) -> list[tuple]:
    pairs = []
    for at, text in texts.items():
        flat = token_frame(pd.Series([text], index=[at], dtype=object), first)
        pairs += list(zip(flat["at"], flat["token"], strict=True))
    return pairs


def test_token_frame_reads_each_distinct_text_once_and_keeps_every_payments_tokens():
    for first in (24, 2):
        flat = token_frame(TEXTS, first)
        assert list(zip(flat["at"], flat["token"], strict=True)) == one_by_one_tokens(TEXTS,
                                                                                       first)
    assert token_frame(TEXTS.iloc[:0]).empty


def test_each_distinct_spreads_a_function_of_the_distinct_values_over_the_column():
    said = each_distinct(TEXTS.fillna(""), lambda s: s.map(plain_name))
    assert said.tolist() == TEXTS.fillna("").map(plain_name).tolist()
    assert said.index.tolist() == TEXTS.index.tolist()


def test_references_of_repeated_memos_are_the_ones_each_memo_has_alone():
    alone = extract_references(TEXTS, PATTERNS, lists=True)
    shared = distinct_references(TEXTS, PATTERNS)
    pd.testing.assert_frame_equal(shared.reset_index(drop=True), alone)
    assert list(shared["row"]).count(7) == list(shared["row"]).count(4) == 1


def test_texts_naming_nothing_give_no_references():
    nothing = pd.Series(["Ibu Rina Tanjung", "Ibu Rina Tanjung"], dtype=object)
    assert distinct_references(nothing, PATTERNS).empty
    assert distinct_references(nothing.iloc[:0], PATTERNS).empty


def test_each_item_gets_the_run_of_its_group_in_order():
    # group 0 owns flat[0:2], group 1 owns nothing, group 2 owns flat[2:5]
    positions, items = repeated_runs(np.array([2, 0, 3]), np.array([2, 0, 1, 2]))
    assert positions.tolist() == [2, 3, 4, 0, 1, 2, 3, 4]
    assert items.tolist() == [0, 0, 0, 1, 1, 3, 3, 3]
    assert [p.tolist() for p in repeated_runs(np.array([1]), np.array([], dtype=int))] == [[], []]
