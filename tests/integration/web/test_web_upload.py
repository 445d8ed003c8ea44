"""Uploading through the web front: the inbox's ingest path, outcomes in words, limits."""

from __future__ import annotations

import pytest

from tests.integration.web.helpers import BAD, DEMO, csrf_in


def upload(client, *files: tuple[str, bytes]):
    token = csrf_in(client.get("/upload").text)
    return client.post("/upload", data={"csrf_token": token},
                       files=[("files", (name, body)) for name, body in files])


def demo_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(DEMO.iterdir()) if p.is_file()]


@pytest.fixture
def alice(as_user):
    return as_user("alice")


def test_the_demo_files_are_ingested_reconciled_and_shown_file_by_file(alice, app):
    response = upload(alice, *demo_files())
    assert response.status_code == 200
    page = response.text
    assert "7 read" in page and "reconciled as of 2026-11-20" in page
    for name, _ in demo_files():
        assert name in page
    assert "statement balance: balances" in page or "closing balance only" in page
    today = alice.get("/today").text
    assert "Needs you" in today and "IDR" in today and "USD" in today
    runs = alice.get("/runs").text
    assert "upload" in runs and "reconciliation-2026-11-20.xlsx" in runs


def test_a_second_upload_of_the_same_file_says_when_and_by_whom(alice, as_user):
    name, body = demo_files()[0]
    upload(alice, (name, body))
    again = upload(as_user("rita"), ("renamed.csv", body)).text
    assert "already ingested on " in again and "by alice" in again


def test_a_broken_file_is_quarantined_with_its_reason_in_words(alice):
    bad = BAD / "ofx-no-statement-data.ofx"
    page = upload(alice, (bad.name, bad.read_bytes())).text
    assert '<span class="badge quarantined">quarantined</span>' in page
    assert "no statement data: no transaction (STMTTRN)" in page


def test_rejected_rows_open_with_their_line_and_reason(alice, app):
    bad = BAD / "bank-csv-truncated-last-row.csv"
    page = upload(alice, (bad.name, bad.read_bytes())).text
    link = next(part.split('"')[0] for part in page.split('href="')[1:]
                if part.startswith("/upload/") and "/rejects" in part.split('"')[0])
    rows = alice.get(link)
    assert rows.status_code == 200 and "Rejected rows of" in rows.text
    assert "<td class=\"n\">" in rows.text


def test_a_file_over_the_size_limit_is_refused_and_not_stored(alice, web_config):
    big = b"x" * (60 * 1024 * 1024)
    response = upload(alice, ("huge.csv", big))
    assert response.status_code == 413
    stored = [p for p in (web_config.data_dir / "uploads").rglob("*") if p.is_file()]
    assert stored == []


def test_a_request_body_far_over_the_limit_is_refused_before_it_is_read(alice, web_config):
    from flows.web.app import MAX_FILES

    token = csrf_in(alice.get("/upload").text)
    length = web_config.max_upload_bytes * MAX_FILES + (2 << 20)
    response = alice.post("/upload", content=b"", headers={
        "content-length": str(length), "content-type": "multipart/form-data; boundary=x",
        "x-csrf-token": token})
    assert response.status_code == 413


def test_a_path_traversal_file_name_is_stored_by_content_and_kept_only_as_data(
        alice, web_config, tmp_path, app):
    name, body = demo_files()[0]
    evil = "../../../../etc/" + name
    page = upload(alice, (evil, body)).text
    assert "1 read" in page
    stored = [p for p in (web_config.data_dir / "uploads").rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].name == stored[0].parent.parent.joinpath(
        stored[0].name).name
    import hashlib

    assert stored[0].name == hashlib.sha256(body).hexdigest()
    assert not (tmp_path / "etc").exists()
    assert app.state.store.recent_uploads(1)[0]["file_name"] == evil


@pytest.mark.parametrize("given, safe", [
    ("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), ("", "upload"),
    (".hidden", "hidden"), ("a<b>.csv", "a_b_.csv"), ("x" * 300 + ".csv", "x" * 110 + ".csv"),
])
def test_file_names_are_made_plain_names(given, safe):
    from flows.web.uploads import safe_name

    assert safe_name(given) == safe


def test_an_upload_without_files_says_so(alice):
    token = csrf_in(alice.get("/upload").text)
    response = alice.post("/upload", data={"csrf_token": token})
    assert response.status_code == 400 and "Choose at least one file" in response.text


def test_an_upload_reconciles_under_the_nightly_run_lock(alice, web_config):
    import threading

    from pipeline.store import Store

    token = csrf_in(alice.get("/upload").text)
    name, body = demo_files()[-1]
    answers = []

    def send() -> None:
        answers.append(alice.post("/upload", data={"csrf_token": token},
                                  files=[("files", (name, body))]))

    with Store(web_config.db_url) as store, store.run_lock():  # a night is reconciling
        sender = threading.Thread(target=send)
        sender.start()
        sender.join(timeout=4)
        assert sender.is_alive() and not answers  # the upload waits for the night
    sender.join(timeout=120)
    assert answers[0].status_code == 200 and "reconciled as of 2026-11-20" in answers[0].text
