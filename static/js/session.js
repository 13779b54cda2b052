// The session clock: two minutes before the idle sign-out, warn and offer "Stay signed in"; after it, say so.
// The server decides (checklists/accounts/middleware.py); this only asks it, so several open tabs agree.
(function () {
  "use strict";
  var body = document.body;
  var warning = document.getElementById("session-warning");
  var ended = document.getElementById("session-ended");
  if (!warning || !ended) { return; }

  var warnBefore = parseInt(body.getAttribute("data-session-warning-seconds"), 10);
  var statusUrl = body.getAttribute("data-session-status-url");
  var keepAliveUrl = body.getAttribute("data-session-keep-alive-url");
  var countdown = warning.querySelector("[data-session-countdown]");
  var csrf = document.querySelector("meta[name=csrf-token]");
  var checkTimer = null;
  var tickTimer = null;
  var endsAt = 0;

  function minutesAndSeconds(seconds) {
    if (seconds >= 60) { return Math.ceil(seconds / 60) + " minute" + (Math.ceil(seconds / 60) === 1 ? "" : "s"); }
    return seconds + " second" + (seconds === 1 ? "" : "s");
  }

  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    countdown.textContent = minutesAndSeconds(left);
  }

  function hideWarning() {
    warning.hidden = true;
    window.clearInterval(tickTimer);
  }

  function showSignedOut() {
    hideWarning();
    window.clearTimeout(checkTimer);
    var login = ended.querySelector("[data-session-login]");
    login.href = login.href.split("?")[0] + "?next=" + encodeURIComponent(window.location.pathname);
    ended.hidden = false;
    // A shared workstation: patient data leaves the screen with the session, except a form being filled in,
    // whose answers stay so they can be saved after signing in again.
    var main = document.getElementById("main");
    var work = main && main.querySelector("form[data-keeps-work]");
    if (main && !work) { main.hidden = true; }
    if (work) {
      // Signing in from here sends the form first: the server keeps it for this person until they are back.
      login.addEventListener("click", function (event) {
        event.preventDefault();
        var keep = document.createElement("button");
        keep.type = "submit";
        keep.name = "stay";
        keep.value = "1";
        keep.hidden = true;
        work.appendChild(keep);
        work.requestSubmit(keep);
      });
    }
    document.dispatchEvent(new CustomEvent("bonemets:signed-out"));
  }

  function schedule(secondsLeft) {
    window.clearTimeout(checkTimer);
    endsAt = Date.now() + secondsLeft * 1000;
    var wait = Math.max(0, secondsLeft - warnBefore);
    checkTimer = window.setTimeout(check, wait * 1000);
  }

  function answer(state) {
    if (!state.signed_in || state.seconds_left <= 0) { showSignedOut(); return; }
    if (state.seconds_left > warnBefore) {
      hideWarning();  // another tab (or this page's own requests) kept the session alive
      schedule(state.seconds_left);
      return;
    }
    endsAt = Date.now() + state.seconds_left * 1000;
    tick();
    if (warning.hidden) {
      warning.hidden = false;
      warning.querySelector("[data-session-stay]").focus();
      tickTimer = window.setInterval(tick, 1000);
    }
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(check, state.seconds_left * 1000 + 1000);
  }

  function check() {
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(answer)
      .catch(function () { checkTimer = window.setTimeout(check, 15000); });  // the network, not the session
  }

  warning.querySelector("[data-session-stay]").addEventListener("click", function () {
    fetch(keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.content : "", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(answer).catch(check);
  });

  // Any request the page itself makes to the server (the visit form's live flags) keeps the session alive.
  document.addEventListener("bonemets:server-activity", function () {
    hideWarning();
    schedule(parseInt(body.getAttribute("data-session-idle-seconds"), 10) || 0);
  });

  schedule(parseInt(body.getAttribute("data-session-seconds-left"), 10));
}());
