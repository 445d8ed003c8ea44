"""Per-row work over stable ranges of rows gives what one call over all rows gives."""

from __future__ import annotations

import pandas as pd

from pipeline.partitions import map_rows, sequential


def long_words(words: pd.Series) -> pd.DataFrame:
    """Rows whose word is longer than four letters; an empty result has object columns."""
    kept = words[words.str.len() > 4]
    if kept.empty:
        return pd.DataFrame({"row": pd.Series(dtype=object), "word": pd.Series(dtype=object)})
    return pd.DataFrame({"row": kept.index, "word": kept.to_numpy()})


def test_ranges_through_a_mapper_concatenate_to_one_call_even_with_empty_ranges():
    words = pd.Series(["a", "b", "bank", "transfer", "x", "y", "invoice", "c"],
                      index=range(10, 18))
    parts: list[int] = []

    def mapper(fn, ranges):  # noqa: ANN001, ANN202
        parts.append([len(r) for r in ranges])
        return sequential(fn, ranges)

    found = map_rows(long_words, words, mapper, size=3)
    assert parts == [[3, 3, 2]]
    pd.testing.assert_frame_equal(found, long_words(words))
    assert found["row"].dtype == "int64"


def test_no_mapper_or_one_range_is_one_call_here():
    words = pd.Series(["a", "b"])
    calls: list = []
    assert map_rows(long_words, words).empty
    map_rows(long_words, words, lambda fn, parts: calls.append(parts), size=2)
    assert calls == []
    assert map_rows(long_words, words, sequential, size=1).empty
