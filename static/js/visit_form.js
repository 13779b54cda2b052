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
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (html) {
      document.dispatchEvent(new CustomEvent("bonemets:server-activity"));
      if (request !== latest) { return; }  // an older answer arriving late
      panel.innerHTML = html;
      var inner = panel.querySelector(".flag-panel-inner");
      if (inner) { showScores(inner); }
    }).catch(function () {
      panel.innerHTML = '<p class="small text-danger mb-0">Live flags are unavailable; they will be shown when you save.</p>';
    });
  }

  function schedule() {
    dirty = true;
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

  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  preview();
}());
