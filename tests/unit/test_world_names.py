"""The generated month's names (sample_data/world) are as varied as real account holders':
few clients share a full name and those few on purpose, and a stranger paying rarely bears
a client's name; relatives pay with the client's family name."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sample_data.world import names  # noqa: E402
from sample_data.world.billing import make_clients  # noqa: E402

CLIENTS = make_clients(random.Random("names"), 1500)


def test_few_clients_share_a_full_name_and_some_do_on_purpose():
    shared = [n for n, k in Counter(c.name.upper() for c in CLIENTS).items() if k > 1]
    assert 3 <= len(shared) <= 40  # about 1 % namesakes on purpose, a few by chance
    assert max(Counter(c.name.upper() for c in CLIENTS).values()) <= 3


def test_about_half_the_indonesian_clients_have_three_names():
    idr = [c for c in CLIENTS if c.currency == "IDR"]
    three = sum(len(c.name.split()) >= 3 for c in idr)
    assert 0.35 <= three / len(idr) <= 0.65


def test_a_stranger_paying_rarely_bears_a_clients_name():
    known = {c.name.upper() for c in CLIENTS} | {c.company.upper() for c in CLIENTS}
    rng = random.Random(7)
    titles = {t for ts in names.TITLES.values() for t in ts}
    holders = [names.other_holder(rng, rng.choice(CLIENTS)) for _ in range(5000)]
    bare = [" ".join(w for w in h.split() if w not in titles) for h in holders]
    assert sum(h in known for h in bare) / len(bare) < 0.01


def test_a_relative_pays_with_the_clients_family_name():
    rng = random.Random(3)
    client = CLIENTS[0]
    holders = [names.other_holder(rng, client) for _ in range(200)]
    assert any(h.endswith(client.last.upper()) and h != client.name.upper() for h in holders)
