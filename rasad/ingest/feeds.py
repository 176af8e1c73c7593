"""RSS/Atom feeds → saved pages with their metadata, fetched politely.

Outlets' servers are not ours: every request carries a User-Agent that names rasad, waits
a per-host delay after the previous request to the same host, gives up after a timeout,
retries transient failures (timeouts, 5xx, 429) with exponential backoff and asks for the
feed conditionally (ETag / Last-Modified), so an unchanged feed costs one 304. Pages already
saved are not fetched again. Each page is saved as ``DIR/<host>/<hash>.html`` with a JSON
sidecar (id, url, outlet, title, published from the feed, charset from the server) that
``rasad extract`` reads; the HTTP validators live in ``DIR/.rasad-fetch-state.json``.
Failures (404, timeout, a malformed feed) are reported one line each; the good items are
still saved.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from rasad import __version__
from rasad.errors import InputError

USER_AGENT = f"rasad/{__version__} (+https://github.com/rasad)"
STATE_FILE = ".rasad-fetch-state.json"
_RETRY_STATUS = {429, 500, 502, 503, 504}
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


@dataclass(frozen=True, slots=True)
class Policy:
    """How politely to fetch: all times in seconds."""

    timeout: float = 15.0
    retries: int = 2
    backoff: float = 1.0
    host_delay: float = 1.0
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT


@dataclass(slots=True)
class Response:
    url: str
    body: bytes
    headers: Message


@dataclass(slots=True)
class FetchReport:
    """What one pass over the feeds did."""

    saved: list[Path] = field(default_factory=list)
    known: int = 0
    unchanged_feeds: int = 0
    feeds_read: int = 0
    errors: list[str] = field(default_factory=list)


class Client:
    """HTTP GET with timeouts, retries with backoff, a per-host delay and conditional GET."""

    def __init__(self, policy: Policy, validators: dict[str, dict[str, str]],
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy
        self.validators = validators
        self.sleep = sleep
        self._last_request: dict[str, float] = {}

    def get(self, url: str, conditional: bool = False) -> Response | None:
        """The response body, or ``None`` when a conditional GET says "not modified"."""
        attempts = self.policy.retries + 1
        for attempt in range(attempts):
            try:
                return self._get_once(url, conditional)
            except _Retryable as exc:
                if attempt + 1 == attempts:
                    raise InputError(f"{url}: {exc} (gave up after {attempts} attempts)") \
                        from exc
                self.sleep(max(exc.retry_after, self.policy.backoff * 2 ** attempt))
        raise AssertionError("unreachable")

    def _get_once(self, url: str, conditional: bool) -> Response | None:
        host = urlsplit(url).netloc
        self._wait_for_host(host)
        request = urllib.request.Request(url, headers=self._headers(url, conditional))
        try:
            with urllib.request.urlopen(request, timeout=self.policy.timeout) as reply:
                body = reply.read(self.policy.max_bytes + 1)
                headers = reply.headers
        except urllib.error.HTTPError as exc:
            self._check_http_error(url, exc)
            return None  # 304 Not Modified
        except TimeoutError as exc:
            raise _Retryable(f"timed out after {self.policy.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise _Retryable(f"timed out after {self.policy.timeout:g} s") from exc
            raise _Retryable(f"cannot connect ({exc.reason})") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise _Retryable(f"connection failed ({_one_line(exc) or type(exc).__name__})") \
                from exc
        finally:
            self._last_request[host] = time.monotonic()
        if len(body) > self.policy.max_bytes:
            raise InputError(f"{url}: larger than the size limit of "
                             f"{self.policy.max_bytes // 1048576} MB")
        self._remember(url, headers)
        return Response(url=url, body=body, headers=headers)

    def _headers(self, url: str, conditional: bool) -> dict[str, str]:
        headers = {"User-Agent": self.policy.user_agent, "Accept-Encoding": "identity"}
        known = self.validators.get(url, {}) if conditional else {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def _check_http_error(self, url: str, exc: urllib.error.HTTPError) -> None:
        """Return for 304; raise a retryable error or an ``InputError`` otherwise."""
        exc.close()
        if exc.code == 304:
            return None
        if exc.code in _RETRY_STATUS:
            raise _Retryable(f"HTTP {exc.code} {exc.reason}",
                             _retry_after(exc.headers.get("Retry-After")))
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}")

    def _remember(self, url: str, headers: Message) -> None:
        found = {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
        if any(found.values()):
            self.validators[url] = {k: v for k, v in found.items() if v}

    def _wait_for_host(self, host: str) -> None:
        """Sleep until ``host_delay`` has passed since the last request to ``host`` ended."""
        last = self._last_request.get(host)
        if last is not None:
            wait = self.policy.host_delay - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)


class _Retryable(Exception):
    """A failure worth another try (timeout, connection, 5xx, 429)."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header, capped so a server cannot stall us for long."""
    try:
        return min(float(value or 0), 60.0)
    except ValueError:
        return 0.0


