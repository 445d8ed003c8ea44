"""The inbox's folders: listing what waits, archiving, quarantining with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import inbox_files
from pipeline.settings import Settings


def write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_drain_inbox_is_recursive_sorted_and_skips_hidden_reason_and_partial_files(tmp_path):
    inbox = tmp_path / "inbox"
    wanted = [write(inbox / "a.csv"), write(inbox / "bank" / "bca" / "b.ofx"),
              write(inbox / "z.json")]
    write(inbox / ".DS_Store")
    write(inbox / ".hidden" / "c.csv")
    write(inbox / "a.csv.reason.txt")
    write(inbox / "upload.csv.part")
    write(inbox / "~$book.xlsx")
    write(inbox / "README.md")
    write(inbox / "bank" / "notes.md")
    write(inbox / "readme.txt")
    assert inbox_files.drain_inbox(inbox) == sorted(wanted)


def test_drain_inbox_skips_archive_quarantine_and_reports_inside_the_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    keep = write(inbox / "new.csv")
    write(inbox / "archive" / "old.csv")
    write(inbox / "quarantine" / "bad.csv")
    write(inbox / "reports" / "matches.csv")
    found = inbox_files.drain_inbox(inbox, archive=inbox / "archive",
                                    quarantine=inbox / "quarantine", exclude=[inbox / "reports"])
    assert found == [keep]


def test_drain_inbox_names_a_missing_inbox(tmp_path):
    with pytest.raises(FileNotFoundError, match="inbox folder not found"):
        inbox_files.drain_inbox(tmp_path / "nope")


def test_archive_keeps_the_sub_path_and_never_overwrites(tmp_path):
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    first = inbox_files.archive_file(write(inbox / "bca" / "stmt.csv", "one"), inbox, archive)
    second = inbox_files.archive_file(write(inbox / "bca" / "stmt.csv", "two"), inbox, archive)
    third = inbox_files.archive_file(write(inbox / "bca" / "stmt.csv", "three"), inbox, archive)
    assert first == archive / "bca" / "stmt.csv"
    assert second == archive / "bca" / "stmt-1.csv"
    assert third == archive / "bca" / "stmt-2.csv"
    assert [p.read_text() for p in (first, second, third)] == ["one", "two", "three"]
    assert not (inbox / "bca" / "stmt.csv").exists()


def test_quarantine_writes_a_reason_file_beside_the_file(tmp_path):
    inbox, quarantine = tmp_path / "inbox", tmp_path / "quarantine"
    moved = inbox_files.quarantine_file(write(inbox / "x" / "bad.ofx"), inbox, quarantine,
                                  "investment statements are not supported")
    assert moved == quarantine / "x" / "bad.ofx"
    reason = quarantine / "x" / "bad.ofx.reason.txt"
    text = reason.read_text(encoding="utf-8")
    assert text.startswith("investment statements are not supported\n")


def test_quarantine_never_overwrites_a_file_or_a_stray_reason_file(tmp_path):
    inbox, quarantine = tmp_path / "inbox", tmp_path / "quarantine"
    write(quarantine / "bad.ofx.reason.txt", "someone else's")
    moved = inbox_files.quarantine_file(write(inbox / "bad.ofx"), inbox, quarantine, "empty file")
    assert moved == quarantine / "bad-1.ofx"
    assert (quarantine / "bad-1.ofx.reason.txt").read_text().startswith("empty file")
    assert (quarantine / "bad.ofx.reason.txt").read_text() == "someone else's"


def test_a_file_outside_the_inbox_lands_at_the_top_of_the_archive(tmp_path):
    moved = inbox_files.archive_file(write(tmp_path / "elsewhere" / "f.csv"), tmp_path / "inbox",
                               tmp_path / "archive")
    assert moved == tmp_path / "archive" / "f.csv"


def test_default_dirs_sit_beside_the_inbox_unless_given(tmp_path):
    inbox = tmp_path / "inbox"
    beside = (tmp_path / "archive", tmp_path / "quarantine")
    assert inbox_files.default_dirs(inbox, Settings()) == beside
    configured = Settings(archive=tmp_path / "a", quarantine=tmp_path / "q")
    assert inbox_files.default_dirs(inbox, configured) == (tmp_path / "a", tmp_path / "q")
    assert inbox_files.default_dirs(inbox, configured, "x", "y") == (Path("x"), Path("y"))
