"""The review web app: ``create_app(store_url, settings)`` builds a FastAPI application over one
store, with the JSON API under ``/api/`` (OpenAPI at ``/openapi.json``) and server-rendered
review pages that use the same store calls.

Errors answer ``{"ok": false, "error": ...}`` with a matching status: 400 bad input, 401 not
logged in, 403 bad CSRF token, 404 unknown id, 413 body too large, 415 not JSON, 422 invalid
field, 500 store failure. Every response carries a strict Content-Security-Policy (scripts only
from this server), so even an escaping mistake could not run a script from an article.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasad import __version__
from rasad.api.auth import Auth
from rasad.errors import InputError, RasadError
from rasad.store import NotFound, ReviewError, Store, open_store

HERE = Path(__file__).parent
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """How the app runs. ``tile_url`` None shows markers on a blank map (offline)."""

    login_required: bool = False
    tile_url: str | None = None
    tile_attribution: str = ""
    max_body_bytes: int = 64 * 1024
    secret_key: str | None = None
    secure_cookies: bool = False
    page_size: int = 50
    max_page_size: int = 500


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413, whether the
    client declares a Content-Length or streams chunks. The body (small by definition) is
    read here first and replayed to the app, so an oversized stream never reaches a route."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(self.limit)(scope, receive, send)
            return
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            seen += len(message.get("body", b""))
            if seen > self.limit:
                await _too_large(self.limit)(scope, receive, send)
                return
            if message["type"] != "http.request" or not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response (a plain ASGI wrapper:
    cheaper than an ``@app.middleware`` function, which copies each response body)."""

    def __init__(self, app: Any, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"ok": False, "error": f"request body larger than {limit} bytes"},
                        status_code=413)


def security_headers(tile_url: str | None) -> dict[str, str]:
    img = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}.", "*."))
        img += f" {parts.scheme}://{parts.netloc}"
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {img}; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }


def _status_of(exc: RasadError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, ReviewError):
        return 422
    if isinstance(exc, InputError):
        return 400
    return 500


def _install_error_handlers(app: FastAPI) -> None:
    async def rasad_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RasadError)
        return await _error_response(request, _status_of(exc), str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return await _error_response(request, exc.status_code, str(exc.detail))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = [{"where": ".".join(str(p) for p in e.get("loc", ())), "error": e.get("msg")}
                   for e in exc.errors()]
        text = "; ".join(f"{d['where']}: {d['error']}" for d in details)
        return JSONResponse({"ok": False, "error": f"invalid request: {text}",
                             "details": details}, status_code=422)

    async def unexpected(request: Request, exc: Exception) -> Response:
        """A bug: answer in the API's shape without details (the server log has them)."""
        return await _error_response(request, 500, "internal error")

    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(RasadError, rasad_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)


async def _error_response(request: Request, status: int, message: str) -> Response:
    """JSON under /api/ (and for API clients); an HTML page for browsers on the pages."""
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    from rasad.api.pages import error_page

    return error_page(request, status, message)


def create_app(store_url: str | None, settings: ServeSettings | None = None,
               store: Store | None = None) -> FastAPI:
    """The app over the store at ``store_url`` (opened, and migrated, now)."""
    settings = settings or ServeSettings()
    opened = store or open_store(store_url)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if store is None:
            opened.close()

    app = FastAPI(title="rasad review API", version=__version__, lifespan=lifespan,
                  docs_url="/api/docs", redoc_url=None,
                  description="Events coded from Arabic conflict news, with evidence offsets, "
                              "review actions and an audit trail.")
    app.state.store = opened
    app.state.settings = settings
    app.state.auth = Auth(opened, settings.secret_key or os.environ.get("RASAD_SECRET_KEY"),
                          settings.login_required, settings.secure_cookies)
    app.add_middleware(SecurityHeaders, headers=security_headers(settings.tile_url))
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    _install_error_handlers(app)
    from rasad.api import pages, routes

    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
