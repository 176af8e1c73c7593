"""Shared pieces of the web app tests (imported explicitly; not a pytest conftest).

The store is seeded by running the real pipeline on Arabic sentences written for these tests,
and the app runs as a real ``rasad serve`` process on 127.0.0.1 on a free port.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx

from rasad.api.auth import hash_password
from rasad.pipeline import make_article, process_article
from rasad.store import open_store

REPO = Path(__file__).resolve().parents[1]
USER, PASSWORD = "reviewer", "a long test password"
SCRIPT_PROBE = "<script>window.__pwned=1</script>"
IMG_PROBE = '<img src=x onerror="window.__pwned=2">'
# (key, article id, outlet, published, text): two reports of one shelling with different
# tolls, a clash, an IED in Iraq (its id a path, as the directory reader makes them), arrests,
# a landmine in an earlier week, a cumulative tally, and an article whose text (and id and
# outlet) carry markup that must never run.
XSS_ID = "https://example.org/news?id=7&x=<b>\"'"
XSS_URL = "javascript:window.__pwned=3"
ARTICLES = (
    ("idlib-a", "idlib-a", "Outlet A", "2023-03-06",
     "قتل خمسة مدنيين وأصيب ثمانية آخرون جراء قصف مدفعي لقوات النظام على بلدة كفرنبل في "
     "ريف إدلب الجنوبي يوم الأحد."),
    ("idlib-b", "idlib-b", "Outlet B", "2023-03-06",
     "قتل سبعة مدنيين وأصيب اثنان آخران جراء قصف مدفعي لقوات النظام على بلدة كفرنبل في "
     "ريف إدلب الجنوبي يوم الأحد، بحسب ناشطين."),
    ("raqqa", "raqqa", "Outlet A", "2023-03-05",
     "أعلنت قوات سوريا الديمقراطية مقتل ثلاثة من عناصرها في اشتباكات مع تنظيم داعش قرب "
     "مدينة الرقة أمس."),
    ("mosul", "feeds/outlet-c/mosul", "Outlet C", "2023-03-05",
     "انفجرت عبوة ناسفة بسيارة عسكرية في مدينة الموصل، ما أسفر عن مقتل جنديين عراقيين، "
     "بحسب مصدر أمني."),
    ("basra", "basra", "Outlet C", "2023-02-20",
     "اعتقلت قوات الأمن العراقية عشرة أشخاص في مدينة البصرة خلال مداهمة أمس."),
    ("daraa", "daraa", "Outlet B", "2023-02-14",
     "قتل عنصران من قوات النظام بانفجار لغم أرضي قرب مدينة درعا صباح اليوم."),
    ("tally", "tally", "Outlet A", "2023-03-06",
     "وثقت الشبكة السورية لحقوق الإنسان مقتل 150 مدنياً في سوريا منذ بداية العام الحالي، "
     "بينهم 30 طفلاً."),
    ("xss", XSS_ID, "Outlet <b>D</b>", "2023-03-05",
     f"قتل ثلاثة مدنيين في قصف جوي على مدينة حلب يوم السبت. {SCRIPT_PROBE} {IMG_PROBE} "
     "وأصيب آخرون."),
)


def seed(url: str) -> dict[str, list[str]]:
    """Extract and store every test article; add the reviewer. Returns event ids by key."""
    with open_store(url) as store:
        for key, article_id, outlet, published, text in ARTICLES:
            link = XSS_URL if key == "xss" else f"https://example.org/{key}"
            article = make_article(article_id, text, published, outlet=outlet,
                                   title=f"test {key}", url=link)
            store.save_result(article, process_article(article))
        store.add_user(USER, hash_password(PASSWORD))
        return {a[0]: [e["id"] for e in store.get_article(a[1])["events"]] for a in ARTICLES}


def quoted(identifier: str) -> str:
    """An id as one URL path segment (ids may hold '/', '?', '#', '&')."""
    return quote(identifier, safe="")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(url: str, *options: str, timeout: float = 40.0) -> Iterator[str]:
    """``rasad serve --db URL`` in a child process; yields its base URL once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "rasad", "serve", "--db", url, "--port", str(port),
               *options]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"rasad serve exited: {process.stderr.read()}")  # type: ignore
            try:
                if httpx.get(f"{base}/api/me", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("rasad serve did not answer in time")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def logged_in(base: str, user: str = USER, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """A client with the session cookie and the CSRF header set."""
    with httpx.Client(base_url=base, timeout=30) as client:
        answer = client.post("/api/login", json={"name": user, "password": password})
        answer.raise_for_status()
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        yield client
