"""The scorer (rasad.evaluate), the sentence check (rasad.gsr) and ``rasad bench quality``.

Records here are hand-written; the dev set is only read, in place, to check that rasad's
scorer and the reference scorer give the same figures.
"""
from __future__ import annotations

import copy
import csv
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rasad import evaluate as ev
from rasad import gsr
from rasad.bench_quality import quality, run_quality, top_error_kinds
from rasad.errors import InputError
from rasad.records import Article, Event, Evidence, Location, Result

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "eval" / "dev"
REFERENCE = SHARED / "eval" / "score.py"


def event(**changes: Any) -> dict[str, Any]:
    """A gold-style event: an armed clash in Idlib city; ``changes`` override fields."""
    base: dict[str, Any] = {
        "event_type": "Battles", "sub_event_type": "Armed clash", "date": "2023-03-10",
        "country": "SY", "admin1": "Idlib",
        "location": {"name": "Idlib", "name_ar": "مدينة إدلب", "lat": 35.93, "lon": 36.63},
        "actor1": "hts", "actor2": "syrian_army", "fatalities": 4, "injured": None,
        "arrested": None,
    }
    base.update(changes)
    return base


def record(aid: str, events: list[dict[str, Any]], statistics: list[dict[str, Any]] | None = None
           ) -> dict[str, Any]:
    return {"id": aid, "events": events, "statistics": statistics or []}


def report(gold: list[dict[str, Any]], pred: list[dict[str, Any]],
           texts: dict[str, str] | None = None) -> dict[str, Any]:
    by_id = {r["id"]: r for r in gold}
    return ev.score(by_id, {r["id"]: r for r in pred}, texts).tally.report().to_dict()


# ---------------------------------------------------------------- names, places, dates

@pytest.mark.parametrize(("a", "b"), [
    ("مدينة الرقّة", "الرقة"),
    ("بلدة معرة النعمان", "معرّة النعمان"),
    ("ريف إدلب الجنوبي", "ادلب"),
])
def test_arabic_place_names_meet(a: str, b: str) -> None:
    assert ev.place_key(a) == ev.place_key(b) != ""


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Ar-Raqqah", "Raqqa", True),
    ("Idleb", "Idlib", True),
    ("Ninawa", "Nineveh", True),
    ("Rif Dimashq", "Rural Damascus", True),
    ("Aleppo", "Hama", False),
])
def test_latin_name_skeletons(a: str, b: str, same: bool) -> None:
    assert (ev.name_skeleton(a) == ev.name_skeleton(b)) is same


def test_places_within_ten_km_are_the_same_place() -> None:
    gold = event(location={"name": "A", "lat": 35.0, "lon": 36.0})
    near = event(location={"name": "B", "lat": 35.05, "lon": 36.0})
    far = event(location={"name": "C", "lat": 35.2, "lon": 36.0})
    assert ev.same_location(gold, near) and not ev.same_location(gold, far)


@pytest.mark.parametrize(("gold_date", "pred_date", "expected"), [
    ("2023-03-10", "2023-03-10", 1.0), ("2023-03-10", "2023-03-11", 0.8),
    ("2023-03-10", "2023-03-13", 0.3), ("2023-03-10", "2023-03-14", None),
    ("2023-03-10", None, 0.5), (None, "2023-03-10", 0.5),
])
def test_date_agreement(gold_date: str | None, pred_date: str | None,
                        expected: float | None) -> None:
    assert ev.date_agreement({"date": gold_date}, {"date": pred_date}) == expected


# ---------------------------------------------------------------- matching

def test_identical_records_score_full_marks() -> None:
    out = report([record("a", [event()])], [record("a", [event()])])
    assert (out["event_precision"], out["event_recall"], out["event_f1"]) == (1.0, 1.0, 1.0)
    assert out["strict_event_accuracy"] == 1.0
    assert out["field_accuracy"]["fatalities"] == 1.0


