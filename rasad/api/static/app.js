/* rasad review pages: jump to evidence, and the review queue's keyboard shortcuts.
   No inline scripts (the Content-Security-Policy forbids them); article text is never
   inserted as HTML here: the server escapes it, this file only toggles classes. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : null;
  }

  function flashEvidence(index) {
    var marks = document.querySelectorAll("mark.ev");
    var first = null;
    marks.forEach(function (mark) {
      var ids = (mark.getAttribute("data-ev") || "").split(" ");
      var hit = ids.indexOf(String(index)) >= 0;
      mark.classList.toggle("active", hit);
      if (hit && !first) { first = mark; }
    });
    var target = document.getElementById("ev-" + index) || first;
    if (target) { target.scrollIntoView({ block: "center" }); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.ev-jump") : null;
    if (!link) { return; }
    event.preventDefault();
    flashEvidence(link.getAttribute("data-ev"));
    history.replaceState(null, "", "#ev-" + link.getAttribute("data-ev"));
  });

  function typing(event) {
    var tag = (event.target && event.target.tagName) || "";
    return /^(INPUT|TEXTAREA|SELECT)$/.test(tag) || event.target.isContentEditable ||
      event.ctrlKey || event.metaKey || event.altKey;
  }

  /* -- list page: j/k move, o/Enter open, a/r accept/reject through the JSON API -- */
  var table = document.getElementById("event-table");
  var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tr.event-row")) : [];
  var selected = -1;

  function select(n) {
    if (!rows.length) { return; }
    selected = Math.max(0, Math.min(rows.length - 1, n));
    rows.forEach(function (row, i) { row.classList.toggle("selected", i === selected); });
    rows[selected].scrollIntoView({ block: "nearest" });
  }

  function review(action) {
    var token = csrfToken();
    if (selected < 0 || !token || table.getAttribute("data-review") !== "yes") { return; }
    var row = rows[selected];
    fetch("/api/events/" + encodeURIComponent(row.getAttribute("data-id")) + "/" + action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: "{}"
    }).then(function (response) {
      return response.json().then(function (data) { return [response.ok, data]; });
    }).then(function (result) {
      if (!result[0]) { window.alert(result[1].error || action + " failed"); return; }
      var status = result[1].event.review_status;
      row.className = row.className.replace(/status-\S+/, "status-" + status);
      var cell = row.querySelector("td.status");
      if (cell) { cell.textContent = table.getAttribute("data-label-" + status) || status; }
      select(selected + 1);
    });
  }

  function listKeys(event) {
    if (event.key === "j") { select(selected + 1); }
    else if (event.key === "k") { select(selected - 1); }
    else if ((event.key === "o" || event.key === "Enter") && selected >= 0) {
      window.location.href = rows[selected].getAttribute("data-href");
    }
    else if (event.key === "a") { review("accept"); }
    else if (event.key === "r") { review("reject"); }
    else { return; }
    event.preventDefault();
  }

  /* -- event page: j/k next/previous event, a accept, r reject (the page's forms) -- */
  function click(id) {
    var element = document.getElementById(id);
    if (element) { element.click(); return true; }
    return false;
  }

  function submit(id) {
    var form = document.getElementById(id);
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); return true; }
    return false;
  }

  function eventKeys(event) {
    var done = false;
    if (event.key === "j") { done = click("next-event"); }
    else if (event.key === "k") { done = click("prev-event"); }
    else if (event.key === "a") { done = submit("accept-form"); }
    else if (event.key === "r") { done = submit("reject-form"); }
    if (done) { event.preventDefault(); }
  }

  document.addEventListener("keydown", function (event) {
    if (typing(event)) { return; }
    if (table) { listKeys(event); }
    else if (document.body.classList.contains("page-event")) { eventKeys(event); }
  });

  if (window.location.hash.indexOf("#ev-") === 0) {
    flashEvidence(window.location.hash.slice(4));
  }
})();
