"""Natural keys: a row hash plus occurrence counter when the source has no key."""

from pipeline.identity import occurrences_per_account, row_hash, stated_key, with_occurrences


def test_the_same_row_hashes_the_same_and_a_different_row_differently():
    assert row_hash("2026-11-02", 5000, "INV 10908") == row_hash("2026-11-02", 5000, "INV 10908")
    assert row_hash("2026-11-02", 5000, "INV 10908") != row_hash("2026-11-02", 5001, "INV 10908")


def test_identical_lines_inside_one_file_get_distinct_keys():
    assert with_occurrences(["a", "b", "a", "a"]) == ["a", "b", "a#2", "a#3"]


def test_a_row_hash_is_not_reported_as_the_sources_own_reference():
    assert stated_key(row_hash("x") + "#2") is None
    assert stated_key("FITID-20261116-0001") == "FITID-20261116-0001"


def test_repeats_are_counted_per_account_and_a_repeated_bank_reference_is_warned_about():
    keys, warnings = occurrences_per_account(
        ["A", "B", "A", "A"], ["REF1", "REF1", "REF1", "h:x"], ["REF1", "REF1", "REF1", None])
    assert keys == ["REF1", "REF1", "REF1#2", "h:x"]
    assert len(warnings) == 1 and "account A" in warnings[0]
