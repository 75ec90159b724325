// Draws each dashboard chart from its own data table (the numbers are in the page once), a
// bar per row linking to the row's list; a grid (rows x columns) as a heatmap or stacked bars,
// each cell linking to its own list. The table is hidden behind a toggle once the chart is
// drawn. Without JavaScript (or ECharts) the tables stay as they are.
(function () {
  "use strict";

  // Drawn on the canvas, not as HTML: the HTML tooltip styles its markers inline (refused by
  // the CSP) and would take the labels typed by users as markup.
  var TOOLTIP = { trigger: "item", renderMode: "richText" };

  function referenceOf(tr) {
    var cell = tr.querySelector("td[data-reference]");
    var text = cell ? cell.getAttribute("data-reference") : "";
    return text === "" ? null : Number(text);
  }

  // The reference's own list, where it is a count (last year's register); else null.
  function referenceUrlOf(tr) {
    var link = tr.querySelector("td[data-reference] a");
    return link ? link.getAttribute("href") : null;
  }

  function rowsOf(table) {
    return Array.prototype.map.call(table.querySelectorAll("tbody tr[data-key]"), function (tr) {
      var link = tr.querySelector("th a");
      return {
        label: link.textContent.trim(),
        url: link.getAttribute("href"),
        value: Number(tr.querySelector("td[data-value]").getAttribute("data-value")),
        reference: referenceOf(tr),
        referenceUrl: referenceUrlOf(tr),
      };
    });
  }

  // A grid's table: its columns (th[data-column]) and, per row, a cell per column.
  function gridOf(table) {
    var columns = Array.prototype.map.call(table.querySelectorAll("thead th[data-column]"),
      function (th) { return { key: th.getAttribute("data-column"), label: th.textContent.trim() }; });
    var rows = rowsOf(table);
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr[data-key]"), function (tr, i) {
      rows[i].cells = Array.prototype.map.call(tr.querySelectorAll("td[data-cell]"), function (td) {
        return { value: Number(td.getAttribute("data-cell")), url: td.querySelector("a").getAttribute("href") };
      });
    });
    return { columns: columns, rows: rows };
  }

  function yAxis(rows) {
    return {
      type: "category",
      inverse: true,
      data: rows.map(function (r) { return r.label; }),
      axisLabel: { width: 96, overflow: "truncate" },
    };
  }

  // Months (YYYY-MM) read as their number on the axis: twelve fit across a phone.
  function columnLabel(column) {
    return /^\d{4}-\d{2}$/.test(column.key) ? String(Number(column.key.slice(5))) : column.label;
  }

  function heatmap(chart, grid) {
    var data = [];
    var top = 1;
    grid.rows.forEach(function (row, y) {
      row.cells.forEach(function (cell, x) {
        data.push([x, y, cell.value]);
        top = Math.max(top, cell.value);
      });
    });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: function (p) {
          return grid.rows[p.value[1]].label + " · " + grid.columns[p.value[0]].label + ": " + p.value[2];
        },
      },
      xAxis: { type: "category", position: "top", data: grid.columns.map(columnLabel), splitArea: { show: true }, axisLabel: { interval: 0 } },
      yAxis: yAxis(grid.rows),
      visualMap: { show: false, min: 0, max: top, inRange: { color: ["#f4f6fb", "#3a5bbf"] } },
      series: [{ type: "heatmap", data: data, label: { show: true }, cursor: "pointer" }],
    });
    chart.on("click", function (params) {
      var cell = grid.rows[params.value[1]].cells[params.value[0]];
      if (cell) window.location.assign(cell.url);
    });
  }

  function stacked(chart, grid) {
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
      tooltip: TOOLTIP,
      xAxis: { type: "value", minInterval: 1 },
      yAxis: yAxis(grid.rows),
      series: grid.columns.map(function (column, i) {
        return {
          type: "bar",
          stack: "all",
          name: column.label,
          data: grid.rows.map(function (r) { return r.cells[i].value; }),
          label: { show: true, formatter: function (p) { return p.value ? String(p.value) : ""; } },
          cursor: "pointer",
        };
      }),
    });
    chart.on("click", function (params) {
      var cell = grid.rows[params.dataIndex].cells[params.seriesIndex];
      if (cell) window.location.assign(cell.url);
    });
  }

  // The count's bars; with a reference (a quota, last year's count) its bars lie behind them,
  // lighter, so each row reads as "this much of that".
  function seriesOf(figure, rows) {
    var counts = {
      type: "bar",
      name: figure.getAttribute("data-count-label") || "",
      data: rows.map(function (r) { return r.value; }),
      label: { show: true, position: "right" },
      cursor: "pointer",
      z: 3,
    };
    var referenceLabel = figure.getAttribute("data-reference-label");
    if (!referenceLabel) return [counts];
    return [{
      type: "bar",
      name: referenceLabel,
      data: rows.map(function (r) { return r.reference; }),
      barGap: "-100%",
      itemStyle: { color: "#dfe4f2" },
      cursor: rows.some(function (r) { return r.referenceUrl; }) ? "pointer" : "default",
      z: 2,
    }, counts];
  }

  function bars(chart, rows, figure) {
    var withReference = figure.hasAttribute("data-reference-label");
    chart.setOption({
      animation: false,
      legend: withReference ? { top: 0 } : { show: false },
      grid: { left: 8, right: 32, top: withReference ? 28 : 8, bottom: 8, containLabel: true },
      tooltip: TOOLTIP,
      xAxis: { type: "value", minInterval: 1 },
      yAxis: yAxis(rows),
      series: seriesOf(figure, rows),
    });
    // The count's bar opens its list; the reference's opens its own list, if it is a count
    // (a quota or an average is not one: nothing to open).
    var referenceSeries = withReference ? 0 : -1;
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      var url = row && (params.seriesIndex === referenceSeries ? row.referenceUrl : row.url);
      if (url) window.location.assign(url);
    });
  }

  function draw(figure) {
    var table = figure.querySelector(".dash-table");
    var canvas = figure.querySelector(".dash-canvas");
    var toggle = figure.querySelector(".dash-toggle");
    var kind = figure.getAttribute("data-draw");
    var grid = kind === "heatmap" || kind === "stack" ? gridOf(table) : null;
    var rows = grid ? grid.rows : rowsOf(table);
    if (!rows.length) return null;
    canvas.hidden = false;
    // Horizontal bands, one per row: long Chinese names read on a phone.
    var legend = grid || figure.hasAttribute("data-reference-label");
    canvas.style.height = Math.max(160, rows.length * 26 + (legend ? 64 : 40)) + "px";
    var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
    if (kind === "heatmap") heatmap(chart, grid);
    else if (kind === "stack") stacked(chart, grid);
    else bars(chart, rows, figure);
    // A chart with a rule's minimum keeps its table open: the table says in words which
    // rows fall short, the chart alone would not.
    var open = figure.hasAttribute("data-minimum");
    table.hidden = !open;
    toggle.hidden = false;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.addEventListener("click", function () {
      table.hidden = !table.hidden;
      toggle.setAttribute("aria-expanded", String(!table.hidden));
    });
    return chart;
  }

  function start() {
    if (!window.echarts) return;
    var charts = Array.prototype.map.call(document.querySelectorAll("figure[data-chart]"), draw)
      .filter(Boolean);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
