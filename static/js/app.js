// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-row-action]");
  if (!button) return;
  const row = button.closest("tr");
  const body = row.parentElement;
  const action = button.dataset.rowAction;
  if (action === "remove" && body.rows.length > 1) row.remove();
  if (action === "dup") row.after(row.cloneNode(true));
  if (action === "up" && row.previousElementSibling) body.insertBefore(row, row.previousElementSibling);
});

// A stale write answered 409 by an htmx request: tell the user instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const text = status === 409 ? (document.documentElement.lang.startsWith("zh")
    ? "该内容已被他人修改，请刷新后重试。" : "Someone else changed this; reload and try again.")
    : (document.documentElement.lang.startsWith("zh") ? "操作失败（" + status + "）" : "Request failed (" + status + ")");
  window.alert(text);
});

// No inline event handlers (the Content-Security-Policy forbids them): behaviour comes from data attributes.
// <select data-autosubmit> submits its form on change; <form data-confirm="…"> asks before submitting.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
}, true);
