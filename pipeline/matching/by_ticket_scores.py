"""Name scores for many (ticket, bank line) pairs at once, exactly as
:func:`pipeline.matching.by_ticket_names.name_score` gives them one by one.

Each pair is split into one element per name the ticket gives. Names, counterparties and
texts are integer codes into tables of distinct strings, each prepared once (its words, its
person form, its length); elements carry only codes. A table made once a night (every bank
line's counterparty, every text) keeps what was derived from it (:attr:`Coded.known`), so the
chunks of a night share it: a text is split into word codes once, not once per chunk. A
counterparty cut off at the bank's limit is found by looking the name's prefixes up among the
counterparties; the others are scored in one call of rapidfuzz's ``cpdist``; the free text is
looked at with integer word codes (how many of the name's words the text holds, a hash
look-up), and only the elements missing exactly one word go through the word-by-word check of
a cut off or mistyped word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.matching.by_ticket_names import TRUNCATED, inside_words, person
from pipeline.matching.runs import repeated_runs


@dataclass(frozen=True)
class Coded:
    """Strings per element as ``codes`` into the distinct strings ``table``; ``known``: what
    was derived from the table, shared by every :meth:`at` of it."""

    codes: np.ndarray
    table: np.ndarray
    known: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, values: np.ndarray) -> Coded:
        codes, uniques = pd.factorize(values)
        return cls(codes, np.asarray(uniques, dtype=object))

    def at(self, codes: np.ndarray) -> Coded:
        """Other elements of the same table (and what is known of it)."""
        return Coded(codes, self.table, self.known)

    def derived(self, key: object, make) -> object:  # noqa: ANN001 - () -> value
        """``make()`` once per table: a value derived from the whole table."""
        if key not in self.known:
            self.known[key] = make()
        return self.known[key]

    def per_value(self, fn) -> np.ndarray:  # noqa: ANN001 - str -> value
        """``fn`` of each distinct string (object array, aligned with ``table``)."""
        def make() -> np.ndarray:
            done = np.empty(len(self.table), dtype=object)
            for i, value in enumerate(self.table):  # one call per distinct string
                done[i] = fn(value)
            return done
        return self.derived(("per_value", fn), make)

    def longer(self, at_least: int) -> np.ndarray:
        """Per element: its string has at least ``at_least`` characters."""
        sizes = self.derived("len", lambda: np.array([len(v) for v in self.table],
                                                     dtype=np.int64))
        return (sizes >= at_least)[self.codes]


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
                 pairs: int, wanted: float = 0) -> np.ndarray:
    """Per pair (``pos``: each element's pair, ascending): the best element's score. With
    ``wanted``, only the scores of at least ``wanted`` are asked for: a spelling that cannot
    reach it (:func:`_may_reach`) reads 0, not scored."""
    scores = _counterparty_scores(name, counterparty, wanted)
    scores = np.maximum(scores, _text_scores(name, text, scores < 100))
    best = np.zeros(pairs, dtype=float)
    if len(pos):
        starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
        best[pos[starts]] = np.maximum.reduceat(scores, starts)
    return best


def _counterparty_scores(name: Coded, counterparty: Coded, wanted: float = 0) -> np.ndarray:
    """``_as_counterparty`` per element (0 for names shorter than 3 characters; with
    ``wanted``, 0 for the spellings that cannot score that much)."""
    scores = np.zeros(len(name.codes), dtype=float)
    asked = name.longer(3) & counterparty.longer(1)
    cut = asked & counterparty.longer(TRUNCATED)
    cut[cut] = np.isin(name.codes[cut].astype(np.int64) * len(counterparty.table)
                       + counterparty.codes[cut], _prefix_keys(name.table, counterparty))
    scores[cut] = 100.0
    fuzzy = asked & ~cut
    if wanted and fuzzy.any():
        fuzzy[fuzzy] = _may_reach(name.at(name.codes[fuzzy]),
                                  counterparty.at(counterparty.codes[fuzzy]), wanted)
    if fuzzy.any():
        scores[fuzzy] = process.cpdist(name.per_value(person)[name.codes[fuzzy]],
                                       counterparty.per_value(person)[counterparty.codes[fuzzy]],
                                       scorer=fuzz.token_sort_ratio, dtype=np.float64)
    return scores


def _may_reach(name: Coded, counterparty: Coded, wanted: float) -> np.ndarray:
    """Per element: whether ``token_sort_ratio`` of the person forms may reach ``wanted``.
    It is 100 * (1 - indel distance / total length), and each letter or digit one string has
    and the other lacks costs at least one insertion or deletion: too many such characters
    (their 36-bit sets differ in too many bits) and the score is below ``wanted``."""
    differ = _popcount(_letters_of(name)[name.codes] ^ _letters_of(counterparty)[
        counterparty.codes])
    total = _person_length(name)[name.codes] + _person_length(counterparty)[counterparty.codes]
    return differ * 100 <= (100 - wanted) * total + 100  # a character's slack for rounding


def _letters_of(coded: Coded) -> np.ndarray:
    """Per distinct string: the set of letters and digits of its person form, as bits."""
    bits = {ch: 1 << i for i, ch in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}
    return coded.derived("letters", lambda: np.array(
        [sum(bits.get(ch, 0) for ch in set(p)) for p in coded.per_value(person)],
        dtype=np.uint64))


def _person_length(coded: Coded) -> np.ndarray:
    return coded.derived("person_len", lambda: np.array(
        [len(p) for p in coded.per_value(person)], dtype=np.int64))


_POP8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _popcount(values: np.ndarray) -> np.ndarray:
    """Set bits per uint64."""
    if hasattr(np, "bitwise_count"):  # numpy 2
        return np.bitwise_count(values).astype(np.int64)
    return _POP8[values.view(np.uint8)].reshape(-1, 8).sum(axis=1)


def _prefix_keys(names: np.ndarray, counterparties: Coded) -> np.ndarray:
    """name code * len(counterparties) + counterparty code, for every counterparty of at
    least TRUNCATED characters a name starts with (a name cut off at the bank's limit)."""
    width = len(counterparties.table)
    at = counterparties.derived("cut", lambda: {
        cp: j for j, cp in enumerate(counterparties.table) if len(cp) >= TRUNCATED})
    keys = [i * width + at[n[:size]] for i, n in enumerate(names)
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
    look = look[_may_hold(wanted, name.codes[look], text.at(text.codes[look]))]
    missing = count[name.codes[look]] - _words_held(wanted, name.codes[look], text.at(
        text.codes[look]))
    scores[look[missing == 0]] = 100.0
    one = look[missing == 1]
    words = _word_sets(text, text.codes[one])
    scores[one] = [inside_words(wanted[n], words[t])
                   for n, t in zip(name.codes[one], text.codes[one], strict=True)]
    return scores


def _word_sets(text: Coded, codes: np.ndarray) -> dict[int, frozenset[str]]:
    """The words of the texts ``codes`` (each split once per table)."""
    sets = text.derived("sets", dict)
    for t in pd.unique(codes).tolist():
        if t not in sets:
            sets[t] = frozenset(text.table[t].split())
    return sets


def _may_hold(names: list[list[str]], name_codes: np.ndarray, text: Coded) -> np.ndarray:
    """Per element: whether the text may hold a word of the name, on 64-bit signatures (each
    word of these names one bit, a text's signature the bits of the names' words it holds).
    No bit in common: the text holds none of the name's two or more words, it scores 0."""
    vocabulary, _, _, words, sizes = _text_words_of(text)
    coded = [[vocabulary.get(w, -1) for w in ws] for ws in names]
    known = np.unique(np.array([w for ws in coded for w in ws if w >= 0], dtype=np.int64))
    bit = np.zeros(len(vocabulary) + 1, dtype=np.uint64)
    bit[known] = np.left_shift(np.uint64(1), (np.arange(len(known)) % 64).astype(np.uint64))
    name_sig = np.array([np.bitwise_or.reduce(bit[ws]) if ws else 0 for ws in coded],
                        dtype=np.uint64)
    text_sig = np.zeros(len(sizes), dtype=np.uint64)
    some = np.flatnonzero(sizes)
    if len(some):
        starts = (np.cumsum(sizes) - sizes)[some]
        text_sig[some] = np.bitwise_or.reduceat(bit[words], starts)
    return (name_sig[name_codes] & text_sig[text.codes]) != 0


def _words_held(names: list[list[str]], name_codes: np.ndarray, text: Coded) -> np.ndarray:
    """Per element (``names[name_codes]``, the text of ``text.codes``): how many of the
    name's words (each counted as often as it comes) are words of the text. Words are
    integer codes of the texts' vocabulary, (text, word) one integer looked up in a hash
    table made once per table of texts: no strings per element."""
    vocabulary, held, width, _, _ = _text_words_of(text)
    sizes = np.array([len(w) for w in names], dtype=np.int64)
    name_words = np.array([vocabulary.get(w, -1) for ws in names for w in ws], dtype=np.int64)
    taken, element = repeated_runs(sizes, name_codes)  # each element's name's words
    word = name_words[taken]
    asked = text.codes.astype(np.int64)[element] * width + word
    found = (held.get_indexer(asked) >= 0) & (word >= 0)  # a word no text has: not held
    return np.bincount(element, weights=found, minlength=len(name_codes)).astype(np.int64)


def _text_words_of(text: Coded) -> tuple:
    """:func:`_text_words` of ``text``'s table, made once per table."""
    return text.derived("words", lambda: _text_words(text.table))


def _text_words(texts: np.ndarray) -> tuple:
    """(word -> code, the (text * width + word) of every word of every text, width, the
    texts' word codes one after the other, the number of words of each text)."""
    split = [t.split() for t in texts]
    words, vocabulary = pd.factorize(np.array([w for s in split for w in s], dtype=object))
    width = len(vocabulary) + 1
    sizes = np.array([len(s) for s in split], dtype=np.int64)
    keys = np.repeat(np.arange(len(texts), dtype=np.int64), sizes) * width
    held = pd.Index(pd.unique(keys + words))  # pd.unique: numpy 2.4 np.unique is 20x slower
    return {w: i for i, w in enumerate(vocabulary)}, held, width, words.astype(np.int64), sizes
