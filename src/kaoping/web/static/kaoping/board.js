// The key projects' charts (重点项目月调度): a month's annual plan against investment by county,
// the counties' ranking in one measure, a project's months against 序时进度, and the map of the
// projects coloured by warning.  Data come from the page's JSON blocks (no inline script);
// the geometry is the site's own (built from an npm package), never fetched from elsewhere.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function labelsOf(id) { return document.getElementById(id).dataset; }
  function init(id) {
    var chart = window.echarts.init(document.getElementById(id));
    charts.push(chart);
    return chart;
  }
  function narrow() { return window.innerWidth < 640; }
  // a category axis of counties: names slanted on a phone, the axis's name below them
  function countyAxis(name, names) {
    var slant = names.length > 4 && narrow();
    return { type: "category", name: name, nameLocation: "middle", nameGap: slant ? 58 : 30,
             data: names, axisLabel: { interval: 0, rotate: slant ? 45 : 0 } };
  }
  // the legend wraps on a phone: the plot starts below its two lines
  function legendOf(names) { return { top: 0, data: names }; }
  var grid = { left: 8, right: 16, top: narrow() ? 80 : 56, bottom: 28, containLabel: true };
  var money = function (v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString(); };

  var board = read("board-data");
  if (board) {
    var bl = labelsOf("board-labels");
    init("board-chart").setOption({
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return money(v) + " " + bl.unit; } },
      legend: legendOf([bl.plan, bl.ytd]), grid: grid,
      xAxis: countyAxis(bl.county, board.counties),
      yAxis: { type: "value", name: bl.unit, nameTextStyle: { align: "left" } },
      series: [
        { type: "bar", name: bl.plan, data: board.plan, itemStyle: { color: "#9fb3c8" } },
        { type: "bar", name: bl.ytd, data: board.ytd, itemStyle: { color: "#8b1a1a" } }
      ]
    });
  }

  var ranking = read("ranking-data");
  if (ranking) {
    var rl = labelsOf("ranking-labels");
    var swatch = function (tier) {  // the legend's colours (site.css), so chart and legend agree
      var node = document.querySelector('#tier-legend .swatch[data-tier="' + tier + '"]');
      return node ? window.getComputedStyle(node).backgroundColor : "#9fb3c8";
    };
    init("ranking-chart").setOption({
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v === null ? "—" : v.toFixed(1) + " %"; } },
      legend: legendOf([rl.measure]), grid: grid,
      xAxis: countyAxis(rl.county, ranking.counties),
      yAxis: { type: "value", name: rl.measure + " (" + rl.unit + ")", nameTextStyle: { align: "left" } },
      series: [{
        type: "bar", name: rl.measure, itemStyle: { color: "#8b1a1a" },
        data: ranking.values.map(function (v, i) {
          var t = ranking.tiers[i];
          return { value: v, itemStyle: { color: swatch(t >= 0 ? t : "none") } };
        })
      }]
    });
  }

  var project = read("project-data");
  if (project) {
    var pl = labelsOf("project-labels");
    init("project-chart").setOption({
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return money(v) + " " + pl.unit; } },
      legend: legendOf([pl.invested, pl.ytd, pl.planned]), grid: grid,
      xAxis: { type: "category", name: pl.month, nameLocation: "middle", nameGap: 30, data: project.months },
      yAxis: { type: "value", name: pl.unit, nameTextStyle: { align: "left" } },
      series: [
        { type: "bar", name: pl.invested, data: project.invested, itemStyle: { color: "#9fb3c8" } },
        { type: "line", name: pl.ytd, data: project.ytd, showSymbol: true, symbolSize: 7, itemStyle: { color: "#8b1a1a" } },
        { type: "line", name: pl.planned, data: project.planned, showSymbol: false, lineStyle: { type: "dashed" }, itemStyle: { color: "#52606d" } }
      ]
    });
  }

  var map = read("dispatch-map-data");
  if (map) {
    var ml = labelsOf("dispatch-map-labels");
    var chart = init("dispatch-map");
    var palette = {};
    map.colours.forEach(function (c) {
      var swatch = document.querySelector(".swatch.warn-" + c);
      palette[c] = swatch ? window.getComputedStyle(swatch).backgroundColor : "#868e96";
    });
    var tooltip = { trigger: "item", renderMode: "richText", formatter: function (p) {
      var d = p.data && p.data.project;
      if (!d) { return p.name; }
      var lines = [d.name + " " + d.code, d.county, d.colour_label + " · " + ml.status + " " + d.status];
      if (d.reason) { lines.push(d.reason); }
      return lines.join("\n");
    } };
    var series = function (coords) {
      return map.colours.map(function (c) {
        return {
          type: "scatter", name: map.labels[c], coordinateSystem: coords, symbolSize: 11,
          itemStyle: { color: palette[c], borderColor: "#fff", borderWidth: 1 },
          data: map.points.filter(function (p) { return p.colour === c; })
                          .map(function (p) { return { name: p.name, value: [p.lon, p.lat], project: p }; })
        };
      });
    };
    var legend = legendOf(map.colours.map(function (c) { return map.labels[c]; }));
    var plain = function () {  // no geometry on this site: the points on longitude and latitude
      chart.setOption({
        tooltip: tooltip, legend: legend,
        grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "value", name: ml.longitude, scale: true },
        yAxis: { type: "value", name: ml.latitude, scale: true },
        series: series("cartesian2d")
      });
    };
    fetch(ml.geo).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); }).then(function (geo) {
      // the counties of the projects' cities (the first four digits of their codes)
      var features = geo.features.filter(function (f) {
        return map.prefixes.indexOf(String(f.properties.adcode).slice(0, 4)) >= 0;
      });
      if (!features.length) { plain(); return; }
      window.echarts.registerMap("dispatch", { type: "FeatureCollection", features: features });
      chart.setOption({
        tooltip: tooltip, legend: legend,
        geo: { map: "dispatch", roam: true, top: 40, bottom: 8,
               itemStyle: { areaColor: "#f5f7fa", borderColor: "#9fb3c8" },
               label: { show: true, color: "#52606d", fontSize: 11 },
               emphasis: { disabled: true }, select: { disabled: true } },
        series: series("geo")
      });
    }).catch(plain);
    chart.on("click", function (p) {
      if (p.data && p.data.project && p.data.project.url) { window.location.href = p.data.project.url; }
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
