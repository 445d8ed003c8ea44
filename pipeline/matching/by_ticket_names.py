"""Fuzzy facts for verifying tickets: account-holder names and account numbers.

Names are compared the way a person reads a bank statement: upper or title case, the given
and family name in either order, a name cut off after 32 characters, a title (``BPK``,
``IBU``, ``MR``...) in front. A bank line gives its name as a counterparty, or only inside
its free text (KlikBCA: ``TRSF E-BANKING CR ... BUDI SANTOSO``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

TITLES = frozenset({"BPK", "BAPAK", "BP", "IBU", "IB", "SDR", "SDRI", "SAUDARA", "SAUDARI",
                    "TUAN", "TN", "NY", "NYONYA", "NONA", "MR", "MRS", "MS", "MISS", "DR",
                    "HJ", "H", "HERR", "FRAU", "AN", "A/N"})
STRONG, FITS = 95, 85  # name scores: clearly the same name / close enough
COMPANY_FORMS = frozenset({"PT", "CV", "TBK", "UD", "GMBH", "LTD", "INC", "LLC", "BV", "SARL",
                           "AG", "CO", "CORP", "KG", "SRL", "SA", "UG"})
TRUNCATED = 12  # a name cut off after this many characters still identifies the holder
_NOT_WORD = re.compile(r"[^0-9A-Z]+")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[A-Z])|(?<=[A-Z])(?=\d)")


def clean_name(value: object) -> str:
    """``'Bpk. Budi  Santoso'`` -> ``'BUDI SANTOSO'`` (upper case, words only, no titles)."""
    text = _NOT_WORD.sub(" ", str(value or "").upper())
    words = _DIGIT_LETTER.sub(" ", text).split()  # 00PUTRI
    return " ".join(w for w in words if w not in TITLES)


def name_score(name: str, counterparty: str, text: str) -> float:
    """0..100: how well the cleaned ``name`` fits a bank line's cleaned counterparty or its
    cleaned free text."""
    if len(name) < 3:
        return 0.0
    return max(_as_counterparty(name, counterparty), _inside_text(name, text))


def _as_counterparty(name: str, other: str) -> float:
    if not other:
        return 0.0
    if len(other) >= TRUNCATED and name.startswith(other):  # cut off at the bank's limit
        return 100.0
    return fuzz.token_sort_ratio(person(name), person(other))  # any order, a typo


def person(name: str) -> str:
    """A name without its company form: ``PT ABADI DATA`` and ``ABADI DATA`` are one."""
    return " ".join(w for w in name.split() if w not in COMPANY_FORMS) or name


def _inside_text(name: str, text: str) -> float:
    """A name inside free text: all its words there, in any order (100), or all but one and
    that one cut off or mistyped there (90). One-word names are too weak to find in text."""
    wanted = person(name).split()
    if not text or len(wanted) < 2:
        return 0.0
    return inside_words(wanted, set(text.split()))


def inside_words(wanted: list[str], words: set[str] | frozenset[str]) -> float:
    """:func:`_inside_text` of a name's ``wanted`` words (two or more) and a text's words."""
    missing = [w for w in wanted if w not in words]
    if not missing:
        return 100.0
    if len(missing) == 1:
        lost = missing[0]
        cut = not words.isdisjoint([lost[:size] for size in range(3, len(lost) + 1)])
        near = cut or (len(lost) >= 5 and process.extractOne(  # a word one typo away
            lost, words, scorer=DamerauLevenshtein.distance, score_cutoff=1) is not None)
        return 90.0 if near else 0.0
    return 0.0


def nameless(counterparty: str, text: str) -> bool:
    """A line that names nobody (``SETORAN TUNAI``: a cash deposit; ``hosting``)."""
    return not counterparty and len(text.split()) <= 2


def nameless_lines(counterparty: pd.Series, text: pd.Series) -> pd.Series:
    """:func:`nameless` per line (cleaned ``counterparty`` and ``text``)."""
    words = text.str.count(" ").add(1).where(text != "", 0)
    return (counterparty == "") & (words <= 2)


def clean_names(values: pd.Series) -> pd.Series:
    """:func:`clean_name` of every value (object dtype), each distinct value cleaned once."""
    raw = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(raw)
    cleaned = np.array([clean_name(v) for v in uniques] + [""], dtype=object)[codes]
    missing = codes == -1  # None or NaN: each as it is (NaN reads "NAN", as Series.map does)
    cleaned[missing] = [clean_name(v) for v in raw[missing]]
    return pd.Series(cleaned, index=values.index, dtype=object)


def clean_account(values: pd.Series) -> pd.Series:
    """Account numbers and IBANs as letters and digits only (``0021-01-99`` -> ``00210199``)."""
    return values.fillna("").astype(str).str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)


def destination_state(destination: pd.Series, shop: list[str]) -> pd.Series:
    """``shop`` (names one of the shop's accounts), ``foreign`` (names an account number that
    is none of them) or ``blank`` (no account number to judge)."""
    clean = clean_account(destination)
    ours = pd.Series(False, index=destination.index)
    for number in shop:
        ours |= clean.str.contains(number, regex=False)
    has_number = clean.str.count(r"\d") >= 6
    return pd.Series("blank", index=destination.index, dtype=object).mask(
        has_number, "foreign").mask(ours, "shop")


def clean_number(values: pd.Series) -> pd.Series:
    """Invoice numbers as typed -> comparable: upper case, no spaces, ``#`` or leading zeros;
    a letter O read as a zero."""
    text = values.fillna("").astype(str).str.upper().str.replace(r"[\s#]", "", regex=True)
    digits_and_o = text.str.fullmatch(r"[0-9O]+") & text.str.contains(r"\d")
    text = text.where(~digits_and_o, text.str.replace("O", "0"))
    numeric = text.str.fullmatch(r"\d+")
    return text.where(~numeric, text.str.lstrip("0"))


def near_numbers(claimed: str, numbers: pd.Series) -> pd.Series:
    """``numbers`` one typo away from ``claimed``: a digit dropped, added, changed, or two
    neighbouring digits swapped."""
    if len(claimed) < 3 or numbers.empty:
        return numbers.iloc[0:0]
    distance = process.cdist([claimed], numbers.to_numpy(dtype=object).tolist(),
                             scorer=DamerauLevenshtein.distance, score_cutoff=1)[0]
    return numbers.iloc[np.flatnonzero(distance == 1)]
