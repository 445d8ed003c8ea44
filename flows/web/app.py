"""The web front's FastAPI app: :func:`create_app` on a :class:`WebConfig`.

Every page needs a login except the login form, ``/static`` and ``/health``. Every response
carries the security headers (a CSP with no inline script, no framing); request bodies above
the upload limit are refused before they are read.
"""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from flows.web.browsing import amount
from flows.web.guard import CSRF_FIELD, LoginNeeded
from flows.web.sessions import LoginLimiter, Sessions
from flows.web.today import LISTS
from pipeline.settings import Settings, data_folder

HERE = Path(__file__).resolve().parent
MAX_FILES = 20  # files per upload request
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass(frozen=True)
class WebConfig:
    """What the app serves: the settings, the database URL (password in the environment),
    the report folder of nightly runs, and a fixed as-of date (the demo's) or ``None``
    (today in the business timezone)."""

    settings: Settings
    db_url: str
    report_dir: Path
    as_of: str | None = None
    secure_cookies: bool = False  # set behind HTTPS

    @property
    def data_dir(self) -> Path:
        return data_folder(self.settings)

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.web.max_upload_mb * 1024 * 1024


def create_app(config: WebConfig) -> FastAPI:
    """The app, its store opened for its lifetime (closed at shutdown)."""
    from pipeline.database_url import with_password
    from pipeline.store import WebStore

    store = WebStore(with_password(config.db_url))

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # noqa: ANN202
        try:
            yield
        finally:
            store.close()

    app = FastAPI(title="payrecon", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    web = config.settings.web
    app.state.config = config
    app.state.store = store
    app.state.sessions = Sessions(idle=dt.timedelta(minutes=web.idle_timeout_minutes))
    app.state.limiter = LoginLimiter(web.login_attempts,
                                     dt.timedelta(minutes=web.login_window_minutes))
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _handlers(app)
    app.add_middleware(BodyLimit, limit=config.max_upload_bytes * MAX_FILES + (1 << 20))
    app.middleware("http")(_security_headers)
    from flows.web import (
        detail_routes,
        list_routes,
        pages,
        review_routes,
        upload_routes,
        user_routes,
    )

    for module in (user_routes, pages, upload_routes, review_routes, list_routes, detail_routes):
        app.include_router(module.router)
    return app


def templates() -> Jinja2Templates:
    """Jinja2 with autoescape on for every template (all output is escaped)."""
    found = Jinja2Templates(directory=HERE / "templates")
    found.env.autoescape = True
    found.env.globals["csrf_field"] = CSRF_FIELD
    found.env.filters["amount"] = amount
    found.env.globals["list_tabs"] = [(k, title) for k, (title, _) in LISTS.items()
                                      if k != "review"]
    return found


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Any:
    """A page, with the visitor (if any) and their CSRF token in the context."""
    visitor = getattr(request.state, "visitor", None)
    context.setdefault("visitor", visitor)
    context.setdefault("csrf", visitor.session.csrf if visitor else "")
    return request.app.state.templates.TemplateResponse(request, template, context,
                                                        status_code=status_code)


async def _security_headers(request: Request, call_next: Any) -> Any:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginNeeded)
    async def _login(request: Request, _exc: LoginNeeded) -> Any:
        if request.method in ("GET", "HEAD"):
            target = quote(request.url.path, safe="/")
            return RedirectResponse(f"/login?next={target}", status_code=303)
        return PlainTextResponse("log in first", status_code=401)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        if request.method in ("GET", "HEAD") and exc.status_code in (403, 404):
            return render(request, "error.html", status_code=exc.status_code,
                          message=str(exc.detail))
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    @app.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})


class BodyLimit:
    """ASGI middleware: a request body above ``limit`` bytes is refused with 413, by its
    Content-Length at once, else as soon as that many bytes arrived."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await PlainTextResponse("the upload is too large", status_code=413)(
                scope, receive, send)
            return
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise StarletteHTTPException(413, "the upload is too large")
            return message

        await self.app(scope, counted, send)
