"""``payrecon postings mark-posted FILE``: record that a postings.csv (or credits.csv) was
entered in billing, so the next report leaves its rows out.

Thin: the checks and the recording are :mod:`pipeline.posting_file`'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli_support import database_or_fail, fail, out, settings_or_fail

Db = Annotated[str | None, typer.Option(
    "--db", metavar="URL", show_default=False,
    help="SQLAlchemy database URL (default: settings / PAYRECON_DATABASE_URL)")]
postings = typer.Typer(name="postings", no_args_is_help=True,
                       help="Postings back to billing (postings.csv, credits.csv).")


@postings.command("mark-posted")
def mark_posted(
    file: Annotated[Path, typer.Argument(
        metavar="FILE", show_default=False,
        help="A postings.csv or credits.csv payrecon wrote, as entered in billing")],
    user: Annotated[str | None, typer.Option(
        "--user", metavar="U", show_default=False, help="Who posted it (default: $USER)")
    ] = None,
    db: Db = None,
) -> None:
    """Record the rows of FILE as posted: the next postings.csv leaves them out."""
    import getpass

    from flows.steps import open_store
    from pipeline.posting_file import PostingFileError
    from pipeline.posting_file import mark_posted as record

    if not file.is_file():
        fail(f"no such file: {file}")
    url = database_or_fail(settings_or_fail(database_url=db), must_exist=True)
    with open_store(url) as store:
        try:
            done = record(store, file, user=user or getpass.getuser())
        except PostingFileError as exc:
            fail(f"{file.name}: {exc}")
    what = "payment(s)" if done.kind == "payment" else "credit(s)"
    out.print(f"{done.file_name}: {done.recorded} {what} recorded as posted, "
              f"{done.already} already recorded", highlight=False)
