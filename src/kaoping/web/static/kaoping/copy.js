// Copy buttons: <button class="copy" data-copy="ID"> copies the value of the field ID.  The
// button stays hidden without a clipboard (the field can still be selected and copied).
(function () {
  "use strict";
  document.querySelectorAll("button.copy").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.done;
      });
    });
  });
  document.querySelectorAll("input.hash").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
