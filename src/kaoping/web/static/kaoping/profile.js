// The county profile's charts: a radar of dimension scores against the category average, and
// the score across the periods.  Data come from the page's JSON block (no inline script).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("profile-data").textContent);
  var labels = document.getElementById("profile-labels").dataset;
  if (!window.echarts) { return; }
  var radar = window.echarts.init(document.getElementById("radar"));
  radar.setOption({
    tooltip: { renderMode: "richText" },
    legend: { bottom: 0, data: [labels.unit, labels.average] },
    radar: { indicator: data.dimensions.map(function (name) { return { name: name, max: data.max || 100 }; }) },
    series: [{
      type: "radar",
      data: [
        { name: labels.unit, value: data.unit },
        { name: labels.average, value: data.average, lineStyle: { type: "dashed" } }
      ]
    }]
  });
  var trend = window.echarts.init(document.getElementById("trend"));
  trend.setOption({
    tooltip: { trigger: "axis", renderMode: "richText" },
    xAxis: { type: "category", data: data.trend.map(function (p) { return p.period; }) },
    yAxis: { type: "value", name: labels.score },
    series: [{
      type: "line", name: labels.score, showSymbol: true, symbolSize: 8,
      data: data.trend.map(function (p) { return p.score; })
    }]
  });
  window.addEventListener("resize", function () { radar.resize(); trend.resize(); });
})();
