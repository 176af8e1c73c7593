"""Feeds against a real HTTP server on 127.0.0.1: good pages saved, every failure reported."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasad.cli.ingest import fetch, watch
from rasad.ingest.feeds import STATE_FILE, USER_AGENT, Policy, fetch_feeds
from rasad.ingest.readers import iter_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
FAST = Policy(timeout=0.4, retries=1, backoff=0.05, host_delay=0.0)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, dict[str, str], float]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.requests.append((self.path, dict(self.headers), time.monotonic()))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/news/slow.html":
            time.sleep(1.0)
        if self.path in ("/rss.xml", "/atom.xml"):
            if self.headers.get("If-None-Match") == '"v1"':
                self._send(304, b"", "application/rss+xml")
                return
            body = (FIXTURES / self.path[1:]).read_text("utf-8").replace("{base}", base)
            self._send(200, body.encode("utf-8"), "application/rss+xml", etag='"v1"')
        elif self.path == "/bad.xml":
            self._send(200, (FIXTURES / "bad.xml").read_bytes(), "application/rss+xml")
        elif self.path == "/news/a2.html":
            self._send(200, (FIXTURES / "a2.html").read_bytes(), "text/html; charset=windows-1256")
        elif self.path.startswith("/news/") and (FIXTURES / self.path[6:]).is_file():
            self._send(200, (FIXTURES / self.path[6:]).read_bytes(), "text/html; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str, etag: str | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case)


@pytest.fixture()
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _base(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _sidecars(folder: Path) -> dict[str, dict[str, object]]:
    found = {}
    for path in folder.rglob("*.json"):
        if not path.name.startswith("."):
            data = json.loads(path.read_text("utf-8"))
            found[str(data["url"]).rsplit("/", 1)[-1]] = data
    return found


def test_good_pages_are_saved_while_404_timeout_and_malformed_feed_are_reported(
        server: _Server, tmp_path: Path) -> None:
    base = _base(server)
    report = fetch_feeds([f"{base}/rss.xml", f"{base}/bad.xml", f"{base}/atom.xml"],
                         tmp_path, FAST)
    assert sorted(_sidecars(tmp_path)) == ["a1.html", "a2.html", "a3.html"]
    errors = "\n".join(report.errors)
    assert len(report.errors) == 3
    assert "missing.html: HTTP 404" in errors
    assert "slow.html: timed out" in errors
    assert "bad.xml: malformed feed" in errors
    assert all("\n" not in error for error in report.errors)


def test_sidecar_keeps_feed_metadata_in_local_time(server: _Server, tmp_path: Path) -> None:
    fetch_feeds([f"{_base(server)}/rss.xml"], tmp_path, FAST)
    meta = _sidecars(tmp_path)["a1.html"]
    assert meta["title"] == "مقتل ثلاثة عناصر في هجوم على حاجز شرق دير الزور"
    assert meta["published"] == "2023-03-14T09:30"
    assert meta["outlet"] == "شبكة الفرات الإخبارية"
    assert meta["id"] == meta["url"]


def test_requests_name_rasad_in_the_user_agent(server: _Server, tmp_path: Path) -> None:
    fetch_feeds([f"{_base(server)}/atom.xml"], tmp_path, FAST)
    assert {headers.get("User-Agent") for _, headers, _ in server.requests} == {USER_AGENT}


def test_second_fetch_is_conditional_and_fetches_nothing_new(server: _Server,
                                                             tmp_path: Path) -> None:
    fetch_feeds([f"{_base(server)}/atom.xml"], tmp_path, FAST)
    server.requests.clear()
    report = fetch_feeds([f"{_base(server)}/atom.xml"], tmp_path, FAST)
    assert [path for path, _, _ in server.requests] == ["/atom.xml"]
    assert server.requests[0][1].get("If-None-Match") == '"v1"'
    assert report.unchanged_feeds == 1 and not report.saved
    assert (tmp_path / STATE_FILE).is_file()


def test_timeout_is_retried_once_then_given_up(server: _Server, tmp_path: Path) -> None:
    started = time.monotonic()
    fetch_feeds([f"{_base(server)}/rss.xml"], tmp_path, FAST)
    slow = [p for p, _, _ in server.requests if p == "/news/slow.html"]
    assert len(slow) == 2
    assert time.monotonic() - started < 5


def test_requests_to_one_host_wait_the_per_host_delay(server: _Server, tmp_path: Path) -> None:
    policy = Policy(timeout=2, retries=0, backoff=0.05, host_delay=0.15)
    fetch_feeds([f"{_base(server)}/atom.xml"], tmp_path, policy)
    times = [t for _, _, t in server.requests]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.14


def test_saved_pages_extract_with_feed_metadata(server: _Server, tmp_path: Path) -> None:
    fetch_feeds([f"{_base(server)}/rss.xml"], tmp_path, FAST)
    items = {item.id.rsplit("/", 1)[-1]: item for item in iter_inputs([str(tmp_path)])}
    from rasad.ingest.readers import item_article

    article = item_article(items["a2.html"])
    assert "انفجرت عبوة ناسفة" in article.text  # windows-1256 page read via the HTTP charset
    assert "شارك" not in article.text.split("\n")
    assert article.published is not None and article.published.isoformat() == "2022-11-02T16:40:00"


def test_fetch_command_exits_2_only_when_no_feed_could_be_read(server: _Server,
                                                               tmp_path: Path) -> None:
    runner = CliRunner()
    base = _base(server)
    bad = runner.invoke(fetch, [f"{base}/bad.xml", "-o", str(tmp_path), "--delay", "0"])
    assert bad.exit_code == 2
    assert "malformed feed" in bad.output and "Traceback" not in bad.output
    good = runner.invoke(fetch, [f"{base}/atom.xml", f"{base}/bad.xml", "-o", str(tmp_path),
                                 "--delay", "0"])
    assert good.exit_code == 0, good.output
    assert "1 new pages saved" in good.output


def test_watch_once_appends_results_for_new_pages(server: _Server, tmp_path: Path) -> None:
    runner = CliRunner()
    args = [f"{_base(server)}/atom.xml", "--once", "-o", str(tmp_path), "--delay", "0"]
    first = runner.invoke(watch, args)
    assert first.exit_code == 0, first.output
    records = [json.loads(line) for line in
               (tmp_path / "results.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == [f"{_base(server)}/news/a3.html"]
    assert "اعتقال خمسة أشخاص" in records[0]["text"]
    runner.invoke(watch, args)
    assert len((tmp_path / "results.jsonl").read_text("utf-8").splitlines()) == 1
