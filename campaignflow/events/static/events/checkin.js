// The door's check-in: scan a ticket's QR code with the camera (jsQR, vendored) or type its code. A
// check-in made without a connection waits in localStorage and is sent when the connection is back; the
// server refuses a ticket twice (409), so a check-in replayed from the queue never counts twice.
(function () {
  "use strict";
  const root = document.getElementById("checkin");
  if (!root) return;
  const msg = (name) => root.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || name;
  const url = root.dataset.url;
  const queueKey = "cf-checkin-queue-" + root.dataset.event;
  const result = document.getElementById("result");
  const queueState = document.getElementById("queue-state");
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";

  function show(kind, text) {
    result.className = "result " + kind;
    result.textContent = text;
    if (navigator.vibrate && kind !== "ok") navigator.vibrate(200);
  }

  function queue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) {
    localStorage.setItem(queueKey, JSON.stringify(items));
    queueState.textContent = items.length ? items.length + " " + msg("pending") : "";
  }

  async function send(code, at) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf) },
      body: JSON.stringify({ ticket_code: code, at: at }),
    });
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    return { status: response.status, body: body };
  }

  function report(answer) {
    const b = answer.body || {};
    if (answer.status === 200) show("ok", msg("ok") + " · " + (b.name || "") + (b.phone ? " " + b.phone : ""));
    else if (answer.status === 409) show("warn", b.detail || "");
    else if (answer.status === 404) show("bad", msg("unknown"));
    else if (answer.status === 403) show("bad", b.detail || msg("forbidden"));
    else show("bad", b.detail || msg("error"));
  }

  let busy = false;
  async function checkIn(code) {
    code = (code || "").trim();
    if (!code || busy) return;
    busy = true;
    const at = new Date().toISOString();
    try {
      report(await send(code, at));
    } catch (e) {  // no connection: keep it for later
      saveQueue(queue().concat([{ code: code, at: at }]));
      show("warn", msg("queued"));
    } finally {
      busy = false;
    }
  }

  async function flush() {
    let items = queue();
    while (items.length) {
      try {
        const answer = await send(items[0].code, items[0].at);  // 200, 409 (already in) and 404 are all final
        if (answer.status === 422) await send(items[0].code, null);  // the phone's clock was far off: now
      } catch (e) {
        break;  // still offline
      }
      items = items.slice(1);
      saveQueue(items);
    }
  }

  document.getElementById("code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const input = document.getElementById("code-input");
    checkIn(input.value);
    input.value = "";
    input.focus();
  });

  // --- the camera -----------------------------------------------------------------------------------
  const video = document.getElementById("scan-video");
  const canvas = document.getElementById("scan-canvas");
  let lastCode = "", lastAt = 0;
  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      const now = Date.now();
      if (found && found.data && (found.data !== lastCode || now - lastAt > 3000)) {
        lastCode = found.data;
        lastAt = now;
        checkIn(found.data);  // the QR holds the ticket's link; the server reads the code from it
      }
    }
    window.setTimeout(() => window.requestAnimationFrame(tick), 150);
  }
  document.getElementById("scan-start").addEventListener("click", async function () {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      this.style.display = "none";  // not `hidden`: the .btn class's display outranks it
      tick();
    } catch (e) {
      show("warn", msg("camera"));
    }
  });

  saveQueue(queue());
  window.addEventListener("online", flush);
  window.setInterval(flush, 15000);
  flush();
})();
