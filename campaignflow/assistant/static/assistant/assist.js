// The assistant's "生成草稿" buttons: POST the task to /assist/stream, read the server-sent events and fill
// the form's fields as the draft streams in; the person edits, then saves with the form's own button.
(function () {
  "use strict";

  function csrf(form) {
    var input = (form || document).querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fill(form, values, fields) {
    Object.keys(fields).forEach(function (key) {
      var value = values[key];
      if (value === undefined || value === null) return;
      var field = form.querySelector("[name=" + fields[key] + "]");
      if (!field) return;
      if (Array.isArray(value)) value = value.map(function (v) { return v.text || v; }).join("\n");
      field.value = String(value);
    });
  }

  function showDone(box, draft) {
    var meta = box.querySelector("[data-assist-meta]");
    meta.textContent = box.dataset.modelLabel + " " + draft.model;
    var list = box.querySelector("[data-assist-citations]");
    list.textContent = "";
    (draft.citations || []).forEach(function (c) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = c.url;
      a.textContent = c.label;
      li.appendChild(a);
      if (c.figure) li.appendChild(document.createTextNode(" · " + c.figure));
      list.appendChild(li);
    });
  }

  async function run(button) {
    var box = button.closest("[data-assist]");
    var form = document.querySelector(box.dataset.form);
    var fields = JSON.parse(box.dataset.fields);
    var status = box.querySelector("[data-assist-status]");
    var preview = box.querySelector("[data-assist-preview]");
    button.disabled = true;
    status.textContent = box.dataset.working;
    preview.textContent = "";
    try {
      var response = await fetch(box.dataset.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(form) },
        body: box.dataset.body,
        credentials: "same-origin",
      });
      if (!response.ok) {
        var problem = await response.json().catch(function () { return {}; });
        status.textContent = problem.detail || response.statusText;
        return;
      }
      await window.cfReadEvents(response, function (event, payload) {
        if (event === "delta") preview.textContent += payload.text;
        else if (event === "partial") fill(form, payload, fields);
        else if (event === "done") {
          fill(form, payload.draft, fields);
          showDone(box, payload);
          status.textContent = box.dataset.done;
          box.dataset.draftId = payload.id;
          preview.textContent = "";
        } else if (event === "error") status.textContent = payload.detail;
      });
    } catch (err) {
      status.textContent = String(err);
    } finally {
      button.disabled = false;
    }
  }

  // Saving the form after a draft filled it: record who took which fields (POST …/drafts/{id}/used).
  document.addEventListener("submit", function (event) {
    document.querySelectorAll("[data-assist]").forEach(function (box) {
      if (!box.dataset.draftId || document.querySelector(box.dataset.form) !== event.target) return;
      var fields = JSON.parse(box.dataset.fields);
      fetch("/api/v1/assist/drafts/" + box.dataset.draftId + "/used", {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(event.target) },
        body: JSON.stringify({ fields: Object.keys(fields), target: location.pathname }),
      });
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-assist-run]");
    if (button) {
      event.preventDefault();
      run(button);
    }
  });
})();
