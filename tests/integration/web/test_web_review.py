"""The review queue in the web front: decisions recorded in the ledger as ``payrecon review``
records them, in bulk too, matching by hand, roles, and the workbook regenerated to show them."""

from __future__ import annotations

import re

import pytest

from flows.web.guard import all_routes, state_changing_checks
from tests.integration.web.helpers import cash_deposit_csv, csrf_in, demo_files, upload


@pytest.fixture
def rita(as_user):
    """The reviewer, after the demo files and a cash deposit were uploaded: two suggestions."""
    client = as_user("rita")
    assert upload(client, *demo_files(), ("cash.csv", cash_deposit_csv())).status_code == 200
    return client


def suggestions_on(page: str) -> list[str]:
    return re.findall(r'name="match_id" value="([^"]+)" form="bulk"', page)


def decide(client, match_id: str, decision: str, query: str = ""):
    token = csrf_in(client.get("/review").text)
    return client.post(f"/review/decide{query}", data={"csrf_token": token,
                                                       "match_id": match_id,
                                                       "decision": decision})


def decisions(app) -> list[tuple[str, str, str]]:
    ledger = app.state.store.load_ledger()
    made = ledger[ledger["entry"] == "decision"]
    return list(zip(made["match_id"], made["status"], made["user"], strict=True))


def test_each_suggestion_shows_its_money_invoice_difference_rule_and_evidence(rita):
    page = rita.get("/review").text
    assert len(suggestions_on(page)) == 2
    for shown in ("350,000.00 IDR", "bank-bca-idr.csv:9", "SETORAN TUNAI", "10906",
                  "Rina Tanjung", "due 2026-09-29", "only the amount equals its balance",
                  "the only open invoice with this amount", "999,000.00 IDR", "10917"):
        assert shown in page, shown


def test_a_reviewer_approves_one_and_rejects_another_as_review_apply_records_them(rita, app):
    first, second = suggestions_on(rita.get("/review").text)
    approved = decide(rita, first, "approve")
    assert approved.status_code == 200 and "approved by rita" in approved.text
    rejected = decide(rita, second, "reject")
    assert "rejected by rita" in rejected.text
    assert sorted(decisions(app)) == sorted([(first, "confirmed", "rita"),
                                             (second, "rejected", "rita")])
    ledger = app.state.store.load_ledger()
    assert ((ledger["match_id"] == first) & (ledger["entry"] == "allocation")
            & (ledger["status"] == "confirmed")).sum() == 1
    assert suggestions_on(rejected.text) == []
    assert decide(rita, first, "approve").status_code == 409  # already decided


def test_ticked_suggestions_are_decided_at_once(rita, app):
    page = rita.get("/review").text
    ids = suggestions_on(page)
    response = rita.post("/review/bulk", data={"csrf_token": csrf_in(page), "match_id": ids,
                                               "decision": "reject"})
    assert "2 suggestion(s) rejected by rita" in response.text
    assert {status for _, status, _ in decisions(app)} == {"rejected"}


def test_the_queue_is_filtered_by_the_query_string_and_a_decision_keeps_the_filters(rita):
    only_usd = rita.get("/review?currency=USD").text
    assert suggestions_on(only_usd) == [] and "with these filters" in only_usd
    ids = suggestions_on(rita.get("/review?currency=idr&date_from=2026-11-01").text)
    assert len(ids) == 1
    kept = decide(rita, ids[0], "approve", "?currency=idr&date_from=2026-11-01")
    assert 'action="/review/bulk?currency=idr&amp;date_from=2026-11-01"' in kept.text


def test_an_accountant_sees_no_decision_buttons_and_is_refused_a_decision(rita, as_user, app):
    (match_id, _) = suggestions_on(rita.get("/review").text)
    alice = as_user("alice")
    page = alice.get("/review").text
    assert "10906" in page and 'class="primary approve"' not in page
    assert suggestions_on(page) == [] and "Regenerate workbook" not in page
    refused = alice.post("/review/decide", data={"csrf_token": csrf_in(page),
                                                 "match_id": match_id, "decision": "approve"})
    assert refused.status_code == 403 and decisions(app) == []


def test_the_review_routes_are_among_the_enumerated_state_changing_routes(app):
    guarded = {r.path: state_changing_checks(r) for r in all_routes(app.routes)
               if "POST" in getattr(r, "methods", ())}
    for path in ("/review/decide", "/review/bulk", "/review/manual", "/review/refresh"):
        (check,) = guarded[path]
        assert check.role == "reviewer", path


