"""Sessions, CSRF tokens and login rate limiting, kept in the server's memory.

The cookie holds only a random session id signed with a per-process key (itsdangerous), so a
restart logs everyone out. A session ends after ``idle`` without a request; its id is replaced
at login (no session fixation). Each session has its own CSRF token, sent back by every form.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "payrecon_session"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Session:
    sid: str
    csrf: str
    username: str | None  # None: not logged in yet (the login form's session)
    last_seen: dt.datetime


@dataclass
class Sessions:
    """Server-side sessions behind signed cookies, with an idle timeout."""

    idle: dt.timedelta
    clock: Callable[[], dt.datetime] = _now
    _key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _by_id: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def _signer(self) -> URLSafeSerializer:
        return URLSafeSerializer(self._key, salt="payrecon-session")

    def cookie_value(self, session: Session) -> str:
        return self._signer.dumps(session.sid)

    def new(self, username: str | None = None) -> Session:
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), username,
                          self.clock())
        with self._lock:
            self._by_id[session.sid] = session
        return session

    def find(self, cookie: str | None) -> Session | None:
        """The live session of a cookie (its idle clock restarted), else ``None``."""
        if not cookie:
            return None
        try:
            sid = self._signer.loads(cookie)
        except BadSignature:
            return None
        with self._lock:
            session = self._by_id.get(sid)
            if session is None:
                return None
            now = self.clock()
            if now - session.last_seen > self.idle:
                del self._by_id[sid]
                return None
            session = self._by_id[sid] = replace(session, last_seen=now)
        return session

    def login(self, old: Session | None, username: str) -> Session:
        """A fresh session (new id, new CSRF token) for ``username``; the old one is gone."""
        self.end(old)
        return self.new(username)

    def end(self, session: Session | None) -> None:
        if session is not None:
            with self._lock:
                self._by_id.pop(session.sid, None)

    def end_user(self, username: str) -> None:
        """End every session of a user (disabled, or password changed)."""
        with self._lock:
            for sid in [s for s, v in self._by_id.items() if v.username == username]:
                del self._by_id[sid]


@dataclass
class LoginLimiter:
    """At most ``attempts`` failed logins per (user name, client address) in ``window``."""

    attempts: int
    window: dt.timedelta
    clock: Callable[[], dt.datetime] = _now
    _failures: dict[tuple[str, str], list[dt.datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str]) -> list[dt.datetime]:
        since = self.clock() - self.window
        recent = [t for t in self._failures.get(key, []) if t > since]
        self._failures[key] = recent
        return recent

    def blocked(self, username: str, address: str) -> bool:
        with self._lock:
            return len(self._recent((username.lower(), address))) >= self.attempts

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            self._recent((username.lower(), address)).append(self.clock())

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop((username.lower(), address), None)
