"""Who may see and change what: the login check, roles, and the CSRF check of every form that
changes state. Routes declare ``dependencies=[viewer(role)]`` or ``[changer(role)]``; a test
enumerates the app's state-changing routes and checks each one carries a :func:`changer`."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from flows.web.sessions import COOKIE, Session
from pipeline.store.web import ROLES, WebUser

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginNeeded(Exception):
    """No live session: a page redirects to the login form, a form post is refused (401)."""


@dataclass(frozen=True)
class Visitor:
    user: WebUser
    session: Session

    @property
    def may_review(self) -> bool:
        return rank(self.user.role) >= rank("reviewer")

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"


def rank(role: str) -> int:
    return ROLES.index(role) if role in ROLES else -1


def _visitor(request: Request, role: str) -> Visitor:
    state = request.app.state
    session = state.sessions.find(request.cookies.get(COOKIE))
    if session is None or session.username is None:
        raise LoginNeeded()
    user = state.store.user(session.username)
    if user is None or user.disabled:
        state.sessions.end(session)
        raise LoginNeeded()
    if rank(user.role) < rank(role):
        raise HTTPException(403, f"this needs the {role} role")
    visitor = Visitor(user, session)
    request.state.visitor = visitor
    return visitor


def viewer(role: str = "accountant") -> Any:
    """A dependency: a logged-in user with at least ``role`` (pages that only show)."""

    def check(request: Request) -> Visitor:
        return _visitor(request, role)

    check.role = role  # type: ignore[attr-defined]
    return Depends(check)


def changer(role: str) -> Any:
    """A dependency for a route that changes state: logged in, at least ``role``, and the
    session's CSRF token in the form (or the ``X-CSRF-Token`` header)."""

    async def check(request: Request) -> Visitor:
        visitor = _visitor(request, role)
        await require_csrf(request, visitor.session)
        return visitor

    check.role = role  # type: ignore[attr-defined]
    check.changes_state = True  # type: ignore[attr-defined]
    return Depends(check)


async def require_csrf(request: Request, session: Session) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not secrets.compare_digest(sent, session.csrf):
        raise HTTPException(403, "the form's security token is missing or stale: reload the page")


def state_changing_checks(route: Any) -> list[Callable]:
    """The :func:`changer` checks a route carries (what the route test looks for)."""
    dependant = getattr(route, "dependant", None)
    calls = [d.call for d in getattr(dependant, "dependencies", [])]
    return [c for c in calls if getattr(c, "changes_state", False)]


# What route parameters say: ``visitor: Viewer`` (any user may look), ``visitor: AdminChange``...
Viewer = Annotated[Visitor, viewer("accountant")]
AdminViewer = Annotated[Visitor, viewer("admin")]
AccountantChange = Annotated[Visitor, changer("accountant")]
ReviewerChange = Annotated[Visitor, changer("reviewer")]
AdminChange = Annotated[Visitor, changer("admin")]


def all_routes(routes: list[Any]) -> list[Any]:
    """Every route of an app, the included routers' too (FastAPI may keep those nested)."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found += all_routes(inner.routes) if inner is not None else [route]
    return found