@pytest.mark.parametrize(("change", "pairs"), [
    ({"country": "IQ"}, False),
    ({"date": "2023-03-20"}, False),
    ({"event_type": "Riots", "sub_event_type": "Mob violence", "admin1": "Hama",
      "location": {"name": "Hama", "name_ar": "حماة"}}, False),
    ({"admin1": "Idlib", "location": {"name": "Saraqib", "name_ar": "سراقب"},
      "event_type": "Riots", "sub_event_type": "Mob violence"}, True),
    ({"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}, True),
])
def test_pairing_needs_country_date_and_place_or_type(change: dict[str, Any],
                                                       pairs: bool) -> None:
    assert (ev.pair_score(event(), event(**change)) is not None) is pairs


def test_matching_is_one_to_one_best_pair_first() -> None:
    gold = [event(fatalities=4), event(date="2023-03-11", fatalities=9)]
    pred = [event(date="2023-03-11", fatalities=9)]
    assert ev.match_events(gold, pred) == [(1, 0)]
    out = report([record("a", gold)], [record("a", pred)])
    assert (out["event_precision"], out["event_recall"]) == (1.0, 0.5)


def test_two_predictions_for_one_gold_event_leave_one_invented() -> None:
    out = report([record("a", [event()])], [record("a", [event(), event(fatalities=5)])])
    assert (out["event_precision"], out["event_recall"], out["event_f1"]) == (0.5, 1.0, 0.6667)


def test_article_absent_from_prediction_misses_its_events() -> None:
    out = report([record("a", [event()]), record("b", [event()])], [record("a", [event()])])
    assert out["articles_missing_from_prediction"] == 1
    assert out["event_recall"] == 0.5


# ---------------------------------------------------------------- optional events, quiet articles

def test_unmatched_optional_gold_event_is_not_required() -> None:
    gold = [record("a", [event(), event(event_type="Strategic developments",
                                        sub_event_type="Other", optional=True)])]
    out = report(gold, [record("a", [event()])])
    assert (out["gold_events"], out["event_recall"]) == (1, 1.0)


def test_prediction_matching_an_optional_event_counts_neither_way() -> None:
    gold = [record("a", [event(), event(date="2023-01-02", fatalities=30, optional=True)])]
    pred = [record("a", [event(), event(date="2023-01-02", fatalities=30)])]
    out = report(gold, pred)
    assert (out["event_precision"], out["event_recall"]) == (1.0, 1.0)
    assert (out["fatalities_gold_total"], out["fatalities_pred_total"]) == (4, 4)


@pytest.mark.parametrize(("pred_events", "rate"), [
    ([], 0.0),
    ([event(background=True, optional=True)], 0.0),  # matches the optional background event
    ([event(country="LY", admin1="Tripoli")], 1.0),
])
def test_quiet_article_false_alarm(pred_events: list[dict[str, Any]], rate: float) -> None:
    gold = [record("q", [event(background=True, optional=True)])]
    out = report(gold, [record("q", pred_events)])
    assert out["quiet_articles"] == 1
    assert out["quiet_article_false_alarm_rate"] == rate


def test_no_quiet_articles_gives_no_rate() -> None:
    assert report([record("a", [event()])], [])["quiet_article_false_alarm_rate"] is None


# ---------------------------------------------------------------- fields

def test_fields_gold_leaves_open_are_not_scored() -> None:
    gold = [record("a", [event(admin1=None, date=None, injured=None)])]
    pred = [record("a", [event(admin1="Hama", injured=7)])]
    fields = report(gold, pred)["field_accuracy"]
    assert fields["admin1"] is None and fields["date"] is None and fields["injured"] is None


@pytest.mark.parametrize(("gold_killed", "pred_killed", "score"), [
    ({"sdf": 6, "islamic_state": 2}, {"sdf": 6, "islamic_state": 2}, 1.0),
    ({"sdf": 3, "asayish": 3}, {"sdf": 6}, 1.0),              # Asayish counted under the SDF
    ({"sdf": 6, "civilians": 0}, {"sdf": 6}, 1.0),            # unstated equals zero
    ({"sdf": 6}, {"sdf": 5, "islamic_state": 1}, 0.0),
])
def test_killed_by_side(gold_killed: dict[str, int], pred_killed: dict[str, int],
                        score: float) -> None:
    fields = ev.compare_fields(event(killed=gold_killed), event(killed=pred_killed))
    assert fields["killed_by_side"] == score


def test_actor_agreement_is_set_f1_over_all_roles() -> None:
    gold = event(actor1="hts", actor2="syrian_army", assoc_actors=["russia"])
    pred = event(actor1="syrian_army", actor2="HTS", assoc_actors=[])
    assert ev.compare_fields(gold, pred)["actors"] == pytest.approx(0.8)


def test_null_count_equals_zero() -> None:
    fields = ev.compare_fields(event(arrested=0), event(arrested=None))
    assert fields["arrested"] == 1.0


def test_strict_accuracy_needs_type_date_admin1_and_fatalities() -> None:
    gold = [record("a", [event(), event(date="2023-03-12", admin1="Hama",
                                        location={"name": "Hama", "name_ar": "حماة"})])]
    pred = [record("a", [event(actor2=None), event(date="2023-03-12", admin1="Hama",
                                                   location={"name": "Hama", "name_ar": "حماة"},
                                                   fatalities=5)])]
    out = report(gold, pred)
    assert out["strict_event_accuracy"] == 0.5


# ---------------------------------------------------------------- statistics

def test_statistics_match_as_a_multiset() -> None:
    gold = [record("s", [], [{"metric": "killed", "value": 12}, {"metric": "killed", "value": 12},
                             {"metric": "events", "value": 40}])]
    pred = [record("s", [], [{"metric": "Killed", "value": 12}, {"metric": "killed", "value": 13}])]
    out = report(gold, pred)
    assert (out["statistic_precision"], out["statistic_recall"]) == (0.5, 0.3333)
    assert out["statistic_f1"] == 0.4


# ---------------------------------------------------------------- schema problems

TEXT = "نص قصير للتجربة"


@pytest.mark.parametrize(("change", "fragment"), [
    ({"event_type": "Fights"}, "unknown event_type"),
    ({"sub_event_type": "Air/drone strike"}, "not under"),
    ({"date": "10/03/2023"}, "bad date"),
    ({"fatalities": None}, "fatalities must be an integer"),
    ({"evidence": []}, "no evidence spans"),
    ({"evidence": [{"field": "x", "start": 3, "end": len(TEXT) + 1}]}, "outside the text"),
    ({"evidence": [{"field": "x", "start": 4, "end": 4}]}, "outside the text"),
])
def test_schema_problems(change: dict[str, Any], fragment: str) -> None:
    coded = event(evidence=[{"field": "x", "start": 0, "end": 2}])
    pred = {"id": "a", "events": [{**coded, **change}]}
    problems = ev.schema_problems(pred, {"a": TEXT})
    assert len(problems) == 1 and fragment in problems[0]


def test_evidence_is_not_checked_without_the_text() -> None:
    assert ev.schema_problems({"id": "a", "events": [event()]}, {}) == []


# ---------------------------------------------------------------- errors, pooling, files

def test_error_kinds_name_what_went_wrong() -> None:
    gold = [record("a", [event(), event(event_type="Explosions/Remote violence",
                                        sub_event_type="Air/drone strike", admin1="Hama",
                                        location={"name": "Hama", "name_ar": "حماة"})])]
    pred = [record("a", [event(fatalities=3), event(country="IQ", sub_event_type="Attack")])]
    errors = ev.score({"a": gold[0]}, {"a": pred[0]}).errors
    kinds = {e.kind for e in errors}
    assert kinds == {"miscoded fatalities", "missed Air/drone strike", "invented Attack"}
    miscoded = next(e for e in errors if e.kind == "miscoded fatalities")
    assert (miscoded.article, miscoded.gold, miscoded.pred) == ("a", 4, 3)


def test_top_error_kinds_rank_by_count_with_first_example() -> None:
    errors = [ev.ScoringError("missed Attack", "b", 1, None),
              ev.ScoringError("miscoded date", "a", "2023-01-01", None),
              ev.ScoringError("missed Attack", "c", 2, None)]
    top = top_error_kinds(errors, limit=1)
    assert [(k.kind, k.count, k.example.article) for k in top] == [("missed Attack", 2, "b")]


def test_pooled_tally_equals_scoring_the_sets_together() -> None:
    set1 = ([record("a", [event()]), record("q", [])], [record("q", [event()])])
    set2 = ([record("b", [event(fatalities=2)])], [record("b", [event(fatalities=2)])])
    pooled = ev.pool(ev.score({r["id"]: r for r in g}, {r["id"]: r for r in p})
                     for g, p in (set1, set2))
    together = report(set1[0] + set2[0], set1[1] + set2[1])
    assert pooled.tally.report().to_dict() == together


def test_read_records_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "x.gold.jsonl"
    path.write_text('{"id": "a", "events": []}\n{"id": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.gold\.jsonl:2"):
        ev.read_records(path)


# ---------------------------------------------------------------- agreement with score.py

def _perturbed(gold: dict[str, dict[str, Any]], seed: int) -> dict[str, dict[str, Any]]:
    """A prediction built from gold: events dropped, miscoded, duplicated, misplaced."""
    rnd = random.Random(seed)
    pred = {}
    for aid, g in gold.items():
        if rnd.random() < 0.08:
            continue                                   # article missing from the prediction
        events = []
        for e in copy.deepcopy(g.get("events") or []):
            e.pop("optional", None)
            roll = rnd.random()
            if roll < 0.12:
                continue
            if roll < 0.25:
                e["fatalities"] = (e.get("fatalities") or 0) + 1
            elif roll < 0.33:
                e["date"] = None
            elif roll < 0.40:
                e["actor2"], e["killed"] = None, {"civilians": 1}
            elif roll < 0.45:
                e["event_type"], e["sub_event_type"] = "Riots", "Mob violence"
            elif roll < 0.50:
                e["location"], e["admin1"] = {"name": "Nowhere"}, None
            e["evidence"] = ([{"field": "event_type", "start": 0, "end": 5}]
                             if rnd.random() < 0.85 else [])
            events.append(e)
            if rnd.random() < 0.08:
                events.append(dict(e, country="SY", date="2001-01-01"))
        stats = list(g.get("statistics") or [])
        if stats and rnd.random() < 0.3:
            stats = stats[1:] + [{"metric": "killed", "value": 999}]
        pred[aid] = {"id": aid, "events": events, "statistics": stats}
    return pred


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/eval/score.py not present")
@pytest.mark.parametrize("name", ["seed", "news", "news2", "news3"])
def test_figures_agree_with_the_reference_scorer(name: str, tmp_path: Path) -> None:
    gold_path = DEV / f"{name}.gold.jsonl"
    articles_path = DEV / f"{name}.articles.jsonl"
    gold = ev.read_records(gold_path)
    pred = _perturbed(gold, seed=len(name))
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pred.values()),
                         encoding="utf-8")
    done = subprocess.run([sys.executable, str(REFERENCE), str(gold_path), str(pred_path),
                           "--articles", str(articles_path), "--json"],
                          capture_output=True, text=True, check=True)
    texts = {k: r.get("text", "") for k, r in ev.read_records(articles_path).items()}
    ours = ev.score(gold, ev.read_records(pred_path), texts).tally.report().to_dict()
    assert ours == json.loads(done.stdout)


# ---------------------------------------------------------------- sentence check

def _gsr_file(path: Path, rows: list[tuple[str, str, int, int, str]],
              family: str = "ASSAULT") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["", "accept", "event_type", "id", "label", "reject", "text", "total"])
        for i, (sid, label, accept, reject, text) in enumerate(rows):
            out.writerow([i, accept, family, sid, label, reject, text, accept + reject])
    return path


