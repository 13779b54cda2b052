// A save that was refused comes back with what to correct at the top: move the focus there, so a keyboard or
// screen-reader user (and a nurse on a phone, where the top of a long form is off screen) starts from it.
(function () {
  "use strict";
  var box = document.getElementById("form-errors") || document.getElementById("withdrawal-prompt");
  if (box) { box.focus(); }
}());
