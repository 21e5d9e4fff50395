// Barrier, inspection on site: save the form to the server as it is filled in (issue 6 §4).
// Every save carries the form's submission token, so a save repeated over a bad connection
// updates the same inspection; without JavaScript the buttons save the same way.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-server-autosave]");
    // (form.action would be the button named "action"; read the attribute instead.)
    if (!form || !window.fetch || !window.FormData) { return; }
    var status = document.getElementById(form.getAttribute("data-status"));
    var timer = null;
    var busy = false;
    var again = false;

    function show(text, kind) {
      if (!status) { return; }
      status.textContent = text;
      status.className = "autosave autosave--" + kind;
    }

    function done() {
      busy = false;
      if (again) { again = false; save(); }
    }

    function save() {
      if (busy) { again = true; return; }
      busy = true;
      var data = new FormData(form);
      data.set("action", "opslaan");
      fetch(form.getAttribute("action"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok && result.body.ok) {
          show("Opgeslagen om " + result.body.saved_at + ".", "ok");
          // Reloading the page now opens this same inspection (same token), not a new one.
          if (result.body.edit_url && window.history && window.history.replaceState) {
            window.history.replaceState(null, "", result.body.edit_url);
          }
        } else {
          show("Niet opgeslagen: " + (result.body.error || "controleer het formulier") + ".", "error");
        }
        done();
      }, function () {
        show("Niet opgeslagen: geen verbinding. Uw invoer blijft op dit toestel bewaard en wordt opnieuw " +
             "verstuurd zodra er verbinding is.", "offline");
        done();
      });
    }

    function schedule() {
      window.clearTimeout(timer);
      show("Wijzigingen worden zo opgeslagen…", "pending");
      timer = window.setTimeout(save, 2500);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    window.addEventListener("online", save);
  });
})();
