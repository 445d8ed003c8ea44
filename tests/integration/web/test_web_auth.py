"""Logging in, sessions, CSRF, roles and security headers of the web front."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.web.guard import all_routes, state_changing_checks
from flows.web.sessions import COOKIE
from tests.integration.web.helpers import PASSWORD, csrf_in, log_in

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def test_nothing_but_login_static_files_and_health_is_reachable_without_a_session(client):
    for path in ("/", "/today", "/upload", "/runs", "/users", "/lists/unmatched"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/login").status_code == 200
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/static/app.css").status_code == 200


def test_a_user_logs_in_with_the_right_password_only(client):
    assert log_in(client, "alice", "wrong password!").status_code == 401
    assert log_in(client, "nobody", PASSWORD).status_code == 401
    response = log_in(client, "alice")
    assert response.status_code == 303 and response.headers["location"] == "/today"
    assert "alice" in client.get("/today").text


def test_the_session_id_is_replaced_at_login_so_a_planted_session_is_worthless(app, client):
    from fastapi.testclient import TestClient

    client.get("/login")
    planted = client.cookies[COOKIE]  # what an attacker could have set in the victim's browser
    assert log_in(client, "alice").status_code == 303
    assert client.cookies[COOKIE] != planted
    with TestClient(app, base_url="http://127.0.0.1") as attacker:
        attacker.cookies.set(COOKIE, planted)
        assert attacker.get("/today", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_http_only_and_same_site(client):
    log_in(client, "alice")
    header = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header


def test_a_session_ends_after_its_idle_timeout(app, client):
    log_in(client, "alice")
    sessions = app.state.sessions
    later = dt.datetime.now(dt.UTC) + sessions.idle + dt.timedelta(seconds=1)
    sessions.clock = lambda: later
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_a_forged_cookie_is_no_session(client):
    client.cookies.set(COOKIE, "not-signed-by-us")
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_logins_are_rate_limited_per_user_name_and_address(client, web_config):
    for _ in range(web_config.settings.web.login_attempts):
        assert log_in(client, "alice", "wrong password!").status_code == 401
    assert log_in(client, "alice").status_code == 429  # even the right password, for a while


def test_a_disabled_user_is_logged_out_and_cannot_log_in(app, as_user, client):
    alice = as_user("alice")
    app.state.store.update_user("alice", disabled=True)
    assert alice.get("/today", follow_redirects=False).status_code == 303
    assert log_in(client, "alice").status_code == 401


def test_the_login_form_itself_needs_its_csrf_token(client):
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403


def test_every_page_carries_the_security_headers(client):
    for path in ("/login", "/health", "/static/app.js"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_no_template_has_inline_script_or_handlers():
    import re
    from pathlib import Path

    from flows.web.app import HERE

    for template in Path(HERE / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "hx-on" not in text, template.name


# -- every state-changing route ------------------------------------------------------------


def state_changing_routes(app) -> list:
    routes = [r for r in all_routes(app.routes) if set(getattr(r, "methods", ())) & STATE_CHANGING]
    assert len(routes) >= 4
    return routes


def concrete(path: str) -> str:
    return path.replace("{username}", "alice").replace("{sha256}", "0" * 64)


def test_every_state_changing_route_checks_session_role_and_csrf(app):
    for route in state_changing_routes(app):
        if route.path == "/login":
            continue  # checked above: its own CSRF token, before any session exists
        assert state_changing_checks(route), f"{route.path} changes state without a guard"


def test_every_state_changing_route_refuses_a_request_without_a_session(app, client):
    for route in state_changing_routes(app):
        if route.path != "/login":
            assert client.post(concrete(route.path)).status_code == 401, route.path


def test_every_state_changing_route_refuses_a_request_without_the_csrf_token(app, as_user):
    adam = as_user("adam")  # the admin: only the missing token can refuse him
    for route in state_changing_routes(app):
        if route.path != "/login":
            response = adam.post(concrete(route.path), data={"username": "x"})
            assert response.status_code == 403, route.path


def test_an_accountant_is_refused_every_route_above_the_accountant_role(app, as_user):
    alice = as_user("alice")
    token = csrf_in(alice.get("/today").text)
    refused = 0
    for route in state_changing_routes(app):
        (check,) = state_changing_checks(route) or [None]
        if check is None or check.role == "accountant":
            continue
        response = alice.post(concrete(route.path),
                              data={"csrf_token": token, "username": "mallory",
                                    "password": "long enough password", "role": "admin"})
        assert response.status_code == 403, route.path
        refused += 1
    assert refused >= 2
    assert app.state.store.user("mallory") is None


@pytest.mark.parametrize("role_user", ["alice", "rita"])
def test_only_an_admin_sees_the_users_page(as_user, role_user):
    assert as_user(role_user).get("/users").status_code == 403
    assert as_user("adam").get("/users").status_code == 200


def test_an_admin_adds_a_user_who_can_then_log_in(as_user, client):
    adam = as_user("adam")
    token = csrf_in(adam.get("/users").text)
    response = adam.post("/users", data={"csrf_token": token, "username": "nina",
                                         "password": "another long one", "role": "reviewer"})
    assert response.status_code == 200 and "nina" in response.text
    assert log_in(client, "nina", "another long one").status_code == 303


def test_after_logout_the_old_cookie_opens_nothing(as_user):
    alice = as_user("alice")
    cookie = alice.cookies[COOKIE]
    token = csrf_in(alice.get("/today").text)
    assert alice.post("/logout", data={"csrf_token": token},
                      follow_redirects=False).status_code == 303
    alice.cookies.set(COOKIE, cookie)
    assert alice.get("/today", follow_redirects=False).status_code == 303
