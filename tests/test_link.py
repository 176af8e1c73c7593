"""Linking reports of one event: pair scores, clustering guards, stable ids, fusion, store."""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

from rasad.link import (
    LinkItem,
    assign_ids,
    cluster,
    fuse,
    item_from_event,
    lowest_credible,
    place_key,
    score_pair,
)
from rasad.records import Result, Statistic
from rasad.store import ReviewError
from rasad.store.testing import (
    sample_article,
    sample_event,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"

BASE = LinkItem(key="a:1", article_id="a", country="SY", event_type="Battles",
                sub_event_type="Armed clash", date=dt.date(2022, 12, 26),
                published=dt.date(2022, 12, 26), place=place_key("Ar Raqqah"),
                admin1="Ar-Raqqah", lat=35.95, lon=39.01, geo_precision=1,
                actor1="islamic_state", actor2="sdf",
                actors=frozenset({"islamic_state", "sdf"}), fatalities=6)


def other(**changes) -> LinkItem:
    return dataclasses.replace(BASE, **{"key": "b:1", "article_id": "b", **changes})


@pytest.mark.parametrize("changes, links", [
    ({}, True),
    ({"fatalities": 8}, True),                                   # conflicting toll
    ({"fatalities": 1}, True),                                   # far lower toll still links
    ({"date": dt.date(2022, 12, 27)}, True),                     # ±1 day
    ({"date": dt.date(2022, 12, 28)}, False),                    # two days apart
    ({"place": place_key("Raqqa")}, True),                       # spelling of the settlement
    ({"place": "intifada", "lat": 35.96, "lon": 39.02}, True),   # a district 1 km away
    ({"place": "tabqa", "lat": 35.84, "lon": 38.55}, False),     # another town
    ({"place": None, "geo_precision": 3, "lat": None, "lon": None}, True),  # governorate only
    ({"place": None, "geo_precision": 3, "admin1": "Deir ez-Zor"}, False),
    ({"country": "IQ"}, False),
    ({"article_id": "a"}, False),                                # same article
    ({"event_type": "Strategic developments", "sub_event_type": "Other"}, False),
    ({"actor1": "sdf", "actor2": "islamic_state"}, True),        # sides swapped
    ({"date": None, "published": dt.date(2022, 12, 27)}, True),  # undated, published next day
    ({"date": None, "published": None}, False),                  # nothing anchors it in time
])
def test_pair_links_or_not(changes, links):
    if "actors" not in changes and ("actor1" in changes or "actor2" in changes):
        changes["actors"] = frozenset({changes.get("actor1", "islamic_state"),
                                       changes.get("actor2", "sdf")})
    assert (score_pair(BASE, other(**changes)) >= 0.75) is links


def test_asayish_is_counted_with_the_sdf():
    event = {"event_type": "Battles", "sub_event_type": "Armed clash", "country": "SY",
             "date": "2022-12-26", "location": {"name": "Ar Raqqah", "geo_precision": 1},
             "admin1": "Ar-Raqqah", "actor1": "asayish", "actor2": "islamic_state"}
    assert score_pair(BASE, item_from_event("b:1", "b", event)) >= 0.75


def test_two_events_of_one_article_never_share_a_cluster_by_score():
    items = [BASE, dataclasses.replace(BASE, key="a:2"), other()]
    clusters = cluster(items)
    assert not any({"a:1", "a:2"} <= set(c) for c in clusters)


def test_one_incident_coded_twice_in_an_article_joins_one_cluster():
    bomb = dataclasses.replace(BASE, key="a:2", event_type="Explosions/Remote violence",
                               sub_event_type="Suicide bomb")
    assert cluster([BASE, bomb, other(event_type="Explosions/Remote violence",
                                      sub_event_type="Suicide bomb", key="c:1",
                                      article_id="c")]) == [["a:1", "a:2", "c:1"]]


def test_daily_reports_do_not_chain_beyond_two_days():
    items = [other(key=f"d{n}:1", article_id=f"d{n}", date=dt.date(2022, 12, 20 + n))
             for n in range(6)]
    assert all(len(c) <= 3 for c in cluster(items))


def test_cannot_and_must_links_are_obeyed():
    items = [BASE, other(), other(key="c:1", article_id="c", place="tabqa", lat=35.84,
                                  lon=38.55)]
    assert cluster(items, cannot=[("a:1", "b:1")]) == [["a:1"], ["b:1"], ["c:1"]]
    assert cluster(items, must=[("a:1", "c:1")]) == [["a:1", "b:1", "c:1"]]


def test_ids_survive_rerun_new_report_and_record_merge_and_split():
    first = assign_ids([["a", "b"], ["c"]], {}, ["a", "c"])
    old = {"a": first.ids[0], "b": first.ids[0], "c": first.ids[1]}
    assert assign_ids([["a", "b"], ["c"]], old, ["a", "c"]).ids == first.ids
    grown = assign_ids([["a", "b", "n"], ["c"]], old, ["a", "c"])
    assert grown.ids == first.ids and grown.changes == []
    merged = assign_ids([["a", "b", "c"]], old, ["a"])
    assert merged.ids == [first.ids[0]] and merged.retired == {first.ids[1]: first.ids[0]}
    assert [c["kind"] for c in merged.changes] == ["merge"]
    split = assign_ids([["a", "b"], ["n"], ["c"]], {**old, "n": first.ids[0]}, ["a", "n", "c"])
    assert split.ids[0] == first.ids[0] and split.ids[2] == first.ids[1]
    assert split.ids[1] not in first.ids
    assert [c["kind"] for c in split.changes] == ["create", "split"]


@pytest.mark.parametrize("figures, expected", [
    ([6, 6, 8, 5, 7], 5), ([6, 7, 1, 8], 6), ([0, 0], 0), ([0, 4, 5], 4), ([None], None),
    ([10, 41, 41, 39, 85], 39),
])
def test_lowest_credible(figures, expected):
    assert lowest_credible(figures) == expected


def test_fuse_keeps_spread_sources_and_report_dates():
    rows = [{"id": f"r{n}", "article_id": f"r{n}", "outlet": outlet, "fatalities": f,
             "published": dt.datetime(2022, 12, 26 + n), "date": dt.date(2022, 12, 26),
             "event_type": "Battles", "sub_event_type": "Armed clash", "country": "SY",
             "location_name": "Ar Raqqah", "geo_precision": 1, "actor1": "islamic_state",
             "actor2": "sdf"} for n, (outlet, f) in enumerate([("x", 6), ("y", 8), ("x", 7)])]
    fused = fuse(rows)
    assert (fused["fatalities"], fused["fatalities_high"], fused["n_reports"],
            fused["n_sources"]) == (6, 8, 3, 2)
    assert (fused["first_reported"].day, fused["last_reported"].day) == (26, 28)


@pytest.mark.skipif(not (SHARED / "eval" / "dev").exists(), reason="no ../shared/eval/dev")
def test_linker_on_gold_events_of_the_dev_set():
    spec = importlib.util.spec_from_file_location(
        "score_links_dev", Path(__file__).resolve().parents[1] / "tools" / "score_links_dev.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    result = tool._scorer().score(tool._scorer().load(
        str(SHARED / "eval" / "dev" / "news.clusters.jsonl")), tool.link_gold("news"))
    assert result["pair_f1"] >= 0.85, json.dumps(result)


