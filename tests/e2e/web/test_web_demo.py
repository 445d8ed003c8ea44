"""``payrecon demo --web``: the demo night, then the web front on the demo database with a
demo user whose password is printed once."""

from __future__ import annotations

import re

import httpx

from tests.e2e.web.browser import free_port, read_until, start, stop, wait_healthy


def test_demo_web_serves_the_demo_night_to_its_printed_demo_user(tmp_path):
    port = free_port()
    process = start(["demo", "--web"], tmp_path, {"PAYRECON_WEB__PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    try:
        found = read_until(process, r"log in as (\S+) with password (\S+) \(shown once\)")
        user, password = found.group(1), found.group(2)
        wait_healthy(base, process)
        with httpx.Client(base_url=base, follow_redirects=True) as client:
            form = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            response = client.post("/login", data={"username": user, "password": password,
                                                   "csrf_token": token})
            assert response.status_code == 200 and str(response.url).endswith("/today")
            assert "Reconciliation as of <strong>2026-11-20</strong>" in response.text
            assert "Needs you" in response.text
            runs = client.get("/runs").text
            assert "nightly" in runs and "reconciliation-2026-11-20.xlsx" in runs
            download = re.search(r'href="(/runs/[^"]+/files/postings.csv)"', runs).group(1)
            assert client.get(download).text.startswith("invoiceid")
    finally:
        stop(process)
