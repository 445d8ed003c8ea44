"""The ``payrecon`` command line (Typer + Rich).

Commands only parse and check their arguments, then call a flow or a run body. ``run``,
``demo``, ``reconcile`` and ``serve`` go through Prefect flows (every such run shows up in
Prefect); ``--help``, ``formats``, ``ingest`` and ``report`` never import Prefect and start
no server: they call the same steps directly (:mod:`flows.runs`). User errors (bad path,
date, format, database URL) end with a one-line message and a non-zero exit status.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli_postings import postings
from flows.cli_review import review
from flows.cli_support import (
    as_of_or_fail,
    call_direct,
    call_flow,
    check_format,
    copy_demo,
    database_or_fail,
    demo_setting,
    demo_source,
    err,
    fail,
    folder_or_fail,
    fresh_demo_folder,
    input_files,
    last_reconciliation_or_fail,
    out,
    settings_or_fail,
)
from flows.cli_users import users
from flows.cli_web import web

app = typer.Typer(name="payrecon", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False,
                  help="Payment reconciliation: ingest statements, match payments to "
                       "invoices, write the reports.")

DEMO_AS_OF = "2026-11-20"
# ``run``/``demo`` exit status of a night that completed with quarantined files (1: failed).
QUARANTINED_EXIT = 2
# The demo shop's one setting: intermediary banks keep up to 5.00 of an incoming USD wire
# and up to Rp 10,000 of a transfer; such a short payment settles its invoice, fee recorded.
DEMO_FEE_TOLERANCE = {"bank": {"USD": {"fixed": "5.00"}, "IDR": {"fixed": "10000"}}}
DEMO_DIR = Path("payrecon-demo")

Db = Annotated[str | None, typer.Option(
    "--db", metavar="URL", show_default=False,
    help="SQLAlchemy database URL (default: settings / PAYRECON_DATABASE_URL)")]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATE", show_default=False,
    help="As-of date YYYY-MM-DD (default: today in the business timezone)")]
ReportAsOf = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATE", show_default=False,
    help="As-of date YYYY-MM-DD (default: the latest reconciliation's)")]
OutDir = Annotated[Path | None, typer.Option(
    "--out", metavar="DIR", show_default=False, help="Report folder (default: settings)")]


app.add_typer(review)
app.add_typer(postings)
app.add_typer(users)


@app.callback()
def _setup() -> None:
    from flows.runtime import quiet_prefect_defaults

    quiet_prefect_defaults()


# ----------------------------------------------------------------------------- commands


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE...", show_default=False, help="Files (or folders) to ingest")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="F", help="Force the input format (see `payrecon formats`)")
    ] = None,
    db: Db = None,
) -> None:
    """Read statements, exports and invoice files into the database."""
    from flows import render

    settings = settings_or_fail(database_url=db)
    paths = input_files(files)
    if fmt is not None:
        check_format(fmt)
    url = database_or_fail(settings)
    from flows.runs import ingest_run

    with render.file_progress(out) as listener:
        outcomes = call_direct(ingest_run, settings, kind="ingest", listener=listener,
                               paths=[str(p) for p in paths], db_url=url, fmt=fmt)
    out.print(render.files_table(outcomes))
    out.print(render.summary_table("payrecon ingest", files=outcomes))
    if any(o.status == "quarantined" for o in outcomes):
        fail("some files could not be read (see the reasons above)")


@app.command()
def reconcile(as_of: AsOf = None, db: Db = None) -> None:
    """Match all stored payments against the invoices."""
    from flows import render

    settings = settings_or_fail(database_url=db)
    day = as_of_or_fail(as_of, settings)
    url = database_or_fail(settings, must_exist=True)
    from flows.flows import reconcile_flow

    summary = call_flow(reconcile_flow, settings, kind="reconcile", status="Reconciling...",
                        db_url=url, as_of=day)
    out.print(render.summary_table(f"payrecon reconcile — as of {day}", reconcile=summary))


@app.command()
def report(out_dir: OutDir = None, as_of: ReportAsOf = None, db: Db = None) -> None:
    """Write the exports and workbooks of the latest reconciliation (as of its date, unless
    --as-of says otherwise)."""
    from flows import render

    settings = settings_or_fail(database_url=db, out=out_dir)
    url = database_or_fail(settings, must_exist=True)
    day = as_of_or_fail(as_of, settings) if as_of else last_reconciliation_or_fail(url)
    from flows.runs import report_run

    folder = Path(settings.out).resolve()
    outcome = call_direct(report_run, settings, kind="report", status="Writing reports...",
                          db_url=url, out_dir=str(folder), as_of=day)
    out.print(render.summary_table(f"payrecon report — as of {day}", paths=outcome.paths,
                                   report_folder=str(folder)))


@app.command()
def run(
    inbox: Annotated[Path | None, typer.Option(
        "--inbox", metavar="DIR", show_default=False, help="Inbox folder (default: settings)")
    ] = None,
    out_dir: OutDir = None,
    as_of: AsOf = None,
    archive: Annotated[Path | None, typer.Option(
        "--archive", metavar="DIR", show_default=False,
        help="Processed files go here (default: <inbox>/../archive)")] = None,
    quarantine: Annotated[Path | None, typer.Option(
        "--quarantine", metavar="DIR", show_default=False,
        help="Unreadable files go here (default: <inbox>/../quarantine)")] = None,
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", metavar="ADDR", show_default=False,
        help="Parse the files on the Dask cluster at ADDR, e.g. tcp://10.0.0.5:8786 "
             "(default: settings task_runner/dask_address; see docs/scale.md)")] = None,
    db: Db = None,
) -> None:
    """Run the whole nightly pipeline once: drain the inbox, reconcile, report."""
    settings = settings_or_fail(database_url=db, inbox=inbox, out=out_dir, archive=archive,
                                quarantine=quarantine)
    _run_nightly(settings, as_of_or_fail(as_of, settings), "payrecon run",
                 dask_address=dask_address)


def _run_nightly(settings: Any, day: str, title: str, trigger: str = "manual",
                 dask_address: str | None = None) -> Any:
    """Check the folders and database, run the nightly flow, print the summary."""
    from flows import render
    from flows.inbox_files import default_dirs

    inbox = folder_or_fail(Path(settings.inbox), "inbox")
    archive, quarantine = default_dirs(inbox, settings)
    folder = Path(settings.out).resolve()
    url = database_or_fail(settings)
    from flows.flows import nightly_flow

    with render.file_progress(out) as listener:
        result = call_flow(nightly_flow, settings, kind="nightly", listener=listener,
                           inbox=str(inbox), out_dir=str(folder), db_url=url, as_of=day,
                           archive=str(archive.resolve()),
                           quarantine=str(quarantine.resolve()), trigger=trigger,
                           dask_address=dask_address)
    render.print_quarantined(out, result.files)
    out.print(render.summary_table(f"{title} — as of {result.as_of}", files=result.files,
                                   reconcile=result.reconcile, paths=result.report.paths,
                                   report_folder=str(folder)))
    out.print(f"Reports are in [bold]{folder}[/bold]", highlight=False, soft_wrap=True)
    quarantined = sum(o.status == "quarantined" for o in result.files)
    if quarantined:  # the night completed, but a person must look at the files
        err.print(f"{quarantined} file(s) quarantined: see the reasons above "
                  f"(exit status {QUARANTINED_EXIT})", highlight=False, soft_wrap=True)
        raise typer.Exit(QUARANTINED_EXIT)
    return result


@app.command()
def demo(
    out_dir: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", show_default=False,
        help="Report folder (default: payrecon-demo/reports)")] = None,
    db: Db = None,
    web_front: Annotated[bool, typer.Option(
        "--web", help="Then serve the web front on the demo database (a demo user's "
                      "password is printed once)")] = False,
) -> None:
    """Run the nightly pipeline on sample_data/demo/ in ./payrecon-demo (nothing to configure).

    Starts from a clean demo folder every time; as-of date 2026-11-20.
    """
    source = demo_source()
    work = fresh_demo_folder(DEMO_DIR)
    inbox = work / "inbox"
    copy_demo(source, inbox)
    settings = settings_or_fail(
        database_url=db or f"sqlite:///{DEMO_DIR.as_posix()}/payrecon.db", inbox=inbox,
        out=out_dir or work / "reports", archive=work / "archive",
        quarantine=work / "quarantine", fee_tolerance=DEMO_FEE_TOLERANCE)
    with demo_setting("PAYRECON_FEE_TOLERANCE", DEMO_FEE_TOLERANCE):  # what the flow reads
        _run_nightly(settings, DEMO_AS_OF, "payrecon demo", trigger="demo")
    if web_front:
        from flows.cli_web import serve_demo

        serve_demo(settings, DEMO_AS_OF)


@app.command()
def serve(
    inbox: Annotated[Path | None, typer.Option(
        "--inbox", metavar="DIR", show_default=False, help="Inbox folder (default: settings)")
    ] = None,
    out_dir: OutDir = None,
    port: Annotated[int | None, typer.Option(
        "--port", show_default=False,
        help="Port of the local Prefect server (default: 4200, else a free one)")] = None,
    db: Db = None,
) -> None:
    """Serve the nightly deployment on its schedule; Ctrl-C stops it.

    Uses the Prefect server at PREFECT_API_URL, else starts and supervises a local one.
    """
    settings = settings_or_fail(database_url=db, inbox=inbox, out=out_dir)
    folder_or_fail(Path(settings.inbox), "inbox")
    database_or_fail(settings)
    from flows.prefect_server import ServeError
    from flows.serve import serve_nightly

    out.print(f"Nightly schedule: [bold]{settings.schedule_cron}[/bold] "
              f"({settings.timezone}); inbox {Path(settings.inbox).resolve()}", highlight=False)
    try:
        serve_nightly(settings, port=port,
                      say=lambda text: out.print(text, highlight=False, soft_wrap=True))
    except ServeError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        out.print("Stopped.")


@app.command()
def status(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many runs to show")] = 10,
    db: Db = None,
) -> None:
    """Show the latest runs; exit 1 when the last nightly run failed or a night was missed."""
    import datetime as dt

    from flows import render
    from flows.status import read_status
    from pipeline.settings import data_folder

    settings = settings_or_fail(database_url=db)
    report = read_status(data_folder(settings), settings.schedule_cron, settings.timezone,
                         dt.datetime.now(dt.UTC), limit=limit)
    render.print_status(out, report, settings.timezone)
    if report.problem:
        fail(report.problem)


@app.command()
def formats() -> None:
    """List the input formats payrecon reads (names for --format)."""
    from parsers.registry import all_parsers

    for parser in all_parsers():
        out.print(f"{parser.format:<18} {parser.kind}", highlight=False)


app.command()(web)  # the web front (flows/cli_web.py)


def main() -> None:
    """Console-script entry point."""
    from flows.runtime import quiet_prefect_defaults, quiet_shutdown

    quiet_prefect_defaults()
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        raise SystemExit(130) from None
    finally:
        quiet_shutdown()
