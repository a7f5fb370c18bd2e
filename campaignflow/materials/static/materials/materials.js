// Materials: draw a comment box on the preview (mouse, pen or touch) and upload a revision with a progress bar.
// Event delegation: the preview is replaced by htmx while it is being made.
(() => {
  const MIN_SIZE = 0.01; // a box smaller than 1 % of the preview is a click, not a region
  let drag = null;

  const clamp = (v) => Math.min(1, Math.max(0, v));
  const round = (v) => Math.round(v * 10000) / 10000;

  function point(stage, event) {
    const rect = stage.querySelector("img").getBoundingClientRect();
    return { x: clamp((event.clientX - rect.left) / rect.width), y: clamp((event.clientY - rect.top) / rect.height) };
  }

  function boxOf(a, b) {
    const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
    return { x: round(x), y: round(y), w: round(Math.min(Math.abs(b.x - a.x), 1 - x)), h: round(Math.min(Math.abs(b.y - a.y), 1 - y)) };
  }

  function show(stage, box) {
    const draft = stage.querySelector(".draft-box");
    draft.hidden = false;
    Object.assign(draft.style, { left: box.x * 100 + "%", top: box.y * 100 + "%", width: box.w * 100 + "%", height: box.h * 100 + "%" });
  }

  function setRegion(form, box) {
    ["x", "y", "w", "h"].forEach((k) => { form.querySelector(`[data-region=${k}]`).value = box ? box[k] : ""; });
    const chosen = form.querySelector("[data-region-chosen]");
    if (chosen) chosen.hidden = !box;
  }

  document.addEventListener("pointerdown", (event) => {
    const stage = event.target.closest(".preview-stage.can-draw");
    if (!stage || event.target.closest(".pin")) return;
    const touchLike = event.pointerType !== "mouse";
    if ((touchLike && !stage.classList.contains("drawing")) || (!touchLike && event.button !== 0)) return;
    event.preventDefault();
    stage.setPointerCapture(event.pointerId);
    drag = { stage, start: point(stage, event), id: event.pointerId };
  });

  document.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    show(drag.stage, boxOf(drag.start, point(drag.stage, event)));
  });

  function finish(event) {
    if (!drag || event.pointerId !== drag.id) return;
    const { stage, start } = drag;
    drag = null;
    const box = boxOf(start, point(stage, event));
    const form = document.getElementById(stage.dataset.drawTarget);
    if (box.w < MIN_SIZE || box.h < MIN_SIZE) {
      stage.querySelector(".draft-box").hidden = true;
      setRegion(form, null);
      return;
    }
    show(stage, box);
    setRegion(form, box);
    form.querySelector("[data-comment-body]").focus({ preventScroll: true });
  }
  document.addEventListener("pointerup", finish);
  document.addEventListener("pointercancel", finish);

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-draw-toggle]");
    if (toggle) {
      const stage = document.querySelector(".preview-stage.can-draw");
      if (!stage) return;
      const on = stage.classList.toggle("drawing");
      toggle.setAttribute("aria-pressed", String(on));
      return;
    }
    const clear = event.target.closest("[data-region-clear]");
    if (clear) {
      const draft = document.querySelector(".preview-stage .draft-box");
      if (draft) draft.hidden = true;
      setRegion(clear.closest("form"), null);
    }
  });

  // The file input and the camera input share the name "file": choosing one clears the other.
  document.addEventListener("change", (event) => {
    const input = event.target;
    const form = input.closest && input.closest("form[data-upload]");
    if (!form || input.type !== "file" || !input.files.length) return;
    form.querySelectorAll("input[type=file]").forEach((other) => { if (other !== input) other.value = ""; });
    const cameraName = form.querySelector("[data-camera-name]");
    if (cameraName) cameraName.textContent = input.hasAttribute("capture") ? input.files[0].name : "";
  });

  // Upload with progress: the server answers a redirect to the material (followed by the request) or the page
  // with the upload form's error, whose upload card replaces this one.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-upload]");
    if (!form || !window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    const progress = form.querySelector("[data-upload-progress]");
    const percent = form.querySelector("[data-upload-percent]");
    const error = form.querySelector("[data-upload-error]");
    const button = form.querySelector("button[type=submit]");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const p = Math.round((e.loaded / e.total) * 100);
      progress.value = p;
      percent.textContent = p + "%";
    });
    xhr.addEventListener("load", () => {
      const target = new URL(xhr.responseURL || form.action, window.location.href);
      if (xhr.status < 400 && target.pathname !== new URL(form.action, window.location.href).pathname) {
        window.location.assign(target.href);
        return;
      }
      const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      const card = page.getElementById("upload-card");
      const current = document.getElementById("upload-card");
      if (card && current) {
        current.replaceWith(card);
      } else {
        const message = page.querySelector("[role=alert]");
        error.textContent = message ? message.textContent.trim() : form.dataset.msgFailed + " (" + xhr.status + ")";
        button.disabled = false;
        progress.hidden = true;
      }
    });
    xhr.addEventListener("error", () => {
      error.textContent = form.dataset.msgFailed;
      button.disabled = false;
      progress.hidden = true;
    });
    error.textContent = "";
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    xhr.send(new FormData(form));
  });
})();
