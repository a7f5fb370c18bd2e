// The weekly report page: its trend chart (option built on the server, numbers formatted like the page)
// and the "copy link" button (no inline handlers: the Content-Security-Policy forbids them).
(function () {
  const data = document.getElementById("report-trend");
  const el = document.querySelector("[data-report-chart]");
  if (data && el && window.echarts) {
    window.cfChart(el, JSON.parse(data.textContent));  // app.js: numbers like the page, follows its box's size
  }
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const done = () => { button.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(button.dataset.copy).then(done, () => window.prompt("", button.dataset.copy));
      } else {
        window.prompt("", button.dataset.copy);  // plain http: let the user copy it from the prompt
      }
    });
  });
})();
