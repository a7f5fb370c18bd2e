// Read-only timeline of the campaigns the user can see (one bar per campaign; click opens its Gantt).
(function () {
  "use strict";
  const el = document.getElementById("portfolio-chart");
  if (!el || !window.gantt) return;
  const T = JSON.parse(document.getElementById("gantt-i18n").textContent);
  const zh = (document.documentElement.lang || "").startsWith("zh");
  gantt.config.date_format = "%Y-%m-%d";
  gantt.config.readonly = true;
  // dhtmlx-gantt inserts what its templates return as HTML: every name goes through esc().
  const esc = window.cfEscape;
  gantt.config.columns = [
    { name: "text", label: zh ? "营销活动" : "Campaign", tree: false, width: 260, template: (t) => esc(t.text) },
    { name: "status_label", label: "", width: 70, align: "center", template: (t) => esc(t.status_label) },
  ];
  const year = window.cfFittedLabel("year", zh ? "%Y年" : "%Y", zh ? "%y年" : "’%y");
  gantt.config.scales = [{ unit: "year", step: 1, format: year }, { unit: "month", step: 1, format: zh ? "%n月" : "%M" }];
  gantt.config.min_column_width = 50;
  gantt.templates.task_class = (s, e, t) => "cf-campaign-" + t.status;
  gantt.templates.task_text = (s, e, t) => esc(t.text);
  gantt.templates.tooltip_text = (s, e, t) => esc(t.text);
  gantt.attachEvent("onTaskClick", (id) => { window.location = gantt.getTask(id).url; return false; });
  gantt.init("portfolio-chart");
  gantt.parse(JSON.parse(document.getElementById("portfolio-data").textContent));
})();
