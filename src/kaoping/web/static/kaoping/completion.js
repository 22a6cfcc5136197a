// The completion rate (完成率) beside a figure of the county's form, updated as it is typed.
// <input data-target="6.5" data-direction="1" data-completion="ID"> writes into the element ID
// the engine's rate (kaoping.scoring.rules.completion, before its floor and cap): figure /
// target for a positive indicator (direction 1), target / figure for a negative one (-1; ∞ for
// a figure of 0, none for a negative figure), with one decimal as a percentage ("112.5%"), as
// the page first shows it (kaoping.web.official.targets.percent); "—" where there is none.
// The figure is read as the engine reads a cell (kaoping.data.parse_number): full-width digits,
// a thousands separator 1,234.5; a percent sign or other text is not a number.
(function () {
  "use strict";
  var PLAIN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
  var GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

  function parse(text) {
    var t = (text || "").normalize("NFKC").replace(/\u2212/g, "-").trim();
    if (PLAIN.test(t)) { return Number(t); }
    if (GROUPED.test(t)) { return Number(t.replace(/,/g, "")); }
    return NaN;
  }

  function rate(x, target, direction) {
    if (!isFinite(x) || !isFinite(target) || !(target > 0)) { return NaN; }
    if (direction > 0) { return x / target; }
    if (x < 0) { return NaN; }
    return x === 0 ? Infinity : target / x;
  }

  function percent(r) {
    if (isNaN(r)) { return "—"; }
    if (!isFinite(r)) { return r > 0 ? "∞" : "-∞"; }
    return (r * 100).toFixed(1) + "%";
  }

  document.querySelectorAll("input[data-completion]").forEach(function (input) {
    var out = document.getElementById(input.dataset.completion);
    if (!out) { return; }
    var target = Number(input.dataset.target);
    var direction = Number(input.dataset.direction);
    function update() { out.textContent = percent(rate(parse(input.value), target, direction)); }
    input.addEventListener("input", update);
    update();
  });
})();
