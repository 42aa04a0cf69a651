// The organisation page's "correct or merge" form: POST to /api/organisations/{id}/correct
// or /merge with the admin token; the decision can be undone (DELETE /api/decisions/{id}).
(function () {
  "use strict";
  const box = document.getElementById("curation");
  if (!box) return;
  const da = box.dataset.lang !== "en";
  const org = box.dataset.org;
  const result = document.getElementById("curation-result");
  const undoButton = document.getElementById("curation-undo");
  const words = da
    ? { saved: "Gemt. Siden opdateres …", merged: "Lagt sammen.", undone: "Fortrudt.", failed: "Fejl", open: "Gå til" }
    : { saved: "Saved. Reloading …", merged: "Merged.", undone: "Undone.", failed: "Error", open: "Go to" };
  let last = null;

  function token() { return document.getElementById("curation-token").value.trim(); }

  async function call(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { Authorization: "Bearer " + token(), "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({ detail: response.statusText }));
    if (!response.ok) result.textContent = words.failed + ": " + data.detail;
    return response.ok ? data : null;
  }

  document.getElementById("correct-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = document.getElementById("correct-field").value;
    const value = document.getElementById("correct-value").value;
    const data = await call("POST", "/api/organisations/" + encodeURIComponent(org) + "/correct", { field, value });
    if (data) {
      result.textContent = words.saved;
      window.location.reload();
    }
  });

  document.getElementById("merge-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const into = document.getElementById("merge-into").value.trim();
    const data = await call("POST", "/api/organisations/" + encodeURIComponent(org) + "/merge", { into });
    if (!data) return;
    last = data;
    result.replaceChildren(document.createTextNode(words.merged + " "));
    const link = document.createElement("a");
    link.href = "/organisations/" + encodeURIComponent(into) + "?lang=" + (da ? "da" : "en");
    link.textContent = words.open + " " + into;
    link.id = "merged-link";
    result.append(link);
    undoButton.hidden = false;
  });

  undoButton.addEventListener("click", async () => {
    if (!last) return;
    const data = await call("DELETE", "/api/decisions/" + encodeURIComponent(last.id));
    if (data) {
      result.textContent = words.undone;
      undoButton.hidden = true;
      last = null;
    }
  });
})();
