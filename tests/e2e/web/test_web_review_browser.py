"""The review queue in a real browser: a reviewer approves one suggestion and rejects
another, regenerates the workbook and finds the decisions in it; an accountant sees no
decision buttons and a decision posted anyway is refused."""

from __future__ import annotations

import io
import re

import httpx

from tests.e2e.web.conftest import DEMO, log_in, shoot, wait_for
from tests.integration.web.helpers import cash_deposit_csv


def upload_demo_and_a_cash_deposit(driver, base: str, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    cash = tmp_path / "cash-deposit.csv"
    cash.write_bytes(cash_deposit_csv())
    driver.get(f"{base}/upload")
    files = [*sorted(str(p) for p in DEMO.iterdir()), str(cash)]
    driver.find_element(By.ID, "file-input").send_keys("\n".join(files))
    driver.find_element(By.ID, "upload-button").click()
    outcomes = wait_for(driver, lambda d: d.find_elements(By.ID, "outcomes"))[0].text
    assert "8 read" in outcomes


def click_and_wait(driver, element, words: str) -> str:
    """Click a form's button and wait for the page's message to say ``words``."""
    from selenium.webdriver.common.by import By

    element.click()
    return wait_for(driver, lambda d: [m.text for m in d.find_elements(By.ID, "message")
                                       if words in m.text])[0]


def test_a_reviewer_decides_and_the_regenerated_workbook_shows_it(site, browser, tmp_path):
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By

    log_in(browser, site, "rita")
    upload_demo_and_a_cash_deposit(browser, site, tmp_path)
    browser.get(f"{site}/review")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.suggestion")
    assert len(rows) == 2 and "10906" in rows[0].text and "10917" in rows[1].text
    assert "only the amount equals its balance" in rows[0].text
    shoot(browser, "web-review.png")
    click_and_wait(browser, rows[0].find_element(By.CSS_SELECTOR, "button.approve"),
                   "approved by rita")
    (left,) = browser.find_elements(By.CSS_SELECTOR, "tr.suggestion")
    click_and_wait(browser, left.find_element(By.CSS_SELECTOR, "button.reject"),
                   "rejected by rita")
    assert browser.find_elements(By.CSS_SELECTOR, "tr.suggestion") == []
    click_and_wait(browser, browser.find_element(By.ID, "refresh"), "reports rewritten")
    browser.get(f"{site}/runs")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "reconciliation-")  # the newest run
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    workbook = httpx.get(link.get_attribute("href"), cookies=cookies, timeout=60)
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(workbook.content), read_only=True)
    decided = [(row[1], row[2], row[3]) for row in
               book["Decisions"].iter_rows(min_row=2, values_only=True)]
    assert sorted(decided) == [("rita", "approved", "10906"), ("rita", "rejected", "10917")]


def test_an_accountant_sees_no_decision_buttons_and_cannot_approve(site, browser, tmp_path):
    from selenium.webdriver.common.by import By

    log_in(browser, site, "rita")
    upload_demo_and_a_cash_deposit(browser, site, tmp_path)
    browser.get(f"{site}/review")
    match_id = browser.find_element(By.CSS_SELECTOR, "input.tick").get_attribute("value")
    browser.delete_all_cookies()
    log_in(browser, site, "alice")
    browser.get(f"{site}/review")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.suggestion")) == 2
    assert browser.find_elements(By.CSS_SELECTOR, "button.approve, button.reject, #bulk") == []
    token = browser.find_element(By.NAME, "csrf_token").get_attribute("value")
    status = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const body = new URLSearchParams({csrf_token: arguments[0], match_id: arguments[1],
                                          decision: "approve"});
        fetch("/review/decide", {method: "POST", body: body}).then(r => done(r.status));
    """, token, match_id)
    assert status == 403
    assert re.search(r"10906", browser.find_element(By.TAG_NAME, "main").text)
