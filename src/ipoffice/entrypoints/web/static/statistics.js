// The statistics page: draws each chart with Plotly (served from the installed package at
// /statistics/plotly.min.js) from the JSON of /api/v1/indicators named by the chart's data-src.
"use strict";

async function drawChart(element) {
  if (typeof Plotly === "undefined") return;
  const response = await fetch(element.dataset.src, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const body = await response.json();
  const by = element.dataset.by;
  const names = element.dataset.names.split("|");
  const rows = body.rows.filter((row) => row[by] !== null);
  // a chart of counts leaves out its ratios and days (they are in the table); a chart of days only draws them
  const onlyDays = body.measures.every((m) => m.includes("pendency"));
  const traces = body.measures
    .filter((m) => onlyDays || !(m.endsWith("_rate") || m.includes("pendency")))
    .map((measure) => ({
      x: rows.map((row) => String(row[by])),
      y: rows.map((row) => row[measure]),
      name: names[body.measures.indexOf(measure)],
      type: element.dataset.kind === "lines" ? "scatter" : "bar",
      mode: "lines+markers",
    }));
  Plotly.newPlot(element, traces, {
    margin: { t: 10, r: 10, b: 60, l: 60 },
    barmode: "group",
    xaxis: { type: "category" },
    legend: { orientation: "h" },
  }, { displaylogo: false, responsive: true });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".statistics-chart .chart[data-src]").forEach((element) => drawChart(element));
});