def test_money_is_matched_by_hand_to_a_searched_invoice_as_a_confirmed_allocation(rita, app):
    unmatched = rita.get("/lists/unmatched").text
    link = re.search(r'href="(/money/bank/\d+)">[0-9,.]+ IDR', unmatched).group(1)
    found = rita.get(f"{link}?q=10917")
    assert "Allocate to this invoice" in found.text and "999,000.00 IDR" in found.text
    form = dict(re.findall(r'name="(payment_kind|payment_id|invoice_number)" value="([^"]+)"',
                           found.text))
    done = rita.post("/review/manual", data={"csrf_token": csrf_in(found.text), **form})
    assert done.status_code == 200 and "Matched by hand to 10917 by rita" in done.text
    ledger = app.state.store.load_ledger()
    manual = ledger[(ledger["rule"] == "manual") & (ledger["entry"] == "allocation")]
    assert list(manual["status"]) == ["confirmed"] and list(manual["user"]) == ["rita"]


def test_the_regenerated_workbook_shows_the_decisions(rita, app):
    import io

    from openpyxl import load_workbook

    first, second = suggestions_on(rita.get("/review").text)
    decide(rita, first, "approve")
    decide(rita, second, "reject")
    page = rita.get("/review").text
    done = rita.post("/review/refresh", data={"csrf_token": csrf_in(page)})
    assert "reports rewritten" in done.text
    runs = rita.get("/runs").text
    link = re.search(r'href="(/runs/[0-9a-f]+/files/reconciliation-2026-11-20.xlsx)"', runs)
    book = load_workbook(io.BytesIO(rita.get(link.group(1)).content), read_only=True)
    rows = [[str(c) for c in row] for row in book["Decisions"].iter_rows(values_only=True)]
    shown = {(row[2], row[1]) for row in rows[1:]}
    assert shown == {("approved", "rita"), ("rejected", "rita")}, rows[:3]


def test_lists_page_with_keyset_links_that_keep_the_filters(rita, monkeypatch):
    from flows.web import list_routes

    monkeypatch.setattr(list_routes, "PAGE_ROWS", 2)
    first = rita.get("/lists/unmatched?date_from=2026-01-01").text
    link = re.search(r'href="([^"]+)" id="next-page"', first)
    assert link and "date_from=2026-01-01" in link.group(1) and "after=" in link.group(1)
    second = rita.get("/lists/unmatched" + link.group(1).replace("&amp;", "&")).text
    assert rows_of(second) and not set(rows_of(second)) & set(rows_of(first))
    assert "SETORAN" not in rita.get("/lists/unmatched?currency=USD").text


def rows_of(page: str) -> list[str]:
    return re.findall(r'href="(/money/[a-z]+/\d+)"', page)


@pytest.mark.parametrize("name", ["unmatched", "exceptions", "payouts", "tickets", "credits",
                                  "overdue"])
def test_every_list_reads_the_store_and_links_its_rows(rita, name):
    page = rita.get(f"/lists/{name}")
    assert page.status_code == 200
    assert "Nothing here." not in page.text or name == "credits"  # the demo keeps no credit
    assert "/money/" in page.text or "/invoices/" in page.text or name in ("payouts", "credits")


def test_an_invoice_page_shows_its_money_history_exceptions_and_ledger(rita):
    first, _ = suggestions_on(rita.get("/review").text)
    decide(rita, first, "approve")
    page = rita.get("/invoices/10906").text
    for shown in ("Invoice 10906", "Rina Tanjung", "Money allocated", "Billing history",
                  "Exceptions", "approved by rita"):
        assert shown in page, shown
    assert rita.get("/invoices/NOPE").status_code == 404


def test_a_money_page_shows_the_candidates_and_why_each_was_taken_or_not(rita):
    page = rita.get("/review").text
    link = re.search(r'href="(/money/bank/\d+)"', page).group(1)
    money = rita.get(link).text
    assert "Candidates the engine considered" in money and "10906" in money
    assert re.search(r'badge (taken|suggested|dropped)', money)
    assert rita.get("/money/bank/999999").status_code == 404
    assert rita.get("/money/../etc/1").status_code == 404
