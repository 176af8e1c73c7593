"""The review API against a real ``rasad serve`` process and a real store (SQLite always,
PostgreSQL when RASAD_TEST_PG_URL is set), seeded by the real pipeline."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from backends import BACKEND_PARAMS
from conftest_api import (
    IMG_PROBE,
    PASSWORD,
    SCRIPT_PROBE,
    USER,
    XSS_ID,
    logged_in,
    quoted,
    running_server,
    seed,
)

from rasad.api import charts, views
from rasad.api.app import security_headers
from rasad.api.i18n import LANGUAGES, strings
from rasad.api.pages import local_path
from rasad.export import ACLED_COLUMNS
from rasad.store.testing import postgres_available, temporary_store_url

TEMPLATES = Path(__file__).resolve().parents[1] / "rasad" / "api" / "templates"


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(request, tmp_path_factory):
    """(base URL, store URL, event ids by article) for a seeded store behind a live server."""
    if request.param == "postgres" and not postgres_available():
        pytest.skip("RASAD_TEST_PG_URL not set (source .ci/postgres.sh)")
    with temporary_store_url(request.param, tmp_path_factory.mktemp("api")) as url:
        ids = seed(url)
        with running_server(url) as base:
            yield base, url, ids


@pytest.fixture
def base(served):
    return served[0]


@pytest.fixture(scope="module")
def shared_anonymous(served):
    with httpx.Client(base_url=served[0], timeout=30) as c:
        yield c


@pytest.fixture
def anon(shared_anonymous):
    """A client without a login (cookies cleared before each test)."""
    shared_anonymous.cookies.clear()
    return shared_anonymous


@pytest.fixture
def ids(served):
    return served[2]


@pytest.fixture(scope="module")
def client(served):
    """One logged-in reviewer per server (argon2 makes each login deliberately slow)."""
    with logged_in(served[0]) as c:
        yield c


def audit_count(anon: httpx.Client) -> int:
    return len(anon.get("/api/audit", params={"limit": 500}).json()["audit"])


# -- reading -------------------------------------------------------------------------------
def test_openapi_publishes_every_endpoint(anon):
    paths = anon.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/linked-events",
                 "/api/linked-events/{link_id}", "/api/articles/{article_id}",
                 "/api/statistics", "/api/export", "/api/events/{event_id}/accept",
                 "/api/events/{event_id}/reject", "/api/linked-events/merge",
                 "/api/linked-events/{link_id}/split", "/api/summary", "/api/audit"):
        assert path in paths
    assert "patch" in paths["/api/events/{event_id}"]


def test_event_list_counts_every_extracted_event(anon, ids):
    answer = anon.get("/api/events", params={"limit": 500}).json()
    assert answer["ok"] is True
    assert answer["total"] == len(answer["events"]) == sum(len(v) for v in ids.values())
    assert all(e["evidence"] for e in answer["events"])


@pytest.mark.parametrize(("params", "holds"), [
    ({"country": "IQ"}, lambda e: e["country"] == "IQ"),
    ({"country": "sy"}, lambda e: e["country"] == "SY"),
    ({"admin1": "Idlib"}, lambda e: e["admin1"] == "Idlib"),
    ({"date_from": "2023-03-01", "date_to": "2023-03-31"},
     lambda e: "2023-03-01" <= e["date"] <= "2023-03-31"),
    ({"event_type": "Explosions/Remote violence"},
     lambda e: e["event_type"] == "Explosions/Remote violence"),
    ({"actor": "syrian_gov_forces"},
     lambda e: "syrian_gov_forces" in (e["actor1"], e["actor2"], *e["assoc_actors"])),
    ({"bbox": "36,35,37,36"}, lambda e: 36 <= e["location"]["lon"] <= 37
     and 35 <= e["location"]["lat"] <= 36),
])
def test_event_filters_select_only_matching_events(anon, params, holds):
    events = anon.get("/api/events", params=params).json()["events"]
    assert events and all(holds(e) for e in events)


def test_filters_leave_out_non_matching_events(anon):
    everything = anon.get("/api/events", params={"limit": 500}).json()["total"]
    iraq = anon.get("/api/events", params={"country": "IQ"}).json()["total"]
    assert 0 < iraq < everything


def test_pages_of_the_list_do_not_overlap(anon):
    first = anon.get("/api/events", params={"limit": 2}).json()
    second = anon.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"]
    assert not {e["id"] for e in first["events"]} & {e["id"] for e in second["events"]}


@pytest.mark.parametrize(("key", "article_id", "word"), [
    ("idlib-a", "idlib-a", "كفرنبل"), ("mosul", "feeds/outlet-c/mosul", "الموصل"),
    ("xss", XSS_ID, "حلب")])
def test_article_answer_has_text_and_extraction(anon, ids, key, article_id, word):
    article = anon.get(f"/api/articles/{quoted(article_id)}").json()["article"]
    assert word in article["text"]
    assert [e["id"] for e in article["events"]] == ids[key]


def test_linked_event_shows_reports_and_comparison(anon, ids):
    event = anon.get(f"/api/events/{ids['idlib-a'][0]}").json()["event"]
    linked = anon.get(f"/api/linked-events/{event['link_id']}").json()["linked_event"]
    assert ids["idlib-a"][0] in [r["id"] for r in linked["reports"]]
    assert {row["field"] for row in linked["comparison"]} >= {"fatalities", "date"}


def test_linked_event_list_answers_linked_events(anon):
    answer = anon.get("/api/linked-events", params={"country": "SY"}).json()
    assert answer["total"] >= 1 and all("n_sources" in e for e in answer["linked_events"])


def test_statistics_are_listed_apart_from_events(anon):
    rows = anon.get("/api/statistics", params={"country": "SY"}).json()["statistics"]
    assert any(r["metric"] == "killed" and r["value"] == 150 for r in rows)


def test_summary_counts_events_per_week_by_type(anon):
    answer = anon.get("/api/summary").json()
    per_type = sum(sum(s["events"]) for s in answer["by_type"].values())
    assert per_type == answer["totals"]["events"] > 0
    assert len(answer["weeks"]) >= 3  # 2023-02-13 .. 2023-03-06 weeks, without gaps


def test_acled_export_is_a_csv_download_with_acled_columns(anon):
    answer = anon.get("/api/export", params={"format": "acled"})
    assert answer.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS and len(rows) > 1


def test_geojson_export_is_a_feature_collection(anon):
    answer = anon.get("/api/export", params={"format": "geojson", "country": "IQ"})
    data = answer.json()
    assert data["type"] == "FeatureCollection" and data["features"]
    assert all(f["geometry"]["type"] == "Point" for f in data["features"])


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/api/events/no-such-event", {}, 404),
    ("/api/linked-events/no-such-link", {}, 404),
    ("/api/articles/no-such-article", {}, 404),
    ("/api/events", {"date_from": "last week"}, 422),
    ("/api/events", {"limit": 100000}, 422),
    ("/api/events", {"country": "Syria"}, 422),
    ("/api/events", {"bbox": "1,2,3"}, 400),
    ("/api/no-such-endpoint", {}, 404),
])
def test_errors_answer_ok_false_with_status(anon, path, params, status):
    answer = anon.get(f"{path}", params=params)
    assert answer.status_code == status
    assert answer.json()["ok"] is False and answer.json()["error"]


def test_responses_carry_a_strict_content_security_policy(anon):
    policy = anon.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


# -- writing -------------------------------------------------------------------------------
WRITES = [
    ("PATCH", "/api/events/{event}", {"changes": {"fatalities": 9}, "reason": "x"}),
    ("POST", "/api/events/{event}/accept", {}),
    ("POST", "/api/events/{event}/reject", {}),
    ("POST", "/api/events/{event}/reset", {}),
    ("POST", "/api/linked-events/merge", {"ids": ["{link}", "{other_link}"]}),
    ("POST", "/api/linked-events/{link}/split", {"event_ids": ["{event}"]}),
    ("POST", "/api/logout", {}),
]


def _fill(template, ids_by_article, anon):
    """Put real ids into a WRITES row (strings, lists and dicts of them)."""
    event = ids_by_article["raqqa"][0]
    link = anon.get(f"/api/events/{event}").json()["event"]["link_id"]
    other = anon.get(f"/api/events/{ids_by_article['mosul'][0]}").json()["event"]
    names = {"{event}": event, "{link}": link, "{other_link}": other["link_id"]}

    def fill(value):
        if isinstance(value, str):
            for key, real in names.items():
                value = value.replace(key, real)
            return value
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    return fill(template)


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_unauthenticated_write_is_refused_and_changes_nothing(anon, ids, method, path, body):
    path, body = _fill(path, ids, anon), _fill(body, ids, anon)
    before = audit_count(anon)
    answer = anon.request(method, path, json=body)
    assert answer.status_code == 401 and answer.json()["ok"] is False
    assert audit_count(anon) == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_write_without_csrf_token_is_refused(anon, ids, client, method, path, body):
    path, body = _fill(path, ids, anon), _fill(body, ids, anon)
    for token in ("", "0" * 64):
        answer = client.request(method, path, json=body, headers={"X-CSRF-Token": token})
        assert answer.status_code == 403


@pytest.mark.parametrize(("method", "path"), [("POST", "/events/{event}/review"),
                                              ("POST", "/linked/{link}/merge"),
                                              ("POST", "/linked/{link}/split")])
def test_unauthenticated_form_post_is_refused(anon, ids, method, path):
    before = audit_count(anon)
    answer = anon.request(method, _fill(path, ids, anon),
                          data={"action": "accept", "others": "x", "event_ids": "y"})
    assert answer.status_code == 401
    assert audit_count(anon) == before


def test_form_post_without_csrf_token_is_refused(ids, client):
    answer = client.post(f"/events/{ids['raqqa'][0]}/review", data={"action": "accept"},
                         headers={"X-CSRF-Token": ""})
    assert answer.status_code == 403


def test_cross_site_form_encoding_cannot_reach_the_json_api(client, ids):
    answer = client.post(f"/api/events/{ids['raqqa'][0]}/accept", content="{}",
                         headers={"Content-Type": "text/plain"})
    assert answer.status_code == 415


def test_correction_writes_audit_entry_with_who_when_before_after_why(client, ids):
    event_id = ids["mosul"][0]
    old = client.get(f"/api/events/{event_id}").json()["event"]["fatalities"]
    answer = client.patch(f"/api/events/{event_id}",
                          json={"changes": {"fatalities": old + 4}, "reason": "hospital list"})
    assert answer.json()["event"]["fatalities"] == old + 4
    entry = client.get(f"/api/events/{event_id}").json()["history"][0]
    assert (entry["username"], entry["action"], entry["reason"]) == (
        USER, "correct", "hospital list")
    assert entry["before"] == {"fatalities": old} and entry["after"] == {"fatalities": old + 4}
    assert re.match(r"\d{4}-\d\d-\d\dT", entry["at"])


def test_correction_needs_a_reason(client, ids):
    answer = client.patch(f"/api/events/{ids['mosul'][0]}",
                          json={"changes": {"fatalities": 1}, "reason": "  "})
    assert answer.status_code == 422 and answer.json()["ok"] is False


@pytest.mark.parametrize("changes", [{"fatalities": -1}, {"fatalities": "many"},
                                     {"no_such_field": 1}, {"event_type": "Picnic"}])
def test_invalid_correction_is_refused_and_not_audited(client, ids, changes):
    event_id = ids["basra"][0]
    before = len(client.get(f"/api/events/{event_id}").json()["history"])
    answer = client.patch(f"/api/events/{event_id}", json={"changes": changes, "reason": "r"})
    assert answer.status_code == 422 and answer.json()["ok"] is False
    assert len(client.get(f"/api/events/{event_id}").json()["history"]) == before


@pytest.mark.parametrize(("action", "status"), [("accept", "accepted"),
                                                ("reject", "rejected")])
def test_accept_and_reject_set_status_and_audit(client, ids, action, status):
    event_id = ids["daraa"][0]
    answer = client.post(f"/api/events/{event_id}/{action}", json={"reason": "checked"})
    assert answer.json()["event"]["review_status"] == status
    entry = client.get(f"/api/events/{event_id}").json()["history"][0]
    assert entry["action"] == action and entry["after"] == {"review_status": status}
    client.post(f"/api/events/{event_id}/reset", json={})


def test_reviewed_filter_separates_reviewed_events(client, ids):
    client.post(f"/api/events/{ids['basra'][0]}/accept", json={})
    reviewed = client.get("/api/events", params={"reviewed": "true"}).json()["events"]
    unreviewed = client.get("/api/events", params={"reviewed": "false"}).json()["events"]
    assert ids["basra"][0] in {e["id"] for e in reviewed}
    assert all(e["review_status"] is None for e in unreviewed)


def test_merge_then_split_linked_events(client, ids):
    a, b = ids["raqqa"][0], ids["daraa"][0]
    link_a = client.get(f"/api/events/{a}").json()["event"]["link_id"]
    link_b = client.get(f"/api/events/{b}").json()["event"]["link_id"]
    merged = client.post("/api/linked-events/merge",
                         json={"ids": [link_a, link_b], "reason": "same raid"}).json()
    assert {r["id"] for r in merged["linked_event"]["reports"]} >= {a, b}
    split = client.post(f"/api/linked-events/{merged['linked_event']['id']}/split",
                        json={"event_ids": [b], "reason": "different towns"}).json()
    assert split["moved"]["linked_event"] != split["kept"]["linked_event"]
    actions = [e["action"] for e in client.get("/api/audit").json()["audit"][:2]]
    assert actions == ["split", "merge"]


def test_wrong_password_is_refused(anon):
    answer = anon.post("/api/login", json={"name": USER, "password": "wrong one!"})
    assert answer.status_code == 401 and answer.json()["ok"] is False


def test_logout_ends_the_session(base, ids):
    with logged_in(base) as client:
        cookie = client.cookies["rasad_session"]
        assert client.post("/api/logout", json={}).status_code == 200
        client.cookies.set("rasad_session", cookie)  # replay the old cookie
        answer = client.post(f"/api/events/{ids['raqqa'][0]}/accept", json={})
        assert answer.status_code == 401


def test_session_cookie_is_httponly_and_samesite_strict(base):
    answer = httpx.post(f"{base}/api/login", json={"name": USER, "password": PASSWORD})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


@pytest.mark.parametrize("size", [70 * 1024, 1024 * 1024])
def test_request_body_over_the_limit_is_refused(anon, size):
    answer = anon.post("/api/login", content=b"x" * size,
                       headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["ok"] is False


def test_event_page_escapes_article_markup(anon, ids):
    page = anon.get(f"/events/{quoted(ids['xss'][0])}").text
    assert SCRIPT_PROBE not in page and IMG_PROBE not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "Outlet &lt;b&gt;D&lt;/b&gt;" in page
    assert "x=<" not in page and 'href="javascript:' not in page


def test_event_with_query_characters_in_its_id_is_reviewable(client, ids):
    event_id = ids["xss"][0]
    answer = client.post(f"/api/events/{quoted(event_id)}/accept", json={"reason": "ok"})
    assert answer.json()["event"]["id"] == event_id
    client.post(f"/api/events/{quoted(event_id)}/reset", json={})


# -- read access without login -------------------------------------------------------------
def test_login_required_mode_refuses_anonymous_reads(served):
    base, url, ids = served
    if not url.startswith("sqlite"):
        pytest.skip("tests a setting of the app, not of the back end")
    with running_server(url, "--login-required") as private:
        assert httpx.get(f"{private}/api/events").status_code == 401
        page = httpx.get(f"{private}/", headers={"Accept": "text/html"})
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        with logged_in(private) as client:
            assert client.get("/api/events").status_code == 200


# -- pure helpers and the CLI --------------------------------------------------------------
def test_highlight_escapes_text_and_marks_each_span():
    text = 'قتل <b>خمسة</b> & "ستة"'
    html = views.highlight(text, [{"field": "killed", "start": 4, "end": 15},
                                  {"field": "date", "start": 0, "end": 3},
                                  {"field": "bad", "start": 50, "end": 60}])
    assert "<b>" not in html and "&lt;b&gt;خمسة&lt;/b&gt;" in html and "&amp;" in html
    assert html.count("<mark") == 2 and 'id="ev-0"' in html and 'id="ev-1"' in html


def test_highlight_cuts_overlapping_spans_into_segments():
    html = views.highlight("abcdef", [{"field": "actor", "start": 0, "end": 4},
                                      {"field": "killed", "start": 2, "end": 6}])
    assert re.sub(r"<[^>]+>", "", str(html)) == "abcdef"
    assert 'class="ev f-actor f-killed ev-multi" data-ev="0 1"' in html


def test_field_class_never_leaks_markup():
    assert views.field_class('x" onmouseover="y') == "f-other"


def test_weeks_are_contiguous_and_start_on_monday():
    data = charts.fold_weeks([("2023-03-01", "Battles", "Idlib", 2, 5),
                              ("2023-03-20", "Riots", None, 1, 0)])
    assert data["weeks"] == ["2023-02-27", "2023-03-06", "2023-03-13", "2023-03-20"]
    assert data["by_type"]["Battles"]["fatalities"] == [5, 0, 0, 0]
    assert data["by_admin1"]["unknown"]["events"] == [0, 0, 0, 1]


def test_chart_labels_are_escaped():
    svg = charts.stacked_bars(["2023-01-02"], {"<script>": [1]}, "t")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_every_interface_string_used_exists_in_both_languages():
    used = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"(?<![\w.])t\('([a-z0-9_]+)'\)", text))
    table = strings()
    missing = sorted(k for k in used if k not in table)
    assert not missing
    assert all(table[k][lang] for k in used for lang in LANGUAGES)


def test_cli_user_add_reads_password_from_stdin_and_lists_user(tmp_path):
    url = f"sqlite:///{tmp_path / 'users.db'}"
    added = subprocess.run([sys.executable, "-m", "rasad", "user", "add", "amal", "--db", url,
                            "--password-stdin"], input="a good password\n", text=True,
                           capture_output=True, check=False)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run([sys.executable, "-m", "rasad", "user", "list", "--db", url],
                            text=True, capture_output=True, check=True)
    assert listed.stdout.split("\t")[:2] == ["amal", "reviewer"]


def test_cli_user_add_refuses_a_short_password(tmp_path):
    url = f"sqlite:///{tmp_path / 'users.db'}"
    added = subprocess.run([sys.executable, "-m", "rasad", "user", "add", "amal", "--db", url,
                            "--password-stdin"], input="short\n", text=True,
                           capture_output=True, check=False)
    assert added.returncode == 1 and "8 characters" in added.stderr


def test_tile_server_is_the_only_extra_image_source():
    policy = security_headers("https://{s}.tile.example.org/{z}/{x}/{y}.png")[
        "Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tile.example.org;" in policy


@pytest.mark.parametrize(("target", "followed"), [
    ("/events/a%3Ab?country=SY", "/events/a%3Ab?country=SY"), ("//evil.example/", "/"),
    ("https://evil.example/", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/")])
def test_redirects_after_login_stay_on_this_site(target, followed):
    assert local_path(target) == followed
