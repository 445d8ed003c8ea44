"""Whole-column text work reads each text as one text at a time would."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reports import sheet_text
from reports.columns import FORMULA_STARTS
from reports.sheet_xml import _plain

CELL_TEXT = st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]))
AMOUNTS = st.builds(lambda minor, digits: format(Decimal(minor).scaleb(-digits), "f"),
                    st.integers(-10**20, 10**20), st.sampled_from([0, 1, 2, 3, 8]))


@given(st.lists(AMOUNTS, max_size=30))
def test_amounts_lose_their_trailing_zeros_as_one_number_at_a_time(numbers):
    assert sheet_text.plain_numbers(numbers).tolist() == [_plain(n) for n in numbers]


@given(st.lists(st.one_of(CELL_TEXT, st.sampled_from(["", " ", "=1", "\tx", "x\u3000"])),
                min_size=1, max_size=30))
def test_first_and_last_characters_tell_white_space_and_formula_signs(texts):
    at = sheet_text.starts(texts)
    first, last = sheet_text.ends(sheet_text.joined(texts), at)
    spaces = np.isin(first, sheet_text.WHITE_SPACE) | np.isin(last, sheet_text.WHITE_SPACE)
    formulas = np.isin(first, sheet_text.code_points(FORMULA_STARTS))
    assert spaces.tolist() == [t != t.strip() for t in texts]
    assert formulas.tolist() == [t.startswith(FORMULA_STARTS) for t in texts]


@given(st.lists(CELL_TEXT, min_size=1, max_size=30))
def test_joined_texts_split_back_into_the_same_texts(texts):
    assert sheet_text.split(sheet_text.joined(texts)).tolist() == texts


@given(st.lists(st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"])),
    st.sampled_from(["", " ", "=1", "\tx", "x\u3000", "a\x00b", "\x07", "<&>", "\r\n", "😀 "])),
    min_size=1, max_size=30))
def test_a_column_of_texts_is_cleaned_escaped_and_read_as_one_text_at_a_time_would(texts):
    _made_as_one_text_at_a_time(texts)


@given(st.lists(st.text(alphabet=st.characters(max_codepoint=0x7F)), min_size=1, max_size=30))
def test_a_column_of_ascii_texts_is_read_as_one_text_at_a_time_would(texts):
    _made_as_one_text_at_a_time(texts)


def _made_as_one_text_at_a_time(texts: list[str]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from reports.sheet_xml import _ESCAPES, _FORMULA_START, _ILLEGAL

    cleaned = [ILLEGAL_CHARACTERS_RE.sub("", t)[:5] for t in texts]
    escaped = cleaned
    for char, entity in _ESCAPES:
        escaped = [t.replace(char, entity) for t in escaped]
    made = sheet_text.column_text(texts, formula_start=_FORMULA_START, max_text=5,
                                  escapes=_ESCAPES, illegal=_ILLEGAL)
    assert made.body == escaped
    assert made.quoted.tolist() == [t.startswith(FORMULA_STARTS) for t in cleaned]
    assert made.padded.tolist() == [t != t.strip() for t in cleaned]
    assert made.empty.tolist() == [t == "" for t in cleaned]
