// A chain's panorama (产业链全景图): its nodes in three columns (上游 | 中游 | 下游), a child
// indented under its parent, coloured and shaped by strength, sized by output (square root,
// with a visible minimum, a gap drawn larger); parent → child links solid, supply relations
// dashed with arrows.  The legend is the page's (it serves the table too).
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
  // coordinates in pixels, the series box as large as the nodes' span: the view's scale is 1
  // on both axes (a stretched view draws circles as ellipses)
  var left = narrow ? 20 : 36, top = 64, labelRoom = narrow ? 100 : 150;
  var indent = narrow ? 14 : 28, rowHeight = narrow ? 44 : 52;
  var columnWidth = Math.max(90, (box.clientWidth - left - labelRoom) / 2);
  var rows = [0, 0, 0];
  var biggest = Math.max.apply(null, data.nodes.map(function (n) { return n.output; }).concat([1]));
  var nodes = data.nodes.map(function (n) {
    var y = rows[n.column]++;
    // a gap has no output to show: it is drawn as large as a middling node, to be seen
    var small = narrow ? 10 : 16, range = narrow ? 16 : 28;
    var size = n.strength === 2 ? small + range / 2 : small + range * Math.sqrt(Math.max(n.output, 0) / biggest);
    return {
      id: n.code, name: n.name, category: n.strength, symbol: symbols[n.strength],
      symbolSize: size, x: n.column * columnWidth + n.depth * indent, y: y * rowHeight,
      url: n.url, info: n,
      itemStyle: { color: colours[n.strength], borderColor: "#1f2933", borderWidth: n.strength === 0 ? 0 : 1.5,
                   borderType: n.strength === 2 ? "dashed" : "solid" },
      label: { show: true, position: "right", fontSize: narrow ? 10 : 12,
               width: (n.column === 2 ? labelRoom : columnWidth) - size / 2 - 12 - n.depth * indent,
               overflow: "truncate" }
    };
  });
  var links = data.tree.map(function (l) {
    return { source: l[0], target: l[1], kind: "tree", lineStyle: { type: "solid", width: 1.5, color: "#7b8794", curveness: 0 } };
  }).concat(data.supply.map(function (l) {
    return { source: l[0], target: l[1], kind: "supply", symbol: ["none", "arrow"], symbolSize: 8,
             lineStyle: { type: "dashed", width: 1.2, color: "#3e4c59", curveness: 0.12 } };
  }));
  var spanX = Math.max.apply(null, nodes.map(function (n) { return n.x; }).concat([1]));
  var spanY = Math.max.apply(null, nodes.map(function (n) { return n.y; }).concat([1]));
  box.style.height = Math.max(top + spanY + 40, 260) + "px";
  var chart = window.echarts.init(box);
  function fmt(n) { return Math.round(n).toLocaleString(); }
  chart.setOption({
    animation: false,
    title: labels.positions.map(function (p, i) {
      return { text: p, left: left - 12 + i * columnWidth, top: top - 56, textStyle: { fontSize: narrow ? 11 : 14, color: "#52606d" } };
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
      type: "graph", layout: "none", roam: false, left: left, top: top, width: spanX, height: spanY,
      categories: labels.strengths.map(function (name, i) { return { name: name, symbol: symbols[i], itemStyle: { color: colours[i] } }; }),
      data: nodes, links: links, edgeSymbol: ["none", "none"], emphasis: { focus: "adjacency" }
    }]
  });
  chart.on("click", function (p) { if (p.dataType === "node" && p.data.url) { window.location.href = p.data.url; } });
  window.addEventListener("resize", function () { chart.resize(); });
}());
