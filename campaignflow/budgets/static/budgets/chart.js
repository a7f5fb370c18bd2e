// The budget's chart: its option built on the server; cfChart (app.js) formats its numbers (万 on axes) and makes
// it follow its box's size.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.dataset.chart);
    if (!data || !window.echarts) return;
    window.cfChart(el, JSON.parse(data.textContent));
  });
});
