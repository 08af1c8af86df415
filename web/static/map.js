/* incident-map: the live map page. It mounts the same client as `incident-map build`
 * (IncidentMap, /assets/incident-map/incident-map.js) on #map with the settings the server put
 * in #map[data-config], and keeps the filter form, the URL and the page's links in step. */
(function () {
  "use strict";

  var mapEl = document.getElementById("map");
  var config = JSON.parse(mapEl.getAttribute("data-config"));
  var statusEl = document.getElementById("status");
  var form = document.getElementById("filters");
  var links = config.links;

  var map = L.map(mapEl, {worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18}).setView([48.5, 31.5], 5);

  function updateLinks(filters) {
    var qs = filters.toString() ? "?" + filters.toString() : "";
    Object.keys(links).forEach(function (id) {
      var a = document.getElementById(id);
      if (!a) return;
      var extra = id === "download-map" ? "download=1" : "";
      a.href = links[id] + (qs ? qs + (extra ? "&" + extra : "") : (extra ? "?" + extra : ""));
    });
  }

  function syncForm(params) {
    if (!form) return;
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name && IncidentMap.filterKeys.indexOf(input.name) >= 0) input.value = params.get(input.name) || "";
    });
  }

  function currentFilters() {
    var params = new URLSearchParams(window.location.search), out = new URLSearchParams();
    IncidentMap.filterKeys.forEach(function (k) { var v = params.get(k); if (v) out.set(k, v); });
    return out;
  }

  config.timelineElement = document.getElementById("timeline");
  config.onStatus = function (text) { statusEl.textContent = text; };
  config.onFilters = function (params) { syncForm(params); updateLinks(currentFilters()); };
  config.onLoad = function (filters) { updateLinks(filters); };
  var handle = IncidentMap.mount(map, config);

  // Filters: applying them changes the URL (a shareable link) and reloads without leaving the page.
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var params = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { if (String(v).trim() !== "") params.set(k, String(v).trim()); });
      var url = window.location.pathname + (params.toString() ? "?" + params.toString() : "") + window.location.hash;
      window.history.pushState(null, "", url);
      updateLinks(currentFilters());
      handle.reload();
    });
  }
  window.addEventListener("popstate", function () {
    syncForm(new URLSearchParams(window.location.search));
    updateLinks(currentFilters());
    handle.reload();
  });
  updateLinks(currentFilters());
  window.incidentMap = handle;
})();
