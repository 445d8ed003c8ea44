"""``payrecon review list | approve | reject`` on the demo data: thin commands over
pipeline.review, decisions kept in the ledger."""

from __future__ import annotations

import re

from pipeline.review import suggestions
from pipeline.store import Store

AS_OF = "2026-11-20"


def test_review_lists_approves_and_refuses_unknown_ids(cli, demo_inbox, tmp_path):
    db = f"sqlite:///{tmp_path / 'payrecon.db'}"
    assert cli("ingest", demo_inbox, "--db", db).exit_code == 0
    assert cli("reconcile", "--as-of", AS_OF, "--db", db).exit_code == 0
    listed = cli("review", "list", "--db", db)
    assert listed.exit_code == 0, listed.output
    ids = re.findall(r"^(m[0-9a-f]{16}) ", listed.output, flags=re.MULTILINE)
    assert ids, listed.output
    approved = cli("review", "approve", "--match", ids[0], "--user", "rina", "--db", db)
    assert approved.exit_code == 0 and "approved by rina" in approved.output
    with Store(db) as store:
        assert ids[0] not in set(suggestions(store)["match_id"])
    unknown = cli("review", "reject", "--match", "m0000000000000000", "--db", db)
    assert unknown.exit_code == 1 and "no suggestion" in unknown.output
