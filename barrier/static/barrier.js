// Barrier: a little plain JavaScript where it saves the user work. Everything works without it.
(function () {
  "use strict";

  // Move focus to the error summary so screen readers and keyboard users land on what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }

    // Ask before destructive actions (forms marked data-confirm).
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });

    // Person or organisation: show only the fields of the chosen kind (without JS both stay visible).
    document.querySelectorAll(".party-kind").forEach(function (group) {
      var form = group.closest("form");
      function sync() {
        var checked = form.querySelector("input[name=kind]:checked");
        form.querySelectorAll("[data-party-kind]").forEach(function (fs) {
          fs.hidden = checked ? fs.getAttribute("data-party-kind") !== checked.value : false;
        });
      }
      group.addEventListener("change", sync);
      sync();
    });

    // Nothing typed is lost: forms marked data-autosave keep their values in this tab's
    // sessionStorage until they are submitted successfully, so an expired session or a lost
    // connection does not wipe them. Passwords and fields marked data-no-autosave are never stored.
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      var key = "barrier:autosave:" + form.getAttribute("data-autosave");
      var fields = Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrf_token" && el.type !== "password" && el.type !== "file" &&
          el.type !== "hidden" && el.type !== "submit" && !el.hasAttribute("data-no-autosave");
      });
      var saved = null;
      try { saved = JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && form.hasAttribute("data-autosave-restore")) {
        fields.forEach(function (el) {
          if (!(el.name in saved)) { return; }
          if (el.type === "checkbox" || el.type === "radio") { el.checked = saved[el.name].indexOf(el.value) !== -1; }
          else if (!el.value) { el.value = saved[el.name]; }
        });
      }
      function store() {
        var data = {};
        fields.forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") {
            data[el.name] = data[el.name] || [];
            if (el.checked) { data[el.name].push(el.value); }
          } else { data[el.name] = el.value; }
        });
        try { window.sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
      }
      form.addEventListener("input", store);
      form.addEventListener("change", store);
      if (form.hasAttribute("data-autosave-clear")) { window.sessionStorage.removeItem(key); }
    });
  });
})();
