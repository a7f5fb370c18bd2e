// Interactive Gantt over dhtmlx-gantt (MIT Community edition). The server computes the critical
// path, slack, slips, baselines and periods; this file only draws them and saves edits through
// the REST API (PATCH with `version`; a 409 tells the user and reloads).
(function () {
  "use strict";
  const root = document.getElementById("gantt-app");
  if (!root || !window.gantt) return;
  const T = JSON.parse(document.getElementById("gantt-i18n").textContent);
  const campaignId = root.dataset.campaign;
  const canEdit = root.dataset.canEdit === "1";
  const dataUrl = root.dataset.url;
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const zh = (document.documentElement.lang || "").startsWith("zh");
  const status = document.getElementById("gantt-status");
  let periods = [];
  let silent = false; // true while the page itself changes the chart (no server call)
  let hasRowMarks = false; // no baseline bar or milestone window to draw: the overlay skips its walk over every task
  const running = root.dataset.running === "1"; // the first load scrolls today into view
  const narrow = root.clientWidth < 700; // a phone: fewer, narrower columns leave room for the bars
  // dhtmlx-gantt inserts what its templates return as HTML: every name goes through esc().
  const esc = window.cfEscape;

  if (zh) {
    gantt.i18n.setLocale({
      date: {
        month_full: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        month_short: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        day_full: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        day_short: ["日", "一", "二", "三", "四", "五", "六"],
      },
    });
  }
  gantt.i18n.setLocale({
    labels: {
      new_task: T.new_task, icon_save: T.save, icon_cancel: T.cancel, icon_delete: T.delete,
      confirm_deleting: T.confirm_delete, confirm_link_deleting: T.confirm_link_delete,
      link_start: T.link_start, link_end: T.link_end, link_from: T.link_from, link_to: T.link_to,
      type_task: T.task, type_milestone: T.milestone, type_project: T.phase,
      column_text: T.task, column_start_date: T.start, column_duration: T.days, column_add: "",
      minutes: "分钟", hours: "小时", days: T.days, weeks: "周", months: "月", years: "年",
    },
  });

  gantt.config.date_format = "%Y-%m-%d";
  gantt.config.duration_unit = "day";
  gantt.config.round_dnd_dates = true;
  gantt.config.readonly = !canEdit;
  gantt.config.drag_links = canEdit;
  gantt.config.drag_progress = false;
  gantt.config.details_on_dblclick = false;
  gantt.config.show_unscheduled = true;
  gantt.config.open_tree_initially = true;
  gantt.config.row_height = 30;
  gantt.config.bar_height = 20;
  // A plan of 10,000 rows (docs/performance.md, "Gantt, 10,000 tasks"): only the rows and columns in view are
  // drawn (smart_rendering, dhtmlx-gantt's default); the day grid behind the bars is one line per day and the
  // period bands one column each (drawOverlays) instead of a div per day and row; the scale is a few
  // hundred cells at most, drawn once instead of again on each sideways scroll.
  gantt.config.smart_rendering = true;
  gantt.config.static_background = true;
  gantt.config.smart_scales = false;
  // Short dates in the grid ("12月4日" / "Dec 4"); the scale above the bars gives the year.
  const shortDate = gantt.date.date_to_str(zh ? "%n月%j日" : "%M %j");
  // A milestone is a point in time: the server sends its one date as start_date = end_date ("type": "milestone").
  // The grid shows that date once (the start column, the only one a phone keeps; a milestone over days gives its
  // first day there and its date under End) and the chart draws its diamond in the middle of that day's column
  // (at noon: at midnight it sat on the line between the day and the one before).
  const milestone = (t) => t.type === "milestone";
  const onItsDay = (t) => {
    t.start_date = t.end_date = gantt.date.add(gantt.date.parseDate(t.start_date, "xml_date"), 12, "hour");
  };
  const lastDay = (t) => gantt.date.add(t.end_date, -1, "day");
  // A milestone over days (its window, "span_start", parsed once on load, to its date): the grid gives both days,
  // on a phone (start column only) the diamond's day; the tooltip gives the window.
  const spanStart = (t) => (narrow ? null : t.span_start);
  const columns = [
    { name: "text", label: T.task, tree: true, width: narrow ? 100 : 210, resize: true, template: (t) => esc(t.text) },
    { name: "owner", label: T.owner, align: "center", width: 64, template: (t) => esc(t.owner) },
    { name: "start_date", label: T.start, align: "center", width: 72, template: (t) => (t.type === "project" ? "" : shortDate(spanStart(t) || t.start_date)) },
    { name: "end_date", label: T.end, align: "center", width: 72, template: (t) => (t.type === "project" || (milestone(t) && !spanStart(t)) ? "" : shortDate(milestone(t) ? t.start_date : lastDay(t))) },
    { name: "slack", label: T.slack, align: "center", width: 56, template: (t) => (t.slack === undefined || t.slack === null ? "" : t.slack) },
  ];
  gantt.config.columns = narrow ? columns.filter((c) => c.name === "text" || c.name === "start_date") : columns;
  if (narrow) gantt.config.task_scroll_offset = 30; // today near the left edge of a narrow timeline
  // Not dhtmlx's own first scroll: every "onParse" (each staged load ends with one) leaves a one-time handler that
  // scrolls to the first task at the chart's next render, which may come much later (a resize, a rotated phone)
  // and take the reader away from today. The page places the timeline itself (parseInStages).
  gantt.config.initial_scroll = false;
  gantt.attachEvent("onBeforeLightbox", () => false);
  gantt.templates.task_class = function (start, end, task) {
    const cls = [];
    if (task.marker) {
      // another app's dated marker (a material's due date): its own status classes, never a task's
      cls.push("cf-marker", "cf-marker-" + task.status);
      if (task.late) cls.push("cf-marker-late");
      return cls.join(" ");
    }
    if (task.critical) cls.push("cf-critical");
    if (task.at_risk) cls.push("cf-at-risk");
    if (task.slip_days > 0) cls.push("cf-slipped");
    if (task.status) cls.push("cf-status-" + task.status);
    return cls.join(" ");
  };
  gantt.templates.rightside_text = function (start, end, task) {
    if (task.marker) return esc(task.text) + " · " + esc(task.status_label) + (task.late ? " ⚠ " + esc(T.late) : "");
    if (task.type === "milestone") return esc(task.name) + (task.at_risk ? " ⚠ " + esc(T.at_risk) : "");
    return task.at_risk ? "⚠ " + esc(T.at_risk) : "";
  };
  gantt.templates.tooltip_text = (s, e, t) => esc(t.text) + (t.span_start ? "<br>" + esc(shortDate(t.span_start) + " ~ " + shortDate(t.start_date)) : "");
  gantt.templates.task_text = (s, e, t) => esc(t.type === "project" ? t.text : t.name || t.text);
  // the text of "delete this dependency?" and the tooltip while a link is dragged
  gantt.templates.link_description = (l) => "<b>" + esc(gantt.getTask(l.source).text) + "</b> – <b>" + esc(gantt.getTask(l.target).text) + "</b>";
  gantt.templates.drag_link = function (from, fromStart, to, toStart) {
    const end = (start) => esc(start ? T.link_start : T.link_end);
    let html = "<b>" + esc(gantt.getTask(from).text) + "</b> " + end(fromStart);
    if (to) html += "<br><b>" + esc(gantt.getTask(to).text) + "</b> " + end(toStart);
    return html;
  };
  gantt.templates.grid_row_class = (s, e, t) => (t.critical ? "cf-critical-row" : t.late ? "cf-late-row" : "");

  // Baselines: a thin bar under each task (our own task layer, added once the chart exists).
  const baselineLayer = function (task) {
    if (!task.baseline_start || !task.baseline_end || task.type === "project") return false;
    const start = gantt.date.parseDate(task.baseline_start, "xml_date");
    const end = gantt.date.parseDate(task.baseline_end, "xml_date");
    const sizes = gantt.getTaskPosition(task, start, end.getTime() === start.getTime() ? gantt.date.add(start, 1, "day") : end);
    const el = document.createElement("div");
    el.className = "cf-baseline";
    el.style.left = sizes.left + "px";
    el.style.width = Math.max(sizes.width, 4) + "px";
    el.style.top = sizes.top + gantt.config.bar_height + 7 + "px";
    el.title = T.baseline + ": " + task.baseline_start + " ~ " + task.baseline_end;
    return el;
  };

  // A milestone over days: a thin line from its first day to its diamond, with a tick where the window opens,
  // so that the chart shows the window the grid gives (the diamond stays the milestone's date).
  const windowLayer = function (task) {
    if (!task.span_start || task.type !== "milestone") return false;
    const start = task.span_start;
    const sizes = gantt.getTaskPosition(task, start, task.start_date);
    const el = document.createElement("div");
    el.className = "cf-milestone-window";
    el.style.left = sizes.left + "px";
    el.style.width = Math.max(sizes.width, 4) + "px";
    el.style.top = sizes.top + "px"; // along the top of the row's bar (a link into the diamond runs through its middle)
    el.title = shortDate(start) + " ~ " + shortDate(task.start_date);
    return el;
  };

  // Zoom: day / week / month. Not gantt.ext.zoom: it reads the timeline's width from the DOM on every scroll
  // (a forced layout in each scroll event) to keep the date in the middle; here that date is read once, from
  // the scroll state, when the level changes.
  const monthLabel = window.cfFittedLabel("month", zh ? "%Y年%n月" : "%F %Y", zh ? "%n月" : "%M");
  const month = () => ({ unit: "month", step: 1, format: monthLabel }); // (a scale object of each level's own)
  const levels = {
    day: { scale_height: 50, min_column_width: 30, scales: [month(), { unit: "day", step: 1, format: "%j" }] },
    week: { scale_height: 50, min_column_width: 60, scales: [month(), { unit: "week", step: 1, format: zh ? "%n月%j日" : "%M %j" }] },
    month: {
      scale_height: 50, min_column_width: 80,
      scales: [{ unit: "year", step: 1, format: window.cfFittedLabel("year", zh ? "%Y年" : "%Y", zh ? "%y年" : "’%y") }, { unit: "month", step: 1, format: zh ? "%n月" : "%M" }],
    },
  };
  function zoom(name, render) {
    // (getScrollState: inner_width is the timeline's width on screen, width the whole scale's)
    const s = render ? gantt.getScrollState() : null;
    const middle = s && s.inner_width ? gantt.dateFromPos(s.x + s.inner_width / 2) : null;
    Object.assign(gantt.config, levels[name]);
    if (!render) return;
    gantt.render();
    if (middle) {
      const after = gantt.getScrollState();
      gantt.scrollTo(Math.max(0, gantt.posFromDate(middle) - after.inner_width / 2), null);
    }
  }
  zoom("day", false);
  document.querySelectorAll("[data-zoom]").forEach((b) =>
    b.addEventListener("click", () => {
      zoom(b.dataset.zoom, true);
      document.querySelectorAll("[data-zoom]").forEach((x) => x.classList.toggle("active", x === b));
    })
  );

  function fmt(d) {
    return gantt.date.date_to_str("%Y-%m-%d")(d);
  }
  function say(text, error) {
    status.textContent = text;
    status.className = "gantt-status " + (error ? "msg msg-error" : "msg msg-success");
  }
  async function api(method, url, body) {
    const res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { ok: res.ok, status: res.status, data };
  }

  function load() {
    const baseline = document.getElementById("gantt-baseline");
    const url = dataUrl + (baseline && baseline.value ? "?baseline=" + baseline.value : "");
    return fetch(url, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((d) => {
        silent = true;
        periods = d.periods.map((p) => ({
          kind: p.kind, label: p.label,
          start: gantt.date.parseDate(p.start_date, "xml_date"), end: gantt.date.parseDate(p.end_date, "xml_date"),
        }));
        gantt.clearAll();
        d.data = d.data.concat(markerRows(d.marker_groups || []));
        // Show the whole campaign, its periods and today, with a little room on both sides.
        // ISO dates order as strings: find the range first, parse two dates (not 10,000).
        let first = d.campaign.start_date, last = d.campaign.end_date;
        const widen = (x) => { if (x) { if (x < first) first = x; if (x > last) last = x; } };
        d.periods.forEach((p) => { widen(p.start_date); widen(p.end_date); });
        hasRowMarks = false;
        d.data.forEach((t) => {
          widen(t.start_date); widen(t.end_date); widen(t.span_start);
          if (t.baseline_start || t.span_start) hasRowMarks = true;
          if (milestone(t)) onItsDay(t); // (after widen: it compares the ISO texts)
          if (t.span_start) t.span_start = gantt.date.parseDate(t.span_start, "xml_date");
        });
        const today = new Date(new Date().setHours(0, 0, 0, 0));
        let lo = gantt.date.parseDate(first, "xml_date"), hi = gantt.date.parseDate(last, "xml_date");
        if (today >= gantt.date.add(lo, -30, "day") && today <= hi) lo = new Date(Math.min(lo, today));
        if (running && today > hi) hi = today; // a running campaign past its end date still shows today
        gantt.config.start_date = gantt.date.add(lo, -2, "day");
        gantt.config.end_date = gantt.date.add(hi, 4, "day");
        parseInStages(d, ++generation);
      });
  }

  // Other apps' dated markers (the materials' due dates): each group a read-only phase row at the end,
  // each marker a read-only milestone in it. Their ids ("materials-12") never collide with task ids.
  const legend = document.getElementById("gantt-legend");
  function markerRows(groups) {
    const rows = [];
    if (legend) legend.querySelectorAll(".cf-marker-legend").forEach((el) => el.remove());
    for (const g of groups) {
      if (legend) {
        const item = document.createElement("span");
        item.className = "cf-marker-legend";
        const swatch = document.createElement("i");
        swatch.className = "lg lg-marker";
        item.append(swatch, g.label); // the label as text, not markup
        legend.appendChild(item);
      }
      const parent = "group-" + g.key;
      rows.push({ id: parent, text: g.label, type: "project", open: true, readonly: true, marker_group: true });
      for (const m of g.markers) {
        rows.push({
          id: m.id, parent, type: "milestone", readonly: true, marker: true, owner: "",
          code: m.code, name: m.name, text: m.code + " " + m.name, start_date: m.date, end_date: m.date,
          status: m.status, status_label: m.status_label, late: m.late, url: m.url,
        });
      }
    }
    return rows;
  }

  // A large plan is drawn in steps: the first rows (more than a screenful) at once; once the browser has painted
  // them, the rest in slices of the main thread's time of about SLICE_MS each, so that no task blocks the page for
  // long (docs/performance.md, "Gantt, 10,000 tasks"). Slices hand chunks of rows to the chart's task store,
  // silently (gantt.parse would filter every row, sort every link and render the whole chart for each chunk);
  // a task of its own then renders the chart with every row (and the links among the first rows); then slices
  // hand the other links to the link store, and a last task lists each task's links ("onParse", as gantt.parse
  // does) and draws the links alone (their store's refresh: not the rows again). The plan order puts each phase
  // row before its tasks, so the first rows hold their own parents and every chunk finds its parents there.
  const FIRST_ROWS = 150;
  const SLICE_MS = 30, TASK_CHUNK = 1000, LINK_CHUNK = 5000;
  let generation = 0; // a newer load() abandons the rest of an older one
  function parseInStages(d, mine) {
    const head = d.data.length > FIRST_ROWS * 2 ? d.data.slice(0, FIRST_ROWS) : d.data;
    const inHead = new Set(head.map((t) => String(t.id)));
    const early = (l) => inHead.has(String(l.source)) && inHead.has(String(l.target));
    gantt.parse({ data: head, links: head === d.data ? d.links : d.links.filter(early) });
    silent = false;
    // The chart opens on today when a running campaign or the drawn range (e.g. a material due now) holds it, else
    // on its start; only the first load: later loads keep where the user scrolled.
    const today = new Date(new Date().setHours(0, 0, 0, 0));
    const holdsToday = today >= gantt.config.start_date && today <= gantt.config.end_date;
    if (mine === 1 && (running || holdsToday)) gantt.showDate(today);
    const done = () => { root.dataset.loaded = String(Date.now()); };
    const steps = []; // { run, alone }: an "alone" step is a task of its own
    if (head !== d.data) {
      const rows = d.data, links = d.links.filter((l) => !early(l));
      const tasks = gantt.getDatastore("task"), linkStore = gantt.getDatastore("link");
      const quietly = (fn) => () => { silent = true; try { gantt.silent(fn); } finally { silent = false; } };
      for (let i = FIRST_ROWS; i < rows.length; i += TASK_CHUNK) steps.push({ run: quietly(() => tasks.parse(rows.slice(i, i + TASK_CHUNK))) });
      steps.push({ alone: true, run: () => { gantt.callEvent("onParse", []); gantt.render(); } });
      for (let i = 0; i < links.length; i += LINK_CHUNK) steps.push({ run: quietly(() => linkStore.parse(links.slice(i, i + LINK_CHUNK))) });
      steps.push({ alone: true, run: () => { gantt.callEvent("onParse", []); linkStore.refresh(); } });
    }
    let next = 0;
    const slice = () => {
      if (mine !== generation) return;
      const t0 = performance.now();
      do {
        steps[next++].run();
      } while (next < steps.length && !steps[next - 1].alone && !steps[next].alone && performance.now() - t0 < SLICE_MS);
      if (next < steps.length) setTimeout(slice, 0);
      else done();
    };
    // a task after the next frame runs once the bars are on screen: the mark times the first paint
    requestAnimationFrame(() => setTimeout(() => {
      if (mine !== generation) return;
      performance.mark("cf-gantt-painted");
      if (steps.length) slice();
      else done();
    }, 0));
  }

  const fixed = (t) => t.type === "project" || t.marker; // phases and markers are not dragged nor linked
  // A dropped milestone lands on the day under its diamond. Not the date dhtmlx rounds on the drop: it rounds the
  // diamond's noon to the nearest midnight, the next day as often as not; so the day is noted while it moves.
  let milestoneDay = null;
  gantt.attachEvent("onBeforeTaskDrag", (id) => {
    milestoneDay = null;
    return canEdit && !fixed(gantt.getTask(id));
  });
  gantt.attachEvent("onTaskDrag", (id, mode, task) => {
    if (milestone(task)) milestoneDay = gantt.date.day_start(new Date(task.start_date));
  });
  // a double click on a marker opens its page (the material)
  gantt.attachEvent("onTaskDblClick", (id) => {
    const t = id && gantt.isTaskExists(id) ? gantt.getTask(id) : null;
    if (t && t.marker && t.url) { window.location.href = t.url; return false; }
    return true;
  });
  gantt.attachEvent("onAfterTaskDrag", function (id) {
    const t = gantt.getTask(id);
    const start = fmt(milestone(t) && milestoneDay ? milestoneDay : t.start_date);
    const end = milestone(t) ? start : fmt(gantt.date.add(t.end_date, -1, "day"));
    const body = { version: t.version, end_date: end };
    if (t.type !== "milestone") body.start_date = start;
    api("PATCH", "/api/v1/tasks/" + id, body).then((r) => {
      if (r.ok) {
        say(T.saved.replace("%s", t.code) + " " + start + (t.type === "milestone" ? "" : " ~ " + end));
        load(); // dependants may have moved; slack and the critical path change
      } else if (r.status === 409) {
        window.alert(T.conflict);
        load();
      } else {
        say((r.data && r.data.detail) || T.failed, true);
        load();
      }
    });
  });

  const linkType = { 0: "FS", 1: "SS", 2: "FF", 3: "SF" };
  gantt.attachEvent("onBeforeLinkAdd", function (id, link) {
    if (silent) return true;
    const src = gantt.getTask(link.source), dst = gantt.getTask(link.target);
    if (fixed(src) || fixed(dst)) return false;
    api("POST", "/api/v1/campaigns/" + campaignId + "/dependencies", {
      predecessor: Number(link.source), successor: Number(link.target), type: linkType[link.type] || "FS", lag_days: 0, version: dst.version,
    }).then((r) => {
      if (r.ok) say(T.linked.replace("%s", src.code).replace("%s", dst.code));
      else if (r.status === 409 && r.data && r.data.current_version !== undefined) window.alert(T.conflict);
      else say((r.data && r.data.detail) || T.failed, true);
      load();
    });
    return false; // drawn after the server accepted it
  });
  gantt.attachEvent("onAfterLinkDelete", function (id) {
    if (silent || !canEdit) return;
    api("DELETE", "/api/v1/dependencies/" + id).then((r) => {
      if (!r.ok) say((r.data && r.data.detail) || T.failed, true);
      load();
    });
  });

  const baselineSelect = document.getElementById("gantt-baseline");
  if (baselineSelect) baselineSelect.addEventListener("change", load);
  // Community builds do not expose addTaskLayer: the overlays are drawn after each render instead. Nothing
  // here reads the layout (the heights come from the scroll state) and the baselines are drawn for the rows in
  // view only, again as the chart scrolls: a plan of 10,000 rows would otherwise add 10,000 bars per render.
  function overlay(cls, left, text) {
    const el = document.createElement("div");
    el.className = cls;
    el.style.left = left + "px";
    if (text) el.textContent = text;
    return el;
  }
  function drawOverlays() {
    const area = gantt.$task_data;
    if (!area) return;
    area.querySelectorAll(".cf-grid, .cf-band, .cf-today-line, .cf-today-label, .cf-period-label").forEach((el) => el.remove());
    const state = gantt.getState();
    const scroll = gantt.getScrollState();
    const height = Math.max(scroll.inner_height || 0, scroll.height || 0, gantt.getVisibleTaskCount() * gantt.config.row_height) + "px";
    // The day grid: one line per column of the scale (static_background draws no cells, and the Community
    // build no background image either).
    const bands = document.createDocumentFragment();
    const grid = document.createElement("div");
    grid.className = "cf-grid";
    const scale = gantt.getScale();
    for (let i = 0; i < scale.count; i++) {
      const line = overlay("cf-grid-line", scale.left[i] + scale.width[i] - 1);
      line.style.height = height;
      grid.appendChild(line);
    }
    bands.appendChild(grid);
    // Period bands (预热期/爆发期/延续期) behind the bars: one column per period, its label at the top.
    for (const p of periods) {
      if (p.end < state.min_date || p.start > state.max_date) continue;
      const from = gantt.posFromDate(p.start < state.min_date ? state.min_date : p.start);
      const to = gantt.posFromDate(gantt.date.add(p.end, 1, "day") > state.max_date ? state.max_date : gantt.date.add(p.end, 1, "day"));
      const band = overlay("cf-band cf-band-" + p.kind, from);
      band.style.width = Math.max(0, to - from) + "px";
      band.style.height = height;
      bands.appendChild(band);
    }
    // above the rows' background (white, every other row shaded), below the bars and links
    const rowsBackground = area.querySelector(":scope > .gantt_task_bg");
    if (rowsBackground) rowsBackground.after(bands);
    else area.insertBefore(bands, area.firstChild);
    // Today marker and period labels (the Community build has no marker plugin).
    const today = new Date(new Date().setHours(0, 0, 0, 0));
    let todayAt = null;
    if (today >= state.min_date && today <= state.max_date) {
      todayAt = gantt.posFromDate(today);
      const line = overlay("cf-today-line", todayAt);
      line.style.height = height;
      area.appendChild(line);
      area.appendChild(overlay("cf-today-label", todayAt, T.today));
    }
    for (const p of periods) {
      if (p.start >= state.min_date && p.start <= state.max_date) {
        const at = gantt.posFromDate(p.start);
        const label = overlay("cf-period-label cf-period-" + p.kind, at, p.label);
        // a label the Today marker would cover (today within its first ~8em) drops below the marker's label
        if (todayAt !== null && todayAt >= at - 48 && todayAt <= at + 128) label.classList.add("cf-below-today");
        area.appendChild(label);
      }
    }
    drawRowMarks();
  }
  // The rows on screen (their indexes), widened by `margin` rows each way.
  function rowsInView(margin) {
    const s = gantt.getScrollState(), rowHeight = gantt.config.row_height;
    // (getScrollState: inner_height is the height on screen, height all the rows')
    return {
      first: Math.max(0, Math.floor(s.y / rowHeight) - margin),
      last: Math.min(gantt.getVisibleTaskCount() - 1, Math.ceil((s.y + (s.inner_height || 600)) / rowHeight) + margin),
    };
  }
  let drawn = null; // the rows whose baselines and milestone windows are on screen, so that a scroll within them draws nothing
  function drawRowMarks() {
    const area = gantt.$task_data;
    if (!area) return;
    area.querySelectorAll(".cf-baseline, .cf-milestone-window").forEach((el) => el.remove());
    drawn = null;
    if (!hasRowMarks) return;
    const rows = rowsInView(20);
    const bars = document.createDocumentFragment();
    for (let i = rows.first; i <= rows.last; i++) {
      const task = gantt.getTaskByIndex(i);
      const el = task && baselineLayer(task);
      if (el) bars.appendChild(el);
      const span = task && windowLayer(task);
      if (span) bars.appendChild(span);
    }
    area.appendChild(bars);
    drawn = rows;
  }
  let marksFrame = 0;
  gantt.attachEvent("onGanttScroll", (left, top, newLeft, newTop) => {
    if (!hasRowMarks || top === newTop || marksFrame) return;
    marksFrame = requestAnimationFrame(() => {
      marksFrame = 0;
      const shown = rowsInView(0);
      if (!drawn || shown.first < drawn.first || shown.last > drawn.last) drawRowMarks();
    });
  });
  gantt.attachEvent("onDataRender", drawOverlays);
  gantt.init("gantt-chart");
  load();
})();
