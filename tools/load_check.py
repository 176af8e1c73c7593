"""Load check of the review app (not a timed test): 200 concurrent list requests and 50
concurrent review writes against a real ``rasad serve`` on 127.0.0.1.

    python3 tools/load_check.py                       # fresh SQLite store in a temp folder
    python3 tools/load_check.py --backend postgres    # a fresh schema in $RASAD_TEST_PG_URL
    python3 tools/load_check.py --reads 400 --writes 100

It seeds the store by running the real pipeline on generated Arabic sentences (one shelling
per town and week), starts the server and logs one reviewer in. Then three rounds, each
firing all its requests at once: the reads alone, the writes alone, and reads and writes
together. It prints requests per second and latency percentiles per round, and fails (exit 1)
when any request errs or any write's audit entry is missing or duplicated.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest_api import logged_in, running_server  # noqa: E402

from rasad.api.auth import hash_password  # noqa: E402
from rasad.pipeline import make_article, process_article  # noqa: E402
from rasad.store import open_store  # noqa: E402
from rasad.store.testing import temporary_store_url  # noqa: E402

TOWNS = ("كفرنبل", "معرة النعمان", "سراقب", "أريحا", "جسر الشغور", "الرقة", "دير الزور",
         "الميادين", "درعا", "الموصل", "تكريت", "الرمادي", "الفلوجة", "بعقوبة", "حلب", "حمص",
         "حماة", "تدمر", "القامشلي", "جرابلس")
COUNTS = ("اثنين", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة")
USER, PASSWORD = "load-check", "load check password"
FILTERS = ({}, {"country": "SY"}, {"country": "IQ"}, {"reviewed": "false"},
           {"date_from": "2023-02-01", "date_to": "2023-02-28"},
           {"event_type": "Explosions/Remote violence"})


def seed(url: str, weeks: int) -> int:
    """One article per town and week; returns the number of events stored."""
    start = dt.date(2023, 2, 5)
    pairs = []
    for week in range(weeks):
        published = start + dt.timedelta(weeks=week)
        for n, town in enumerate(TOWNS):
            count = COUNTS[(n + week) % len(COUNTS)]
            text = (f"قتل {count} مدنيين جراء قصف مدفعي على مدينة {town} يوم الأحد، "
                    "بحسب مصادر محلية.")
            article = make_article(f"load-{week}-{n}", text, published, outlet=f"outlet {n % 4}")
            pairs.append((article, process_article(article)))
    with open_store(url) as store:
        store.save_results(pairs)
        store.add_user(USER, hash_password(PASSWORD))
        return store.count_events()


async def timed(client: httpx.AsyncClient, kind: str, method: str, path: str,
                **kwargs: Any) -> tuple[str, float, int, Any]:
    began = time.perf_counter()
    try:
        answer = await client.request(method, path, **kwargs)
        body = answer.json()
        return kind, time.perf_counter() - began, answer.status_code, body
    except (httpx.HTTPError, ValueError) as exc:
        return kind, time.perf_counter() - began, 0, {"error": repr(exc)}


def write_request(n: int, event: dict[str, Any], tag: str) -> tuple[str, str, dict[str, Any]]:
    reason = f"{tag} #{n}"
    if n % 3 == 0:
        return "PATCH", f"/api/events/{event['id']}", {
            "changes": {"fatalities": event["fatalities"] + 1}, "reason": reason}
    action = "accept" if n % 3 == 1 else "reject"
    return "POST", f"/api/events/{event['id']}/{action}", {"reason": reason}


async def fire(base: str, cookies: httpx.Cookies, token: str, events: list[dict[str, Any]],
               reads: int, writes: int, tag: str) -> tuple[list[Any], float]:
    """Send ``reads`` list requests and ``writes`` review writes concurrently."""
    limits = httpx.Limits(max_connections=reads + writes, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=120, limits=limits,
                                 headers={"X-CSRF-Token": token}) as client:
        jobs = [timed(client, "read", "GET", "/api/events",
                      params={"limit": 50, **FILTERS[n % len(FILTERS)]}) for n in range(reads)]
        for n in range(writes):
            method, path, body = write_request(n, events[n], tag)
            jobs.append(timed(client, "write", method, path, json=body))
        began = time.perf_counter()
        results = await asyncio.gather(*jobs)
        return results, time.perf_counter() - began


def report(name: str, results: list[Any], elapsed: float) -> list[str]:
    errors = [f"{kind} {status}: {body.get('error')}" for kind, _, status, body in results
              if status != 200 or not body.get("ok")]
    print(f"{name}: {len(results)} requests in {elapsed:.2f} s: "
          f"{len(results) / elapsed:.0f} requests/s")
    for kind in ("read", "write"):
        times = sorted(t for k, t, _, _ in results if k == kind)
        if times:
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"  {kind:5}: {len(times)} requests, median {statistics.median(times) * 1000:.0f}"
                  f" ms, p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    return errors


def check_audit(base: str, tag: str, writes: int) -> list[str]:
    """Every write left exactly one audit entry carrying its reason."""
    entries = httpx.get(f"{base}/api/audit", params={"user": USER, "limit": 500},
                        timeout=60).json()["audit"]
    reasons = [e["reason"] for e in entries if (e["reason"] or "").startswith(tag)]
    problems = []
    for n in range(writes):
        found = reasons.count(f"{tag} #{n}")
        if found != 1:
            problems.append(f"write #{n}: {found} audit entries (expected 1)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite",
                        help="a fresh SQLite file, or a fresh schema in $RASAD_TEST_PG_URL")
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=6, help="weeks of generated articles")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            temporary_store_url(args.backend, Path(folder)) as url:
        stored = seed(url, args.weeks)
        print(f"{args.backend} store: {stored} events")
        with running_server(url) as base, logged_in(base, USER, PASSWORD) as client:
            events = client.get("/api/events", params={"limit": 500, "reviewed": "false"}
                                ).json()["events"]
            if len(events) < 2 * args.writes:
                print(f"only {len(events)} unreviewed events for 2 x {args.writes} writes")
                return 1
            session = (base, client.cookies, client.headers["X-CSRF-Token"])
            errors = []
            rounds = (("reads alone", args.reads, 0, []),
                      ("writes alone", 0, args.writes, events[:args.writes]),
                      ("reads + writes", args.reads, args.writes, events[args.writes:]))
            for name, reads, writes, targets in rounds:
                tag = f"load-check {uuid.uuid4().hex[:8]}"
                results, elapsed = asyncio.run(fire(*session, targets, reads, writes, tag))
                errors += report(name, results, elapsed) + check_audit(base, tag, writes)
    for line in errors[:20]:
        print("ERROR", line)
    print("FAILED" if errors else "OK: no error, no lost audit entry")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
