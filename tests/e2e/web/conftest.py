"""The browser tests' shared parts: ``payrecon web`` on a fresh database with an accountant
and a reviewer, a headless Chromium, logging in, waiting for the server's answer, and saving
screenshots (``SCREENSHOTS_DIR``) for docs/."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.web.browser import chromium, free_port, start, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[3]
DEMO, BAD = ROOT / "sample_data" / "demo", ROOT / "sample_data" / "bad"
PASSWORD = "correct horse battery"
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # a folder: save the pages there too (docs/)


@pytest.fixture
def site(tmp_path):
    """``payrecon web`` on a fresh database with an accountant and a reviewer."""
    from pipeline.passwords import hash_password
    from pipeline.store import WebStore

    url = f"sqlite:///{tmp_path / 'data' / 'payrecon.db'}"
    with WebStore(url) as store:
        store.add_user("alice", hash_password(PASSWORD), "accountant")
        store.add_user("rita", hash_password(PASSWORD), "reviewer")
    port = free_port()
    process = start(["web", "--db", url, "--port", str(port)], tmp_path,
                    {"PAYRECON_FEE_TOLERANCE": '{"bank": {"USD": {"fixed": "5.00"}}}',
                     "PAYRECON_OUT": str(tmp_path / "reports")})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        yield base
    finally:
        stop(process)


@pytest.fixture
def browser():
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()


def log_in(driver, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/today")
    assert "/login" in driver.current_url
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    # the login page's own address ends with "?next=/today": wait for the path itself
    wait_for(driver, lambda d: urlsplit(d.current_url).path == "/today")


def wait_for(driver, condition, seconds: float = 300):
    """Wait until ``condition(driver)`` holds (a form post returns when the server answers).

    While the browser swaps the old page for the server's answer, an element found on the
    old page can vanish between finding it and reading it: Chromium then says it is stale,
    or "does not belong to the document". That is "not yet", never a failure."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(lambda d: page_swap_tolerant(condition, d))


PAGE_SWAP_WORDS = ("stale element", "does not belong to the document",
                   "no such execution context")


def page_swap_tolerant(condition, driver):
    """``condition(driver)``, or False when the page was swapped under it."""
    from selenium.common.exceptions import WebDriverException

    try:
        return condition(driver)
    except WebDriverException as error:
        if any(words in str(error).lower() for words in PAGE_SWAP_WORDS):
            return False
        raise


def shoot(driver, name: str) -> None:
    if SHOTS:
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1360, max(900, min(height + 40, 2400)))
        driver.save_screenshot(str(Path(SHOTS) / name))
        driver.set_window_size(1360, 900)
