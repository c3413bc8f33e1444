// Small enhancements; every page works without them.
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form && form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // A destructive action (a form marked data-confirm) opens its dialog before it is sent;
  // the dialog's "yes" button sends the form with confirmed=1. Without this, the server
  // asks on a page of its own. data-confirm-if names the decision that needs it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var dialogId = form.getAttribute("data-confirm");
    if (!dialogId) return;
    if (event.submitter && event.submitter.name === "confirmed") return;
    var only = form.getAttribute("data-confirm-if");
    if (only && !(form.elements.decision && form.elements.decision.value === only)) return;
    var dialog = document.getElementById(dialogId);
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    dialog.showModal();
  });
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-command=close]");
    var dialog = close && close.closest("dialog");
    if (dialog) dialog.close();
  });

  // A form marked data-once is sent once: a double click does not send it twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "yes";
    form.setAttribute("aria-busy", "true");
  });

  // Goals and channels: add and remove rows in place. Without this, "add another" saves
  // and reloads the form with an empty row, and a ticked box removes a row when saving.
  function renumber(container) {
    var label = container.getAttribute("data-row-label");
    var number = 0;
    container.querySelectorAll("[data-formset-row]").forEach(function (row) {
      if (row.hidden) return;
      number += 1;
      var legend = row.querySelector("[data-row-legend]");
      if (legend && label) legend.textContent = label.replace("__num__", number);
    });
  }
  function wireRow(row) {
    var button = row.querySelector("[data-remove-box]");
    var box = row.querySelector("[data-delete-box]");
    if (button && box) {
      button.hidden = false;
      box.hidden = true;
    }
  }
  document.querySelectorAll("[data-formset-row]").forEach(wireRow);
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var prefix = add.getAttribute("data-add-row");
      var template = document.querySelector('template[data-row-template="' + prefix + '"]');
      var container = document.querySelector('[data-rows="' + prefix + '"]');
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
      if (!template || !container || !total) return;
      event.preventDefault();
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      container.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      var row = container.lastElementChild;
      wireRow(row);
      renumber(container);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var removed = remove.closest("[data-formset-row]");
      var rows = removed.closest("[data-rows]");
      var tick = removed.querySelector('input[name$="-DELETE"]');
      if (tick) tick.checked = true;
      removed.hidden = true;
      renumber(rows);
      var addButton = rows.parentElement.querySelector("[data-add-row]");
      if (addButton) addButton.focus();
      removed.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // The readiness panel follows the form as the person types (checked by the server, a
  // moment after the last key), and says the new summary to screen readers.
  // The address is read once: the panel is replaced on every answer.
  var source = document.querySelector("[data-readiness-source]");
  var readinessPanel = document.querySelector("[data-readiness-url]");
  if (source && readinessPanel) {
    var readinessUrl = readinessPanel.getAttribute("data-readiness-url");
    var status = document.querySelector("[data-readiness-status]");
    var readinessTimer = null;
    var said = "";
    var refresh = function () {
      fetch(readinessUrl, {
        method: "POST",
        body: new FormData(source),
        headers: { "X-CSRFToken": csrfToken(source) },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#readiness");
          var current = document.getElementById("readiness");
          if (!fresh || !current) return;
          // Not while the person is in the panel (the change note); again when they leave it.
          if (current.contains(document.activeElement)) {
            current.addEventListener("focusout", later, { once: true });
            return;
          }
          // What was typed in the panel since the check was asked for stays.
          current.querySelectorAll("textarea[name]").forEach(function (field) {
            var twin = fresh.querySelector('textarea[name="' + field.name + '"]');
            if (twin) twin.value = field.value;
          });
          current.replaceWith(fresh);
          var body = fresh.querySelector("[data-readiness-body]");
          var summary = body ? body.getAttribute("data-summary") : "";
          if (status && summary !== said) status.textContent = said = summary;
        });
    };
    var later = function () {
      clearTimeout(readinessTimer);
      readinessTimer = setTimeout(refresh, 600);
    };
    source.addEventListener("input", later);
    source.addEventListener("change", later);
  }

  // The decision form: the comment's "(required)" follows the chosen decision.
  var decision = document.getElementById("decision");
  if (decision) {
    var need = decision.querySelector("[data-comment-need]");
    var comment = decision.querySelector("textarea[name=comment]");
    var follow = function () {
      var choice = decision.elements.decision.value;
      if (!choice || !need || !comment) return;
      var required = choice === "request_changes" || choice === "reject";
      need.textContent = comment.getAttribute(required ? "data-required-text" : "data-optional-text");
      comment.setAttribute("aria-required", required ? "true" : "false");
    };
    decision.addEventListener("change", follow);
    follow();
  }

  // Live preview of Markdown while an adviser writes (rendered and cleaned by the server).
  var preview = document.getElementById("preview");
  var previewSource = document.querySelector("[data-preview-source]");
  if (preview && previewSource) {
    var timer = null;
    previewSource.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var body = new URLSearchParams({ body: previewSource.value });
        fetch(preview.dataset.previewUrl, {
          method: "POST",
          body: body,
          headers: { "X-CSRFToken": csrfToken(previewSource.form) },
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
  // The menu (folded on a narrow screen) and its groups: Escape closes the innermost one that
  // is open and puts the focus back on its button; a click outside closes them, and a group
  // closes when the focus moves out of it. Without this they open and close by their buttons.
  var menu = document.getElementById("portal-menu");
  if (menu) {
    var groups = menu.querySelectorAll("details.portal-dropdown");
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var closing = menu.querySelector("details.portal-dropdown[open]") || (menu.open ? menu : null);
      if (!closing) return;
      closing.open = false;
      closing.querySelector("summary").focus();
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) {
        if (group.open && !group.contains(event.target)) group.open = false;
      });
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    groups.forEach(function (group) {
      group.addEventListener("focusout", function (event) {
        if (group.open && event.relatedTarget && !group.contains(event.relatedTarget)) group.open = false;
      });
    });
  }
  // A confirmation after a full page load ("The plan was saved."): its words are put in the
  // live region beside it a moment after loading, so that screen readers read them out (what a
  // live region holds at load is not announced). The messages themselves stay as they are.
  var announce = document.querySelector("[data-announce]");
  var shown = document.querySelector(".portal-messages");
  if (announce && shown) {
    setTimeout(function () { announce.textContent = shown.textContent.replace(/\s+/g, " ").trim(); }, 150);
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
