// The county map: Henan's counties (GeoJSON built from an npm package, served by this site)
// coloured by score or by tier; regions are matched by their GB/T 2260 code (adcode).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var labels = document.getElementById("map-labels").dataset;
  if (!window.echarts) { return; }
  var chart = window.echarts.init(document.getElementById("map"));
  var palette = ["#c92a2a", "#f08c00", "#1971c2", "#868e96"];
  fetch(labels.geo).then(function (r) { return r.json(); }).then(function (geo) {
    window.echarts.registerMap("henan", geo);
    var byTier = data.by === "tier";
    var scores = data.units.map(function (u) { return u.score || 0; });
    var option = {
      tooltip: { trigger: "item", renderMode: "richText", formatter: function (p) {
        var u = p.data && p.data.unit;
        return u ? u.name + "\n#" + u.rank + "  " + (u.score === null ? "" : u.score.toFixed(2)) + "\n" + (u.tier || "")
                 : p.name + "\n" + labels.missing;
      } },
      series: [{
        type: "map", map: "henan", nameProperty: "adcode", roam: false,
        data: data.units.map(function (u) {
          var item = { name: u.code, value: u.score, unit: u };
          if (byTier) {  // one colour a tier, in the methodology's order
            item.itemStyle = { areaColor: palette[Math.min(data.tiers.indexOf(u.tier), palette.length - 1)] };
          }
          return item;
        })
      }]
    };
    if (!byTier) {
      option.visualMap = {
        type: "continuous", min: Math.min.apply(null, scores), max: Math.max.apply(null, scores),
        text: [labels.score, ""], inRange: { color: ["#fff5f5", "#c92a2a"] }, calculable: true,
        left: 0, bottom: 0
      };
    }
    chart.setOption(option);
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
