"""Reviewer accounts, sessions and CSRF protection for the review app.

Why this shape:
- Passwords are hashed with argon2id (argon2-cffi); the store keeps only the hash.
- A session is a signed cookie (HMAC-SHA256 over ``{sid, user, exp}``), HttpOnly and
  SameSite=Strict, so no server-side session table is needed and a forged or edited cookie is
  simply no session. Logging out revokes the session id in this process.
- Every state-changing request needs a logged-in user *and* a CSRF token bound to the session
  id: forms carry it in a hidden field, the page's scripts and API clients in the
  ``X-CSRF-Token`` header (``POST /api/login`` returns it). Logging in issues a fresh session
  id, so a token seen before login is worthless after it.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request, Response

from rasad.store import NotFound, Store

COOKIE_NAME = "rasad_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_SECONDS = 12 * 3600
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so timing does not reveal user names."""
    return _HASHER.hash("not a real password")


def hash_password(password: str) -> str:
    """argon2id hash of ``password`` (refuses empty or very short passwords)."""
    if not isinstance(password, str) or len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class Session:
    """A browser's session: ``user`` is None until it logs in."""

    sid: str
    user: str | None
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Auth:
    """Signs and reads session cookies, checks logins, read access and write permission."""

    def __init__(self, store: Store, secret: str | None = None, login_required: bool = False,
                 secure_cookies: bool = False) -> None:
        self.store = store
        self._key = (secret or secrets.token_hex(32)).encode("utf-8")
        self.login_required = login_required
        self.secure_cookies = secure_cookies
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    # -- cookies ------------------------------------------------------------------------
    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._key, payload, hashlib.sha256).hexdigest()

    def encode(self, session: Session) -> str:
        payload = json.dumps({"sid": session.sid, "u": session.user, "exp": session.expires},
                             separators=(",", ":")).encode("utf-8")
        return f"{_b64(payload)}.{self._sign(payload)}"

    def decode(self, cookie: str | None) -> Session | None:
        """The session in ``cookie``; None when absent, tampered with, expired or revoked."""
        if not cookie or "." not in cookie:
            return None
        body, signature = cookie.rsplit(".", 1)
        try:
            payload = _unb64(body)
            data: dict[str, Any] = json.loads(payload)
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(self._sign(payload), signature):
            return None
        session = Session(str(data.get("sid", "")), data.get("u"), int(data.get("exp", 0)))
        if session.expires < time.time() or not session.sid or session.sid in self._revoked:
            return None
        return session

    def new_session(self, user: str | None) -> Session:
        return Session(secrets.token_urlsafe(18), user, int(time.time()) + SESSION_SECONDS)

    def set_cookie(self, response: Response, session: Session) -> None:
        response.set_cookie(COOKIE_NAME, self.encode(session), max_age=SESSION_SECONDS,
                            httponly=True, samesite="strict", secure=self.secure_cookies,
                            path="/")

    def session(self, request: Request) -> Session | None:
        return self.decode(request.cookies.get(COOKIE_NAME))

    def csrf_token(self, session: Session) -> str:
        return self._sign(f"csrf|{session.sid}".encode())

    # -- login ----------------------------------------------------------------------------
    def login(self, name: str, password: str) -> Session | None:
        """A fresh logged-in session, or None for a wrong name or password."""
        try:
            user = self.store.get_user(name)
        except NotFound:
            verify_password(_dummy_hash(), password)
            return None
        if not verify_password(user["password_hash"], password):
            return None
        return self.new_session(user["name"])

    def logout(self, session: Session | None) -> None:
        if session is not None:
            with self._lock:
                self._revoked.add(session.sid)

    # -- permission checks ----------------------------------------------------------------
    def check_read(self, request: Request) -> Session | None:
        """The session; 401 when the app requires a login to read and there is none."""
        session = self.session(request)
        if self.login_required and (session is None or session.user is None):
            raise HTTPException(401, "login required")
        return session

    def check_csrf(self, session: Session | None, token: str | None) -> None:
        if session is None or not token or not hmac.compare_digest(
                self.csrf_token(session), token):
            raise HTTPException(403, "missing or invalid CSRF token")

    def check_write(self, request: Request, form_token: str | None = None) -> str:
        """The user allowed to make this change: logged in, CSRF token valid, account exists."""
        session = self.session(request)
        if session is None or session.user is None:
            raise HTTPException(401, "login required")
        self.check_csrf(session, request.headers.get(CSRF_HEADER) or form_token)
        try:
            self.store.get_user(session.user)
        except NotFound as exc:
            raise HTTPException(401, f"user {session.user!r} no longer exists") from exc
        return session.user
