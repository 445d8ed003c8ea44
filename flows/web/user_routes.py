"""Logging in and out, and the admin's users page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from flows.web.app import render
from flows.web.guard import AccountantChange, AdminChange, AdminViewer, require_csrf
from flows.web.sessions import COOKIE, Session
from pipeline.passwords import hash_password, password_problem, verify_password
from pipeline.store.web import ROLES

router = APIRouter()
# Verified when the user name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("payrecon-no-such-user")


def _set_cookie(request: Request, response: Any, session: Session) -> Any:
    config = request.app.state.config
    response.set_cookie(COOKIE, request.app.state.sessions.cookie_value(session),
                        httponly=True, samesite="strict", secure=config.secure_cookies,
                        path="/")
    return response


def _local(target: str | None) -> str:
    """Only a path of this site is a place to go after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/today"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Any:  # noqa: A002
    sessions = request.app.state.sessions
    session = sessions.find(request.cookies.get(COOKIE)) or sessions.new()
    response = render(request, "login.html", csrf=session.csrf, next=_local(next))
    return _set_cookie(request, response, session)


@router.post("/login")
async def login(request: Request, username: Annotated[str, Form()] = "",
                password: Annotated[str, Form()] = "",
                next: Annotated[str, Form()] = "/today") -> Any:  # noqa: A002
    state = request.app.state
    old = state.sessions.find(request.cookies.get(COOKIE))
    if old is None:
        return RedirectResponse("/login", status_code=303)
    await require_csrf(request, old)
    address = request.client.host if request.client else "?"
    if state.limiter.blocked(username, address):
        return render(request, "login.html", status_code=429, csrf=old.csrf, next=next,
                      error="Too many failed logins: wait a few minutes and try again.")
    user = state.store.user(username)
    good = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not good or user is None or user.disabled:
        state.limiter.failed(username, address)
        return render(request, "login.html", status_code=401, csrf=old.csrf, next=next,
                      error="Wrong user name or password.")
    state.limiter.succeeded(username, address)
    session = state.sessions.login(old, user.username)  # a new id: no session fixation
    return _set_cookie(request, RedirectResponse(_local(next), status_code=303), session)


@router.post("/logout")
def logout(request: Request, visitor: AccountantChange) -> Any:
    request.app.state.sessions.end(visitor.session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/users")
def users_page(request: Request, visitor: AdminViewer) -> Any:
    return render(request, "users.html", users=request.app.state.store.users(), roles=ROLES)


@router.post("/users")
def add_user(request: Request, username: Annotated[str, Form()],
             password: Annotated[str, Form()], role: Annotated[str, Form()],
             visitor: AdminChange) -> Any:
    store = request.app.state.store
    problem = password_problem(password) or (None if role in ROLES else "unknown role")
    if not problem and not store.add_user(username.strip(), hash_password(password), role):
        problem = f"the user {username.strip()} already exists"
    return render(request, "users.html", status_code=400 if problem else 200,
                  users=store.users(), roles=ROLES,
                  message=problem or f"user {username.strip()} added as {role}")


@router.post("/users/{username}/disable")
def disable_user(request: Request, username: str, visitor: AdminChange) -> Any:
    store = request.app.state.store
    found = store.update_user(username, disabled=True)
    if found:
        request.app.state.sessions.end_user(username)
    return render(request, "users.html", status_code=200 if found else 404, users=store.users(),
                  roles=ROLES, message=f"{username} disabled" if found else "no such user")
