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

// Text as HTML that shows it literally, for libraries that insert strings as markup (dhtmlx-gantt's templates).
window.cfEscape = (s) =>
  String(s === undefined || s === null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// Numbers in charts read like the page's |number filter: 万/亿 in Chinese (35万), thousands separators in
// English (350,000). cfChartNumbers(option) gives value axes and axis tooltips that formatter unless the
// option brings its own (options are built on the server as JSON, which cannot carry functions).
window.cfNumber = function (value) {
  if (value === null || value === undefined || value === "" || isNaN(value)) return "—";
  const v = Number(value);
  const trim = (x, places) => x.toLocaleString("en-US", { maximumFractionDigits: places });
  if (!document.documentElement.lang.startsWith("zh")) return trim(v, Math.abs(v) >= 100 ? 0 : 2);
  const m = Math.abs(v);
  if (m >= 1e8) return trim(v / 1e8, 2) + "亿";
  if (m >= 1e4) return trim(v / 1e4, 2) + "万";
  return trim(v, m >= 100 ? 0 : 2);
};
window.cfChartNumbers = function (option) {
  const axes = [].concat(option.xAxis || [], option.yAxis || []);
  axes.forEach((axis) => {
    if (axis.type !== "value" && axis.type !== "log") return;
    axis.axisLabel = axis.axisLabel || {};
    if (!axis.axisLabel.formatter) axis.axisLabel.formatter = window.cfNumber;
  });
  if (option.tooltip && !option.tooltip.formatter && !option.tooltip.valueFormatter) {
    option.tooltip.valueFormatter = window.cfNumber;
  }
  return option;
};

// One ECharts chart in `el` drawn from a server-built option, its numbers read like the page (cfChartNumbers), and
// following its element's size through a ResizeObserver: the window's, a phone turned sideways, and the layout
// changing the box (a grid reflowing at a phone's width, a fold opened). Without one, the window's size. Returns
// the chart.
window.cfChart = function (el, option) {
  const chart = window.echarts.init(el);
  chart.setOption(window.cfChartNumbers(option));
  const resize = () => { if (!chart.isDisposed()) chart.resize(); };
  if (window.ResizeObserver) new ResizeObserver(resize).observe(el);
  else ["resize", "orientationchange"].forEach((type) => window.addEventListener(type, resize));
  return chart;
};

// A page's ECharts from option dicts built on the server: each element with the attribute data-<attr> gets the
// option that attribute names in the JSON of the script #<id>, drawn by cfChart (so it follows its box's size).
// Returns the charts.
window.cfCharts = function (id, attr) {
  const data = document.getElementById(id);
  if (!data || !window.echarts) return [];
  const options = JSON.parse(data.textContent);
  const charts = [];
  document.querySelectorAll(`[data-${attr}]`).forEach((el) => {
    const option = options[el.getAttribute(`data-${attr}`)];
    if (option) charts.push(window.cfChart(el, option));
  });
  return charts;
};

// <input data-select-on-focus> selects its whole text when tapped (a link to copy).
document.addEventListener("focusin", (event) => {
  if (event.target.matches && event.target.matches("input[data-select-on-focus]")) event.target.select();
});
