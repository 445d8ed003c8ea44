"""Shared helpers of the web front's tests: the test password, the CSRF token of a page, the
login form."""

from __future__ import annotations

import re
from pathlib import Path

PASSWORD = "correct horse battery"
ROLE_USERS = {"alice": "accountant", "rita": "reviewer", "adam": "admin"}
DEMO = Path(__file__).resolve().parents[3] / "sample_data" / "demo"
BAD = DEMO.parent / "bad"


def csrf_in(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def log_in(client, username: str, password: str = PASSWORD):
    """Log in through the login form (its CSRF token included); the response, not followed."""
    token = csrf_in(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token}, follow_redirects=False)
