/* incident-map: the server's map page.
 *
 * Reads its settings from #map[data-config] (JSON rendered by the server), fetches incidents
 * from the GeoJSON API with the filters in the URL, and draws one layer per event family.
 * Every article-derived string reaches the page through textContent or an attribute set by
 * the DOM API, never through innerHTML.
 */
(function () {
  "use strict";

  var FILTER_KEYS = ["since", "until", "type", "actor", "country", "min_fatalities", "q", "bbox"];
  var mapEl = document.getElementById("map");
  var config = JSON.parse(mapEl.getAttribute("data-config"));
  var statusEl = document.getElementById("status");
  var form = document.getElementById("filters");

  var map = L.map(mapEl, { worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 }).setView([48.5, 31.5], 5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Places: GeoNames (CC BY 4.0) · Outlines: Natural Earth");

  // Base maps: offline outlines by default; web tiles only when the user picks them (needs a network).
  var outlines = L.geoJSON(null, {
    style: { color: "#7a8793", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
  var tiles = L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18, attribution: "© OpenStreetMap contributors",
  });
  fetch(config.basemapUrl).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
    if (data) { outlines.addData(data); }
  });

  var families = config.families;
  var familyByKey = {};
  var layers = {};
  families.forEach(function (f) {
    familyByKey[f.key] = f;
    layers[f.key] = L.markerClusterGroup({
      maxClusterRadius: 35,
      disableClusteringAtZoom: 9,
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 30 : n < 100 ? 36 : 44;
        var div = document.createElement("div");
        div.className = "im-cluster";
        div.style.background = f.color;
        div.style.width = div.style.height = size - 4 + "px";
        div.style.lineHeight = size - 8 + "px";
        div.textContent = String(n);
        return L.divIcon({ html: div, className: "im-cluster-icon im-fam-" + f.key, iconSize: [size, size] });
      },
    }).addTo(map);
  });
  // Region-precision incidents also show their admin-1 region, toggled with their family's layer.
  var regionLayers = {};
  families.forEach(function (f) { regionLayers[f.key] = L.layerGroup().addTo(map); });
  map.on("overlayadd", function (e) { syncRegions(e.layer, true); });
  map.on("overlayremove", function (e) { syncRegions(e.layer, false); });
  function syncRegions(layer, on) {
    Object.keys(layers).forEach(function (k) {
      if (layers[k] === layer) {
        if (on) { map.addLayer(regionLayers[k]); } else { map.removeLayer(regionLayers[k]); }
      }
    });
  }
  var control = L.control.layers({ "Outlines (offline)": outlines, "Web map (online only)": tiles }, {}, { collapsed: false }).addTo(map);
  addLegend();

  var markersById = {};
  var truncated = false;
  var loading = null;

  function familyOf(p) {
    for (var i = 0; i < families.length; i++) {
      if (families[i].sub_event_types.indexOf(p.sub_event_type) >= 0) { return families[i]; }
    }
    for (var j = 0; j < families.length; j++) {
      if (families[j].event_types.indexOf(p.event_type) >= 0) { return families[j]; }
    }
    return familyByKey.other || families[families.length - 1];
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function safeHref(url) {
    try {
      var u = new URL(url, window.location.href);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  }

  var PRECISION = { 1: "the named place", 2: "near the named place", 3: "somewhere in the region (point is its centre)" };

  function popupContent(feature) {
    var p = feature.properties;
    var box = el("div", null, "im-popup");
    box.appendChild(el("h3", (p.sub_event_type || p.event_type || "Event") + " — " + (p.location || "?")));
    var when = p.event_date || "date unknown";
    if (p.event_date_end) { when += " to " + p.event_date_end; }
    box.appendChild(el("p", when));
    var harm = [];
    if (p.fatalities !== null && p.fatalities !== undefined) { harm.push(p.fatalities + " killed"); }
    if (p.injured !== null && p.injured !== undefined) { harm.push(p.injured + " injured"); }
    if (p.casualty_note) { harm.push("(" + p.casualty_note + ")"); }
    if (harm.length) { box.appendChild(el("p", harm.join(", "))); }
    var where = [p.location, p.admin1, p.country].filter(Boolean).join(", ");
    box.appendChild(el("p", "Where: " + where + " — " + (PRECISION[p.geo_precision] || "")));
    if (p.actor1 || p.actor2) { box.appendChild(el("p", [p.actor1, p.actor2].filter(Boolean).join(" vs ."))); }
    if (p.attribution) { box.appendChild(el("p", "According to " + p.attribution)); }
    if (p.quote) { box.appendChild(el("blockquote", p.quote)); }
    var links = el("p");
    var href = p.source_url && safeHref(p.source_url);
    if (href) {
      var a = el("a", p.source || "source");
      a.href = href; a.rel = "noopener noreferrer nofollow"; a.target = "_blank";
      links.appendChild(a);
      links.appendChild(document.createTextNode(" · "));
    } else if (p.source) {
      links.appendChild(document.createTextNode(p.source + " · "));
    }
    var details = el("a", "details, sources, corrections");
    details.href = config.incidentUrl.replace("__ID__", encodeURIComponent(p.id));
    links.appendChild(details);
    box.appendChild(links);
    return box;
  }

  function markerFor(feature) {
    var p = feature.properties;
    var c = feature.geometry.coordinates;
    var fam = familyOf(p);
    var harmed = (p.fatalities || 0) + (p.injured || 0);
    var region = p.geo_precision === 3;
    var marker = L.circleMarker([c[1], c[0]], {
      radius: Math.min(22, 6 + 2.2 * Math.sqrt(harmed)) + (region ? 4 : 0),
      color: fam.color, weight: region ? 2 : 1.5, dashArray: region ? "4 3" : null,
      fillColor: fam.color, fillOpacity: region ? 0.2 : 0.65,
      className: "im-marker im-fam-" + fam.key,
    });
    marker.feature = feature;
    // The popup's tip stops at the circle's edge instead of hiding the marker.
    marker.bindPopup(function () { return popupContent(feature); }, { maxWidth: 360, offset: [0, 7 - marker.getRadius()] });
    marker.on("add", function () {
      var path = marker.getElement && marker.getElement();
      if (path) { path.setAttribute("data-id", p.id); }
    });
    return { marker: marker, family: fam };
  }

  function currentFilters() {
    var params = new URLSearchParams(window.location.search);
    var out = new URLSearchParams();
    FILTER_KEYS.forEach(function (k) { var v = params.get(k); if (v) { out.set(k, v); } });
    return out;
  }

  function setStatus(text) { statusEl.textContent = text; }

  function updateLinks(filters) {
    var qs = filters.toString() ? "?" + filters.toString() : "";
    document.getElementById("table-link").href = config.tableUrl + qs;
    document.getElementById("export-geojson").href = config.exportUrls.geojson + qs;
    document.getElementById("export-csv").href = config.exportUrls.csv + qs;
    document.getElementById("full-map").href = config.fullMapUrl + qs;
    document.getElementById("download-map").href = config.fullMapUrl + (qs ? qs + "&" : "?") + "download=1";
  }

  function load(opts) {
    opts = opts || {};
    var filters = currentFilters();
    updateLinks(filters);
    var query = new URLSearchParams(filters);
    query.set("limit", String(config.limit));
    if (opts.bbox && !filters.get("bbox")) {
      var b = map.getBounds();
      query.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(4); }).join(","));
    }
    if (loading) { loading.abort(); }
    var ctrl = new AbortController();
    loading = ctrl;
    mapEl.setAttribute("data-state", "loading");
    setStatus("Loading incidents…");
    return fetch(config.api + "?" + query.toString(), { signal: ctrl.signal, headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { throw new Error(res.body && res.body.error ? res.body.error : "could not load incidents"); }
        draw(res.body, opts);
      })
      .catch(function (err) {
        if (err.name === "AbortError") { return; }
        setStatus("Error: " + err.message);
        mapEl.setAttribute("data-state", "error");
      });
  }

  function draw(collection, opts) {
    Object.keys(layers).forEach(function (k) { layers[k].clearLayers(); regionLayers[k].clearLayers(); });
    markersById = {};
    var counts = {};
    var perFamily = {};
    collection.features.forEach(function (f) {
      var made = markerFor(f);
      markersById[f.properties.id] = made;
      (perFamily[made.family.key] = perFamily[made.family.key] || []).push(made.marker);
    });
    Object.keys(perFamily).forEach(function (k) { layers[k].addLayers(perFamily[k]); counts[k] = perFamily[k].length; });
    families.forEach(function (f) {
      control.removeLayer(layers[f.key]);
      control.addOverlay(layers[f.key], '<span class="im-layer-name" data-family="' + escapeHtml(f.key) + '">' +
        escapeHtml(f.label) + " (" + (counts[f.key] || 0) + ")</span>");
    });
    var n = collection.features.length;
    truncated = collection.limit !== null && collection.limit !== undefined && n >= collection.limit;
    setStatus(n + " incident" + (n === 1 ? "" : "s") + (truncated ? " shown (more in this view: zoom in or narrow the filters)" : ""));
    if (!opts.keepView && n && !config.focus) {
      var bounds = L.latLngBounds(collection.features.map(function (f) {
        return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      }));
      map.fitBounds(bounds.pad(0.15), { maxZoom: 8, animate: false });
    }
    drawRegions(collection.features);
    mapEl.setAttribute("data-state", "ready");
    mapEl.setAttribute("data-count", String(n));
    if (config.focus) { focus(config.focus); config.focus = null; }
  }

  function drawRegions(features) {
    var byCode = {};
    features.forEach(function (f) {
      var p = f.properties;
      if (p.geo_precision === 3 && p.admin1_code) { (byCode[p.admin1_code] = byCode[p.admin1_code] || []).push(f); }
    });
    var codes = Object.keys(byCode);
    if (!codes.length) { return; }
    fetch(config.regionsUrl + "?codes=" + encodeURIComponent(codes.slice(0, 200).join(",")))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.features.forEach(function (region) {
          byCode[region.id].forEach(function (f) {
            var fam = familyOf(f.properties);
            var shape = L.geoJSON(region, {
              style: { color: fam.color, weight: 1.5, dashArray: "4 3", fillColor: fam.color, fillOpacity: 0.08,
                       className: "im-region im-fam-" + fam.key },
            });
            shape.bindPopup(function () { return popupContent(f); }, { maxWidth: 360 });
            regionLayers[fam.key].addLayer(shape);
          });
        });
      });
  }

  function focus(id) {
    var made = markersById[id];
    if (made) { return show(made); }
    fetch(config.api + "/" + encodeURIComponent(id)).then(function (r) { return r.ok ? r.json() : null; }).then(function (f) {
      if (!f) { setStatus("Incident " + id + " not found"); return; }
      made = markerFor(f);
      markersById[id] = made;
      layers[made.family.key].addLayer(made.marker);
      show(made);
    });
  }

  function show(made) {
    var layer = layers[made.family.key];
    if (!map.hasLayer(layer)) { map.addLayer(layer); }
    var at = made.marker.getLatLng();
    // Clustering stops at zoom 9, so the marker itself is drawn there; the popup is opened on the
    // map at its position, which works whether or not the cluster layer has drawn it yet.
    map.setView(at, Math.max(map.getZoom(), 9), { animate: false });
    L.popup({ maxWidth: 360, offset: [0, 7 - made.marker.getRadius()] }).setLatLng(at)
      .setContent(popupContent(made.marker.feature)).openOn(map);
  }

  function addLegend() {
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = el("div", null, "im-legend");
      families.forEach(function (f) {
        var row = el("div");
        var sw = el("span", null, "swatch");
        sw.style.background = f.color;
        row.appendChild(sw);
        row.appendChild(document.createTextNode(f.label));
        box.appendChild(row);
      });
      box.appendChild(el("div", "Size: people killed or injured · dashed: located to a region only", "muted"));
      return box;
    };
    legend.addTo(map);
  }

  // Filters: applying them changes the URL (a shareable link) and reloads the data without leaving the page.
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var params = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { if (String(v).trim() !== "") { params.set(k, String(v).trim()); } });
      var url = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
      window.history.pushState(null, "", url);
      load();
    });
  }
  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(window.location.search);
    if (form) {
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.name && FILTER_KEYS.indexOf(input.name) >= 0) { input.value = params.get(input.name) || ""; }
      });
    }
    load();
  });
  // When the server capped the answer, fetch what is in view as the user pans and zooms.
  map.on("moveend", function () { if (truncated) { load({ bbox: true, keepView: true }); } });

  window.incidentMap = { map: map, layers: layers, markers: function () { return markersById; }, reload: load };
  load();
})();
