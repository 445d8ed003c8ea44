"""The one parser protocol (after beangulp's importer): ``identify`` then ``parse``.

A parser returns a :class:`ParseResult`: validated domain records plus per-row
:class:`~pipeline.models.Reject` values. A file it recognises but cannot read at all
(an investment statement, a sign-on error, an empty file) comes back with ``refusal`` set:
the caller quarantines the file with that reason. Exceptions are for bugs only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import ClassVar, Literal, Protocol

from pipeline.models import InputRecord, Origin, Reject

RecordKind = Literal["bank", "gateway", "ticket", "invoices", "clients"]
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class SourceFile:
    """An input file: path, base name, sha256 and the first bytes for sniffing."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    @cached_property
    def head(self) -> bytes:
        with self.path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)

    @cached_property
    def head_text(self) -> str:
        """The first bytes decoded leniently (BOM dropped), for content sniffing only."""
        return self.head.decode("utf-8-sig", errors="replace")

    def origin(self, fmt: str, line: int | None = None, ref: str | None = None) -> Origin:
        return Origin(source_file=self.name, source_sha256=self.sha256, source_format=fmt,
                      source_line=line, source_ref=ref)

    def reject(self, fmt: str, reason: str, line: int | None = None, ref: str | None = None,
               raw: str = "") -> Reject:
        return Reject(source_file=self.name, source_sha256=self.sha256, source_format=fmt,
                      source_line=line, source_ref=ref, reason=reason, raw=raw[:2000])


@dataclass(frozen=True)
class ParseResult:
    # a list, or a RecordFrame (pipeline.record_frames) from a parser that reads frames
    records: Sequence[InputRecord] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    refusal: str | None = None  # set when the whole file is refused (quarantine reason)
    warnings: list[str] = field(default_factory=list)  # e.g. balance check mismatches

    @classmethod
    def refused(cls, reason: str) -> ParseResult:
        return cls(refusal=reason)


class Parser(Protocol):
    """One input format. ``format`` is the name users pass to ``--format``."""

    format: ClassVar[str]
    kind: ClassVar[RecordKind]

    def identify(self, source: SourceFile) -> bool:
        """True when the file's content (not only its name) is this format. Must be cheap."""
        ...

    def parse(self, source: SourceFile) -> ParseResult:
        """Read the whole file into records and rejects; never raises for bad data."""
        ...
