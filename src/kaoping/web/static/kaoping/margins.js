// The profile's "what it takes": the link opens the margins page; with scripts, its section is
// loaded into the profile instead (?part=1), with a note while the engine computes it.
(function () {
  "use strict";
  var link = document.getElementById("margins-link");
  var slot = document.getElementById("margins-slot");
  if (!link || !slot || !window.fetch) { return; }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    var href = link.getAttribute("href");
    var url = href + (href.indexOf("?") < 0 ? "?" : "&") + "part=1";
    slot.textContent = link.dataset.busy;
    link.hidden = true;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      slot.replaceChildren.apply(slot, Array.prototype.slice.call(doc.body.childNodes));
      var heading = slot.querySelector("h2");
      if (heading) { heading.remove(); }  // the section's own heading is the profile's
    }).catch(function () {
      window.location.href = href;  // the page itself, without the script
    });
  });
})();
