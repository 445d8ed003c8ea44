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

from pipeline.matching.by_ticket_names import TRUNCATED, inside_words, person


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
        scores[fuzzy] = process.cpdist(name.each(person)[fuzzy],
                                       counterparty.each(person)[fuzzy],
                                       scorer=fuzz.token_sort_ratio, dtype=np.float64)
    return scores


def _text_scores(name: _Values, text: _Values, asked: np.ndarray) -> np.ndarray:
    """``_inside_text`` per element where ``asked`` (0 elsewhere): 100 when the text holds
    every word of the name's person form, the word-by-word check when it misses one."""
    wanted = [person(n).split() for n in name.uniques]
    count = np.array([len(w) for w in wanted], dtype=np.int64)
    look = np.flatnonzero(asked & name.longer(3) & (text.values != "")
                          & (count[name.codes] >= 2))
    scores = np.zeros(len(name.values), dtype=float)
    if not len(look):
        return scores
    missing = count[name.codes[look]] - _words_held(wanted, name.codes[look], text.uniques,
                                                    text.codes[look])
    scores[look[missing == 0]] = 100.0
    one = look[missing == 1]
    words = [frozenset(t.split()) for t in text.uniques]
    scores[one] = [inside_words(wanted[n], words[t])
                   for n, t in zip(name.codes[one], text.codes[one], strict=True)]
    return scores


def _words_held(names: list[list[str]], name_codes: np.ndarray, texts: np.ndarray,
                text_codes: np.ndarray) -> np.ndarray:
    """Per element (``names[name_codes]``, ``texts[text_codes]``): how many of the name's
    words (each counted as often as it comes) are words of the text. Words become integer
    codes, (text, word) one integer: a lookup in a sorted array, no strings per element."""
    split = [t.split() for t in texts]
    sizes = np.array([len(w) for w in names], dtype=np.int64)
    words, vocabulary = pd.factorize(np.array(
        [w for ws in names for w in ws] + [w for s in split for w in s], dtype=object))
    width = len(vocabulary) + 1
    name_words, text_words = words[:sizes.sum()], words[sizes.sum():]
    held_by_texts = np.unique(np.repeat(np.arange(len(texts), dtype=np.int64), [
        len(s) for s in split]) * width + text_words)
    per = sizes[name_codes]  # each element's words, taken from its name's run in name_words
    starts = np.repeat((np.cumsum(sizes) - sizes)[name_codes] - (np.cumsum(per) - per), per)
    asked = np.repeat(text_codes.astype(np.int64), per) * width + name_words[
        starts + np.arange(per.sum())]
    found = np.isin(asked, held_by_texts, assume_unique=False)
    return np.bincount(np.repeat(np.arange(len(name_codes)), per), weights=found,
                       minlength=len(name_codes)).astype(np.int64)
