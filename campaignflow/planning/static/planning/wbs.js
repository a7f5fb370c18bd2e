// WBS table: change the order of the tasks by dragging a row's handle (plain HTML5 drag and drop)
// or with its ↑ ↓ buttons (keyboard). A task moves only within its phase and module group; every
// move saves the whole table's order through the REST API (POST …/tasks/reorder, session + CSRF).
// If the server refuses, the table goes back to the last saved order and says why.
(function () {
  "use strict";
  const table = document.querySelector("table.wbs-table[data-reorder-url]");
  if (!table) return;
  const url = table.dataset.reorderUrl;
  const T = JSON.parse(document.getElementById("wbs-i18n").textContent);
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const status = document.getElementById("wbs-status");

  function rows() {
    return Array.from(table.querySelectorAll("tr.task-row[data-task-id]"));
  }
  function ids() {
    return rows().map((r) => Number(r.dataset.taskId));
  }
  function sameGroup(a, b) {
    return a.parentNode === b.parentNode && a.dataset.phase === b.dataset.phase && a.dataset.module === b.dataset.module;
  }
  // kind: "saving", "saved", "error" or "info" (also in data-state, for tests and styling)
  function say(text, kind) {
    status.textContent = text;
    status.dataset.state = kind;
    status.className = "wbs-status msg " + (kind === "error" ? "msg-error" : kind === "saved" ? "msg-success" : "msg-info");
  }

  let confirmed = ids(); // the order the server has
  let chain = Promise.resolve();

  // Put the rows back in `order` (each group keeps its slots: rows only ever move within a group).
  function restore(order) {
    const current = rows();
    const byId = new Map(current.map((r) => [Number(r.dataset.taskId), r]));
    const marks = current.map((r) => {
      const mark = document.createComment("");
      r.parentNode.insertBefore(mark, r);
      return mark;
    });
    order.forEach((id, i) => {
      const row = byId.get(id);
      if (row && marks[i]) marks[i].parentNode.replaceChild(row, marks[i]);
    });
    marks.forEach((m) => m.parentNode && m.parentNode.removeChild(m));
  }

  function save(row) {
    const order = ids();
    const code = row.dataset.code;
    say(T.saving, "saving");
    chain = chain.then(() =>
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ ids: order }),
      })
        .then((res) => res.json().catch(() => null).then((data) => ({ ok: res.ok, data })))
        .then((r) => {
          if (r.ok) {
            confirmed = order;
            say(T.saved.replace("%s", code), "saved");
          } else {
            restore(confirmed);
            say((r.data && r.data.detail) || T.failed, "error");
          }
        })
        .catch(() => {
          restore(confirmed);
          say(T.failed, "error");
        })
    );
  }

  // --- ↑ ↓ buttons ----------------------------------------------------------------------------------
  table.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-move]");
    if (!button) return;
    const row = button.closest("tr.task-row");
    const up = button.dataset.move === "up";
    const other = up ? row.previousElementSibling : row.nextElementSibling;
    if (!other || !other.matches("tr.task-row") || !sameGroup(row, other)) {
      say((up ? T.first : T.last).replace("%s", row.dataset.code), "info");
      return;
    }
    if (up) row.parentNode.insertBefore(row, other);
    else row.parentNode.insertBefore(other, row);
    button.focus(); // moving the row must not lose the keyboard focus
    save(row);
  });

  // --- drag and drop --------------------------------------------------------------------------------
  let dragged = null;
  let dropped = false;
  let wrongGroup = false;

  function clearMarks() {
    table.querySelectorAll(".drop-before, .drop-after").forEach((r) => r.classList.remove("drop-before", "drop-after"));
  }
  function targetOf(e) {
    const row = e.target.closest && e.target.closest("tr.task-row");
    return row && dragged && row !== dragged ? row : null;
  }

  table.addEventListener("dragstart", (e) => {
    const handle = e.target.closest && e.target.closest(".drag-handle");
    if (!handle) return;
    dragged = handle.closest("tr.task-row");
    dropped = false;
    wrongGroup = false;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.dataset.code);
    if (e.dataTransfer.setDragImage) e.dataTransfer.setDragImage(dragged, 12, 12);
    dragged.classList.add("dragging");
  });
  table.addEventListener("dragover", (e) => {
    const row = targetOf(e);
    if (!row) return;
    clearMarks();
    if (!sameGroup(row, dragged)) {
      wrongGroup = true;
      return; // not a drop target: the browser shows "not allowed"
    }
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    const box = row.getBoundingClientRect();
    row.classList.add(e.clientY < box.top + box.height / 2 ? "drop-before" : "drop-after");
  });
  table.addEventListener("drop", (e) => {
    const row = targetOf(e);
    if (!row || !sameGroup(row, dragged)) return;
    e.preventDefault();
    const box = row.getBoundingClientRect();
    const before = e.clientY < box.top + box.height / 2;
    row.parentNode.insertBefore(dragged, before ? row : row.nextElementSibling);
    dropped = true;
    clearMarks();
    if (ids().join() !== confirmed.join()) save(dragged);
  });
  table.addEventListener("dragend", () => {
    clearMarks();
    if (dragged) dragged.classList.remove("dragging");
    if (!dropped && wrongGroup) say(T.other_group, "error");
    dragged = null;
  });
})();
