// The import page's "Fortryd" button: POST /api/imports/undo with the admin token, then
// show what was undone and the counts now. Text from the server is set as text only.
(function () {
  const button = document.getElementById("undo");
  const result = document.getElementById("undo-result");
  if (!button || !result) return;
  const da = (document.getElementById("upload")?.dataset.lang || "da") === "da";

  button.addEventListener("click", async () => {
    const token = document.getElementById("token").value.trim();
    button.disabled = true;
    result.textContent = "";
    try {
      const response = await fetch("/api/imports/undo", {
        method: "POST", headers: { Authorization: "Bearer " + token },
      });
      const data = await response.json().catch(() => ({ detail: response.statusText }));
      if (!response.ok) {
        result.textContent = (da ? "Ikke fortrudt: " : "Not undone: ") + (data.detail || response.status);
        return;
      }
      const files = (data.undone.files || []).join(", ");
      result.textContent = (da ? "Fortrudt: importen " : "Undone: the import of ") + data.undone.at + " (" + files + ")";
      for (const cell of document.querySelectorAll("#counts td[data-kind]")) {
        const n = data.counts[cell.dataset.kind];
        if (n !== undefined) cell.textContent = n.toLocaleString(da ? "da-DK" : "en-GB");
      }
    } finally {
      button.disabled = false;
    }
  });
})();
