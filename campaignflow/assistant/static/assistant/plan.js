// The plan-from-brief page: "生成草稿" streams the draft (POST …/assist/stream, server-sent events), shows the
// model's text as it comes, then opens the stored draft's diff. Without this script the form posts normally.
(function () {
  "use strict";

  var form = document.getElementById("plan-brief-form");
  if (!form || !window.fetch || !window.TextDecoder) return;
  var texts = JSON.parse(document.getElementById("plan-brief-texts").textContent);
  var status = form.querySelector("[data-plan-status]");
  var preview = form.querySelector("[data-plan-preview]");
  var button = form.querySelector("[type=submit]");

  function csrf() {
    return form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  function problemText(problem) {
    if (problem.errors && problem.errors.length) {
      return problem.errors.map(function (e) { return e.message; }).join(" ");
    }
    return problem.detail || texts.failed;
  }

  form.addEventListener("submit", async function (event) {
    var brief = form.elements.brief.value.trim();
    if (!brief) return; // the browser's own "required" message
    event.preventDefault();
    button.disabled = true;
    status.textContent = texts.working;
    preview.textContent = "";
    var finished = false;
    try {
      var response = await fetch(form.dataset.stream, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({
          task: "plan_from_brief",
          brief: brief,
          playbook: form.elements.playbook.value ? Number(form.elements.playbook.value) : null,
        }),
      });
      if (!response.ok) {
        status.textContent = problemText(await response.json().catch(function () { return {}; }));
        return;
      }
      await window.cfReadEvents(response, function (name, payload) {
        if (name === "delta") preview.textContent += payload.text;
        else if (name === "error") status.textContent = payload.detail || texts.failed;
        else if (name === "done") {
          finished = true;
          location.assign(form.dataset.result + "?draft=" + payload.id + "#draft");
        }
      });
    } catch (err) {
      status.textContent = texts.failed + " " + String(err);
    } finally {
      if (!finished) button.disabled = false;
    }
  });
})();
