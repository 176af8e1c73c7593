"""The event store: the same tests on SQLite and on PostgreSQL (RASAD_TEST_PG_URL)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from rasad.records import Result, Statistic
from rasad.store import NotFound, ReviewError, open_store
from rasad.store.migrations import MIGRATIONS, applied, migrate
from rasad.store.testing import (
    sample_article,
    sample_event,
)


def save(store, article_id, events, statistics=(), published="2022-12-26", outlet=None):
    article = sample_article(article_id, published, outlet)
    store.save_result(article, Result(article_id, list(events), list(statistics)))
    return article


def test_default_url_is_rasad_db_in_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for url in (None, ""):
        open_store(url).close()
    assert (tmp_path / "rasad.db").exists()


def test_migrations_are_recorded_once(store):
    with store.write() as conn:
        assert applied(conn) == [n for n, _, _ in MIGRATIONS]
        assert migrate(conn) == []


def test_results_round_trip_the_schema_record(store):
    events = [sample_event(), sample_event(event_type="Strategic developments",
                                           sub_event_type="Other", actor2=None, fatalities=0)]
    stats = [Statistic("killed", 148, "2022-01-01", "2022-12-27", "SY", breakdown={"sdf": 93})]
    save(store, "r1", events, stats)
    (record,) = list(store.results())
    expected = Result("r1", events, stats).to_dict()
    for event in record["events"]:
        assert event.pop("link_id")
    assert record == expected


def test_resaving_replaces_events_and_statistics(store):
    save(store, "r1", [sample_event(), sample_event(place="Tabqa", lat=35.84, lon=38.55)],
         [Statistic("killed", 9)])
    save(store, "r1", [sample_event()], [])
    assert store.counts()["articles"] == 1
    assert len(store.events(article_id="r1")) == 1
    assert store.statistics(article_id="r1") == []


def test_result_for_another_article_is_refused(store):
    with pytest.raises(Exception, match="does not belong"):
        store.save_result(sample_article("x1"), Result("x2", [sample_event()]))
    assert store.counts()["articles"] == 0


def test_correction_survives_reextraction(store):
    save(store, "r1", [sample_event(fatalities=6)])
    (event,) = store.events(article_id="r1")
    store.patch_event(event["id"], {"fatalities": 8}, user="huda", reason="official toll")
    save(store, "r1", [sample_event(fatalities=6)])
    (again,) = store.events(article_id="r1")
    assert (again["id"], again["fatalities"], again["review_status"]) == (event["id"], 8,
                                                                          "corrected")


def test_review_moves_to_the_event_that_still_matches(store):
    save(store, "r1", [sample_event(date="2022-12-26")])
    (event,) = store.events(article_id="r1")
    store.accept_event(event["id"], user="huda")
    save(store, "r1", [sample_event(date="2022-12-25")])
    (again,) = store.events(article_id="r1")
    assert again["id"] != event["id"] and again["review_status"] == "accepted"
    assert [e["action"] for e in store.audit_log()] == ["move-review", "accept"]
    assert store.orphaned_reviews() == []


def test_reject_removes_event_from_listing_results_and_links(store):
    save(store, "r1", [sample_event()])
    save(store, "r2", [sample_event()])
    event = store.events(article_id="r1")[0]
    store.reject_event(event["id"], user="huda", reason="duplicate page")
    assert [e["article_id"] for e in store.events()] == ["r2"]
    assert [r["events"] for r in store.results() if r["id"] == "r1"] == [[]]
    assert store.get_event(event["id"])["link_id"] is None
    (linked,) = store.events(linked=True)
    assert linked["n_reports"] == 1


def test_patch_writes_audit_with_before_after_reason(store):
    save(store, "r1", [sample_event(fatalities=6)])
    event_id = store.events()[0]["id"]
    store.patch_event(event_id, {"fatalities": 7, "location": {"name": "Tabqa"}},
                      user="omar", reason="later report")
    (entry,) = store.audit_log(target_id=event_id)
    assert (entry["username"], entry["action"], entry["reason"]) == ("omar", "correct",
                                                                     "later report")
    assert entry["before"]["fatalities"] == 6 and entry["after"]["fatalities"] == 7
    assert entry["after"]["location"]["name"] == "Tabqa" and entry["at"]


@pytest.mark.parametrize("changes, message", [
    ({"colour": "red"}, "cannot edit"),
    ({"fatalities": -1}, "whole number"),
    ({"fatalities": None}, "whole number"),
    ({"sub_event_type": "Peaceful protest"}, "does not belong"),
    ({"event_type": "Wars"}, "not an ACLED event type"),
    ({"date": "26/12/2022"}, "ISO date"),
    ({"country": "Syria"}, "alpha-2"),
    ({"location": {"lat": 123.0}}, "coordinate"),
    ({}, "nothing to change"),
])
def test_invalid_patch_is_refused_and_not_audited(store, changes, message):
    save(store, "r1", [sample_event()])
    event_id = store.events()[0]["id"]
    with pytest.raises(ReviewError, match=message):
        store.patch_event(event_id, changes, user="omar")
    assert store.audit_log() == []


@pytest.mark.parametrize("action", ["accept_event", "reject_event", "reset_event"])
def test_review_actions_need_a_user(store, action):
    save(store, "r1", [sample_event()])
    with pytest.raises(ReviewError, match="name of the user"):
        getattr(store, action)(store.events()[0]["id"], user=" ")


def test_reset_restores_the_extraction(store):
    save(store, "r1", [sample_event(fatalities=6)])
    event_id = store.events()[0]["id"]
    store.patch_event(event_id, {"fatalities": 9, "actor1": "hts"}, user="omar")
    event = store.reset_event(event_id, user="omar", reason="wrong correction")
    assert (event["fatalities"], event["actor1"], event["review_status"]) == (6, "islamic_state",
                                                                              None)
    assert store.events(actor="hts") == []


def test_unknown_ids_raise_not_found(store):
    for call in (lambda: store.get_article("nope"), lambda: store.get_event("nope"),
                 lambda: store.get_linked_event("Lnope"), lambda: store.get_user("nope")):
        with pytest.raises(NotFound):
            call()


def _filter_fixture(store):
    save(store, "f1", [sample_event(assoc_actors=["asayish"])], published="2022-12-26")
    save(store, "f2", [sample_event(country="IQ", admin1="Baghdad", place="Baghdad", lat=33.3,
                                    lon=44.4, date="2018-01-15", actor1="unidentified_armed_group",
                                    actor2="civilians", event_type="Explosions/Remote violence",
                                    sub_event_type="Suicide bomb")], published="2018-01-15")
    save(store, "f3", [sample_event(place="Hajin", admin1="Deir ez-Zor", lat=34.69, lon=40.83,
                                    date="2018-10-10")], published="2018-10-10")


@pytest.mark.parametrize("filters, expected", [
    ({}, ["f1", "f3", "f2"]),
    ({"country": "iq"}, ["f2"]),
    ({"date_from": "2018-06-01", "date_to": "2019-01-01"}, ["f3"]),
    ({"event_type": "Explosions/Remote violence"}, ["f2"]),
    ({"event_type": "Suicide bomb"}, ["f2"]),
    ({"actor": "asayish"}, ["f1"]),
    ({"actor": "civilians"}, ["f2"]),
    ({"admin1": "Deir ez-Zor"}, ["f3"]),
    ({"bbox": "38,35,40,36.5"}, ["f1"]),
    ({"bbox": (40, 30, 45, 35)}, ["f3", "f2"]),
    ({"reviewed": True}, []),
])
def test_event_filters(store, filters, expected):
    _filter_fixture(store)
    for linked in (False, True):
        rows = store.events(linked=linked, **filters)
        found = [r["article_id"] for r in rows] if not linked else [
            store.get_linked_event(r["id"])["reports"][0]["article_id"] for r in rows]
        assert found == expected
        assert store.count_events(linked=linked, **filters) == len(expected)


def test_reviewed_filter_on_events_and_linked_events(store):
    _filter_fixture(store)
    target = store.events(country="IQ")[0]
    store.accept_event(target["id"], user="huda")
    assert [e["id"] for e in store.events(reviewed=True)] == [target["id"]]
    assert len(store.events(reviewed=False)) == 2
    assert [e["id"] for e in store.events(linked=True, reviewed=True)] == [target["link_id"]]


def test_pagination_is_stable(store):
    for n in range(7):
        save(store, f"p{n}", [sample_event(date=f"2022-12-{10 + 3 * n:02d}")])
    pages = [store.events(limit=3, offset=o) for o in (0, 3, 6)]
    ids = [e["id"] for page in pages for e in page]
    assert len(ids) == len(set(ids)) == 7 and [len(p) for p in pages] == [3, 3, 1]


def test_statistics_are_stored_and_filtered_never_linked(store):
    save(store, "s1", [], [Statistic("events", 199, "2022-01-01", "2022-12-27", "SY"),
                           Statistic("killed", 148, "2022-01-01", "2022-12-27", "SY")])
    assert [s["value"] for s in store.statistics(metric="killed")] == [148]
    assert store.statistics(date_to="2021-12-31") == []
    assert store.counts()["linked_events"] == 0
    assert all("link_id" not in s for s in store.statistics())


def test_get_article_has_text_events_and_statistics(store):
    article = save(store, "g1", [sample_event()], [Statistic("killed", 3)])
    got = store.get_article("g1")
    assert got["text"] == article.text and got["content_hash"]
    assert len(got["events"]) == 1 and got["events"][0]["evidence"]
    assert got["statistics"][0]["value"] == 3
    assert store.article_hashes(["g1", "zz"]) == {"g1": got["content_hash"]}


def test_users_are_stored_with_their_hash(store):
    store.add_user("huda", "$argon2id$v=19$fake", role="admin")
    assert store.get_user("huda")["password_hash"] == "$argon2id$v=19$fake"
    with pytest.raises(ReviewError, match="already exists"):
        store.add_user("huda", "x")
    assert [u["name"] for u in store.list_users()] == ["huda"]


def test_concurrent_reviews_lose_no_audit_entry(store_url):
    first = open_store(store_url)
    for n in range(4):
        save(first, f"c{n}", [sample_event(place=f"Village {n}", lat=30 + n, lon=40)])
    ids = [e["id"] for e in first.events()]
    errors = []

    def review(worker: int) -> None:
        try:
            for round_ in range(5):
                first.patch_event(ids[(worker + round_) % len(ids)],
                                  {"fatalities": worker * 10 + round_}, user=f"u{worker}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=review, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(first.audit_log(limit=None)) == 30
    first.close()


# -- crash safety --------------------------------------------------------------------------
_WRITER = r"""
import json, sys
from rasad.records import Result, Statistic
from rasad.store import open_store
from rasad.store.testing import sample_article, sample_event
store = open_store(sys.argv[1])
for line in open(sys.argv[2], encoding="utf-8"):
    rec = json.loads(line)
    n = int(rec["id"][1:])
    events = [sample_event(place=f"Village {n % 40}", lat=30 + n % 40 / 10, lon=40, fatalities=k)
              for k in range(1 + n % 3)]
    store.save_result(sample_article(rec["id"], rec["published"]),
                      Result(rec["id"], events, [Statistic("killed", n)]))
