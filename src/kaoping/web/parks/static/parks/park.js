// The parks' charts: the league's parks by star level (the province and the city), and a
// park's rank in the province and star level over the years.  Data come from the page's JSON
// blocks (no inline script); ECharts is served by the site itself.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function narrow() { return window.innerWidth < 640; }

  var stars = read("stars-data");
  if (stars) {
    var sl = document.getElementById("stars-labels").dataset;
    var chart = window.echarts.init(document.getElementById("stars-chart"));
    charts.push(chart);
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, data: [sl.all, sl.city] },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: stars.levels, axisLabel: { interval: 0, rotate: narrow() ? 30 : 0 } },
      yAxis: { type: "value", name: sl.parks, minInterval: 1 },
      series: [
        { type: "bar", name: sl.all, data: stars.all, itemStyle: { color: "#9fb3c8" }, label: { show: true, position: "top" } },
        { type: "bar", name: sl.city, data: stars.city, itemStyle: { color: "#8b1a1a" }, label: { show: true, position: "top" } }
      ]
    });
  }

  var park = read("park-data");
  if (park) {
    var pl = document.getElementById("park-labels").dataset;
    var history = window.echarts.init(document.getElementById("park-chart"));
    charts.push(history);
    history.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, data: [pl.rank, pl.star] },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: park.years.map(String) },
      yAxis: [
        { type: "value", name: pl.rank, inverse: true, min: 1, minInterval: 1, nameLocation: "start", nameTextStyle: { align: "left" } },
        { type: "value", name: pl.star, min: 0, max: 5, interval: 1, position: "right",
          axisLabel: { formatter: function (v) { return park.names[v] || v; } }, splitLine: { show: false } }
      ],
      series: [
        { type: "line", name: pl.rank, data: park.rank, yAxisIndex: 0, symbolSize: 8, itemStyle: { color: "#1971c2" }, label: { show: true, position: "top" } },
        { type: "line", name: pl.star, data: park.star, yAxisIndex: 1, step: "middle", symbolSize: 6, itemStyle: { color: "#d4a017" }, lineStyle: { width: 3 } }
      ]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
