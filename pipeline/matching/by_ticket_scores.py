"""Name scores for many (ticket, bank line) pairs at once, exactly as
:func:`pipeline.matching.by_ticket_names.name_score` gives them one by one.

Each pair is split into one element per name the ticket gives. Names, counterparties and
texts are integer codes into tables of distinct strings, each prepared once (its words, its
person form, its length); elements carry only codes. A counterparty cut off at the bank's
limit is found by looking the name's prefixes up among the counterparties; the others are
scored in one call of rapidfuzz's ``cpdist``; the free text is looked at with integer word
codes (how many of the name's words the text holds, a hash look-up), and only the elements
missing exactly one word go through the word-by-word check of a cut off or mistyped word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.matching.by_ticket_names import TRUNCATED, inside_words, person
from pipeline.matching.runs import repeated_runs


@dataclass(frozen=True)
class Coded:
    """Strings per element as ``codes`` into the distinct strings ``table``."""

    codes: np.ndarray
    table: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray) -> Coded:
        codes, uniques = pd.factorize(values)
        return cls(codes, np.asarray(uniques, dtype=object))

    def per_value(self, fn) -> np.ndarray:  # noqa: ANN001 - str -> value
        """``fn`` of each distinct string (object array, aligned with ``table``)."""
        done = np.empty(len(self.table), dtype=object)
        for i, value in enumerate(self.table):  # one call per distinct string
            done[i] = fn(value)
        return done

    def longer(self, at_least: int) -> np.ndarray:
        """Per element: its string has at least ``at_least`` characters."""
        return np.array([len(v) >= at_least for v in self.table], dtype=bool)[self.codes]


def best_name_scores(pairs: pd.DataFrame) -> pd.Series:
    """Per candidate pair (``names``: the ticket's cleaned names; ``counterparty``/``text``
    of the line, cleaned): the best score of any of the ticket's names (0 without names)."""
    if pairs.empty:
        return pd.Series(dtype=float, index=pairs.index)
    names = pairs["names"].to_numpy()
    pos = np.repeat(np.arange(len(pairs)), [len(n) for n in names])
    name = Coded.of(np.array([n for ns in names for n in ns], dtype=object))
    counterparty = Coded.of(pairs["counterparty"].to_numpy(dtype=object)[pos])
    text = Coded.of(pairs["text"].to_numpy(dtype=object)[pos])
    return pd.Series(coded_scores(pos, name, counterparty, text, len(pairs)), index=pairs.index,
                     dtype=float)


def coded_scores(pos: np.ndarray, name: Coded, counterparty: Coded, text: Coded,
                 pairs: int) -> np.ndarray:
    """Per pair (``pos``: each element's pair, ascending): the best element's score."""
    scores = _counterparty_scores(name, counterparty)
    scores = np.maximum(scores, _text_scores(name, text, scores < 100))
    best = np.zeros(pairs, dtype=float)
    if len(pos):
        starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
        best[pos[starts]] = np.maximum.reduceat(scores, starts)
    return best


def _counterparty_scores(name: Coded, counterparty: Coded) -> np.ndarray:
    """``_as_counterparty`` per element (0 for names shorter than 3 characters)."""
    scores = np.zeros(len(name.codes), dtype=float)
    asked = name.longer(3) & counterparty.longer(1)
    cut = asked & counterparty.longer(TRUNCATED)
    cut[cut] = np.isin(name.codes[cut].astype(np.int64) * len(counterparty.table)
                       + counterparty.codes[cut], _prefix_keys(name.table, counterparty.table))
    scores[cut] = 100.0
    fuzzy = asked & ~cut
    if fuzzy.any():
        scores[fuzzy] = process.cpdist(name.per_value(person)[name.codes[fuzzy]],
                                       counterparty.per_value(person)[counterparty.codes[fuzzy]],
                                       scorer=fuzz.token_sort_ratio, dtype=np.float64)
    return scores


def _prefix_keys(names: np.ndarray, counterparties: np.ndarray) -> np.ndarray:
    """name code * len(counterparties) + counterparty code, for every counterparty of at
    least TRUNCATED characters a name starts with (a name cut off at the bank's limit)."""
    at = {cp: j for j, cp in enumerate(counterparties) if len(cp) >= TRUNCATED}
    keys = [i * len(counterparties) + at[n[:size]] for i, n in enumerate(names)
            for size in range(TRUNCATED, len(n) + 1) if n[:size] in at]
    return np.array(keys, dtype=np.int64)


def _text_scores(name: Coded, text: Coded, asked: np.ndarray) -> np.ndarray:
    """``_inside_text`` per element where ``asked`` (0 elsewhere): 100 when the text holds
    every word of the name's person form, the word-by-word check when it misses one."""
    wanted = [person(n).split() for n in name.table]
    count = np.array([len(w) for w in wanted], dtype=np.int64)
    look = np.flatnonzero(asked & name.longer(3) & text.longer(1) & (count[name.codes] >= 2))
    scores = np.zeros(len(name.codes), dtype=float)
    if not len(look):
        return scores
    missing = count[name.codes[look]] - _words_held(wanted, name.codes[look], text.table,
                                                    text.codes[look])
    scores[look[missing == 0]] = 100.0
    one = look[missing == 1]
    words = [frozenset(t.split()) for t in text.table]
    scores[one] = [inside_words(wanted[n], words[t])
                   for n, t in zip(name.codes[one], text.codes[one], strict=True)]
    return scores


def _words_held(names: list[list[str]], name_codes: np.ndarray, texts: np.ndarray,
                text_codes: np.ndarray) -> np.ndarray:
    """Per element (``names[name_codes]``, ``texts[text_codes]``): how many of the name's
    words (each counted as often as it comes) are words of the text. Words become integer
    codes, (text, word) one integer looked up in a hash table: no strings per element."""
    split = [t.split() for t in texts]
    sizes = np.array([len(w) for w in names], dtype=np.int64)
    words, vocabulary = pd.factorize(np.array(
        [w for ws in names for w in ws] + [w for s in split for w in s], dtype=object))
    width = len(vocabulary) + 1
    name_words, text_words = words[:sizes.sum()], words[sizes.sum():]
    held_by_texts = np.repeat(np.arange(len(texts), dtype=np.int64), [
        len(s) for s in split]) * width + text_words
    taken, element = repeated_runs(sizes, name_codes)  # each element's name's words
    asked = text_codes.astype(np.int64)[element] * width + name_words[taken]
    found = pd.Series(asked).isin(held_by_texts).to_numpy()  # a hash table, no sort
    return np.bincount(element, weights=found, minlength=len(name_codes)).astype(np.int64)
