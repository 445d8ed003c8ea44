"""``payrecon review list | approve | reject | apply``: finance decisions on suggested matches.

Thin: the decisions are :mod:`pipeline.review`'s (and :mod:`pipeline.review_apply`'s for a
workbook's Decision column); they are kept in the ledger.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli_support import database_or_fail, fail, out, settings_or_fail

Db = Annotated[str | None, typer.Option(
    "--db", metavar="URL", show_default=False,
    help="SQLAlchemy database URL (default: settings / PAYRECON_DATABASE_URL)")]
review = typer.Typer(name="review", no_args_is_help=True,
                     help="Finance decisions on suggested matches (kept in the ledger).")
MatchId = Annotated[str, typer.Option("--match", metavar="ID", help="match_id of a suggestion")]
User = Annotated[str | None, typer.Option("--user", metavar="U", show_default=False,
                                          help="Who decides (default: $USER)")]


@review.command("list")
def review_list(db: Db = None) -> None:
    """List the suggestions awaiting a decision."""
    from pipeline.review import suggestions

    with _review_store(db) as store:
        waiting = suggestions(store)
    for row in waiting.itertuples(index=False):
        out.print(f"{row.match_id}  {row.invoice_number:<16} {row.applied_minor:>14} "
                  f"{row.currency}  {row.rule:<22} {row.confidence:.2f}  {row.source_file} "
                  f"{row.source_ref or ''}  {row.reason}", highlight=False, soft_wrap=True)
    out.print(f"{len(waiting)} suggestion(s) awaiting a decision", highlight=False)


@review.command("approve")
def review_approve(match_id: MatchId, user: User = None, db: Db = None) -> None:
    """Approve a suggestion: it counts like an automatic match from now on."""
    _decide(match_id, "approve", user, db)


@review.command("reject")
def review_reject(match_id: MatchId, user: User = None, db: Db = None) -> None:
    """Reject a suggestion: the pair is never proposed again."""
    _decide(match_id, "reject", user, db)


@review.command("apply")
def review_apply(
    workbook: Annotated[Path, typer.Argument(metavar="WORKBOOK.xlsx", exists=True,
                                             dir_okay=False, help="A reconciliation workbook")],
    user: User = None, db: Db = None,
) -> None:
    """Record the approve/reject decisions made in a workbook's Review sheet."""
    import datetime as dt
    import getpass

    from pipeline.review import ReviewError
    from pipeline.review_apply import apply_decisions
    from reports.recon_review import read_decisions

    try:
        database, rows = read_decisions(workbook)
    except (OSError, ValueError, KeyError) as exc:
        fail(f"cannot read {workbook.name}: {exc}")
    with _review_store(db) as store:
        try:
            done = apply_decisions(store, rows, workbook_database=database,
                                   user=user or getpass.getuser(), today=dt.date.today())
        except ReviewError as exc:
            fail(str(exc))
    for line in (*done.applied, *done.refused):
        out.print(line, highlight=False, soft_wrap=True)
    out.print(f"{len(done.applied)} decision(s) recorded, {len(done.unchanged)} already "
              f"recorded, {len(done.refused)} refused, {done.ignored} row(s) left undecided",
              highlight=False)
    if done.refused:
        raise typer.Exit(1)


def _review_store(db: str | None) -> Any:
    from flows.steps import open_store

    return open_store(database_or_fail(settings_or_fail(database_url=db), must_exist=True))


def _decide(match_id: str, decision: str, user: str | None, db: str | None) -> None:
    import datetime as dt
    import getpass

    from pipeline.review import ReviewError, decide

    with _review_store(db) as store:
        try:
            done = decide(store, match_id, decision, user=user or getpass.getuser(),
                          today=dt.date.today())
        except ReviewError as exc:
            fail(str(exc))
    out.print(f"{done.match_id} ({done.invoice_number}): {done.decision}d by {done.user}",
              highlight=False)
