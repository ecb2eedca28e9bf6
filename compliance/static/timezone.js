// Suggests the browser's own time zone in an empty time-zone field (marked data-guess-zone).
(function () {
  "use strict";
  var field = document.querySelector("input[data-guess-zone]");
  if (!field || field.value || !window.Intl) { return; }
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) { field.value = zone; }
  } catch (e) { /* leave it empty: the person picks from the list */ }
})();
