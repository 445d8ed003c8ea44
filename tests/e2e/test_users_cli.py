"""``payrecon users add|passwd|disable``."""

from __future__ import annotations

from pipeline.passwords import verify_password
from pipeline.store import WebStore


def test_users_are_added_given_a_password_and_disabled(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'payrecon.db'}"
    from typer.testing import CliRunner

    from flows.cli import app

    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "alice", "--role", "reviewer", "--db", url],
                          input="correct horse battery\ncorrect horse battery\n")
    assert added.exit_code == 0, added.output
    assert "alice added as reviewer" in added.output
    again = runner.invoke(app, ["users", "add", "alice", "--db", url],
                          input="correct horse battery\ncorrect horse battery\n")
    assert again.exit_code == 1
    short = runner.invoke(app, ["users", "passwd", "alice", "--db", url], input="short\nshort\n")
    assert short.exit_code == 2
    changed = runner.invoke(app, ["users", "passwd", "alice", "--db", url],
                            input="another long one\nanother long one\n")
    assert changed.exit_code == 0
    assert cli("users", "disable", "alice", "--db", url).exit_code == 0
    assert cli("users", "disable", "nobody", "--db", url).exit_code == 1
    with WebStore(url) as store:
        alice = store.user("alice")
    assert alice.disabled and alice.role == "reviewer"
    assert verify_password(alice.password_hash, "another long one")


def test_an_unknown_role_is_a_usage_error(cli, tmp_path):
    result = cli("users", "add", "bob", "--role", "owner", "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.exit_code == 2 and "unknown role" in result.output
