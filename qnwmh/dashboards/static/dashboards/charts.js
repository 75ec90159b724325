// Draws each dashboard chart from its own data table (the numbers are in the page once), a
// bar per row linking to the row's list; the table is hidden behind a toggle once the chart
// is drawn. Without JavaScript (or ECharts) the tables stay as they are.
(function () {
  "use strict";

  function referenceOf(tr) {
    var cell = tr.querySelector("td[data-reference]");
    var text = cell ? cell.getAttribute("data-reference") : "";
    return text === "" ? null : Number(text);
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
      cursor: "pointer",
      z: 2,
    }, counts];
  }

  function rowsOf(table) {
    return Array.prototype.map.call(table.querySelectorAll("tbody tr[data-key]"), function (tr) {
      var link = tr.querySelector("th a");
      return {
        label: link.textContent.trim(),
        url: link.getAttribute("href"),
        value: Number(tr.querySelector("td[data-value]").getAttribute("data-value")),
        reference: referenceOf(tr),
      };
    });
  }

  function draw(figure) {
    var table = figure.querySelector(".dash-table");
    var canvas = figure.querySelector(".dash-canvas");
    var toggle = figure.querySelector(".dash-toggle");
    var rows = rowsOf(table);
    if (!rows.length) return null;
    canvas.hidden = false;
    // Horizontal bars: long Chinese names read on a phone; one band per row.
    canvas.style.height = Math.max(160, rows.length * 26 + 60) + "px";
    var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: {
        left: 8, right: 32, bottom: 8, containLabel: true,
        top: figure.hasAttribute("data-reference-label") ? 28 : 8,
      },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map(function (r) { return r.label; }),
        axisLabel: { width: 110, overflow: "truncate" },
      },
      legend: figure.hasAttribute("data-reference-label") ? { top: 0 } : { show: false },
      series: seriesOf(figure, rows),
    });
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      if (row) window.location.assign(row.url);
    });
    table.hidden = true;
    toggle.hidden = false;
    toggle.setAttribute("aria-expanded", "false");
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