"""


def _extract_command(db_url: str, articles: Path, workdir: Path) -> list[str]:
    """`rasad extract --db` when the CLI has it; else the same save loop the CLI runs."""
    help_text = subprocess.run([sys.executable, "-m", "rasad", "extract", "--help"],
                               capture_output=True, text=True).stdout
    if "--db" in help_text:
        return [sys.executable, "-m", "rasad", "extract", str(articles), "--db", db_url,
                "-o", str(workdir / "out.jsonl")]
    script = workdir / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    return [sys.executable, str(script), db_url, str(articles)]


def _check_whole(url: str) -> dict[str, int]:
    checker = open_store(url)
    with checker.read() as conn:
        rows = conn.execute(sa.text(
            "SELECT a.id, a.n_events, a.n_statistics, "
            "(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id), "
            "(SELECT COUNT(*) FROM statistics s WHERE s.article_id = a.id) FROM articles a"
        )).all()
        orphans = conn.execute(sa.text(
            "SELECT COUNT(*) FROM events e WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = e.article_id)")).scalar_one()
    checker.close()
    assert orphans == 0
    assert all(r[1] == r[3] and r[2] == r[4] for r in rows), "half-written article"
    return {"articles": len(rows), "events": sum(r[3] for r in rows)}


@pytest.mark.slow
def test_killed_extraction_leaves_whole_articles_and_rerun_completes(store_url, tmp_path):
    total = 150
    articles = tmp_path / "articles.jsonl"
    with articles.open("w", encoding="utf-8") as fh:
        for n in range(total):
            article = sample_article(f"k{n:04d}", "2022-12-26")
            text = f"{article.text} وقال مصدر إن الهجوم رقم {n} وقع قرب الحاجز."
            fh.write(json.dumps({"id": article.id, "text": text,
                                 "published": "2022-12-26"}, ensure_ascii=False) + "\n")
    open_store(store_url).close()
    command = _extract_command(store_url, articles, tmp_path)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    watcher = open_store(store_url)
    deadline = time.monotonic() + 60
    while watcher.counts()["articles"] < 10 and process.poll() is None:
        assert time.monotonic() < deadline, "writer made no progress"
        time.sleep(0.05)
    watcher.close()
    os.killpg(process.pid, signal.SIGKILL)  # the writer and any worker it started
    process.wait()
    partial = _check_whole(store_url)
    assert 0 < partial["articles"] < total, "the writer finished before it could be killed"
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    final = _check_whole(store_url)
    assert final["articles"] == total
