"""The Dask mapper runs one task a partition and gives the results back in order."""

from __future__ import annotations

from functools import partial

import pandas as pd

from flows.fanout_match import DaskMapper
from pipeline.references import extract_partitioned, extract_references
from pipeline.settings import DEFAULT_REFERENCE_PATTERNS


class FakeFuture:
    def __init__(self, value) -> None:  # noqa: ANN001
        self.value, self.released = value, False

    def release(self) -> None:
        self.released = True


class FakeClient:
    """Runs ``map`` at once, in reverse (a cluster finishes tasks in any order)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.futures: list[FakeFuture] = []

    def map(self, fn, parts, *, key, pure):  # noqa: ANN001, ANN201
        assert pure is False and len(key) == len(parts)
        self.keys += key
        done = {i: FakeFuture(fn(part)) for i, part in reversed(list(enumerate(parts)))}
        self.futures += [done[i] for i in range(len(parts))]
        return [done[i] for i in range(len(parts))]

    def gather(self, futures):  # noqa: ANN001, ANN201
        return [future.value for future in futures]


def test_each_partition_is_one_task_named_after_the_function_and_the_results_keep_order():
    client = FakeClient()
    mapper = DaskMapper(client)
    assert mapper(partial(sorted), [[3, 1], [2], [9, 7]]) == [[1, 3], [2], [7, 9]]
    assert [k.rsplit("-", 1)[1] for k in client.keys] == ["0", "1", "2"]
    assert all(k.startswith("sorted-") for k in client.keys)
    assert all(f.released for f in client.futures), "the cluster may forget the results"
    assert mapper(sorted, []) == []


def test_references_found_through_the_dask_mapper_equal_one_pass():
    texts = pd.Series(["INV 10234", "", "invoices 11019, 11021", "#0010908 and INV 10234",
                       None, "TRSF 1110000.00"], index=[5, 6, 7, 8, 9, 10])
    client = FakeClient()
    found = extract_partitioned(texts, DEFAULT_REFERENCE_PATTERNS, lists=True,
                                map_partitions=DaskMapper(client), rows=2)
    pd.testing.assert_frame_equal(
        found, extract_references(texts, DEFAULT_REFERENCE_PATTERNS, lists=True))
    assert len(client.keys) == 3 and client.keys[0].startswith("extract_references-")
