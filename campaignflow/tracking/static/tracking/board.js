// Draws the board's ECharts from option dicts built on the server (tracking/domain/charts.py).
(function () {
  const data = document.getElementById("board-charts");
  if (!data || !window.echarts) return;
  const options = JSON.parse(data.textContent);
  const charts = [];
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const option = options[el.dataset.chart];
    if (!option) return;
    const chart = window.echarts.init(el);
    chart.setOption(window.cfChartNumbers ? window.cfChartNumbers(option) : option);  // 万 on axes (app.js)
    charts.push(chart);
  });
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener("resize", resize);
  window.addEventListener("orientationchange", resize);  // a phone turned: the cards change width
  if (window.ResizeObserver) {
    const observer = new ResizeObserver(resize);  // a card resized by the layout, not by the window
    document.querySelectorAll("[data-chart]").forEach((el) => observer.observe(el));
  }
})();
