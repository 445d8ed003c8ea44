"""Deterministic generator of larger reconciliation data sets with ground truth.

    python sample_data/generate.py --seed 7 --size 1000 --out /tmp/set

writes, for ``size`` invoices: ``invoices.csv`` and ``clients.csv`` (canonical CSVs),
``bank.csv`` (a generic bank CSV export: Date, Description, Amount, Currency, Reference)
and ``truth.json`` (for every bank line by its Reference: the expected outcome and invoice).
The same seed and size always give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

START = dt.date(2026, 9, 1)
AS_OF = dt.date(2026, 11, 20)
FIRST_NAMES = ["Rina", "Budi", "Siti", "Agus", "Dewi", "John", "Maria", "Ahmad", "Lina", "Tom"]
LAST_NAMES = ["Tanjung", "Santoso", "Wijaya", "Smith", "Putri", "Hidayat", "Garcia", "Lim"]
MEMO_FORMS = ["INV {n}", "Invoice #{n}", "pembayaran inv{n} hosting", "TRSF E-BANKING CR "
              "{d}/FTSCY/WS{w} {a} INV {n} {name}", "payment for invoice {n}", "#{n} vps"]
# share of invoices per payment behaviour (the rest stay unpaid)
BEHAVIOUR = [("exact", 0.55), ("partial", 0.08), ("no_reference", 0.07),
             ("unknown_reference", 0.05)]
PAID_SHARE = 0.05  # invoices already paid in billing; half of them get paid again


@dataclass(frozen=True)
class Invoice:
    number: str
    client_id: str
    name: str
    currency: str
    issued: dt.date
    total_minor: int
    paid: bool
    behaviour: str | None


def generate(seed: int, size: int, out: Path) -> dict[str, int]:
    """Write the data set; returns counts per expected outcome."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    clients = _clients(rng, max(1, size // 4))
    invoices = _invoices(rng, size, clients)
    lines, truth = _bank_lines(rng, invoices)
    _write_csv(out / "clients.csv", ["client_id", "name", "company", "email", "created_at"],
               [[c, n, "", f"{n.split()[0].lower()}{c}@example.com", "2025-01-15"]
                for c, n in clients])
    _write_csv(out / "invoices.csv", ["invoice_number", "client_id", "client_name",
                                      "client_email", "issue_date", "due_date", "total",
                                      "balance", "currency", "status"],
               [_invoice_row(i) for i in invoices])
    _write_csv(out / "bank.csv", ["Date", "Description", "Amount", "Currency", "Reference"], lines)
    (out / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")
    counts: dict[str, int] = {}
    for expected in truth.values():
        counts[expected["outcome"]] = counts.get(expected["outcome"], 0) + 1
    return counts


def _clients(rng: random.Random, n: int) -> list[tuple[str, str]]:
    return [(str(100 + i), f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
            for i in range(n)]


def _invoices(rng: random.Random, size: int, clients) -> list[Invoice]:
    result = []
    for i in range(size):
        client_id, name = rng.choice(clients)
        currency = "IDR" if int(client_id) % 3 else "USD"
        major = rng.choice([150_000, 275_000, 1_110_000, 2_500_000, 99_000]) if currency == "IDR" \
            else rng.choice([5, 12, 24, 49, 99])
        minor = major * 100 + (0 if currency == "IDR" else rng.choice([0, 99, 50]))
        paid = rng.random() < PAID_SHARE
        behaviour = ("on_paid" if rng.random() < 0.5 else None) if paid else _pick(rng)
        if behaviour == "no_reference":  # a total no other invoice has (odd whole units)
            minor += (2 * i + 1) * 100
        issued = START + dt.timedelta(days=rng.randrange(60))
        result.append(Invoice(str(20000 + i), client_id, name, currency, issued, minor,
                              paid, behaviour))
    return result


def _invoice_row(inv: Invoice) -> list[str]:
    balance = 0 if inv.paid else inv.total_minor
    return [inv.number, inv.client_id, inv.name, "", inv.issued.isoformat(),
            (inv.issued + dt.timedelta(days=14)).isoformat(), _plain(inv.total_minor),
            _plain(balance), inv.currency, "Paid" if inv.paid else "Unpaid"]


def _bank_lines(rng: random.Random, invoices: list[Invoice]):
    lines, truth = [], {}
    for n, inv in enumerate(invoices):
        behaviour = inv.behaviour
        if behaviour is None:
            continue
        ref = f"BNK{n:07d}"
        when = inv.issued + dt.timedelta(days=rng.randrange(1, 20))
        if when > AS_OF:
            continue
        amount, memo, expected = _payment(rng, behaviour, inv, n)
        lines.append([when.isoformat(), memo, _plain(amount), inv.currency, ref])
        truth[ref] = {"outcome": expected, "invoice_number": inv.number}
    lines.sort(key=lambda line: (line[0], line[4]))
    return lines, truth


def _payment(rng: random.Random, behaviour: str, inv: Invoice, n: int):
    memo = rng.choice(MEMO_FORMS).format(n=inv.number, d="0110", w=90000 + n,
                                         a=_plain(inv.total_minor), name=inv.name.upper())
    if behaviour == "exact":
        return inv.total_minor, memo, "auto"
    if behaviour == "partial":
        return inv.total_minor // 2, memo, "auto"  # a partial payment that names its invoice
    if behaviour == "on_paid":
        return inv.total_minor, memo, "payment_on_paid_invoice"
    if behaviour == "unknown_reference":
        return inv.total_minor + 1, f"INV {90000000 + n}", "unknown_reference"
    return inv.total_minor, f"TRANSFER FROM {inv.name.upper()}", "suggested"


def _pick(rng: random.Random) -> str | None:
    roll, acc = rng.random(), 0.0
    for behaviour, share in BEHAVIOUR:
        acc += share
        if roll < acc:
            return behaviour
    return None


def _plain(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=1000, help="number of invoices")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(generate(args.seed, args.size, args.out), sort_keys=True))


if __name__ == "__main__":
    main()
