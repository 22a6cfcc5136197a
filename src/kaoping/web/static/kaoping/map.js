// The county map: Henan's counties (GeoJSON built from an npm package, served by this site)
// coloured by score or by tier; regions are matched by their GB/T 2260 code (adcode) and named
// in the page's language.  The colours are the legend's (site.css), so map and legend agree.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var labels = document.getElementById("map-labels").dataset;
  if (!window.echarts) { return; }
  var legend = document.getElementById("map-legend");
  function colour(selector, fallback) {
    var swatch = legend.querySelector(selector);
    return swatch ? window.getComputedStyle(swatch).backgroundColor : fallback;
  }
  var none = colour('.swatch.none', "#e4e7eb");
  var ramp = [colour(".ramp-low", "#fff5f5"), colour(".ramp-high", "#c92a2a")];
  var chart = window.echarts.init(document.getElementById("map"));
  var byCode = {};
  data.units.forEach(function (u) { byCode[u.code] = u; });
  fetch(labels.geo).then(function (r) { return r.json(); }).then(function (geo) {
    var names = {};  // adcode -> the name to show (the unit's, else the geometry's)
    geo.features.forEach(function (f) {
      var code = f.properties.adcode;
      names[code] = byCode[code] ? byCode[code].name : (data.names[code] || f.properties.name);
    });
    window.echarts.registerMap("henan", geo);
    var byTier = data.by === "tier";
    var option = {
      tooltip: { trigger: "item", renderMode: "richText", formatter: function (p) {
        var u = byCode[p.name];
        if (!u) { return (names[p.name] || p.name) + "\n" + labels.missing; }
        var lines = [u.name + " " + u.code, labels.rank + " " + (u.rank === null ? "—" : u.rank)];
        if (u.score !== null) { lines.push(labels.score + " " + u.score.toFixed(2)); }
        if (u.tier) { lines.push(labels.tier + " " + u.tier); }
        return lines.join("\n");
      } },
      series: [{
        type: "map", map: "henan", nameProperty: "adcode", roam: false,
        itemStyle: { areaColor: none, borderColor: "#fff", borderWidth: 0.5 },
        label: { show: false, formatter: function (p) { return names[p.name] || p.name; } },
        emphasis: { label: { show: true, formatter: function (p) { return names[p.name] || p.name; } } },
        select: { disabled: true },
        data: data.units.map(function (u) {
          var item = { name: u.code, value: u.score };
          if (byTier) {  // one colour a tier, in the methodology's order: the legend's
            var swatch = u.tier_index === null ? '.swatch.none' : '.swatch[data-tier="' + u.tier_index + '"]';
            item.itemStyle = { areaColor: colour(swatch, none) };
          }
          return item;
        })
      }]
    };
    if (!byTier && data.min !== null) {  // the legend above the map shows the scale
      option.visualMap = { type: "continuous", show: false, min: data.min, max: data.max,
                           inRange: { color: ramp } };
    }
    chart.setOption(option);
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
