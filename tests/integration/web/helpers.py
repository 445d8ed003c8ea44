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


def cash_deposit_csv(description: str = "SETORAN TUNAI") -> bytes:
    """A small IDR bank statement whose one line pays, naming nothing, the amount of the demo's
    open invoice 10917 (the only one of that balance): a second suggestion to review."""
    quoted = description.replace('"', '""')
    return ("Date,Description,Amount,Currency,Balance\n"
            f'2026-11-18,"{quoted}",999000.00,IDR,999000.00\n').encode()


def demo_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(DEMO.iterdir()) if p.is_file()]


def upload(client, *files: tuple[str, bytes]):
    """Post files to the Upload form (its CSRF token included); the response."""
    token = csrf_in(client.get("/upload").text)
    return client.post("/upload", data={"csrf_token": token},
                       files=[("files", (name, body)) for name, body in files])