# -- in the store --------------------------------------------------------------------------


def report(store, article_id, published="2022-12-26", **event):
    article = sample_article(article_id, published, outlet=event.pop("outlet", None))
    store.save_result(article, Result(article_id, [sample_event(**event)],
                                      [Statistic("killed", 148)]))


def link_of(store, article_id):
    return store.events(article_id=article_id)[0]["link_id"]


def test_reports_link_and_fuse_in_the_store(store):
    report(store, "a", fatalities=6, outlet="one")
    report(store, "b", "2022-12-27", fatalities=8, date="2022-12-25", outlet="two")
    report(store, "c", fatalities=7, outlet="one")
    (linked,) = store.events(linked=True)
    assert (linked["n_reports"], linked["n_sources"], linked["fatalities"],
            linked["fatalities_high"]) == (3, 2, 6, 8)
    assert linked["first_reported"].startswith("2022-12-26")
    assert linked["last_reported"].startswith("2022-12-27")


def test_link_id_survives_new_reports_reextraction_and_relink(store):
    report(store, "a")
    first = link_of(store, "a")
    report(store, "b")
    report(store, "a", fatalities=9)
    store.relink()
    assert {link_of(store, x) for x in "ab"} == {first}


def test_background_undated_and_statistics_are_not_linked(store):
    report(store, "a")
    report(store, "b", background=True)
    report(store, "c", "2022-12-26", place="Tabqa", lat=35.84, lon=38.55)
    report(store, "d", None, date=None)
    report(store, "e", None, date=None)
    assert store.events(article_id="b")[0]["link_id"] is None
    assert link_of(store, "d") != link_of(store, "e")
    assert store.count_events(linked=True) == 4
    assert all(r["statistics"][0].get("link_id") is None for r in store.results())


def test_merge_and_split_are_kept_across_relink_and_audited(store):
    report(store, "a")
    report(store, "b", place="Tabqa", lat=35.84, lon=38.55)
    merged = store.merge_linked([link_of(store, "a"), link_of(store, "b")], user="huda",
                                reason="same attack")
    store.relink()
    assert link_of(store, "a") == link_of(store, "b") == merged["id"]
    moved = store.events(article_id="b")[0]["id"]
    split = store.split_linked(merged["id"], [moved], user="huda", reason="not the same")
    store.relink()
    assert link_of(store, "a") != link_of(store, "b") == split["moved"]["linked_event"]
    assert [e["action"] for e in store.audit_log(target_type="linked_event")] == ["split",
                                                                                  "merge"]
    history = store.get_linked_event(link_of(store, "a"))["history"]
    assert {h["kind"] for h in history} >= {"create", "merge"}


def test_merged_away_link_points_to_its_successor(store):
    report(store, "a")
    report(store, "b", place="Tabqa", lat=35.84, lon=38.55)
    ids = [link_of(store, "a"), link_of(store, "b")]
    merged = store.merge_linked(ids, user="huda")
    (gone,) = set(ids) - {merged["id"]}
    assert store.get_linked_event(gone)["merged_into"] == merged["id"]
    with pytest.raises(ReviewError, match="retired"):
        store.split_linked(gone, ["x"], user="huda")


def test_correcting_the_place_relinks(store):
    report(store, "a")
    report(store, "b", place="Tabqa", lat=35.84, lon=38.55)
    assert link_of(store, "a") != link_of(store, "b")
    event_id = store.events(article_id="b")[0]["id"]
    store.patch_event(event_id, {"location": {"name": "Ar Raqqah", "lat": 35.95, "lon": 39.01}},
                      user="huda", reason="wrong geocode")
    assert link_of(store, "a") == link_of(store, "b")
