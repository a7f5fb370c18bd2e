// Draws the review's ECharts from option dicts built on the server (review/domain/attribution.py).
window.cfCharts("review-charts", "review-chart");
