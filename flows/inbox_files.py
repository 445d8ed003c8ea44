"""The inbox as folders: what waits to be ingested, and where a file goes afterwards
(the archive, or the quarantine with a reason file beside it). Moves never overwrite."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable
from pathlib import Path

from pipeline.settings import Settings

REASON_SUFFIX = ".reason.txt"
# Uploads still in progress (browser/rsync partials, Office lock files) are left alone,
# and so are notes about the inbox itself (README, *.md): they are never inputs.
SKIPPED_SUFFIXES = (".part", ".partial", ".crdownload", ".tmp", ".swp", ".md")
SKIPPED_PREFIXES = ("~$", "readme")


def default_dirs(inbox: Path, settings: Settings, archive: str | Path | None = None,
                 quarantine: str | Path | None = None) -> tuple[Path, Path]:
    """Archive and quarantine folders: given, else from settings, else beside the inbox."""
    archive_dir = Path(archive or settings.archive or inbox.parent / "archive")
    quarantine_dir = Path(quarantine or settings.quarantine or inbox.parent / "quarantine")
    return archive_dir, quarantine_dir


def drain_inbox(inbox: str | Path, *, archive: str | Path | None = None,
                quarantine: str | Path | None = None,
                exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Every file under ``inbox`` (recursive, sorted) that is waiting to be ingested.

    Skips hidden files and folders, ``*.reason.txt`` files, partial uploads, notes
    (``README*``, ``*.md``), and anything under the archive, quarantine or ``exclude``
    folders (e.g. the report folder) when those sit inside the inbox.
    """
    root = Path(inbox)
    if not root.is_dir():
        raise FileNotFoundError(f"inbox folder not found: {root}")
    excluded = [Path(p).resolve() for p in (archive, quarantine, *exclude) if p is not None]
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        name = path.name.lower()
        if name.endswith((REASON_SUFFIX, *SKIPPED_SUFFIXES)) or name.startswith(SKIPPED_PREFIXES):
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(folder) for folder in excluded):
            continue
        files.append(path)
    return files


def archive_file(path: str | Path, inbox: str | Path, archive: str | Path) -> Path:
    """Move a processed inbox file to ``archive``, keeping its sub-path; never overwrite."""
    dest = _free_destination(Path(path), Path(inbox), Path(archive))
    return Path(shutil.move(str(path), dest))


def quarantine_file(path: str | Path, inbox: str | Path, quarantine: str | Path,
                    reason: str) -> Path:
    """Move an unreadable inbox file to ``quarantine`` with ``<name>.reason.txt`` beside it."""
    dest = _free_destination(Path(path), Path(inbox), Path(quarantine), reason_file=True)
    moved = Path(shutil.move(str(path), dest))
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _reason_path(moved).write_text(
        f"{reason}\n\nfile: {Path(path).name}\nquarantined: {stamp}\n", encoding="utf-8")
    return moved


def _free_destination(path: Path, inbox: Path, target: Path, *, reason_file: bool = False) -> Path:
    """``target/<sub-path>``, or ``name-1.ext``, ``name-2.ext``... when that is taken."""
    try:
        rel = path.resolve().relative_to(inbox.resolve())
    except ValueError:
        rel = Path(path.name)
    base = target / rel
    base.parent.mkdir(parents=True, exist_ok=True)
    candidate, n = base, 0
    while candidate.exists() or (reason_file and _reason_path(candidate).exists()):
        n += 1
        candidate = base.with_name(f"{base.stem}-{n}{base.suffix}")
    return candidate


def _reason_path(path: Path) -> Path:
    return path.with_name(path.name + REASON_SUFFIX)
