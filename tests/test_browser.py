"""The review pages in headless Debian chromium (Playwright driving /usr/bin/chromium, no
browser download): log in, filter, open an event, see highlighted evidence, correct a count
with a reason and see the audit entry; article markup never runs. Screenshots of the list,
map and event pages go to artifacts/screenshots/."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from conftest_api import PASSWORD, USER, logged_in, quoted, running_server, seed

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'review.db'}"
    ids = seed(url)
    with running_server(url) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def reviewer(browser, site):
    """A page logged in through the login form (shared by the tests that change things)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site[0]}/login")
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#current-user")
    yield page
    context.close()


@pytest.fixture
def visitor(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_login_form_logs_the_reviewer_in(reviewer):
    assert reviewer.inner_text("#current-user") == USER


def test_list_page_shows_events_counts_and_charts(reviewer, site):
    reviewer.goto(f"{site[0]}/")
    total = httpx.get(f"{site[0]}/api/events").json()["total"]
    assert reviewer.inner_text("#count-total") == str(total)
    assert reviewer.locator("tr.event-row").count() == total
    assert reviewer.locator("#charts svg.chart").count() == 4
    shot(reviewer, "list")


def test_filtering_by_country_lists_only_that_country(reviewer, site):
    reviewer.goto(f"{site[0]}/")
    reviewer.fill("input[name=country]", "IQ")
    reviewer.click("#apply-filters")
    reviewer.wait_for_url(re.compile(r"country=IQ"))
    rows = reviewer.locator("tr.event-row")
    expected = httpx.get(f"{site[0]}/api/events", params={"country": "IQ"}).json()["total"]
    assert rows.count() == expected > 0
    assert all(" IQ" in text for text in rows.all_inner_texts())


def test_event_page_highlights_each_fields_evidence(reviewer, site):
    base, ids = site
    reviewer.goto(f"{base}/")
    reviewer.click(f"tr[data-id='{ids['idlib-a'][0]}'] a.open")
    reviewer.wait_for_selector("#article-text")
    location = reviewer.locator("#article-text mark.f-location").first.inner_text()
    killed = reviewer.locator("#article-text mark.f-killed").first.inner_text()
    assert "كفرنبل" in location and killed == "خمسة"
    assert reviewer.get_attribute("#article-text", "dir") == "rtl"


def test_clicking_a_field_marks_its_span_in_the_article(reviewer, site):
    reviewer.goto(f"{site[0]}/events/{site[1]['idlib-a'][0]}")
    reviewer.click("tr[data-field=fatalities] a.ev-jump")
    active = reviewer.locator("#article-text mark.active")
    assert active.count() == 1 and active.inner_text() == "خمسة"
    shot(reviewer, "event")


def test_correcting_fatalities_with_a_reason_shows_the_audit_entry(reviewer, site):
    base, ids = site
    event_id = ids["raqqa"][0]
    reviewer.goto(f"{base}/events/{event_id}")
    old = int(reviewer.input_value("#fatalities-input"))
    reviewer.fill("#fatalities-input", str(old + 3))
    reviewer.fill("#reason-input", "hospital list names more dead")
    reviewer.click("#correct-submit")
    reviewer.wait_for_selector("#history tr.audit-entry")
    assert reviewer.inner_text("#value-fatalities") == str(old + 3)
    entry = reviewer.locator("#history tr.audit-entry").first.inner_text()
    assert "hospital list names more dead" in entry and USER in entry and "correct" in entry
    stored = httpx.get(f"{base}/api/events/{event_id}").json()["history"][0]
    assert stored["before"] == {"fatalities": old} and stored["after"] == {
        "fatalities": old + 3}


def test_correction_without_reason_is_not_saved(reviewer, site):
    base, ids = site
    reviewer.goto(f"{base}/events/{ids['mosul'][0]}")
    reviewer.fill("#fatalities-input", "40")
    reviewer.click("#correct-submit")  # the browser refuses: the reason field is required
    assert httpx.get(f"{base}/api/events/{ids['mosul'][0]}").json()["history"] == []


def test_keyboard_accepts_the_selected_event_in_the_queue(reviewer, site):
    base, _ = site
    reviewer.goto(f"{base}/?reviewed=no")
    first = reviewer.locator("tr.event-row").first
    event_id = first.get_attribute("data-id")
    reviewer.keyboard.press("j")
    reviewer.keyboard.press("a")
    reviewer.wait_for_selector(f"tr.status-accepted[data-id='{event_id}']")
    event = httpx.get(f"{base}/api/events/{event_id}").json()["event"]
    assert event["review_status"] == "accepted" and event["reviewed_by"] == USER


def test_script_and_onerror_in_an_article_never_run(browser, site):
    base, ids = site
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/events/{quoted(ids['xss'][0])}")
    page.wait_for_load_state("load")
    text = page.inner_text("#article-text")
    assert "<script>window.__pwned=1</script>" in text and "onerror" in text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert dialogs == []
    context.close()


def test_arabic_interface_is_right_to_left(visitor, site):
    base, ids = site
    visitor.goto(f"{base}/events/{ids['idlib-b'][0]}?lang=ar")
    assert visitor.evaluate("document.documentElement.dir") == "rtl"
    assert visitor.inner_text("#lang-toggle") == "English"
    assert "الأحداث" in visitor.inner_text("header nav")
    shot(visitor, "event-ar")


def test_linked_reports_show_their_differing_figures(reviewer, site):
    base, ids = site
    a = httpx.get(f"{base}/api/events/{ids['idlib-a'][0]}").json()["event"]["link_id"]
    b = httpx.get(f"{base}/api/events/{ids['idlib-b'][0]}").json()["event"]["link_id"]
    if a != b:  # the linker kept them apart: an analyst merges them
        with logged_in(base) as client:
            a = client.post("/api/linked-events/merge", json={"ids": [a, b]}).json()[
                "linked_event"]["id"]
    reviewer.goto(f"{base}/linked/{a}")
    row = reviewer.locator("#compare tr[data-field=fatalities]")
    assert "differs" in (row.get_attribute("class") or "")
    assert {"5", "7"} <= set(row.locator("td").all_inner_texts())
    shot(reviewer, "linked")


def test_map_shows_markers_without_tiles(visitor, site):
    visitor.goto(f"{site[0]}/map")
    visitor.wait_for_selector("#map[data-markers]")
    shown = int(visitor.get_attribute("#map", "data-markers") or 0)
    expected = httpx.get(f"{site[0]}/api/geojson").json()["features"]
    assert shown == len(expected) > 0
    assert visitor.locator(".leaflet-tooltip").count() == shown
    assert visitor.is_visible("#no-tiles")
    shot(visitor, "map")
