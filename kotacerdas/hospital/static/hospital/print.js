// The counter's ticket: the "Print ticket" button opens the browser's print
// dialog. The page prints without this script (the browser's own Print); the
// button stays hidden until the script can make it work.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
