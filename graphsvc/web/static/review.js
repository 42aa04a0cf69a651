// The review of a checked upload: every problem is a card (errors first), with the name
// as written, where it is, the candidates, and buttons that store a decision
// (POST /api/decisions with the admin token); the upload is then checked again.
// Text from files is shown with textContent only, never as HTML.
(function () {
  "use strict";
  const WORDS = {
    da: {
      title: "Gennemgang", all: "Alle", filter: "Vis", none: "Intet at gennemgå.",
      error: "Fejl", warning: "Advarsler", info: "Oplysninger",
      asWritten: "Navnet som skrevet", where: "Hvor", candidates: "Kandidater",
      thisOne: "Denne", newOrg: "En ny organisation", notOrg: "Ikke en organisation", keep: "Hold samlet",
      noMunicipality: "ingen kommune", saving: "Gemmer beslutningen …", failed: "Fejl",
      kind: "type", cvr: "CVR", partners: "partnere",
      codes: {
        ambiguous_name: "flertydige navne", fuzzy_match: "næsten ens navne", partner_split: "delte partnerfelter",
        partner_kept: "samlede partnerfelter", partner_person: "personnavne", conflict: "modstridende værdier",
        place_conflict: "modstridende steder", not_organisation: "ikke organisationer", other: "andet",
      },
    },
    en: {
      title: "Review", all: "All", filter: "Show", none: "Nothing to review.",
      error: "Errors", warning: "Warnings", info: "Information",
      asWritten: "The name as written", where: "Where", candidates: "Candidates",
      thisOne: "This one", newOrg: "A new organisation", notOrg: "Not an organisation", keep: "Keep together",
      noMunicipality: "no municipality", saving: "Saving the decision …", failed: "Error",
      kind: "kind", cvr: "CVR", partners: "partners",
      codes: {
        ambiguous_name: "ambiguous names", fuzzy_match: "similar names", partner_split: "split partner cells",
        partner_kept: "partner cells kept whole", partner_person: "persons' names", conflict: "conflicting values",
        place_conflict: "conflicting places", not_organisation: "not organisations", other: "other",
      },
    },
  };
  const ORDER = { error: 0, warning: 1, info: 2 };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function button(label, cls, onClick) {
    const b = el("button", label, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // render(container, report, {lang, token, recheck}): the cards of ``report``
  function render(container, report, options) {
    const w = WORDS[options.lang === "en" ? "en" : "da"];
    container.replaceChildren();
    const problems = (report.problems || []).slice().sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
    container.append(el("h2", w.title));
    const counts = el("p", null, "review-counts");
    counts.id = "review-counts";
    for (const severity of ["error", "warning", "info"]) {
      const n = problems.filter((p) => p.severity === severity).length;
      const part = el("span", w[severity] + ": " + n, "count-" + severity);
      part.dataset.severity = severity;
      counts.append(part, document.createTextNode(" "));
    }
    container.append(counts);
    const codes = [...new Set(problems.map((p) => (p.code in w.codes ? p.code : "other")))];
    const label = el("label", w.filter + " ");
    const select = el("select");
    select.id = "review-filter";
    select.append(new Option(w.all, ""));
    for (const code of codes) select.append(new Option(w.codes[code], code));
    label.append(select);
    container.append(label);
    const list = el("div", null, "cards");
    list.id = "review-cards";
    container.append(list);
    const status = el("p", null, "muted");
    status.id = "review-status";
    status.setAttribute("aria-live", "polite");
    container.append(status);
    if (!problems.length) list.append(el("p", w.none));

    async function decide(body) {
      status.textContent = w.saving;
      const response = await fetch("/api/decisions", {
        method: "POST",
        headers: { Authorization: "Bearer " + options.token(), "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const data = await response.json().catch(() => ({ detail: response.statusText }));
        status.textContent = w.failed + ": " + data.detail;
        return;
      }
      status.textContent = "";
      options.recheck();
    }

    for (const p of problems.slice(0, 300)) {
      const code = p.code in w.codes ? p.code : "other";
      const card = el("section", null, "card card-" + p.severity);
      card.dataset.code = code;
      card.dataset.severity = p.severity;
      card.append(el("h3", w.codes[code]));
      if (p.value !== null && p.value !== undefined) {
        const name = el("p");
        name.append(el("strong", w.asWritten + ": "), el("span", p.value, "written-name"));
        card.append(name);
      }
      if (p.where) card.append(el("p", w.where + ": " + p.where, "muted"));
      card.append(el("p", p.message + " — " + p.action));
      const actions = el("p", null, "actions");
      if ((p.candidates || []).length) {
        card.append(el("h4", w.candidates));
        const ul = el("ul", null, "candidates");
        for (const c of p.candidates) {
          const li = el("li");
          const facts = [c.municipality || w.noMunicipality, c.kind ? w.kind + " " + c.kind : null,
            c.cvr ? w.cvr + " " + c.cvr : null].filter(Boolean).join(", ");
          const partners = (c.partners || []).length ? w.partners + ": " + c.partners.join(", ") : null;
          li.append(el("span", c.name, "candidate-name"), el("span", " (" + facts + ") ", "muted"));
          if (partners) li.append(el("span", partners + " ", "candidate-partners"));
          if (p.code === "ambiguous_name" || p.code === "fuzzy_match") {
            li.append(button(w.thisOne, "choose", () => decide({ kind: "same", name: p.value, target: c.id })));
          }
          ul.append(li);
        }
        card.append(ul);
      }
      if (p.code === "fuzzy_match" && (p.candidates || []).length) {
        actions.append(button(w.newOrg, "new-org",
          () => decide({ kind: "distinct", name: p.value, target: p.candidates[0].name })));
      }
      if (p.value && ["ambiguous_name", "fuzzy_match", "partner_person", "unknown_id"].includes(p.code)) {
        actions.append(button(w.notOrg, "not-org", () => decide({ kind: "not_organisation", name: p.value })));
      }
      if (p.value && p.code === "partner_split") {
        actions.append(button(w.keep, "keep", () => decide({ kind: "keep_together", name: p.value })));
      }
      if (actions.childNodes.length) card.append(actions);
      list.append(card);
    }
    select.addEventListener("change", () => {
      for (const card of list.querySelectorAll(".card")) {
        card.hidden = Boolean(select.value) && card.dataset.code !== select.value;
      }
    });
  }

  window.graphsvcReview = { render };
})();
