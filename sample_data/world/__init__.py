"""A realistic month of a hosting shop, in every input format, with its ground truth.

    python -m sample_data.world --seed 1 --clients 1500 --out /tmp/world

writes the billing system's clients and invoices (WHMCS JSON; an earlier snapshot with the
invoices later re-issued for less), four bank statements (KlikBCA CSV and MT940 in IDR, OFX in
USD, camt.053 in EUR), the Stripe and PayPal exports, two ticket exports (JSON Lines, CSV) and
``truth.json``. ``FILES`` in ``truth.json`` lists the inputs in the order to ingest them.
The same seed and size always give byte-identical files. See ``sample_data/world/README.md``
for what the truth says and how it names records.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from .banks import write_bca, write_camt, write_mt940, write_ofx
from .behaviour import add_payments
from .billing import make_clients, make_invoices, write_billing
from .core import AS_OF, SHOP_ACCOUNTS, World
from .gateway_files import write_paypal, write_stripe
from .gateways import add_gateway_life
from .noise import add_noise
from .tickets import add_tickets, write_tickets
from .truth import truth_of

TRUTH_FILE = "truth.json"
DEFAULT_CLIENTS = 1500


def build(seed: int, clients: int = DEFAULT_CLIENTS) -> World:
    """The month in memory (no files yet)."""
    rng = random.Random(f"payrecon-world:{seed}:{clients}")
    people = make_clients(rng, clients)
    world = World(seed, people, make_invoices(rng, people), rng=rng)
    add_payments(world)
    add_gateway_life(world)
    add_noise(world, clients)
    add_tickets(world)
    return world


def generate(seed: int, out: Path, clients: int = DEFAULT_CLIENTS) -> dict:
    """Write every input file and ``truth.json`` into ``out``; returns the truth."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = build(seed, clients)
    files = write_billing(world, out)
    files += [write_bca(world.money, world.rng, out), write_mt940(world.money, out),
              write_ofx(world.money, world.rng, out), write_camt(world.money, world.rng, out),
              write_stripe(world.money, out), write_paypal(world.money, out)]
    files += write_tickets(world, out)
    truth = truth_of(world, files)
    (out / TRUTH_FILE).write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n",
                                  encoding="utf-8")
    return truth


__all__ = ["AS_OF", "DEFAULT_CLIENTS", "SHOP_ACCOUNTS", "TRUTH_FILE", "build", "generate"]
