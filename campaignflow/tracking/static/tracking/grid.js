// Paste a block copied from Excel/WPS (tab-separated lines) into the grid, starting at the focused cell.
(function () {
  const grid = document.getElementById("metric-grid");
  if (!grid) return;
  // After a refused save, on the first refused cell (its message is above the grid); else on today's row (or the
  // campaign day nearest to it), ready for typing.
  const refused = grid.querySelector("input[aria-invalid='true']");
  const today = grid.querySelector("tr.grid-today");
  if (refused) {
    refused.scrollIntoView({ block: "center" });
    refused.focus({ preventScroll: true });
  } else if (today) {
    today.scrollIntoView({ block: "center" });
    const cell = today.querySelector("input:not([disabled])");
    if (cell) cell.focus({ preventScroll: true });
  }
  grid.addEventListener("paste", (event) => {
    const target = event.target;
    if (!target.dataset || target.dataset.r === undefined) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!text || (text.indexOf("\t") < 0 && text.indexOf("\n") < 0)) return;
    event.preventDefault();
    const lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    const r0 = parseInt(target.dataset.r, 10);
    const c0 = parseInt(target.dataset.c, 10);
    lines.forEach((line, i) => {
      line.split("\t").forEach((value, j) => {
        const cell = grid.querySelector(`input[data-r="${r0 + i}"][data-c="${c0 + j}"]`);
        if (cell && !cell.disabled) cell.value = value.trim();
      });
    });
  });
})();
