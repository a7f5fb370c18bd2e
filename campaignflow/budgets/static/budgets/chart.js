document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.dataset.chart);
    if (!data || typeof echarts === "undefined") return;
    var chart = echarts.init(el);
    chart.setOption(JSON.parse(data.textContent));
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
