// The observation's charts (观摩评比): per group, each county's total points (an event's
// results) or its composite (the year's), as horizontal bars, best first.  Data come from the
// page's JSON block (no inline script); ECharts is served locally.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var node = document.getElementById("obs-charts");
  if (!node) { return; }
  var charts = JSON.parse(node.textContent);
  var label = document.getElementById("obs-labels").dataset.total;
  var made = [];
  charts.forEach(function (c) {
    var box = document.getElementById(c.id);
    if (!box) { return; }
    box.style.height = Math.max(160, 38 * c.names.length + 50) + "px";
    var chart = window.echarts.init(box);
    made.push(chart);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value", name: label, nameLocation: "middle", nameGap: 22, scale: true,
               min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10 - 10); },
               max: function (v) { return Math.min(100, Math.ceil(v.max / 5) * 5 + 5); },
               interval: 5 },
      yAxis: { type: "category", inverse: true, data: c.names, axisTick: { show: false } },
      series: [{ type: "bar", name: label, data: c.totals, barMaxWidth: 22,
                 itemStyle: { color: "#8b1a1a" },
                 label: { show: true, position: "right", formatter: function (p) { return Number(p.value).toFixed(2); } } }]
    });
  });
  window.addEventListener("resize", function () { made.forEach(function (c) { c.resize(); }); });
})();
