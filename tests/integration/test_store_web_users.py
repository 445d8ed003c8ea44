"""The web front's users and uploads in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from pipeline.passwords import hash_password, verify_password
from pipeline.store import WebStore


@pytest.fixture
def web_store(store_url):
    with WebStore(store_url) as store:
        yield store


def test_a_user_is_stored_with_a_hash_and_a_role(web_store):
    assert web_store.add_user("alice", hash_password("correct horse battery"), "accountant")
    alice = web_store.user("alice")
    assert alice.role == "accountant" and not alice.disabled
    assert "correct horse" not in alice.password_hash
    assert verify_password(alice.password_hash, "correct horse battery")
    assert not verify_password(alice.password_hash, "wrong horse battery")


def test_a_user_name_is_taken_once(web_store):
    assert web_store.add_user("alice", "h", "reviewer")
    assert not web_store.add_user("alice", "h", "admin")
    assert [u.role for u in web_store.users()] == ["reviewer"]


def test_an_unknown_role_is_refused(web_store):
    with pytest.raises(ValueError, match="unknown role"):
        web_store.add_user("bob", "h", "owner")


def test_a_user_is_disabled_and_given_a_new_password(web_store):
    web_store.add_user("alice", "old", "accountant")
    assert web_store.update_user("alice", disabled=True)
    assert web_store.user("alice").disabled
    assert web_store.update_user("alice", password_hash="new", disabled=False)
    assert web_store.user("alice").password_hash == "new"
    assert not web_store.update_user("nobody", disabled=True)


def test_the_first_upload_of_a_content_names_its_user(web_store):
    sha = "a" * 64
    assert web_store.first_ingest(sha) is None
    web_store.quarantine(file_name="x.csv", sha256=sha, reason="unreadable")
    web_store.record_upload(sha256=sha, file_name="x.csv", size_bytes=3, username="alice",
                            status="quarantined", outcome={"reason": "unreadable"})
    web_store.record_upload(sha256=sha, file_name="y.csv", size_bytes=3, username="rita",
                            status="already_ingested", outcome={})
    first = web_store.first_ingest(sha)
    assert first.username == "alice" and first.ingested_at is not None
    assert [u["username"] for u in web_store.recent_uploads()] == ["rita", "alice"]
    assert web_store.recent_uploads()[1]["outcome"] == {"reason": "unreadable"}
