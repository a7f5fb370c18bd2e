// Draws the board's ECharts from option dicts built on the server (tracking/domain/charts.py); cfCharts (app.js)
// makes each follow its card's size (a phone turned, the layout reflowing).
window.cfCharts("board-charts", "chart");