def keyword_extractor(article: Article) -> Result:
    """Codes an armed clash when the sentence says قتل, a protest when it says تظاهر."""
    events = []
    if "قتل" in article.text:
        events.append(Event("Battles", "Armed clash"))
    if "تظاهر" in article.text:
        events.append(Event("Protests", "Peaceful protest"))
    return Result(article.id, events)


def test_gsr_rates_per_label(tmp_path: Path) -> None:
    path = _gsr_file(tmp_path / "assault_gsr.csv", [
        ("s1", "yes", 3, 0, "قتل مسلحون خمسة جنود"),
        ("s2", "yes", 3, 0, "اختطف مسلحون صحفيا"),
        ("s3", "easy no", 0, 3, "ارتفعت أسعار الخبز"),
        ("s4", "difficult no", 2, 2, "قتل ثلاثة في حادث سير"),
        ("s5", "difficult no", 1, 3, "هدد التنظيم بشن هجمات"),
        ("s6", "ambiguous", 1, 0, "قتل رجل"),
    ])
    (report_,) = gsr.run_gsr(path, keyword_extractor)
    assert (report_.recall_yes, report_.fp_rate_easy_no, report_.fp_rate_difficult_no) == \
        (0.5, 0.0, 0.5)
    assert report_.rows["contested"].detected == report_.rows["contested"].sentences == 1
    assert sum(r.sentences for label, r in report_.rows.items() if label != "contested") == 5


