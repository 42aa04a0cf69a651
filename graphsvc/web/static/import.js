// The import page: upload, show the report, confirm. Text from files is shown with
// textContent only, never as HTML.
(function () {
  "use strict";
  const form = document.getElementById("upload");
  const result = document.getElementById("result");
  const confirmButton = document.getElementById("confirm");
  const da = form.dataset.lang !== "en";
  const words = da
    ? { checking: "Kontrollerer …", importing: "Importerer …", problems: "Problemer", none: "Ingen problemer.",
        created: "nye", updated: "ændrede", unchanged: "uændrede", kind: "Type", merges: "sammenlagte stavemåder",
        fuzzy: "lignende navne til gennemsyn", failed: "Fejl" }
    : { checking: "Checking …", importing: "Importing …", problems: "Problems", none: "No problems.",
        created: "created", updated: "updated", unchanged: "unchanged", kind: "Kind", merges: "spellings merged",
        fuzzy: "similar names to review", failed: "Error" };
  let pendingId = null;
  // Danish words for the store's counts (the table under the form)
  const KINDS_DA = { Municipality: "kommuner", Actor: "aktører", Institution: "institutioner", Project: "projekter",
    Network: "netværk", Event: "begivenheder", LOCATED_IN: "ligger i", PARTICIPATES_IN: "deltager i projekt",
    TAKES_PLACE_IN: "finder sted i", MEMBER_OF: "medlem af", ATTENDS: "deltager i begivenhed",
    COLLABORATES_WITH: "samarbejder med" };
  const FILE_KINDS_DA = { actor: "aktører", institution: "institutioner", project: "projekter", grant: "bevillinger",
    participation: "deltagelser i projekter", collaboration: "samarbejder", membership: "medlemskaber",
    attendance: "deltagelser i begivenheder", network: "netværk", event: "begivenheder", municipality: "kommuner" };
  if (da) {
    for (const option of document.querySelectorAll("#kind option")) {
      if (option.value) option.textContent = FILE_KINDS_DA[option.value] || option.textContent;
    }
    for (const th of document.querySelectorAll("#counts th[data-kind]")) {
      th.textContent = KINDS_DA[th.dataset.kind] || th.textContent;
    }
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function token() { return document.getElementById("token").value.trim(); }

  function showReport(report, error) {
    result.replaceChildren();
    if (error) result.append(el("p", words.failed + ": " + error, "error"));
    result.append(el("p", report.status, report.errors && !report.accept_valid ? "error" : "ok"));
    const table = el("table");
    table.id = "report-counts";
    const head = el("tr");
    [words.kind, words.created, words.updated, words.unchanged].forEach((h) => head.append(el("th", h)));
    table.append(head);
    for (const [kind, c] of Object.entries(report.counts || {})) {
      const row = el("tr");
      const name = (report.labels && report.labels.kinds && report.labels.kinds[kind]) || kind;
      row.append(el("td", name), el("td", c.created, "num"), el("td", c.updated, "num"), el("td", c.unchanged, "num"));
      table.append(row);
    }
    result.append(table);
    if ((report.merges || []).length) result.append(el("p", report.merges.length + " " + words.merges, "muted"));
    if ((report.fuzzy_matches || []).length) result.append(el("p", report.fuzzy_matches.length + " " + words.fuzzy, "muted"));
    result.append(el("h3", words.problems + " (" + (report.problems || []).length + ")"));
    const list = el("ul");
    list.id = "problems";
    for (const p of (report.problems || []).slice(0, 200)) {
      const where = p.where || [p.file, p.sheet, p.row ? "row " + p.row : null, p.column].filter(Boolean).join(", ");
      const severity = (report.labels && report.labels.severities && report.labels.severities[p.severity]) || p.severity;
      list.append(el("li", severity + " · " + (where ? where + ": " : "") + p.message + " — " + p.action));
    }
    if (!(report.problems || []).length) list.append(el("li", words.none));
    result.append(list);
    const review = document.getElementById("review");
    if (review && window.graphsvcReview) {
      window.graphsvcReview.render(review, report, { lang: da ? "da" : "en", token, recheck: () => form.requestSubmit() });
    }
  }

  async function refreshCounts() {
    const response = await fetch("/api/info");
    if (!response.ok) return;
    const info = await response.json();
    for (const cell of document.querySelectorAll("#counts td[data-kind]")) {
      const n = info.counts[cell.dataset.kind];
      cell.textContent = n.toLocaleString(da ? "da-DK" : "en-GB");
    }
  }

  async function send(url, body) {
    const response = await fetch(url, { method: "POST", body, headers: { Authorization: "Bearer " + token() } });
    const data = await response.json().catch(() => ({ detail: response.statusText }));
    return { ok: response.ok, data };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    confirmButton.hidden = true;
    pendingId = null;
    result.replaceChildren(el("p", words.checking, "muted"));
    const body = new FormData();
    for (const file of document.getElementById("files").files) body.append("files", file);
    const kind = document.getElementById("kind").value;
    const sheet = document.getElementById("sheet").value.trim();
    if (kind) body.append("kind", kind);
    if (sheet) body.append("sheet", sheet);
    body.append("accept_valid", document.getElementById("accept_valid").checked ? "true" : "false");
    body.append("dry_run", "true");
    body.append("lang", da ? "da" : "en");
    const { ok, data } = await send("/api/imports", body);
    if (!ok) {
      if (data.report) showReport(data.report, data.detail);
      else result.replaceChildren(el("p", words.failed + ": " + data.detail, "error"));
      return;
    }
    showReport(data.report);
    const canWrite = !data.report.errors || data.report.accept_valid;
    if (canWrite) {
      pendingId = data.id;
      confirmButton.hidden = false;
    }
  });

  confirmButton.addEventListener("click", async () => {
    if (!pendingId) return;
    confirmButton.disabled = true;
    result.prepend(el("p", words.importing, "muted"));
    const { ok, data } = await send("/api/imports/" + encodeURIComponent(pendingId) + "/confirm", null);
    confirmButton.disabled = false;
    confirmButton.hidden = true;
    pendingId = null;
    if (!ok) {
      if (data.report) showReport(data.report, data.detail);
      else result.replaceChildren(el("p", words.failed + ": " + data.detail, "error"));
      return;
    }
    showReport(data.report);
    await refreshCounts();
  });
})();
