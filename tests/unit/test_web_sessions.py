"""Sessions and login limits of the web front (pure: a fake clock)."""

from __future__ import annotations

import datetime as dt

from flows.web.sessions import LoginLimiter, Sessions
from flows.web.uploads import safe_name

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_session_lives_while_used_and_ends_when_idle():
    clock = Clock()
    sessions = Sessions(idle=dt.timedelta(minutes=30), clock=clock)
    cookie = sessions.cookie_value(sessions.new("alice"))
    clock.now += dt.timedelta(minutes=29)
    assert sessions.find(cookie).username == "alice"
    clock.now += dt.timedelta(minutes=29)  # used a minute ago: still alive
    assert sessions.find(cookie) is not None
    clock.now += dt.timedelta(minutes=31)
    assert sessions.find(cookie) is None


def test_login_replaces_the_session_and_its_csrf_token():
    sessions = Sessions(idle=dt.timedelta(minutes=30))
    before = sessions.new()
    after = sessions.login(before, "alice")
    assert (after.sid, after.csrf) != (before.sid, before.csrf)
    assert sessions.find(sessions.cookie_value(before)) is None


def test_a_cookie_signed_by_another_server_is_no_session():
    mine, theirs = Sessions(idle=dt.timedelta(minutes=5)), Sessions(idle=dt.timedelta(minutes=5))
    assert mine.find(theirs.cookie_value(theirs.new("alice"))) is None


def test_failed_logins_block_for_the_window_then_expire():
    clock = Clock()
    limiter = LoginLimiter(attempts=3, window=dt.timedelta(minutes=15), clock=clock)
    for _ in range(3):
        limiter.failed("Alice", "10.0.0.1")
    assert limiter.blocked("alice", "10.0.0.1")
    assert not limiter.blocked("alice", "10.0.0.2")
    clock.now += dt.timedelta(minutes=16)
    assert not limiter.blocked("alice", "10.0.0.1")


def test_a_file_name_never_leaves_its_folder():
    assert safe_name("../../../etc/passwd") == "passwd"
    assert "/" not in safe_name("a/b\\c") and not safe_name("...").startswith(".")


def test_the_web_front_listens_on_loopback_with_a_50_mb_limit_unless_told():
    from pipeline.settings import WebSettings

    web = WebSettings()
    assert (web.host, web.max_upload_mb) == ("127.0.0.1", 50)
