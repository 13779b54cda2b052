// The visit form, improved when JavaScript runs: live flags from the server, one-click "No to all",
// more imaging rows, and a warning before leaving with unsaved answers. Without it the form still works.
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  var panel = document.getElementById("flag-panel");
  if (!form || !panel) { return; }

  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var latest = 0;
  var dirty = false;
  var changedSinceAutosave = false;
  var signedOut = false;
  var AUTOSAVE_EVERY = (parseInt(form.getAttribute("data-autosave-seconds"), 10) || 30) * 1000;

  // Signed out (the server answered 401): say so in words, keep every answer, and offer to sign in again by
  // sending the form, which the server keeps until the same person has signed in (checklists/unsaved.py).
  function showSignedOut(text) {
    signedOut = true;
    if (summary) { showSummary("Signed out \u2014 your answers are kept"); fold(false); }
    panel.textContent = "";
    var message = document.createElement("p");
    message.className = "small alert alert-warning mb-2 signed-out";
    message.setAttribute("role", "alert");
    message.textContent = text || "You have been signed out. Your answers are still here \u2014 sign in again to save them.";
    var button = document.createElement("button");
    button.type = "submit";
    button.name = "stay";
    button.value = "1";
    button.setAttribute("form", "visit-form");
    button.className = "btn btn-sm btn-primary";
    button.textContent = "Sign in again \u2014 your answers are kept";
    panel.appendChild(message);
    panel.appendChild(button);
  }

  // On a phone or tablet the panel folds to one line ("‼ 1 emergency, ▲ 2 urgent — show"); the words come from
  // the server's fragment (data-summary), never from here. Unfolding is the reader's choice.
  var aside = panel.closest(".flag-panel");
  var summary = document.getElementById("flag-summary");
  function showSummary(text) {
    summary.querySelector("[data-flag-summary]").textContent = text;
  }
  function fold(folded) {
    aside.classList.toggle("folded", folded);
    summary.setAttribute("aria-expanded", folded ? "false" : "true");
    summary.querySelector("[data-flag-summary-action]").textContent = folded ? "show" : "hide";
  }
  if (summary) {
    summary.hidden = false;
    fold(true);
    summary.addEventListener("click", function () { fold(!aside.classList.contains("folded")); });
  }

  // A fetch whose answer is not the app's own fragment (a redirect to a page, an error) is never shown.
  function fragment(response) {
    if (response.status === 401) {
      return response.text().then(function (text) { showSignedOut(text); return null; });
    }
    if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
    return response.text();
  }

  // The totals' maxima come from the rules, through the page (data-max), never typed here.
  function showScore(name, total) {
    var output = document.getElementById(name + "-total");
    output.textContent = total ? total + " of " + output.getAttribute("data-max") : "";
  }

  function showScores(inner) {
    showScore("mirels", inner.getAttribute("data-mirels"));
    showScore("sins", inner.getAttribute("data-sins"));
    // The soft stop of RULES.md §4.5: the confirm box appears as soon as a calcium needs its unit confirmed, and
    // a tick confirms only the value and unit it was given for (the server checks the same).
    var confirm = document.getElementById("calcium-confirm");
    if (!confirm) { return; }
    var key = inner.getAttribute("data-confirm-for") || "";
    var confirmedFor = document.getElementById("id_calcium_confirmed_for");
    var box = document.getElementById("id_calcium_unit_confirmed");
    if (inner.getAttribute("data-asks-unit-confirmation")) {
      confirm.hidden = false;
      if (confirmedFor.value !== key) { box.checked = false; confirmedFor.value = key; }
    } else if (!box.checked) {
      confirm.hidden = true;
    }
  }

  function preview() {
    var request = ++latest;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin"
    }).then(fragment).then(function (html) {
      if (html === null) { return; }
      signedOut = false;
      document.dispatchEvent(new CustomEvent("bonemets:server-activity"));
      if (request !== latest) { return; }  // an older answer arriving late
      panel.innerHTML = html;
      var inner = panel.querySelector(".flag-panel-inner");
      if (inner) { showScores(inner); }
      if (inner && summary) { showSummary(inner.getAttribute("data-summary")); }
    }).catch(function () {
      panel.innerHTML = '<p class="small text-danger mb-0">Live flags are unavailable; they will be shown when you save.</p>';
      // Never leave an older "No flags" on the folded line of a phone: say it, and unfold.
      if (summary) { showSummary("Live flags unavailable"); fold(false); }
    });
  }

  // Every 30 seconds while it changes, the server keeps the form (never the browser's storage): reopening the
  // patient then offers "Continue the draft started at …".
  function autosave() {
    if (!changedSinceAutosave || signedOut) { return; }
    changedSinceAutosave = false;
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 401) { return response.text().then(showSignedOut); }
      if (!response.ok || response.redirected) { changedSinceAutosave = true; return null; }  // try again next time
      return response.text().then(function (text) {
        var status = document.getElementById("autosave-status");
        if (status) { status.textContent = text; }
      });
    }).catch(function () { changedSinceAutosave = true; });
  }
  window.setInterval(autosave, AUTOSAVE_EVERY);

  function schedule() {
    dirty = true;
    changedSinceAutosave = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 250);
  }

  form.addEventListener("change", schedule);
  form.addEventListener("input", schedule);

  form.querySelectorAll("button.no-to-all").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var section = form.querySelector('.screen-section[data-section="' + button.value + '"]');
      section.querySelectorAll(".screen-item").forEach(function (item) {
        if (!item.querySelector("input[type=radio]:checked")) {
          item.querySelector('input[type=radio][value="no"]').checked = true;
        }
      });
      schedule();
    });
  });

  var addImaging = document.getElementById("add-imaging");
  addImaging.addEventListener("click", function (event) {
    event.preventDefault();
    var total = form.querySelector("input[name=imaging-TOTAL_FORMS]");
    var index = parseInt(total.value, 10);
    var html = document.getElementById("imaging-template").innerHTML.replace(/__prefix__/g, String(index));
    addImaging.insertAdjacentHTML("beforebegin", html);
    total.value = String(index + 1);
    var first = addImaging.previousElementSibling.querySelector("select");
    if (first) { first.focus(); }
  });

  // Enter in a field never submits the form (issue 11): only the Save buttons do.
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.tagName === "INPUT" && target.type !== "submit" && target.type !== "button") {
      event.preventDefault();
    }
  });

  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  preview();
}());
