"""Everything the pages show is escaped: a memo, a name or a ticket message that holds HTML or
a spreadsheet formula is shown as text."""

from __future__ import annotations

from tests.integration.web.helpers import csrf_in

PAYLOADS = ['<script>alert("memo")</script>', '=HYPERLINK("http://evil.example","x")',
            '"><img src=x onerror=alert(1)>']


def bank_csv() -> bytes:
    lines = ["Date,Description,Amount,Currency,Balance"]
    for n, text in enumerate(PAYLOADS, 1):
        quoted = text.replace('"', '""')
        lines.append(f'2026-11-0{n},"{quoted}",{n}00.00,USD,{n}00.00')
    return ("\n".join(lines) + "\n").encode()


def upload(client, name: str, body: bytes) -> str:
    token = csrf_in(client.get("/upload").text)
    return client.post("/upload", data={"csrf_token": token},
                       files=[("files", (name, body))]).text


def test_html_in_a_file_name_is_shown_as_text(as_user):
    page = upload(as_user("alice"), "<img src=x onerror=alert(1)>.csv", b"not a statement")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in page


def test_memos_with_html_or_formulas_are_inert_on_every_list(as_user):
    alice = as_user("alice")
    upload(alice, "memo-payloads.csv", bank_csv())
    shown = alice.get("/lists/unmatched").text + alice.get("/upload").text
    assert "<script>alert" not in shown and "<img src=x" not in shown
    for page in ("/today", "/runs", "/lists/unmatched", "/lists/exceptions"):
        assert "<script>alert" not in alice.get(page).text


def test_a_user_name_with_html_is_shown_as_text(as_user, app):
    from pipeline.passwords import hash_password

    app.state.store.add_user("<b>eve</b>", hash_password("a long password"), "accountant")
    page = as_user("adam").get("/users").text
    assert "<b>eve</b>" not in page and "&lt;b&gt;eve&lt;/b&gt;" in page
    token = csrf_in(page)
    assert token
