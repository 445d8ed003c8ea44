"""Shared pieces of the synthetic benchmark files: names, plans, dates, amounts, writing."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable
from pathlib import Path

FIRST = ("Budi", "Rina", "Siti", "Andi", "Dewi", "Lena", "Jonas", "Alice", "Marco", "Emily",
         "Sari", "Agus", "Putri", "Wahyu", "Mira")
LAST = ("Santoso", "Tanjung", "Rahma", "Wijaya", "Lestari", "Fischer", "Weber", "Moreau",
        "Rossi", "Zhang", "Halim", "Pratama", "Kusuma", "Nugroho", "Klein")
PLANS = ("VPS Basic 1GB", "VPS Pro 4GB", "Cloud VPS 2GB", "Dedicated S1", "Domain renewal",
         "Shared Hosting Plus", "Managed WordPress", "Backup 100GB")
START = dt.date(2026, 10, 1)


def rng_for(name: str, n: int) -> random.Random:
    """The same generator for the same file name and size."""
    return random.Random(f"payrecon-bench:{name}:{n}")


def person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", f"{first.lower()}.{last.lower()}@example.co.id"


def some_day(rng: random.Random, span: int = 56) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(span))


def plain(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def comma(cents: int) -> str:
    """``1234567`` -> ``12345,67`` (MT940 style: comma decimal, no grouping)."""
    return f"{abs(cents) // 100},{abs(cents) % 100:02d}"


def write_lines(path: Path, lines: Iterable[str], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        handle.writelines(lines)


def write_csv(path: Path, header: list[str], rows: Iterable[list[str]],
              delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL,
              preamble: str = "", bom: bool = False) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        handle.write(preamble)
        writer = csv.writer(handle, delimiter=delimiter, quoting=quoting, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
