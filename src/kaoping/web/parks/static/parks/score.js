/* The judge's score sheet (观摩评比 on a phone): each value is saved as it is typed.
 *
 * - typing waits 700 ms of quiet, leaving the field (change / blur) saves at once;
 * - each field says 已保存 / 保存中 / 未保存 (Saved / Saving… / Not saved, as the page
 *   translates them);
 * - before a value is sent it is written to localStorage under
 *   "kaoping.score:<event>:<judge>:<unit>:<criterion>"; a save that fails on the way (no
 *   network, a 5xx, signed out) stays there and is sent again when the browser comes back
 *   online, every few seconds, and when a page of the event is loaded; a value the server
 *   refuses (400, 403) is not retried: its message shows under the field;
 * - Django's CSRF token is read from the page's form.
 * No library, no CDN. */
(function () {
  "use strict";

  var root = document.querySelector(".judge-sheet[data-save]");
  if (!root) return;
  root.classList.add("js");

  var PREFIX = "kaoping.score:";
  var RETRY_MS = 4000;
  var QUIET_MS = 700;
  var url = root.getAttribute("data-save");
  var eventCode = root.getAttribute("data-event");
  var judge = root.getAttribute("data-judge");
  var pageUnit = root.getAttribute("data-unit");
  var token = (root.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var label = {
    saved: root.getAttribute("data-saved") || "",
    saving: root.getAttribute("data-saving") || "",
    unsaved: root.getAttribute("data-unsaved") || "",
    empty: ""
  };
  var fields = {}; // criterion id -> field state (this county's page only)
  var inFlight = {}; // storage key -> true while a save of it is on the way

  function keyOf(unit, criterion) {
    return PREFIX + eventCode + ":" + judge + ":" + unit + ":" + criterion;
  }

  var store = {
    get: function (key) {
      try {
        var raw = window.localStorage.getItem(key);
        return raw ? JSON.parse(raw) : null;
      } catch (e) {
        return null;
      }
    },
    put: function (key, item) {
      try {
        window.localStorage.setItem(key, JSON.stringify(item));
      } catch (e) { /* private mode or full: the value is still sent */ }
    },
    drop: function (key, value) {
      var item = store.get(key);
      if (item && (value === undefined || item.value === value)) {
        try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
      }
    },
    mine: function () {
      var found = [];
      var start = PREFIX + eventCode + ":" + judge + ":";
      try {
        for (var i = 0; i < window.localStorage.length; i++) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf(start) === 0) {
            var item = store.get(key);
            if (item) found.push({ key: key, item: item });
          }
        }
      } catch (e) { /* no storage */ }
      return found;
    }
  };

  function show(field, state, message) {
    field.state.setAttribute("data-state", state);
    field.state.textContent = label[state] || label.unsaved;
    if (message) {
      field.problem.textContent = message;
      field.problem.hidden = false;
      field.input.setAttribute("aria-invalid", "true");
    } else {
      field.problem.textContent = "";
      field.problem.hidden = true;
      field.input.removeAttribute("aria-invalid");
    }
  }

  function pendingNotice() {
    var notice = root.querySelector("[data-pending-notice]");
    if (!notice) return;
    var count = store.mine().length;
    notice.hidden = count === 0;
    notice.textContent = count ? root.getAttribute("data-pending") + " (" + count + ")" : "";
  }

  function progress(body) {
    var here = root.querySelector("[data-progress]");
    var text = here && here.getAttribute("data-progress");
    if (text && body.progress && pageUnit === body.progress.unit) {
      here.textContent = text.replace("%S", body.progress.scored).replace("%R", body.progress.required);
    }
  }

  /* Send one stored item; resolve to "saved", "refused" or "failed". */
  function send(key, item) {
    if (inFlight[key]) return Promise.resolve("busy");
    inFlight[key] = true;
    var field = item.unit === pageUnit ? fields[item.criterion] : null;
    if (field) show(field, "saving");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": token,
        "X-Requested-With": "fetch"
      },
      body: JSON.stringify({ unit: item.unit, criterion: item.criterion, value: item.value })
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || !json) {
        // the login page (signed out) or a proxy's page: keep it and try later
        if (field) show(field, "unsaved", root.getAttribute("data-signed-out"));
        return "failed";
      }
      if (response.status >= 500) {
        if (field) show(field, "unsaved");
        return "failed";
      }
      return response.json().then(function (body) {
        if (response.ok && body.ok) {
          store.drop(key, item.value);
          if (field && !store.get(key) && !field.timer) show(field, body.saved === null ? "empty" : "saved");
          progress(body);
          return "saved";
        }
        // refused (400 bad points, 403 closed or submitted): not retried
        store.drop(key, item.value);
        if (field) show(field, "refused", (body.problems || []).join(" "));
        return "refused";
      });
    }, function () {
      if (field) show(field, "unsaved");
      return "failed";
    }).then(function (outcome) {
      delete inFlight[key];
      pendingNotice();
      // typed again while this one was on the way: send the newer value
      var newer = store.get(key);
      if (outcome !== "failed" && newer && newer.value !== item.value) send(key, newer);
      return outcome;
    });
  }

  function retryAll() {
    store.mine().forEach(function (entry) { send(entry.key, entry.item); });
  }

  function queue(field) {
    window.clearTimeout(field.timer);
    field.timer = null;
    var input = field.input;
    if (input.validity && input.validity.badInput) {
      // the browser could not read it as a number: its value is "", which would clear the score
      show(field, "unsaved", root.getAttribute("data-not-number"));
      return;
    }
    var value = input.value.trim();
    if (value === field.sent && !store.get(field.key)) return; // nothing new
    field.sent = value;
    var item = { unit: pageUnit, criterion: field.criterion, value: value, at: Date.now() };
    store.put(field.key, item);
    pendingNotice();
    send(field.key, item);
  }

  Array.prototype.forEach.call(root.querySelectorAll("form.judge-criterion[data-criterion]"), function (form) {
    var input = form.querySelector("input[name=value]");
    if (!input || input.disabled) return;
    var criterion = form.getAttribute("data-criterion");
    var field = {
      criterion: criterion,
      key: keyOf(pageUnit, criterion),
      input: input,
      state: form.querySelector(".criterion-state"),
      problem: form.querySelector(".criterion-problem"),
      sent: input.value.trim(),
      timer: null
    };
    fields[criterion] = field;
    var kept = store.get(field.key);
    if (kept) { // typed earlier on this phone and not saved yet: it wins over the page's value
      input.value = kept.value;
      field.sent = kept.value;
      show(field, "unsaved");
    }
    input.addEventListener("input", function () {
      show(field, "unsaved");
      window.clearTimeout(field.timer);
      field.timer = window.setTimeout(function () { queue(field); }, QUIET_MS);
    });
    input.addEventListener("change", function () { queue(field); });
    input.addEventListener("blur", function () { if (field.timer) queue(field); });
    form.addEventListener("submit", function (e) { e.preventDefault(); queue(field); });
  });

  window.addEventListener("online", retryAll);
  window.setInterval(function () { if (store.mine().length) retryAll(); }, RETRY_MS);
  pendingNotice();
  retryAll();
})();
