document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.dataset.chart);
    if (!data || typeof echarts === "undefined") return;
    var chart = echarts.init(el);
    const option = JSON.parse(data.textContent);
    chart.setOption(window.cfChartNumbers ? window.cfChartNumbers(option) : option);  // 万 on axes (app.js)
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
