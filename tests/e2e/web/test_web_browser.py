"""The web front in a real browser: log in, upload the demo files and a broken file, see each
outcome, and an accountant refused what needs a higher role."""

from __future__ import annotations

from tests.e2e.web.conftest import BAD, DEMO, log_in, shoot, wait_for


def test_an_accountant_uploads_the_demo_files_and_sees_every_outcome(site, browser):
    from selenium.webdriver.common.by import By

    log_in(browser, site, "alice")
    browser.get(f"{site}/upload")
    files = sorted(str(p) for p in DEMO.iterdir()) + [str(BAD / "ofx-no-statement-data.ofx")]
    browser.find_element(By.ID, "file-input").send_keys("\n".join(files))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chosen li")) == len(files)  # the JS ran
    browser.find_element(By.ID, "upload-button").click()
    outcomes = wait_for(browser, lambda d: d.find_elements(By.ID, "outcomes"))[0].text
    assert "7 read" in outcomes and "1 quarantined" in outcomes
    assert "no statement data: no transaction (STMTTRN)" in outcomes
    rows = browser.find_elements(By.CSS_SELECTOR, "table.outcomes tbody tr")
    assert len(rows) == len(files)
    shoot(browser, "web-upload.png")
    browser.get(f"{site}/today")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Needs you" in page and "Tie-out per currency" in page and "IDR" in page
    shoot(browser, "web-today.png")


def test_an_accountant_is_refused_what_needs_a_higher_role(site, browser):
    from selenium.webdriver.common.by import By

    log_in(browser, site, "alice")
    browser.get(f"{site}/users")
    assert "Not allowed" in browser.find_element(By.TAG_NAME, "h1").text
    browser.get(f"{site}/upload")
    token = browser.find_element(By.NAME, "csrf_token").get_attribute("value")
    status = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const body = new URLSearchParams({csrf_token: arguments[0], username: "mallory",
                                          password: "long enough password", role: "admin"});
        fetch("/users", {method: "POST", body: body}).then(r => done(r.status));
    """, token)
    assert status == 403


def test_a_form_without_its_csrf_token_or_session_is_refused(site, browser):
    log_in(browser, site, "rita")
    browser.get(f"{site}/upload")
    statuses = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        Promise.all([
          fetch("/logout", {method: "POST"}).then(r => r.status),
          fetch("/logout", {method: "POST", credentials: "omit"}).then(r => r.status),
        ]).then(done);
    """)
    assert statuses == [403, 401]
