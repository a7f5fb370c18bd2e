// Draws the review's ECharts from option dicts built on the server (review/domain/attribution.py).
(function () {
  const data = document.getElementById("review-charts");
  if (!data || !window.echarts) return;
  const options = JSON.parse(data.textContent);
  const charts = [];
  document.querySelectorAll("[data-review-chart]").forEach((el) => {
    const option = options[el.dataset.reviewChart];
    if (!option) return;
    const chart = window.echarts.init(el);
    chart.setOption(window.cfChartNumbers ? window.cfChartNumbers(option) : option);  // 万 on axes (app.js)
    charts.push(chart);
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
