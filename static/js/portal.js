// Small enhancements; every page works without them.
(function () {
  "use strict";
  // A form marked data-once is sent once: a double click does not send it twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "yes";
    form.setAttribute("aria-busy", "true");
  });
  // Put keyboard focus on the error summary so screen reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
