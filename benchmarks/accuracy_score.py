"""Scoring a reconciliation run against a generated month's ground truth (plain functions).

Inputs are the truth (``truth.json`` of :mod:`sample_data.world`, as a dict) and the exports
of one report run as DataFrames of strings (``read_exports``). A record is named by its key:
``<file>#<line>`` when the source has lines, else ``<file>@<natural key>``, built the same way
from the truth and from the exports' ``source_file``/``source_ref``/``source_line``.
Figures today's exports cannot give (a file the report does not write) come out as ``None``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

EXPORTS = ("matches", "unmatched", "exceptions", "invoices", "payouts", "tickets",
           "other_money", "credits")
EVIDENCE = ("reference", "ticket", "client_identity", "amount_only", "none")
SETTLED = ("auto", "confirmed")
TICKET_STATUS = {"verified": "verified", "pending": "pending",
                 "claimed_not_received": "claimed_not_received",
                 "unknown_destination_account": "rejected"}


def record_key(file: object, ref: object, line: object) -> str:
    line_text = "" if line is None or pd.isna(line) else str(line).strip()
    if line_text:
        return f"{file}#{int(float(line_text))}"
    return f"{file}@{'' if ref is None or pd.isna(ref) else ref}"


def key_of(row: dict | None) -> str | None:
    return None if row is None else record_key(row["file"], row.get("ref"), row.get("line"))


def keys(frame: pd.DataFrame) -> pd.Series:
    """Record keys of an export's rows (``source_*`` columns)."""
    if frame.empty:
        return pd.Series([], dtype=object, index=frame.index)
    return pd.Series([record_key(f, r, n) for f, r, n in
                      zip(frame["source_file"], frame["source_ref"], frame["source_line"],
                          strict=True)], index=frame.index, dtype=object)


SOURCE = ["source_kind", "source_file", "source_ref", "source_line"]
# the columns scoring reads from the exports every report run writes (DESIGN.md "Outputs")
REQUIRED = {
    "matches": [*SOURCE, "invoice_number", "applied_amount", "status"],
    "unmatched": [*SOURCE, "amount"],
    "exceptions": ["kind", *SOURCE],
    "invoices": ["invoice_number", "status", "paid_amount"],
}


def read_exports(out_dir: Path) -> dict[str, pd.DataFrame | None]:
    """Every export CSV as strings ('' for empty cells). An absent file is ``None``, except
    the four every run writes (REQUIRED), which read as empty frames, so scoring never fails
    for lack of a file."""
    found: dict[str, pd.DataFrame | None] = {}
    for name in EXPORTS:
        path = Path(out_dir) / f"{name}.csv"
        if path.exists():
            found[name] = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif name in REQUIRED:
            found[name] = pd.DataFrame(columns=REQUIRED[name], dtype=str)
        else:
            found[name] = None
    return found


def money_frame(truth: dict) -> pd.DataFrame:
    """One row per money record of the truth: key, class, evidence, kind, currency, amount."""
    rows = [{"key": key_of(m), "class": m["class"], "evidence": m.get("evidence", ""),
             "source_kind": m["source_kind"], "currency": m["currency"],
             "amount": Decimal(m["amount"]), "of": key_of(m.get("of"))}
            for m in truth["money"]]
    return pd.DataFrame(rows, columns=["key", "class", "evidence", "source_kind", "currency",
                                       "amount", "of"])


def reversed_keys(truth: dict) -> set:
    """Charges refunded or charged back on or before the as-of date: their money went back,
    so they pay nothing at the as-of date (the engine reverses their allocation)."""
    return {key_of(m["of"]) for m in truth["money"]
            if m["class"] in ("refund", "chargeback") and m.get("of")
            and m["date"] <= truth["as_of"]}


def true_links(truth: dict) -> pd.DataFrame:
    """(key, invoice) for every allocation of a payment inside the month, with its evidence
    (less the allocations of charges whose money went back by the as-of date)."""
    gone = reversed_keys(truth)
    rows = [{"key": key_of(m), "invoice": a["invoice"], "evidence": m["evidence"],
             "situation": m.get("detail") or "plain"}
            for m in truth["money"] if m["class"] == "payment" and key_of(m) not in gone
            for a in m["allocations"]]
    return pd.DataFrame(rows, columns=["key", "invoice", "evidence", "situation"])


def situation_scores(truth: dict, matches: pd.DataFrame) -> pd.DataFrame:
    """Recall per situation of the payment (plain, partial payment, overpayment, wire fee
    deducted, mass payment, re-issued invoice...): true links, found auto, found auto or
    suggested."""
    links = true_links(truth)
    found = {}
    for name, statuses in (("auto", SETTLED), ("auto_or_suggested", (*SETTLED, "suggested"))):
        predicted = predicted_links(matches, statuses)
        pairs = set(zip(predicted["key"], predicted["invoice"], strict=True))
        found[name] = [(k, i) in pairs for k, i in zip(links["key"], links["invoice"],
                                                      strict=True)]
    table = links.assign(**found).groupby("situation").agg(
        true=("key", "size"), auto=("auto", "sum"),
        auto_or_suggested=("auto_or_suggested", "sum"))
    return table.reset_index()


