"""``python -m sample_data.world --seed N [--clients N] --out DIR``: write a generated month."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from . import DEFAULT_CLIENTS, generate


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a realistic month with ground truth.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    truth = generate(args.seed, args.out, args.clients)
    links = sum(len(m["allocations"]) for m in truth["money"] if m["class"] == "payment")
    print(json.dumps({"files": truth["files"], "invoices": len(truth["invoices"]),
                      "links": links, "money": dict(Counter(m["class"] for m in truth["money"])),
                      "tickets": dict(Counter(t["class"] for t in truth["tickets"]))},
                     indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
