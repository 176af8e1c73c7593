"""Exports: exact ACLED columns and types, UCDP deaths, GeoJSON, Parquet, JSONL, the CLI."""
from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from rasad.cli import main
from rasad.export import (
    ACLED_COLUMNS,
    UCDP_COLUMNS,
    acled_arrow_schema,
    actor_name,
    export,
    interaction,
)
from rasad.records import Location, Result, Statistic
from rasad.store import open_store
from rasad.store.testing import sample_article, sample_event


@pytest.fixture
def store_url(store_url):
    """The shared empty store, seeded with five reports for the export tests."""
    store = open_store(store_url)
    events = {
        "x1": [sample_event(fatalities=6, killed={"islamic_state": 2, "sdf": 4},
                            assoc_actors=["asayish"])],
        "x2": [sample_event(fatalities=8)],
        "x3": [sample_event(country="IQ", admin1="Baghdad", date="2018-01-15",
                            location=Location("Baghdad", "بغداد", 33.34, 44.40, 1),
                            event_type="Explosions/Remote violence",
                            sub_event_type="Suicide bomb",
                            actor1="unidentified_armed_group", actor2="civilians",
                            fatalities=16, killed={"civilians": 16})],
        "x4": [sample_event(event_type="Protests", date="2022-12-20",
                            sub_event_type="Excessive force against protesters",
                            actor1="syrian_gov_forces", actor2="protesters", fatalities=0,
                            place="Tabqa", lat=None, lon=None, geo_precision=2)],
        "x5": [sample_event(date=None)],
    }
    for article_id, items in events.items():
        store.save_result(sample_article(article_id, "2022-12-26" if article_id != "x5"
                                         else None),
                          Result(article_id, items, [Statistic("killed", 148)]))
    store.close()
    return store_url


def test_acled_csv_has_exact_columns_and_types(store, tmp_path):
    path = tmp_path / "acled.csv"
    counts = export(store, "acled", path)
    table = pacsv.read_csv(path)
    assert tuple(table.column_names) == ACLED_COLUMNS
    assert counts == {"written": 3, "skipped": 1}  # two Raqqa reports are one linked event
    expected = acled_arrow_schema()
    for column in ("event_date", "year", "time_precision", "inter1", "inter2", "interaction",
                   "iso", "geo_precision", "fatalities", "timestamp", "latitude"):
        assert table.schema.field(column).type == expected.field(column).type, column


def test_acled_codes(store, tmp_path):
    path = tmp_path / "acled.csv"
    export(store, "acled", path)
    rows = {r["sub_event_type"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    bomb, clash = rows["Suicide bomb"], rows["Armed clash"]
    assert (bomb["iso"], bomb["country"], bomb["region"]) == ("368", "Iraq", "Middle East")
    assert (bomb["inter1"], bomb["inter2"], bomb["interaction"]) == ("3", "7", "37")
    assert bomb["civilian_targeting"] == "Civilian targeting"
    assert (clash["fatalities"], clash["source"].count(";")) == ("6", 1)
    assert clash["event_id_cnty"].startswith("SYR") and clash["iso"] == "760"
    protest = rows["Excessive force against protesters"]
    assert protest["disorder_type"] == "Political violence; Demonstrations"
    assert (protest["inter1"], protest["interaction"]) == ("1", "16")


@pytest.mark.parametrize("inter1, inter2, code", [(1, 0, 10), (2, 1, 12), (7, 3, 37),
                                                  (8, 8, 88), (0, 0, 0)])
def test_interaction_code(inter1, inter2, code):
    assert interaction(inter1, inter2) == code


def test_per_article_export_keeps_every_report(store, tmp_path):
    path = tmp_path / "acled.csv"
    assert export(store, "acled", path, linked=False)["written"] == 4


def test_filters_apply_to_exports(store, tmp_path):
    path = tmp_path / "acled.csv"
    export(store, "acled", path, country="IQ")
    assert [r["country"] for r in csv.DictReader(path.open(encoding="utf-8"))] == ["Iraq"]
    export(store, "acled", path, date_from="2022-12-21", actor="sdf")
    assert [r["event_date"] for r in csv.DictReader(path.open(encoding="utf-8"))] == [
        "2022-12-26"]


def test_parquet_has_acled_columns_and_dtypes(store, tmp_path):
    path = tmp_path / "events.parquet"
    export(store, "parquet", path)
    table = pq.read_table(path)
    assert table.schema.equals(acled_arrow_schema())
    assert table.schema.field("event_date").type == pa.date32() and table.num_rows == 3


def test_ucdp_splits_deaths_by_side(store, tmp_path):
    path = tmp_path / "ucdp.csv"
    export(store, "ucdp", path)
    rows = {r["side_a"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    assert tuple(next(csv.reader(path.open(encoding="utf-8")))) == UCDP_COLUMNS
    clash = rows[actor_name("islamic_state")]
    bomb = rows[actor_name("unidentified_armed_group")]
    assert (clash["deaths_a"], clash["deaths_b"], clash["best"], clash["high"]) == (
        "2", "4", "6", "8")
    assert (bomb["type_of_violence"], bomb["deaths_civilians"], bomb["best"]) == ("3", "16", "16")
    assert len(rows) == 2  # the protest has no deaths: not in a UCDP-GED file


def test_geojson_is_a_valid_feature_collection(store, tmp_path):
    path = tmp_path / "events.geojson"
    counts = export(store, "geojson", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and counts["skipped"] == 1
    for feature in data["features"]:
        geometry = feature["geometry"]
        lon, lat = geometry["coordinates"]
        assert feature["type"] == "Feature" and geometry["type"] == "Point"
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(feature["properties"], dict)
    assert {f["properties"]["location_name"] for f in data["features"]} >= {"Baghdad"}


def test_jsonl_is_per_article_results_with_link_ids(store, tmp_path):
    path = tmp_path / "results.jsonl"
    export(store, "jsonl", path)
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    assert [r["id"] for r in records] == ["x1", "x2", "x3", "x4", "x5"]
    assert records[0]["events"][0]["link_id"] == records[1]["events"][0]["link_id"]
    assert records == list(store.results())


def test_cli_export_and_events(store_url, tmp_path):
    runner = CliRunner()
    out = tmp_path / "acled.csv"
    done = runner.invoke(main, ["export", "--db", store_url, "--format", "acled", "-o",
                                str(out), "--country", "SY"])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(ACLED_COLUMNS)
    listing = runner.invoke(main, ["events", "--db", store_url, "--actor", "civilians"])
    assert listing.exit_code == 0 and "Suicide bomb" in listing.output
    assert "Armed clash" not in listing.output


def test_cli_reports_a_bad_store_as_an_error(tmp_path):
    done = CliRunner().invoke(main, ["events", "--db", f"sqlite:///{tmp_path}/no/such/x.db"])
    assert done.exit_code == 1 and "does not exist" in done.output
