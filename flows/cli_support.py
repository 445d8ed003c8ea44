"""Argument checks, flow calls and demo-folder helpers behind :mod:`flows.cli`.

Every check ends a user error with :func:`fail`: one line on stderr, non-zero exit.
No Prefect import at module level.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)

DEMO_MARKER = ".payrecon-demo"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to stderr and exit with ``code``."""
    err.print(f"[bold red]error:[/bold red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings_or_fail(**overrides: Any) -> Any:
    """Settings with the command's options on top; invalid settings are a user error."""
    from pydantic import ValidationError

    from pipeline.settings import load_settings

    try:
        return load_settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        fail(f"invalid settings: {problems}")
    except (OSError, ValueError) as exc:
        fail(f"cannot read settings: {exc}")


def as_of_or_fail(value: str | None, settings: Any) -> str:
    """The as-of date as ISO text: the given date, else today in the business timezone."""
    from flows.runtime import resolve_as_of

    try:
        return resolve_as_of(value, settings.timezone).isoformat()
    except ValueError as exc:
        fail(str(exc), 2)
    except Exception as exc:  # noqa: BLE001 - e.g. an unknown timezone in the settings
        fail(f"cannot compute today's date in timezone {settings.timezone!r}: {exc}")


def database_or_fail(settings: Any, *, must_exist: bool = False) -> str:
    """The database URL (a relative SQLite path made absolute) without its password, checked
    by opening it once. The password (from the URL or ``database_password``) moves into this
    process's environment, where the steps that open the store find it: flows and tasks
    never take it as a parameter, so Prefect never stores or shows it.

    ``must_exist``: commands that only read what is stored (reconcile, report, review,
    postings) fail on a SQLite file that does not exist instead of creating an empty one."""
    from flows.steps import check_database
    from pipeline.database_url import (
        absolute_database_url,
        move_password_to_environment,
        sqlite_file,
    )

    url = move_password_to_environment(absolute_database_url(settings.database_url),
                                       settings.database_password)
    database = sqlite_file(url)
    if must_exist and database is not None and not database.is_file():
        fail(f"cannot open database {redact(url)}: no such file (`payrecon ingest` or "
             "`payrecon run` creates it; this command never does)")
    problem = check_database(url)
    if problem:
        fail(f"cannot open database {redact(url)}: {problem}")
    return url


def last_reconciliation_or_fail(db_url: str) -> str:
    """The as-of date (ISO) of the database's latest completed reconciliation."""
    from flows.steps import open_store

    with open_store(db_url) as store:
        day = store.last_reconciled_as_of()
    if day is None:
        fail("no reconciliation in this database yet: run `payrecon reconcile` (or "
             "`payrecon run`) first, or give --as-of")
    return day.isoformat()


def redact(url: str) -> str:
    """The URL with any password replaced by ***."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return url
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"


def folder_or_fail(path: Path | None, what: str) -> Path:
    """``path`` resolved, when it is an existing folder."""
    if path is None or not path.is_dir():
        fail(f"{what} folder not found: {path}")
    return path.resolve()


def input_files(items: list[Path]) -> list[Path]:
    """The files named on the command line, folders expanded like an inbox."""
    from flows.inbox_files import drain_inbox

    files: list[Path] = []
    for item in items:
        if item.is_dir():
            files.extend(p.resolve() for p in drain_inbox(item))
        elif item.is_file():
            files.append(item.resolve())
        else:
            fail(f"no such file: {item}")
    if not files:
        fail("no input files found")
    return files


def call_flow(flow_fn: Any, settings: Any, *, kind: str, listener: Callable | None = None,
              status: str | None = None, **params: Any) -> Any:
    """Run a flow from payrecon's own working directory with batch settings (no heartbeat).

    Paths in ``params`` must be absolute; ``kind`` names the run in the journal. A failure
    becomes a one-line error; when the flow failed before it could record itself (e.g.
    Prefect's server did not start), the failure is recorded here, so LAST_RUN.json and
    ``payrecon status`` still show it.
    """
    from flows.runtime import batch_settings, payrecon_folder, prefect_home_problem

    def start() -> Any:
        problem = prefect_home_problem()
        if problem:
            raise RuntimeError(problem)
        with payrecon_folder(settings), batch_settings():
            return retry_server_start(flow_fn, params)

    return _called(start, flow_fn.name, settings, kind, listener, status, params)


def call_direct(run_fn: Callable[..., Any], settings: Any, *, kind: str,
                listener: Callable | None = None, status: str | None = None,
                **params: Any) -> Any:
    """``run_fn(**params, settings=settings)`` in this process, without Prefect (a run body
    of :mod:`flows.runs`): recorded in the journal, a failure a one-line error."""
    return _called(lambda: run_fn(**params, settings=settings), f"payrecon-{kind}", settings,
                   kind, listener, status, params)


def _called(start: Callable[[], Any], name: str, settings: Any, kind: str,
            listener: Callable | None, status: str | None, params: dict[str, Any]) -> Any:
    """``start()`` with a spinner or progress listener; a failure is recorded and fails."""
    from flows import progress, runlog

    spinner = err.status(status) if status else nullcontext()
    before = runlog.last_written()
    try:
        with spinner, (progress.listening(listener) if listener else nullcontext()):
            return start()
    except Exception as exc:  # noqa: BLE001 - the traceback is in the log
        reason = f"{name} failed: {runlog.one_line(exc)}"
        if runlog.last_written() == before:
            record_failure(settings, kind=kind, trigger=params.get("trigger", "manual"),
                           as_of=params.get("as_of"), reason=reason)
        fail(reason)


SERVER_START_TIMEOUT = "Timed out while attempting to connect to ephemeral Prefect API server"


def retry_server_start(flow_fn: Any, params: dict[str, Any], attempts: int = 2) -> Any:
    """``flow_fn(**params)``, called once more when Prefect's temporary server did not start
    in time (a busy machine): that failure happens before the flow does anything."""
    for _ in range(attempts - 1):
        try:
            return flow_fn(**params)
        except RuntimeError as exc:
            if SERVER_START_TIMEOUT not in str(exc):
                raise
            stop_temporary_servers()
            err.print("Prefect's temporary server was slow to start; trying once more",
                      highlight=False)
    return flow_fn(**params)


def stop_temporary_servers() -> None:
    """Stop the temporary server a timed-out start left behind (it may still be starting)."""
    from prefect.server.api.server import SubprocessASGIServer

    for server in list(SubprocessASGIServer._instances.values()):  # noqa: SLF001 - no API
        server.stop()


def record_failure(settings: Any, *, kind: str, trigger: str, as_of: str | None,
                   reason: str) -> None:
    """Record (and alert on) a run that failed before its flow could record it."""
    from functools import partial

    from flows import alerts, runlog
    from pipeline.settings import data_folder

    record = runlog.new_record(kind=kind, trigger=trigger, as_of=as_of)
    try:
        runlog.finish(data_folder(settings), record, outcome=runlog.FAILED, reason=reason,
                      notify=partial(alerts.notify, settings.alerts))
    except OSError as exc:
        err.print(f"cannot record the failed run: {exc}", highlight=False)


def check_format(fmt: str) -> None:
    """``fmt`` must be one of the registry's format names."""
    from parsers.registry import formats as known

    names = known()
    if fmt not in names:
        fail(f"unknown format {fmt!r}; known formats: {', '.join(names)}", 2)


def demo_source() -> Path:
    """``sample_data/demo`` of this checkout, else of the working directory."""
    import flows

    for candidate in (Path(flows.__file__).resolve().parents[1] / "sample_data" / "demo",
                      Path.cwd() / "sample_data" / "demo"):
        if candidate.is_dir():
            return candidate
    fail("sample_data/demo not found (run from a payrecon checkout)")


def fresh_demo_folder(work: Path) -> Path:
    """Empty ``work`` (only if it is a demo folder we made) and mark it as ours."""
    if work.exists():
        if not (work / DEMO_MARKER).exists() and any(work.iterdir()):
            fail(f"{work} exists and is not a payrecon demo folder; move it away first")
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / DEMO_MARKER).write_text("created by `payrecon demo`; deleted by the next demo\n")
    return work


def copy_demo(source: Path, inbox: Path) -> None:
    """Copy the demo inputs into ``inbox``; a ``payrecon.toml`` there becomes the config."""
    shutil.copytree(source, inbox, ignore=shutil.ignore_patterns(".*", "*.toml"))
    config = source / "payrecon.toml"
    if config.is_file():
        os.environ["PAYRECON_CONFIG"] = str(config)


@contextmanager
def demo_setting(name: str, value: Any) -> Iterator[None]:
    """The environment variable ``name`` set to ``value`` (JSON) for the block, unless the
    user set it: the flows read their settings from the environment and settings file."""
    import json

    if name in os.environ:
        yield
        return
    os.environ[name] = json.dumps(value)
    try:
        yield
    finally:
        os.environ.pop(name, None)
