"""CSV lines made a column at a time read exactly as the csv module writes the same rows."""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reports.csv_rows import csv_lines, header_line

FIELDS = st.one_of(st.text(), st.sampled_from(["", ",", '"', "a,b", 'say "hi"', "x\ny",
                                               "x\ry", " pad ", "1500000.00"]))


def by_the_csv_module(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def by_columns(rows: list[list[str]], width: int) -> str:
    columns = [np.array([row[at] for row in rows], dtype=object) for at in range(width)]
    return "".join(csv_lines(columns))


@given(st.integers(1, 4).flatmap(lambda width: st.tuples(
    st.just(width), st.lists(st.lists(FIELDS, min_size=width, max_size=width), max_size=30))))
def test_rows_are_written_as_the_csv_module_writes_them(table):
    width, rows = table
    assert by_columns(rows, width) == by_the_csv_module(rows)


def test_a_lone_empty_field_is_quoted_as_the_csv_module_quotes_it():
    assert by_columns([[""], ["a"]], 1) == by_the_csv_module([[""], ["a"]]) == '""\na\n'


def test_the_header_is_the_csv_module_s_row():
    assert header_line(["a", "b,c", 'd"']) == by_the_csv_module([["a", "b,c", 'd"']])
