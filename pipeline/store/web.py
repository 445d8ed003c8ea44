"""What the web front keeps in the database: its users (argon2 hashes, roles, disabled) and
who uploaded which file content. :class:`WebStore` is a :class:`~pipeline.store.Store` with
these few doors more; the password hashing itself is :mod:`pipeline.passwords`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update

from pipeline.store import tables
from pipeline.store.engine import write_transaction
from pipeline.store.store import Store

ROLES = ("accountant", "reviewer", "admin")  # each may do what the ones before it may
users, uploads, files, rejects = (tables.web_users, tables.web_uploads, tables.source_files,
                                  tables.rejects)


@dataclass(frozen=True)
class WebUser:
    username: str
    password_hash: str
    role: str
    disabled: bool


@dataclass(frozen=True)
class FirstIngest:
    """When a file's content was first stored, and by whom (``None``: not by an upload)."""

    ingested_at: dt.datetime
    username: str | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class WebStore(Store):
    """The store with the web front's users and uploads."""

    # -- users ---------------------------------------------------------------------------
    def add_user(self, username: str, password_hash: str, role: str) -> bool:
        """A new enabled user; ``False`` when the name is taken."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        with write_transaction(self._engine) as conn:
            if conn.execute(select(users.c.id).where(users.c.username == username)).first():
                return False
            now = _now()
            conn.execute(insert(users).values(username=username, password_hash=password_hash,
                                              role=role, disabled=False, created_at=now,
                                              updated_at=now))
        return True

    def update_user(self, username: str, **values: Any) -> bool:
        """Change ``password_hash``, ``role`` or ``disabled``; ``False`` when there is no such
        user."""
        if values.get("role", ROLES[0]) not in ROLES:
            raise ValueError(f"unknown role {values['role']!r}")
        with write_transaction(self._engine) as conn:
            done = conn.execute(update(users).where(users.c.username == username)
                                .values(**values, updated_at=_now()))
        return bool(done.rowcount)

    def user(self, username: str) -> WebUser | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        return None if row is None else WebUser(row.username, row.password_hash, row.role,
                                                bool(row.disabled))

    def users(self) -> list[WebUser]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.username)).all()
        return [WebUser(r.username, r.password_hash, r.role, bool(r.disabled)) for r in rows]

    # -- uploads -------------------------------------------------------------------------
    def record_upload(self, *, sha256: str, file_name: str, size_bytes: int, username: str,
                      status: str, outcome: dict[str, Any]) -> None:
        with write_transaction(self._engine) as conn:
            conn.execute(insert(uploads).values(
                sha256=sha256, file_name=file_name, size_bytes=size_bytes, username=username,
                status=status, outcome_json=json.dumps(outcome, sort_keys=True, default=str),
                uploaded_at=_now()))

    def first_ingest(self, sha256: str) -> FirstIngest | None:
        """When this content was first stored (ingested or quarantined) and by which upload
        user; ``None`` when it never was."""
        with self._engine.connect() as conn:
            stored = conn.execute(select(files.c.ingested_at)
                                  .where(files.c.sha256 == sha256)).scalar()
            if stored is None:
                return None
            first = conn.execute(
                select(uploads.c.username).where(uploads.c.sha256 == sha256,
                                                 uploads.c.status != "already_ingested")
                .order_by(uploads.c.id).limit(1)).scalar()
        return FirstIngest(stored, first)

    def recent_uploads(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest uploads, newest first (file name, size, user, status, outcome)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(uploads).order_by(uploads.c.id.desc())
                                .limit(limit)).mappings().all()
        return [{**row, "outcome": json.loads(row["outcome_json"] or "{}")} for row in rows]

    def file_rejects(self, sha256: str, limit: int = 500) -> tuple[str | None, list[dict]]:
        """(the file's name, its rejected rows: line, reason, raw), by content."""
        with self._engine.connect() as conn:
            name = conn.execute(select(files.c.file_name)
                                .where(files.c.sha256 == sha256)).scalar()
            rows = conn.execute(
                select(rejects.c.source_line, rejects.c.reason, rejects.c.raw)
                .where(rejects.c.source_sha256 == sha256)
                .order_by(rejects.c.source_line, rejects.c.id).limit(limit)).mappings().all()
        return name, [dict(r) for r in rows]

    def balance_check(self, sha256: str) -> str | None:
        """A bank file's statement balance check in words (``balances``, ``does not balance:
        off by ...``, ``closing balance only``), ``None`` when it holds no balances."""
        from pipeline.report_details import balance_checks
        from pipeline.store import reads

        b, t = tables.statement_balances, tables.bank_transactions
        with self._engine.connect() as conn:
            balances = reads.select_frame(
                conn, select(*[b.c[n] for n in reads.BALANCE_SPEC])
                .where(b.c.source_sha256 == sha256), reads.BALANCE_SPEC)
            lines = reads.select_frame(
                conn, select(t.c.id.label("payment_id"),
                             *[t.c[n] for n in list(reads.BANK_SPEC)[1:]])
                .where(t.c.source_sha256 == sha256), reads.BANK_SPEC)
        checks = balance_checks(balances, lines)
        return str(checks.iloc[0]) if len(checks) else None

    def upload_count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(uploads)).scalar() or 0)
