/* Filter forms: leave empty fields out of the URL, so a shared link shows only the filters in use. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form || document.getElementById("map")) { return; }  // the map page handles its own submit
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name && input.value.trim() === "") { input.disabled = true; }
    });
    // Re-enable after the navigation starts, so "back" shows a usable form.
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.elements, function (input) { input.disabled = false; });
    }, 0);
  });
})();