def fetch_feeds(feed_urls: list[str], out_dir: Path, policy: Policy = Policy(),
                log: Callable[[str], None] = lambda message: None) -> FetchReport:
    """Read each feed and save its new pages under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    state = load_state(out_dir)
    client = Client(policy, state.setdefault("http", {}))
    pages: dict[str, str] = state.setdefault("pages", {})
    report = FetchReport()
    for feed_url in feed_urls:
        try:
            entries, outlet = read_feed(client, feed_url)
        except InputError as exc:
            report.errors.append(str(exc))
            log(str(exc))
            continue
        if entries is None:
            report.unchanged_feeds += 1
            continue
        report.feeds_read += 1
        for entry in entries:
            _fetch_entry(client, feed_url, entry, outlet, out_dir, pages, report, log)
        save_state(out_dir, state)
    save_state(out_dir, state)
    return report


def read_feed(client: Client, feed_url: str) -> tuple[list[Any] | None, str]:
    """The feed's entries (``None`` if unchanged since last time) and the outlet name."""
    response = client.get(feed_url, conditional=True)
    if response is None:
        return None, ""
    parsed = feedparser.parse(response.body)
    if not parsed.entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            raise InputError(f"{feed_url}: malformed feed ({_one_line(problem)})")
        if not parsed.get("version"):
            raise InputError(f"{feed_url}: not an RSS or Atom feed")
    outlet = parsed.feed.get("title") or urlsplit(feed_url).hostname or ""
    return list(parsed.entries), outlet


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())[:200]


def _fetch_entry(client: Client, feed_url: str, entry: Any, outlet: str, out_dir: Path,
                 pages: dict[str, str], report: FetchReport, log: Callable[[str], None]) -> None:
    link = entry.get("link")
    if not link:
        report.errors.append(f"{feed_url}: an entry has no link ({entry.get('title')!r})")
        return
    url = urljoin(feed_url, link)
    if url in pages and (out_dir / pages[url]).exists():
        report.known += 1
        return
    try:
        response = client.get(url)
        assert response is not None  # unconditional requests never answer 304
        path = save_page(out_dir, response, _entry_meta(entry, url, outlet, feed_url))
    except InputError as exc:
        report.errors.append(str(exc))
        log(str(exc))
        return
    pages[url] = path.relative_to(out_dir).as_posix()
    report.saved.append(path)


def _entry_meta(entry: Any, url: str, outlet: str, feed_url: str) -> dict[str, Any]:
    return {"id": url, "url": url, "outlet": outlet, "title": entry.get("title"),
            "published": entry_published(entry), "feed": feed_url,
            "fetched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def entry_published(entry: Any) -> str | None:
    """The entry's date in the outlet's own clock time (RSS RFC 822 or Atom ISO)."""
    for key in ("published", "updated", "pubDate", "dc_date"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            parsed = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            try:
                parsed = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
            except ValueError:
                continue
        return parsed.replace(tzinfo=None).isoformat(timespec="minutes")
    return None


def save_page(out_dir: Path, response: Response, meta: dict[str, Any]) -> Path:
    """Write the page and its sidecar; the sidecar first, both atomically."""
    content_type = response.headers.get_content_type() if response.headers else ""
    if response.headers.get("Content-Type") and content_type not in _HTML_TYPES:
        raise InputError(f"{response.url}: not a web page ({content_type})")
    if not response.body.strip():
        raise InputError(f"{response.url}: empty page")
    host = urlsplit(response.url).hostname or "unknown-host"
    name = hashlib.sha1(response.url.encode("utf-8")).hexdigest()[:16]
    page = out_dir / host / f"{name}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    charset = response.headers.get_content_charset() if response.headers else None
    sidecar = {**meta, "charset": charset}
    _write_atomic(page.with_suffix(".json"),
                  (json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    _write_atomic(page, response.body)
    return page


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def load_state(out_dir: Path) -> dict[str, Any]:
    path = out_dir / STATE_FILE
    if not path.exists():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: unreadable fetch state ({exc}); delete it to start "
                         "afresh") from exc
    return state if isinstance(state, dict) else {}


def save_state(out_dir: Path, state: dict[str, Any]) -> None:
    data = json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    _write_atomic(out_dir / STATE_FILE, data.encode("utf-8"))
