// Draws the board's ECharts from option dicts built on the server (tracking/domain/charts.py).
(function () {
  const charts = window.cfCharts("board-charts", "chart");
  if (!charts.length) return;
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener("orientationchange", resize);  // a phone turned: the cards change width
  if (window.ResizeObserver) {
    const observer = new ResizeObserver(resize);  // a card resized by the layout, not by the window
    document.querySelectorAll("[data-chart]").forEach((el) => observer.observe(el));
  }
})();
