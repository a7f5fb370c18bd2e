// Labels of a Gantt's top scale (months, years) that fit their cells. At each end of the timeline the first and last
// month (or year) may show only a few days: there the label takes its short form ("10月", "Oct"), or none when even
// that would be cut. Shared by the campaign Gantt and the portfolio.
(function () {
  "use strict";
  let ctx = null;
  function textWidth(text) {
    if (!ctx) {
      const scale = document.querySelector(".gantt_task_scale");
      if (!scale) return text.length * 14; // before the chart exists: a wide guess, so nothing is cut
      const s = getComputedStyle(scale);
      ctx = document.createElement("canvas").getContext("2d");
      ctx.font = "500 " + s.fontSize + " " + s.fontFamily; // the scale cells' weight (dhtmlxgantt.css)
    }
    return ctx.measureText(text.toUpperCase()).width; // the timeline's scale is upper-cased
  }
  // The most days a column of the bottom scale spans: with the chart's least column width, the least width of a day.
  const LONGEST_DAYS = { day: 1, week: 7, month: 31, quarter: 92, year: 366 };
  // The width of a day as drawn: the scale being drawn (dhtmlx sets it before it asks for the labels) spread over
  // the days shown, at least the narrowest a day can be at this zoom (the chart stretches its columns to fill a
  // wide timeline, so a short month there has room for its long label; it never narrows them).
  function dayWidth(state) {
    const bottom = gantt.config.scales[gantt.config.scales.length - 1];
    const least = gantt.config.min_column_width / (LONGEST_DAYS[bottom.unit] * (bottom.step || 1));
    const scale = gantt.getScale && gantt.getScale();
    const days = (state.max_date - state.min_date) / 864e5;
    return Math.max(least, scale && scale.full_width && days > 0 ? scale.full_width / days : 0);
  }
  // unit: the scale's unit ("month", "year"); long, short: the label's two formats
  window.cfFittedLabel = function (unit, long, short) {
    const longForm = gantt.date.date_to_str(long), shortForm = gantt.date.date_to_str(short);
    return (date) => {
      const state = gantt.getState();
      const pxPerDay = dayWidth(state);
      // (the first cell's date is the timeline's start, not its month's or year's first day)
      const next = gantt.date.add(gantt.date[unit + "_start"](new Date(date)), 1, unit);
      const from = Math.max(+date, +state.min_date), to = Math.min(+next, +state.max_date);
      const room = ((to - from) / 864e5) * pxPerDay - 10; // the cell's padding and border
      for (const text of [longForm(date), shortForm(date)]) if (textWidth(text) <= room) return text;
      return "";
    };
  };
})();