def test_gsr_protest_family_counts_only_protest_types(tmp_path: Path) -> None:
    path = _gsr_file(tmp_path / "protest_gsr.csv", [
        ("p1", "yes", 3, 0, "تظاهر المئات أمام البرلمان"),
        ("p2", "easy no", 0, 3, "قتل مسلحون شرطيا"),
    ], family="PROTEST")
    (report_,) = gsr.run_gsr(path, keyword_extractor)
    assert (report_.family, report_.recall_yes, report_.fp_rate_easy_no) == ("PROTEST", 1.0, 0.0)


def test_gsr_rejects_a_file_without_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,text\n1,نص\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns"):
        gsr.read_gold_sentences(path)


# ---------------------------------------------------------------- the bench command

def _sample(folder: Path) -> Path:
    folder.mkdir()
    articles = [{"id": "k1", "published": "2023-03-11", "text": "قتل أربعة في اشتباك بإدلب"},
                {"id": "k2", "published": "2023-03-11", "text": "افتتح معرض للكتاب في القاهرة"}]
    gold = [record("k1", [event()]), record("k2", [])]
    for name, rows in (("mine.articles.jsonl", articles), ("mine.gold.jsonl", gold)):
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                           for r in rows), encoding="utf-8")
    return folder


def clash_extractor(article: Article) -> Result:
    """Codes the gold clash for any text saying قتل, with evidence on its first word."""
    if "قتل" not in article.text:
        return Result(article.id)
    found = Event("Battles", "Armed clash", date="2023-03-10", country="SY", admin1="Idlib",
                  location=Location(name="Idlib", name_ar="إدلب"), actor1="hts",
                  actor2="syrian_army", fatalities=4, evidence=[Evidence("event_type", 0, 3)])
    return Result(article.id, [found])


def test_bench_scores_each_set_and_the_pool(tmp_path: Path) -> None:
    run = run_quality(_sample(tmp_path / "sample"), None, use_gsr=False,
                      extract=clash_extractor)
    figures = run.to_dict()
    assert figures["sets"]["mine"]["event_f1"] == figures["overall"]["event_f1"] == 1.0
    assert figures["overall"]["quiet_article_false_alarm_rate"] == 0.0
    assert figures["overall"]["schema_problems"] == 0


def test_bench_command_prints_one_json_object(tmp_path: Path) -> None:
    result = CliRunner().invoke(quality, [str(_sample(tmp_path / "s")), "--json", "--no-gsr"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out["sets"]) == {"mine"} and out["overall"]["articles"] == 2


def test_bench_command_says_where_to_point_it(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(quality, ["--no-gsr"])
    assert result.exit_code == 2
    assert "NAME.articles.jsonl" in result.output
