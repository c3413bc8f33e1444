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
  // Live preview of Markdown while an adviser writes (rendered and cleaned by the server).
  var preview = document.getElementById("preview");
  var source = document.querySelector("[data-preview-source]");
  if (preview && source) {
    var timer = null;
    var token = source.form.querySelector("[name=csrfmiddlewaretoken]").value;
    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var body = new URLSearchParams({ body: source.value });
        fetch(preview.dataset.previewUrl, {
          method: "POST",
          body: body,
          headers: { "X-CSRFToken": token },
          credentials: "same-origin",
        })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) { if (html !== null) preview.innerHTML = html; });
      }, 400);
    });
  }
  // The portal checks every form itself and says what is wrong in its own words, in the
  // page's language: the browser's own "required" bubble (in the browser's language) stays away.
  Array.prototype.forEach.call(document.forms, function (form) { form.noValidate = true; });
  // The menu on a narrow screen: Escape or a click outside closes it.
  var menu = document.getElementById("portal-menu");
  if (menu) {
    var button = menu.querySelector("summary");
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        button.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  }
  // Put keyboard focus on the error summary so screen reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // Work that is still going on (a file being applied): ask again every few seconds and show
  // the new state in the live region; when it is done, load the finished page once.
  var poll = document.querySelector("[data-poll]");
  if (poll) {
    var ask = function () {
      fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "poll" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-poll]");
          if (!fresh) {
            location.reload();
            return;
          }
          poll.textContent = fresh.textContent;
          setTimeout(ask, 2000);
        })
        .catch(function () { setTimeout(ask, 5000); });
    };
    setTimeout(ask, 2000);
  }
})();
