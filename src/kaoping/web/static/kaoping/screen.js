// The leaders' screen (大屏): the views take turns every data-seconds; a click or a key pauses
// and resumes, ← → (or a view's tab) show another view and pause.  With prefers-reduced-motion
// the views change without fading and the map does not animate.  The map: Henan's counties
// (the site's GeoJSON) filled with their tier's colour -- the legend's swatches (screen.css),
// so map and legend agree -- and the city's units outlined and named.
(function () {
  "use strict";
  var stage = document.getElementById("stage");
  var views = Array.prototype.slice.call(document.querySelectorAll(".view"));
  var tabs = Array.prototype.slice.call(document.querySelectorAll(".tab"));
  var running = document.getElementById("screen-running");
  var pausedNote = document.getElementById("screen-paused");
  var seconds = parseInt(stage.dataset.seconds, 10) || 20;
  var reduce = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  var current = 0;
  var paused = false;
  var timer = null;
  var chart = null;
  stage.style.setProperty("--seconds", seconds + "s");

  function restartTimer() {
    tabs.forEach(function (tab) {
      var bar = tab.querySelector(".timer");
      if (!bar) { return; }
      bar.classList.remove("run");
      if (tab.classList.contains("current") && !paused) {
        void bar.offsetWidth;  // restart the animation from the start
        bar.classList.add("run");
      }
    });
  }

  function show(index) {
    current = (index + views.length) % views.length;
    views.forEach(function (view, i) {
      view.classList.toggle("current", i === current);
      view.setAttribute("aria-hidden", i === current ? "false" : "true");
    });
    tabs.forEach(function (tab) {
      var on = parseInt(tab.dataset.view, 10) === current;
      tab.classList.toggle("current", on);
      if (on) { tab.setAttribute("aria-current", "true"); } else { tab.removeAttribute("aria-current"); }
    });
    stage.dataset.view = String(current);
    if (current === 0 && chart) { chart.resize(); }
    schedule();
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    if (!paused && views.length > 1) {
      timer = window.setTimeout(function () { show(current + 1); }, seconds * 1000);
    }
    restartTimer();
  }

  function pause(on) {
    paused = on;
    stage.classList.toggle("paused", on);
    running.hidden = on;
    pausedNote.hidden = !on;
    schedule();
  }

  tabs.forEach(function (tab) {
    tab.addEventListener("click", function (event) {
      event.stopPropagation();
      show(parseInt(tab.dataset.view, 10));
      pause(true);
    });
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("a, button, input, select, textarea, form")) { return; }
    pause(!paused);
  });
  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    if (["Shift", "Control", "Alt", "Meta", "Tab", "CapsLock"].indexOf(key) >= 0) { return; }
    if (/^F[0-9]+$/.test(key)) { return; }  // F11 (full screen) and the like: the browser's
    var focused = event.target.closest && event.target.closest("a, button, input, select, textarea");
    if (focused && (key === "Enter" || key === " ")) { return; }  // the control's own action
    if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown") {
      show(current + 1); pause(true);
    } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp") {
      show(current - 1); pause(true);
    } else {
      pause(!paused);
    }
    event.preventDefault();
  });

  // -- the map ------------------------------------------------------------------------------
  var element = document.getElementById("screen-map-chart");
  var data = JSON.parse(document.getElementById("screen-map-data").textContent);
  var labels = document.getElementById("screen-labels").dataset;
  var legend = document.getElementById("screen-legend");
  if (window.echarts && element) {
    var style = function (selector, property, fallback) {
      var swatch = legend.querySelector(selector);
      return swatch ? window.getComputedStyle(swatch)[property] : fallback;
    };
    var none = style(".swatch.none", "backgroundColor", "#34445c");
    var outline = style(".swatch.city", "borderTopColor", "#22d3ee");
    var background = window.getComputedStyle(document.body).backgroundColor;
    var byCode = {};
    data.units.forEach(function (u) { byCode[u.code] = u; });
    var mine = function (code) { return String(code).indexOf(data.city) === 0; };
    var names = {};
    chart = window.echarts.init(element);
    var draw = function () {
      var rem = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 28;
      // Henan is a little narrower than high (0.95 at the map's aspect): as high as the box
      // allows, or as wide
      var size = Math.max(0, 0.97 * Math.min(element.clientHeight, element.clientWidth / 0.95));
      var items = [];
      Object.keys(names).forEach(function (code) {
        var u = byCode[code];
        var item = { name: code };
        if (u) {
          // ranked in no tier (vetoed), or the tier's colour
          var swatch = u.tier_index === null ? ".swatch.untiered" : '.swatch[data-tier="' + u.tier_index + '"]';
          item.itemStyle = { areaColor: style(swatch, "backgroundColor", none) };
        }
        if (mine(code)) {
          item.itemStyle = item.itemStyle || {};
          item.itemStyle.borderColor = outline;
          item.itemStyle.borderWidth = Math.max(2, 0.13 * rem);
          item.label = { show: true };
        }
        if (u || mine(code)) { items.push(item); }
      });
      chart.setOption({
        animation: !reduce,
        series: [{
          type: "map", map: "henan-screen", nameProperty: "adcode", roam: false, silent: true,
          selectedMode: false, layoutCenter: ["50%", "50%"], layoutSize: size,
          itemStyle: { areaColor: none, borderColor: background, borderWidth: Math.max(0.6, 0.03 * rem) },
          label: {
            show: false, color: "#ffffff", fontSize: Math.round(0.6 * rem), fontWeight: "bold",
            textBorderColor: background, textBorderWidth: Math.max(2, 0.1 * rem),
            formatter: function (p) { return names[p.name] || p.name; }
          },
          labelLayout: { hideOverlap: true },
          emphasis: { disabled: true },
          data: items
        }]
      }, true);
    };
    fetch(labels.geo).then(function (r) { return r.json(); }).then(function (geo) {
      geo.features.forEach(function (f) {
        var code = f.properties.adcode;
        names[code] = byCode[code] ? byCode[code].name : (data.names[code] || f.properties.name);
      });
      // the city's units drawn last: their outline lies over their neighbours' borders
      geo.features.sort(function (a, b) {
        return (mine(a.properties.adcode) ? 1 : 0) - (mine(b.properties.adcode) ? 1 : 0);
      });
      window.echarts.registerMap("henan-screen", geo);
      draw();
      stage.dataset.map = "drawn";
    });
    window.addEventListener("resize", function () {
      chart.resize();
      if (stage.dataset.map === "drawn") { draw(); }
    });
  }

  show(0);
})();
