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


def test_a_memo_with_html_or_a_formula_is_inert_on_the_review_queue_and_detail_pages(as_user):
    import re

    from tests.integration.web.helpers import cash_deposit_csv, demo_files
    from tests.integration.web.helpers import upload as send

    rita = as_user("rita")
    memo = '<script>alert("memo")</script> =HYPERLINK("http://evil.example","x")'
    send(rita, *demo_files(), ("memo.csv", cash_deposit_csv(memo)))
    review = rita.get("/review").text
    assert "&lt;script&gt;alert(&#34;memo&#34;)&lt;/script&gt;" in review
    assert "<script>alert" not in review
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;x&#34;)" in review
    link = re.search(r'href="(/money/bank/\d+)"><strong[^>]*>999,000.00 IDR', review).group(1)
    for page in (link, link + "?q=%3Cscript%3E", "/invoices/10917", "/lists/unmatched"):
        shown = rita.get(page).text
        assert "<script>alert" not in shown, page
    assert "&lt;script&gt;alert" in rita.get(link).text
