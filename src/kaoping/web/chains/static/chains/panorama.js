// A chain's panorama (产业链全景图): its nodes in three columns (上游 | 中游 | 下游), a child
// indented under its parent, coloured and shaped by strength, sized by output (square root,
// with a visible minimum); parent → child links solid, supply relations dashed with arrows.
// Data come from the page's JSON blocks (no inline script); ECharts is served by the site.
(function () {
  "use strict";
  var box = document.getElementById("panorama-chart");
  if (!window.echarts || !box) { return; }
  var data = JSON.parse(document.getElementById("panorama-data").textContent);
  var labels = JSON.parse(document.getElementById("panorama-labels").textContent);
  var colours = ["#1a7f37", "#b7791f", "#c92a2a"];  // 已有 green, 薄弱 amber, 缺失 red
  var symbols = ["circle", "triangle", "diamond"];  // and a shape each: colour is not alone
  var narrow = box.clientWidth < 640;
  var columnWidth = narrow ? 130 : 320, indent = narrow ? 14 : 28, rowHeight = narrow ? 44 : 52;
  var rows = [0, 0, 0];
  var biggest = Math.max.apply(null, data.nodes.map(function (n) { return n.output; }).concat([1]));
  var nodes = data.nodes.map(function (n) {
    var y = rows[n.column]++;
    var size = 16 + 28 * Math.sqrt(Math.max(n.output, 0) / biggest);
    return {
      id: n.code, name: n.name, category: n.strength, symbol: symbols[n.strength],
      symbolSize: size, x: n.column * columnWidth + n.depth * indent, y: y * rowHeight,
      url: n.url, info: n,
      itemStyle: { color: colours[n.strength], borderColor: "#1f2933", borderWidth: n.strength === 0 ? 0 : 1.5,
                   borderType: n.strength === 2 ? "dashed" : "solid" },
      label: { show: true, position: "right", fontSize: narrow ? 10 : 12, width: columnWidth - 40 - n.depth * indent,
               overflow: "truncate" }
    };
  });
  var links = data.tree.map(function (l) {
    return { source: l[0], target: l[1], kind: "tree", lineStyle: { type: "solid", width: 1.5, color: "#7b8794", curveness: 0 } };
  }).concat(data.supply.map(function (l) {
    return { source: l[0], target: l[1], kind: "supply", symbol: ["none", "arrow"], symbolSize: 8,
             lineStyle: { type: "dashed", width: 1.2, color: "#3e4c59", curveness: 0.2 } };
  }));
  var height = Math.max(rows[0], rows[1], rows[2]) * rowHeight + 120;
  box.style.height = Math.max(height, 260) + "px";
  var chart = window.echarts.init(box);
  function fmt(n) { return Math.round(n).toLocaleString(); }
  chart.setOption({
    animation: false,
    legend: [{ top: 0, data: labels.strengths.map(function (name, i) { return { name: name, icon: symbols[i] }; }) }],
    title: labels.positions.map(function (p, i) {
      return { text: p, left: (narrow ? 4 : 8) + i * (100 / 3) + "%", top: 28, textStyle: { fontSize: narrow ? 11 : 14, color: "#52606d" } };
    }),
    tooltip: {
      renderMode: "richText",
      formatter: function (p) {
        if (p.dataType === "edge") { return p.data.source + (p.data.kind === "supply" ? " → " + labels.supply + " → " : " ⊃ ") + p.data.target; }
        var n = p.data.info;
        return n.name + " (" + n.code + ")\n" + labels.strengths[n.strength] + "\n" + n.reason + "\n" +
          labels.enterprises + ": " + n.enterprises + " · " + labels.above + ": " + n.above + "\n" +
          labels.output + ": " + fmt(n.output) + (n.share === null ? "" : " · " + labels.share + ": " + n.share.toFixed(1) + "%");
      }
    },
    series: [{
      type: "graph", layout: "none", roam: false, top: 70, bottom: 20, left: 20, right: narrow ? 60 : 160,
      categories: labels.strengths.map(function (name, i) { return { name: name, symbol: symbols[i], itemStyle: { color: colours[i] } }; }),
      data: nodes, links: links, edgeSymbol: ["none", "none"], emphasis: { focus: "adjacency" }
    }]
  });
  chart.on("click", function (p) { if (p.dataType === "node" && p.data.url) { window.location.href = p.data.url; } });
  window.addEventListener("resize", function () { chart.resize(); });
}());
