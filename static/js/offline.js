// Working with a weak connection on a phone (ADR 0017). Loaded on every page; does nothing for a visitor who is
// not signed in (<meta name="cf-user"> names the signed-in person).
// - The service worker (/sw.js) is registered: app shell and static files from the phone, pages from the network.
// - form[data-draft="key"]: what is typed is kept in localStorage under the person's id and the key, put back
//   after a reload ("Draft restored"), and dropped once the form is saved.
// - form[data-offline-queue="kind"]: this script sends the form. Without a connection it is stored in IndexedDB
//   with a `client_key` and sent when the connection is back (on `online`, on every page and every 30 s); the
//   server applies a client_key once, so a reload in the middle of a send never saves twice. A 409 (someone saved
//   a newer version) or a 422 keeps the draft and says so. The topbar's badge counts what waits.
//   The view answers like every form of the site: a redirect when saved (campaignflow.pwa.middleware turns it
//   into 204 + X-CF-Location for this script), the form again with 422/409 when not.
// - Logging out first sends what waits, then deletes this person's queue, drafts and every cache.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="cf-user"]');
  const user = meta ? meta.content : "";
  if (!user) return;

  const zh = (document.documentElement.lang || "zh").startsWith("zh");
  const TEXT = {
    restored: ["已恢复草稿", "Draft restored"],
    discard: ["丢弃草稿", "Discard draft"],
    queued: ["已离线保存，联网后自动提交", "Saved offline; it will be sent when you are back online"],
    sent: ["离线保存的内容已提交", "What you saved offline has been sent"],
    conflict: ["有更新的版本，请核对后再提交", "Someone changed it — check before sending again"],
    invalid: ["离线保存的内容未被接受：", "What you saved offline was not accepted: "],
    failed: ["提交失败（{s}）", "Sending failed ({s})"],
    waiting: ["条待发送", "waiting to be sent"],
    signin: ["请重新登录，离线保存的内容随后发送", "Sign in again; what you saved offline is sent then"],
    logoutOffline: ["需要联网才能退出登录", "You need a connection to log out"],
  };
  const say = (key, status) => TEXT[key][zh ? 0 : 1].replace("{s}", status === undefined ? "" : status);

  // --- storage ------------------------------------------------------------------------------------------------
  const draftPrefix = (who) => "cf-draft:" + who + ":";
  const noticePrefix = (who) => "cf-notice:" + who + ":";
  const sentPrefix = (who) => "cf-sent:" + who + ":";
  const draftKey = (name) => draftPrefix(user) + name;

  const DB_NAME = "cf-offline";
  const STORE = "queue";
  let database = null;
  function db() {
    if (!database) {
      database = new Promise((resolve, reject) => {
        const opening = indexedDB.open(DB_NAME, 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        opening.onsuccess = () => {
          const handle = opening.result;
          handle.onversionchange = () => { handle.close(); database = null; };  // let a deletion through
          resolve(handle);
        };
        opening.onerror = () => reject(opening.error);
      });
    }
    return database;
  }
  function done(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function store(mode) {
    return (await db()).transaction(STORE, mode).objectStore(STORE);
  }
  async function queued(who) {
    return (await done((await store("readonly")).getAll())).filter((item) => item.user === (who || user));
  }
  async function unqueue(id) {
    return done((await store("readwrite")).delete(id));
  }

  // --- drafts ---------------------------------------------------------------------------------------------------
  const SKIP_TYPES = new Set(["hidden", "password", "file", "submit", "button", "reset", "image"]);
  const SKIP_NAMES = new Set(["csrfmiddlewaretoken", "version", "client_key"]);
  const draftFields = (form) =>
    Array.from(form.elements).filter((el) => el.name && !el.disabled && !SKIP_TYPES.has(el.type) && !SKIP_NAMES.has(el.name));
  const fieldKey = (el) => (el.type === "checkbox" || el.type === "radio" ? el.name + "=" + el.value : el.name);

  function formValues(form) {
    const values = {};
    draftFields(form).forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") values[fieldKey(el)] = el.checked;
      else if (el.type === "select-multiple") values[fieldKey(el)] = Array.from(el.selectedOptions).map((o) => o.value);
      else values[fieldKey(el)] = el.value;
    });
    return values;
  }
  function applyValues(form, values) {
    draftFields(form).forEach((el) => {
      const value = values[fieldKey(el)];
      if (value === undefined) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = Boolean(value);
      else if (el.type === "select-multiple") Array.from(el.options).forEach((o) => { o.selected = value.includes(o.value); });
      else el.value = value;
    });
  }
  const sameValues = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function saveDraft(form) {
    const values = formValues(form);
    const empty = Object.values(values).every((v) => v === "" || v === false || (Array.isArray(v) && !v.length));
    if (empty) localStorage.removeItem(draftKey(form.dataset.draft));
    else localStorage.setItem(draftKey(form.dataset.draft), JSON.stringify({ values: values, saved_at: Date.now() }));
  }
  function readDraft(name) {
    try { return JSON.parse(localStorage.getItem(draftKey(name)) || "null"); } catch (e) { return null; }
  }
  function dropDraft(name) {
    if (!name) return;
    localStorage.removeItem(draftKey(name));
    sessionStorage.removeItem(sentPrefix(user) + name);
  }
  const hasErrors = (form) => Boolean(form.querySelector(".field-error, .errorlist, .form-error, [data-testid=conflict]"));

  function restoreDraft(form) {
    const name = form.dataset.draft;
    if (sessionStorage.getItem(sentPrefix(user) + name)) {
      // The form was sent the ordinary way: saved unless the page shows the form's errors again.
      sessionStorage.removeItem(sentPrefix(user) + name);
      if (!hasErrors(form)) { dropDraft(name); return; }
    }
    if (hasErrors(form)) return;  // the server shows what was posted, newer than the draft
    const draft = readDraft(name);
    if (!draft || sameValues(draft.values, formValues(form))) return;
    applyValues(form, draft.values);
    const note = noteOn(form, say("restored"), "info");
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn-link cf-discard";
    discard.textContent = say("discard");
    discard.addEventListener("click", () => { dropDraft(name); form.reset(); note.remove(); });
    note.append(" ", discard);
  }

  // --- messages -------------------------------------------------------------------------------------------------
  function noteOn(form, text, kind) {
    let note = form.querySelector(":scope > .cf-form-note");
    if (!note) {
      note = document.createElement("p");
      note.setAttribute("role", "status");
      note.setAttribute("data-testid", "offline-note");
      form.prepend(note);
    }
    note.className = "cf-form-note cf-" + kind;
    note.textContent = text;
    return note;
  }
  function toast(text, kind) {
    const box = document.createElement("div");
    box.className = "cf-toast cf-" + kind;
    box.setAttribute("role", "status");
    box.setAttribute("data-testid", "offline-toast");
    box.textContent = text;
    document.body.append(box);
    window.setTimeout(() => box.remove(), 8000);
  }
  const formFor = (draft) => (draft ? document.querySelector('form[data-draft="' + CSS.escape(draft) + '"]') : null);

  // A queued form's answer for a page that may no longer be open: shown on its form now, or when it opens next.
  function tell(draft, text, kind) {
    const form = formFor(draft);
    if (form) noteOn(form, text, kind);
    else if (draft && kind !== "ok") localStorage.setItem(noticePrefix(user) + draft, JSON.stringify({ text: text, kind: kind }));
    else toast(text, kind);
  }
  function showStoredNotice(form) {
    const key = noticePrefix(user) + form.dataset.draft;
    const stored = localStorage.getItem(key);
    if (!stored) return;
    localStorage.removeItem(key);
    try { const notice = JSON.parse(stored); noteOn(form, notice.text, notice.kind); } catch (e) { /* not ours */ }
  }

  function badge() {
    let element = document.querySelector(".cf-queue-badge");
    const bar = document.querySelector(".topbar-right");
    if (!element && bar) {
      element = document.createElement("button");
      element.type = "button";
      element.className = "cf-queue-badge";
      element.setAttribute("data-testid", "offline-queue-badge");
      element.hidden = true;
      element.addEventListener("click", () => flush());
      bar.prepend(element);
    }
    return element;
  }
  async function showCount() {
    const element = badge();
    if (!element) return;
    const count = (await queued()).length;
    element.hidden = count === 0;
    element.textContent = String(count);
    element.title = count + " " + say("waiting");
    element.setAttribute("aria-label", element.title);
  }

  // --- sending ----------------------------------------------------------------------------------------------------
  function csrfToken() {
    const cookie = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return cookie ? decodeURIComponent(cookie[1]) : "";
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }
  function itemFrom(form, submitter) {
    let data;
    try { data = new FormData(form, submitter || undefined); } catch (e) { data = new FormData(form); }
    const key = newKey();
    const fields = [];
    data.forEach((value, name) => { if (typeof value === "string" && name !== "client_key") fields.push([name, value]); });
    fields.push(["client_key", key]);
    return {
      user: user, url: form.action, method: "POST", fields: fields, client_key: key,
      kind: form.dataset.offlineQueue || "", draft: form.dataset.draft || "", created_at: new Date().toISOString(), attempts: 0,
    };
  }
  async function send(item) {
    const token = csrfToken();
    const body = new URLSearchParams();
    item.fields.forEach(([name, value]) => body.append(name, name === "csrfmiddlewaretoken" && token ? token : value));
    const headers = { "X-CF-Submit": "fetch" };
    if (token) headers["X-CSRFToken"] = token;
    const response = await fetch(item.url, { method: item.method, body: body, headers: headers, credentials: "same-origin", redirect: "manual" });
    return {
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      location: response.headers.get("X-CF-Location") || "",
      html: response.status >= 400 ? await response.text() : "",
    };
  }
  function errorsIn(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const texts = Array.from(page.querySelectorAll("form .field-error, form .errorlist li, form .form-error, .msg-error"))
      .map((el) => el.textContent.trim()).filter(Boolean);
    return Array.from(new Set(texts)).join(" ");
  }

  async function enqueue(form, item) {
    // One waiting copy per form: the newest text replaces an older one not sent yet.
    const older = (await queued()).filter((o) => o.url === item.url && o.kind === item.kind);
    for (const o of older) await unqueue(o.id);
    await done((await store("readwrite")).add(item));
    if (form.dataset.draft) saveDraft(form);
    noteOn(form, say("queued"), "warn");
    await showCount();
  }

  async function submitNow(form, submitter) {
    if (form.dataset.cfBusy) return;
    const item = itemFrom(form, submitter);
    if (!navigator.onLine) return enqueue(form, item);
    form.dataset.cfBusy = "1";
    let answer;
    try {
      answer = await send(item);
    } catch (e) {
      return enqueue(form, item);  // the connection dropped without the browser noticing yet
    } finally {
      delete form.dataset.cfBusy;
    }
    if (answer.ok) {
      dropDraft(item.draft);
      window.location.assign(answer.location || window.location.href);
    } else if (answer.status === 401) {
      window.location.assign(answer.location || "/login/");  // the draft waits for the same person
    } else if (answer.status === 409 || answer.status === 422) {
      showAnswerForm(form, answer.html);
      noteOn(form, answer.status === 409 ? say("conflict") : errorsIn(answer.html) || say("failed", 422), "bad");
    } else {
      noteOn(form, say("failed", answer.status), "bad");
    }
  }
  // The form as the server answered it (its errors, the posted values, the conflict's reload link).
  function showAnswerForm(form, html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const selector = form.dataset.draft
      ? 'form[data-draft="' + CSS.escape(form.dataset.draft) + '"]'
      : 'form[data-offline-queue="' + CSS.escape(form.dataset.offlineQueue) + '"]';
    const answered = page.querySelector(selector);
    if (answered) form.innerHTML = answered.innerHTML;
  }

  async function sendQueued() {
    let sent = 0;
    for (const item of await queued()) {
      let answer;
      try {
        answer = await send(item);  // the item stays stored until answered: a reload re-sends the same client_key
      } catch (e) {
        break;  // offline again: the rest waits
      }
      if (answer.status === 401) { toast(say("signin"), "warn"); break; }
      if (answer.status >= 500 || answer.status === 0) {
        item.attempts += 1;
        if (item.attempts < 5) { await done((await store("readwrite")).put(item)); continue; }
      }
      await unqueue(item.id);
      if (answer.ok) {
        dropDraft(item.draft);
        sent += 1;
      } else if (answer.status === 409) {
        tell(item.draft, say("conflict"), "bad");
      } else if (answer.status === 422) {
        tell(item.draft, say("invalid") + errorsIn(answer.html), "bad");
      } else {
        tell(item.draft, say("failed", answer.status), "bad");
      }
      if (answer.ok) tell(item.draft, say("sent"), "ok");
    }
    await showCount();
    return sent;
  }
  let flushing = null;
  function flush() {
    if (!navigator.onLine) return Promise.resolve(0);
    if (!flushing) {
      const run = () => sendQueued();
      flushing = (navigator.locks ? navigator.locks.request("cf-offline-queue", run) : run())
        .catch(() => 0)
        .finally(() => { flushing = null; });
    }
    return flushing;
  }

  // --- logging out ------------------------------------------------------------------------------------------------
  const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => window.setTimeout(resolve, ms))]);

  async function forget(who) {
    [localStorage, sessionStorage].forEach((area) => {
      Object.keys(area)
        .filter((key) => [draftPrefix(who), noticePrefix(who), sentPrefix(who)].some((prefix) => key.startsWith(prefix)))
        .forEach((key) => area.removeItem(key));
    });
    const items = await queued(who);
    await Promise.all(items.map((item) => unqueue(item.id)));
    if ("serviceWorker" in navigator) {
      const registration = await navigator.serviceWorker.getRegistration("/");
      const worker = registration && registration.active;
      if (worker) {
        const channel = new MessageChannel();
        const answered = new Promise((resolve) => { channel.port1.onmessage = resolve; });
        worker.postMessage({ type: "cf-logout" }, [channel.port2]);
        await within(answered, 1500);
      }
      if (registration) await registration.unregister();  // the next person's sign-in installs it afresh
    }
    if ("caches" in window) await Promise.all((await caches.keys()).map((key) => caches.delete(key)));
  }

  async function logOut(form) {
    if (form.dataset.cfBusy) return;
    if (!navigator.onLine) { toast(say("logoutOffline"), "warn"); return; }
    form.dataset.cfBusy = "1";
    await within(flush(), 4000);
    try { await within(forget(user), 3000); } catch (e) { /* the server's Clear-Site-Data still clears */ }
    HTMLFormElement.prototype.submit.call(form);
  }
  const logoutPath = meta.dataset.logout;
  const isLogout = (form) => logoutPath && new URL(form.action, window.location.href).pathname === logoutPath;

  // --- wiring -----------------------------------------------------------------------------------------------------
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if (isLogout(form)) {
      event.preventDefault();
      logOut(form);
    } else if (form.dataset.offlineQueue !== undefined) {
      event.preventDefault();
      submitNow(form, event.submitter);
    } else if (form.dataset.draft) {
      sessionStorage.setItem(sentPrefix(user) + form.dataset.draft, "1");
    }
  });
  const keepDraft = (event) => {
    const form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (form && form.dataset.draft) saveDraft(form);
  };
  document.addEventListener("input", keepDraft);
  document.addEventListener("change", keepDraft);

  document.querySelectorAll("form[data-draft]").forEach((form) => {
    restoreDraft(form);
    showStoredNotice(form);
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => { /* http without TLS: no worker */ });
  }
  window.addEventListener("online", () => flush());
  window.setInterval(() => flush(), 30000);
  showCount().then(() => flush());
  window.cfOffline = { flush: flush, queued: () => queued() };  // for the browser tests and the console
})();
