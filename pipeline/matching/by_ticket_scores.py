"""Name scores for many (ticket, bank line) pairs at once, exactly as
:func:`pipeline.matching.by_ticket_names.name_score` gives them one by one.

Each pair is split into one element per name the ticket gives. Every distinct name,
counterparty and text is prepared once (its words, its person form); the counterparty is
scored for all elements in one call of rapidfuzz's ``cpdist``; the free text is looked at
with integer word codes (how many of the name's words the text holds), and only the few
elements missing exactly one word go through the word-by-word check of a cut off or
mistyped word.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.matching.by_ticket_names import TRUNCATED, _inside_words, _person


def best_name_scores(pairs: pd.DataFrame) -> pd.Series:
    """Per candidate pair (``names``: the ticket's cleaned names; ``counterparty``/``text``
    of the line, cleaned): the best score of any of the ticket's names (0 without names)."""
    if pairs.empty:
        return pd.Series(dtype=float, index=pairs.index)
    names = pairs["names"].to_numpy()
    pos = np.repeat(np.arange(len(pairs)), [len(n) for n in names])
    name = _Values(np.array([n for ns in names for n in ns], dtype=object))
    counterparty = _Values(pairs["counterparty"].to_numpy(dtype=object)[pos])
    text = _Values(pairs["text"].to_numpy(dtype=object)[pos])
    scores = _counterparty_scores(name, counterparty)
    scores = np.maximum(scores, _text_scores(name, text, scores < 100))
    best = np.zeros(len(pairs), dtype=float)
    np.maximum.at(best, pos, scores)
    return pd.Series(best, index=pairs.index, dtype=float)


class _Values:
    """Strings per element, with their distinct values (``codes`` into ``uniques``)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        codes, uniques = pd.factorize(values)
        self.codes, self.uniques = codes, np.asarray(uniques, dtype=object)

    def each(self, fn) -> np.ndarray:  # noqa: ANN001 - str -> value
        """``fn`` of each element's string, computed once per distinct value."""
        done = np.empty(len(self.uniques), dtype=object)
        for i, value in enumerate(self.uniques):  # one call per distinct string
            done[i] = fn(value)
        return done[self.codes]

    def longer(self, at_least: int) -> np.ndarray:
        return np.array([len(v) >= at_least for v in self.uniques], dtype=bool)[self.codes]


def _counterparty_scores(name: _Values, counterparty: _Values) -> np.ndarray:
    """``_as_counterparty`` per element (0 for names shorter than 3 characters)."""
    scores = np.zeros(len(name.values), dtype=float)
    asked = name.longer(3) & (counterparty.values != "")
    cut = asked & counterparty.longer(TRUNCATED)
    cut[cut] = [n.startswith(cp) for n, cp in zip(name.values[cut], counterparty.values[cut],
                                                  strict=True)]
    scores[cut] = 100.0
    fuzzy = asked & ~cut
    if fuzzy.any():
        scores[fuzzy] = process.cpdist(name.each(_person)[fuzzy],
                                       counterparty.each(_person)[fuzzy],
                                       scorer=fuzz.token_sort_ratio, dtype=np.float64)
    return scores


def _text_scores(name: _Values, text: _Values, asked: np.ndarray) -> np.ndarray:
    """``_inside_text`` per element where ``asked`` (0 elsewhere): 100 when the text holds
    every word of the name's person form, the word-by-word check when it misses one."""
    wanted = name.each(lambda n: _person(n).split())
    count = np.array([len(w) for w in wanted], dtype=np.int64)
    look = np.flatnonzero(asked & name.longer(3) & (text.values != "") & (count >= 2))
    scores = np.zeros(len(name.values), dtype=float)
    if not len(look):
        return scores
    held = _words_held(wanted[look], text.codes[look], text.uniques)
    missing = count[look] - held
    scores[look[missing == 0]] = 100.0
    one = look[missing == 1]
    words = text.each(lambda t: frozenset(t.split()))
    scores[one] = [_inside_words(w, t) for w, t in zip(wanted[one], words[one], strict=True)]
    return scores


def _words_held(wanted: np.ndarray, text_codes: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """Per element: how many of its ``wanted`` words (each counted as often as it comes) are
    words of its text (``texts[text_codes]``)."""
    sizes = np.array([len(w) for w in wanted], dtype=np.int64)
    flat = [w for ws in wanted for w in ws]
    split = [t.split() for t in texts]
    text_sizes = np.array([len(s) for s in split], dtype=np.int64)
    codes, vocabulary = pd.factorize(np.array(flat + [w for s in split for w in s], dtype=object))
    width = len(vocabulary) + 1
    asked = np.repeat(text_codes.astype(np.int64), sizes) * width + codes[:len(flat)]
    there = np.repeat(np.arange(len(texts), dtype=np.int64), text_sizes) * width + codes[len(flat):]
    found = np.isin(asked, there)
    return np.bincount(np.repeat(np.arange(len(wanted)), sizes), weights=found,
                       minlength=len(wanted)).astype(np.int64)