def predicted_links(matches: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    chosen = matches.loc[matches["status"].isin(statuses)]
    return pd.DataFrame({"key": keys(chosen), "invoice": chosen["invoice_number"]}) \
        .drop_duplicates().reset_index(drop=True)


def link_scores(truth: dict, matches: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Per evidence class (and ``all``): true links, predicted links, correct ones, precision
    and recall. A predicted link counts in the class of its record's truth (``not_payment``
    for money that pays no invoice, e.g. a credit or a duplicate charge)."""
    links = true_links(truth)
    money = money_frame(truth).set_index("key")
    predicted = predicted_links(matches, statuses)
    klass = predicted["key"].map(money["class"]).fillna("unknown_record")
    evidence = predicted["key"].map(money["evidence"]).fillna("")
    predicted["evidence"] = evidence.where(klass == "payment", "not_payment")
    truth_pairs = set(zip(links["key"], links["invoice"], strict=True))
    predicted["correct"] = [(k, i) in truth_pairs for k, i in
                            zip(predicted["key"], predicted["invoice"], strict=True)]
    found = set(zip(predicted.loc[predicted["correct"], "key"],
                    predicted.loc[predicted["correct"], "invoice"], strict=True))
    links["found"] = [(k, i) in found for k, i in zip(links["key"], links["invoice"],
                                                      strict=True)]
    rows = []
    for name in (*EVIDENCE, "not_payment", "all"):
        mine = predicted if name == "all" else predicted.loc[predicted["evidence"] == name]
        true = links if name == "all" else links.loc[links["evidence"] == name]
        rows.append({"evidence": name, "true": len(true), "predicted": len(mine),
                     "correct": int(mine["correct"].sum()),
                     "precision": _ratio(int(mine["correct"].sum()), len(mine)),
                     "recall": _ratio(int(true["found"].sum()), len(true))})
    return pd.DataFrame(rows)


def false_autos(truth: dict, matches: pd.DataFrame) -> pd.DataFrame:
    """Auto (or confirmed) links that the truth does not have, with the record's true class."""
    predicted = predicted_links(matches, SETTLED)
    links = true_links(truth)
    pairs = set(zip(links["key"], links["invoice"], strict=True))
    wrong = predicted.loc[[(k, i) not in pairs for k, i in
                           zip(predicted["key"], predicted["invoice"], strict=True)]]
    money = money_frame(truth).set_index("key")
    return wrong.assign(true_class=wrong["key"].map(money["class"]).fillna("unknown_record"))


def invoice_accuracy(truth: dict, invoices: pd.DataFrame) -> dict:
    """Share of invoices whose exported status (and paid amount) equal the truth."""
    expected = pd.DataFrame(truth["invoices"]).set_index("invoice_number")
    got = invoices.drop_duplicates("invoice_number", keep="last").set_index("invoice_number")
    status = got["status"].reindex(expected.index).fillna("missing")
    paid = got["paid_amount"].reindex(expected.index).fillna("")
    same_paid = [p != "" and Decimal(p) == Decimal(e)
                 for p, e in zip(paid, expected["paid_amount"], strict=True)]
    confusion = pd.crosstab(expected["status"], status).rename_axis(index="true", columns="got")
    return {"invoices": len(expected), "status_correct": int((status == expected["status"]).sum()),
            "paid_correct": int(sum(same_paid)), "confusion": confusion}


def paying_evidence(truth: dict) -> pd.Series:
    """Per invoice paid (in part) during the month: the weakest evidence class of the money
    paying it (``none`` when any of it carries nothing a matcher may use)."""
    order = {name: i for i, name in enumerate(EVIDENCE)}
    found: dict[str, str] = {}
    for m in truth["money"]:
        if m["class"] != "payment":
            continue
        for a in m["allocations"]:
            known = found.get(a["invoice"])
            if known is None or order.get(m["evidence"], 0) > order.get(known, 0):
                found[a["invoice"]] = m["evidence"]
    return pd.Series(found, dtype=object)


def status_with_evidence(truth: dict, invoices: pd.DataFrame) -> dict:
    """Invoice-status accuracy restricted to the invoices a matcher can know: every invoice
    except those paid by money with no evidence at all (``none``: no reference, no ticket,
    no known payer, an amount several open invoices ask). ``errors``: wrong statuses per
    evidence class of the paying money (``-`` for invoices no money paid)."""
    expected = pd.DataFrame(truth["invoices"]).set_index("invoice_number")
    got = invoices.drop_duplicates("invoice_number", keep="last").set_index("invoice_number")
    status = got["status"].reindex(expected.index).fillna("missing")
    evidence = paying_evidence(truth).reindex(expected.index).fillna("-")
    right = status == expected["status"]
    known = evidence != "none"
    errors = evidence[~right].value_counts()
    return {"invoices": int(known.sum()), "status_correct": int((right & known).sum()),
            "left_out": int((~known).sum()),
            "errors": {str(k): int(v) for k, v in errors.items()}}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
