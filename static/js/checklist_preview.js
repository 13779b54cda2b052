// The draft preview in the admin: each answer asks the server which flags the draft's items would raise, and
// shows them beside the questions, as the visit form's live panel does (issue 12 §1). Nothing is saved.
(function () {
  "use strict";
  const form = document.getElementById("checklist-preview");
  const panel = document.getElementById("flag-panel");
  if (!form || !panel) {
    return;
  }
  let waiting = null;
  function refresh() {
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("not answered");
        }
        return response.text();
      })
      .then(function (html) {
        panel.innerHTML = html;
      })
      .catch(function () {
        panel.textContent = "The flags could not be worked out just now. Reload the page to try again.";
      });
  }
  form.addEventListener("change", function () {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(refresh, 150);
  });
})();
