/* incident-map: the one map client, for the live page (`/`) and for `incident-map build`.
 *
 * IncidentMap.mount(map, opts) draws incidents given as compact columns (mapper/maps/layers.py:
 * incident_columns), either embedded in the page (`opts.data`, the standalone map) or fetched
 * from the server for the filters in the URL (`opts.api`, the live map). Everything else is the
 * same code: one cluster layer coloured by family, a layer switch per family with counts, region
 * shading, a heat map, fatalities by region, admin-1 outlines, offline place labels, a scale bar,
 * a legend, and a timeline histogram under the map that can be brushed and played. The view
 * (zoom, centre, hidden layers) is kept in the URL's hash; filters in the query (live) or the
 * hash (standalone), so a copied link opens the same map.
 *
 * Drawing order is fixed by Leaflet panes, never by arrival order: base outlines < admin-1
 * lines < region fills < heat < labels < incident markers < cluster icons < popups.
 * Strings arrive HTML-escaped from Python; popups are assembled from those pieces only.
 */
(function (global) {
  "use strict";

  var DAY = 86400000;
  var PANES = [["imap-base", 150], ["imap-admin", 250], ["imap-shade", 300], ["imap-regions", 350],
               ["imap-labels", 420], ["imap-markers", 450]];
  var PRECISION = {1: "the named town", 2: "near or part of a town", 3: "region (area shown)"};
  var SVG_MAX = 3000;  // up to this many markers as SVG paths (one element each), canvas beyond
  var FILTER_KEYS = ["since", "until", "type", "actor", "country", "min_fatalities", "q", "bbox"];

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}[c];
    });
  }
  function isoDay(day) { return day == null ? "" : new Date(day * DAY).toISOString().slice(0, 10); }
  function dayOf(iso) { return iso ? Math.round(Date.parse(iso.slice(0, 10) + "T00:00:00Z") / DAY) : null; }
  function radius(fat, inj) { return Math.min(22, 5 + 2.2 * Math.sqrt((fat || 0) + (inj || 0))); }
  function narrow(map) { return map.getContainer().clientWidth < 700; }
  function fmt(n) { return Number(n || 0).toLocaleString("en"); }
  function el(tag, cls, parent, text) {
    var node = L.DomUtil.create(tag, cls || "", parent);
    if (text != null) node.textContent = text;
    return node;
  }

  /* Large maps embed their columns as gzip-compressed JSON in base85 (layers.py: packed_json). */
  var B85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;.=>?@^_`:|}~";
  function b85decode(text, n) {
    var table = new Uint8Array(128), out = new Uint8Array(Math.ceil(text.length / 5) * 4), o = 0;
    for (var k = 0; k < B85.length; k++) table[B85.charCodeAt(k)] = k;
    for (var i = 0; i < text.length; i += 5) {
      var v = 0;
      for (var j = 0; j < 5; j++) v = v * 85 + table[text.charCodeAt(i + j)];
      out[o++] = v >>> 24; out[o++] = (v >>> 16) & 255; out[o++] = (v >>> 8) & 255; out[o++] = v & 255;
    }
    return out.subarray(0, n);
  }
  function inflate(packed) {
    var stream = new Blob([b85decode(packed.b85, packed.n)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).json();
  }
  function unpack(value) { return value && value.b85 ? inflate(value) : Promise.resolve(value); }

  function popupHtml(D, i, opts) {
    var S = D.s, fam = opts.families[D.fam[i]];
    var when = D.d[i] == null ? "date not reported" : isoDay(D.d0 + D.d[i]);
    if (D.e[i] != null && D.e[i] !== D.d[i]) when += " – " + isoDay(D.d0 + D.e[i]);
    var cas = [];
    if (D.fat[i] != null) cas.push("<b>" + D.fat[i] + "</b> killed");
    if (D.inj[i] != null) cas.push("<b>" + D.inj[i] + "</b> injured");
    var place = S[D.loc[i]];
    if (S[D.adm[i]] && S[D.adm[i]] !== S[D.loc[i]]) place += ", " + S[D.adm[i]];
    if (S[D.cc[i]]) place += " (" + S[D.cc[i]] + ")";
    var html = '<div class="imap-popup">' +
      '<div class="imap-when">' + when + "</div>" +
      '<div class="imap-type"><span class="imap-swatch" style="background:' + fam.color + '"></span>' +
      S[D.t[i]] + " · " + S[D.st[i]] + "</div>";
    if (cas.length) html += '<div class="imap-cas">' + cas.join(", ") + "</div>";
    html += '<div class="imap-place">' + place;
    if (S[D.wr[i]]) html += ' <span class="imap-written">as written: “' + S[D.wr[i]] + "”</span>";
    html += ' <span class="imap-prec">— precision: ' + (PRECISION[D.prec[i]] || D.prec[i]) + "</span></div>";
    var actors = [S[D.a1[i]], S[D.a2[i]]].filter(Boolean);
    if (actors.length) html += '<div class="imap-actors">' + actors.join(" vs ") + "</div>";
    if (S[D.att[i]]) html += '<div class="imap-att">According to ' + S[D.att[i]] + "</div>";
    html += '<blockquote class="imap-quote">' + D.q[i] + "</blockquote>";
    var src = S[D.src[i]] || (S[D.url[i]] ? "article" : "not recorded");
    html += '<div class="imap-src">Source: ' + (S[D.url[i]] ?
      '<a href="' + S[D.url[i]] + '" target="_blank" rel="noopener noreferrer">' + src + "</a>" : src);
    if (S[D.pub[i]]) html += ", " + S[D.pub[i]];
    if (D.ns[i] > 1) html += " · " + D.ns[i] + " sources";
    html += "</div>";
    if (opts.incidentUrl && D.id) {
      html += '<div class="imap-more"><a href="' + opts.incidentUrl.replace("{id}", encodeURIComponent(S[D.id[i]])) +
        '">Details, sources, corrections</a></div>';
    }
    return html + "</div>";
  }

  /* A cluster icon: a ring split by the families of the incidents inside. */
  function clusterIcon(families) {
    return function (cluster) {
      var children = cluster.getAllChildMarkers(), n = children.length, counts = {};
      for (var k = 0; k < n; k++) counts[children[k]._imf] = (counts[children[k]._imf] || 0) + 1;
      var stops = [], at = 0;
      families.forEach(function (f, fi) {
        if (!counts[fi]) return;
        var next = at + 100 * counts[fi] / n;
        stops.push(f.color + " " + at.toFixed(2) + "% " + next.toFixed(2) + "%");
        at = next;
      });
      var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
      var keys = families.filter(function (f, fi) { return counts[fi]; }).map(function (f) { return "im-fam-" + f.key; });
      return L.divIcon({
        html: '<div class="imap-ring" style="background:conic-gradient(' + stops.join(",") + ')"><span>' + n + "</span></div>",
        className: "imap-cluster im-cluster-icon " + keys.join(" "), iconSize: L.point(size, size)
      });
    };
  }

  /* -- the URL: view and hidden layers in the hash; filters in the query (live) or hash ------ */
  function readHash() {
    var out = {};
    new URLSearchParams(global.location.hash.replace(/^#/, "")).forEach(function (v, k) { out[k] = v; });
    return out;
  }
  function writeHash(values, push) {
    var params = new URLSearchParams();
    Object.keys(values).forEach(function (k) { if (values[k] != null && values[k] !== "") params.set(k, values[k]); });
    var hash = params.toString().replace(/%2F/g, "/").replace(/%2C/g, ",");
    var url = global.location.pathname + global.location.search + (hash ? "#" + hash : "");
    if (url === global.location.pathname + global.location.search + global.location.hash) return;
    try {
      global.history[push ? "pushState" : "replaceState"](null, "", url);
    } catch (e) { /* some local-file contexts refuse; the map works without it */ }
  }

  function mount(map, opts) {
    var fams = opts.families, live = !!opts.api;
    var container = map.getContainer();
    PANES.forEach(function (p) { map.createPane(p[0]).style.zIndex = String(p[1]); });
    map.getPane("imap-labels").style.pointerEvents = "none";
    map.getPane("imap-base").style.pointerEvents = "none";
    map.getPane("imap-admin").style.pointerEvents = "none";

    var hash = readHash();
    var state = {
      D: null, hidden: {}, from: null, to: null, summary: null, admin1: {}, loadedCountries: {},
      markers: [], loading: null, truncated: false, fitted: !!hash.map, focus: opts.focus || null
    };
    (hash.hide || "").split(",").forEach(function (k) { if (k) state.hidden[k] = true; });
    if (!live) { state.from = dayOf(hash.since); state.to = dayOf(hash.until); }
    else {
      var q = new URLSearchParams(global.location.search);
      state.from = dayOf(q.get("since")); state.to = dayOf(q.get("until"));
    }
    if (hash.map) {
      var v = hash.map.split("/").map(Number);
      if (v.length === 3 && v.every(isFinite)) map.setView([v[1], v[2]], v[0], {animate: false});
    }
    if (!map._loaded) map.setView(opts.center || [48.5, 31.5], opts.zoom || 5, {animate: false});

    // -- base layers -------------------------------------------------------------------
    var outlines = L.geoJSON(null, {pane: "imap-base", interactive: false,
      style: {color: "#9a9a9a", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(map);
    var adminLines = L.geoJSON(null, {pane: "imap-admin", interactive: false,
      style: {color: "#a8a8a8", weight: 0.6, fill: false, dashArray: "2 3"}}).addTo(map);
    var shade = L.layerGroup();       // fatalities by region (choropleth)
    var regionLayer = L.layerGroup().addTo(map);  // region-precision incidents as areas
    var heatGroup = L.layerGroup();
    var labelLayer = L.layerGroup().addTo(map);
    var renderer = null;
    var clusters = L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 150, chunkDelay: 5, maxClusterRadius: 70, spiderfyOnMaxZoom: true,
      animate: false, showCoverageOnHover: false, disableClusteringAtZoom: 9, iconCreateFunction: clusterIcon(fams),
      chunkProgress: function (done, total) { if (done >= total) ready(); }
    }).addTo(map);
    clusters.on("click", function (ev) { openAt(ev.layer._imi, ev.layer.getLatLng()); });

    var familyLayers = {};
    var overlays = {};
    fams.forEach(function (f) {
      familyLayers[f.key] = L.layerGroup();
      if (!state.hidden[f.key]) familyLayers[f.key].addTo(map);
      overlays['<span class="imap-swatch" style="background:' + f.color + '"></span>' + esc(f.label) +
        ' <span class="imap-count" data-family="' + esc(f.key) + '"></span>'] = familyLayers[f.key];
    });
    overlays["Heat map"] = heatGroup;
    overlays["Fatalities by region"] = shade;
    overlays["Region outlines"] = adminLines;
    overlays["Place names"] = labelLayer;
    if (opts.tiles) {  // opt-in web tiles: the only thing that would ever leave the machine
      overlays["Web map (OpenStreetMap, needs internet)"] = L.tileLayer(
        opts.tiles, {maxZoom: 18, attribution: "© OpenStreetMap contributors"});
    }
    if (hash.heat === "1") heatGroup.addTo(map);
    if (hash.shade === "1") shade.addTo(map);
    var control = L.control.layers(null, overlays, {collapsed: narrow(map), position: "topright"}).addTo(map);
    L.DomUtil.addClass(control.getContainer(), "imap-layers");
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    if (opts.attribution) {
      map.attributionControl.setPrefix("Leaflet");
      map.attributionControl.addAttribution(opts.attribution);
    }
    var legend = addLegend(map, opts);
    legend.shade(map.hasLayer(shade));

    map.on("overlayadd overlayremove", function (ev) {
      var on = ev.type === "overlayadd";
      fams.forEach(function (f) {
        if (ev.layer === familyLayers[f.key]) {
          if (on) delete state.hidden[f.key]; else state.hidden[f.key] = true;
          draw();
        }
      });
      if (ev.layer === shade) { legend.shade(on); drawShade(); }
      if (ev.layer === heatGroup) drawHeat();
      saveView();
    });

    // -- the URL ---------------------------------------------------------------------
    function saveView(push) {
      var c = map.getCenter(), z = map.getZoom();
      var values = {map: z + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4)};
      var hidden = Object.keys(state.hidden).filter(function (k) { return state.hidden[k]; });
      if (hidden.length) values.hide = hidden.join(",");
      if (map.hasLayer(heatGroup)) values.heat = "1";
      if (map.hasLayer(shade)) values.shade = "1";
      if (!live) {
        if (state.from != null) values.since = isoDay(state.from);
        if (state.to != null) values.until = isoDay(state.to);
      }
      writeHash(values, push);
    }
    map.on("moveend", function () {
      saveView();
      scheduleLabels();
      if (live && state.truncated) scheduleReload(true);
    });

    // -- data ---------------------------------------------------------------------------
    function setStatus(text) { if (opts.onStatus) opts.onStatus(text); }
    function setState(s) { container.setAttribute("data-state", s); }
    function ready() {
      if (!state.D) return;  // markercluster reports an empty first pass when it is added to the map
      global.incidentMapReady = true;
      if (global.incidentMapReadyAt == null && global.performance) global.incidentMapReadyAt = performance.now();
      if (state.D) container.setAttribute("data-count", String(state.D.n));
      if (state.error) return;  // the map stays empty and says why
      setState("ready");
      if (state.focus) { var id = state.focus; state.focus = null; focus(id); }
    }

    function filterQuery() {
      var params = new URLSearchParams(global.location.search), out = new URLSearchParams();
      FILTER_KEYS.forEach(function (k) { var v = params.get(k); if (v) out.set(k, v); });
      return out;
    }

    var reloadTimer = null;
    function scheduleReload(inView) {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(function () { reload({inView: inView}); }, 200);
    }

    /* Live: the summary (counts, timeline, regions) of all matching incidents, then the
     * incidents themselves (up to the server's limit; in view only once capped). */
    function reload(o) {
      o = o || {};
      var query = filterQuery();
      state.from = dayOf(query.get("since")); state.to = dayOf(query.get("until"));
      if (state.loading) state.loading.abort();
      var ctrl = state.loading = new AbortController();
      global.incidentMapReady = false; global.incidentMapReadyAt = null;
      state.error = null;
      setState("loading");
      setStatus("Loading incidents…");
      var dataQuery = new URLSearchParams(query);
      if (o.inView && !query.get("bbox")) {
        var b = map.getBounds().pad(0.1);
        dataQuery.set("bbox", [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()),
                               Math.min(90, b.getNorth())].map(function (x) { return x.toFixed(4); }).join(","));
      }
      function get(url) {
        return fetch(url, {signal: ctrl.signal}).then(function (r) {
          return r.json().then(function (body) {
            if (!r.ok) throw new Error(body && body.error ? body.error : "the server answered " + r.status);
            return body;
          });
        });
      }
      var qs = query.toString() ? "?" + query.toString() : "";
      return Promise.all([get(opts.api.summary + qs), get(opts.api.data + "?" + dataQuery.toString())])
        .then(function (res) {
          state.summary = res[0];
          var D = res[1];
          state.truncated = !!D.truncated;
          loadAdmin1(state.summary.countries);
          setData(D);
          var shown = D.n, total = state.summary.total;
          setStatus(fmt(total) + " incident" + (total === 1 ? "" : "s") +
            (shown < total ? " · " + fmt(shown) + " drawn (zoom in for the rest)" : ""));
          if (opts.onLoad) opts.onLoad(query);
        })
        .catch(function (err) {
          if (err.name === "AbortError") return;
          // An invalid filter must not leave the previous answer on the map under the error.
          state.summary = null;
          state.error = err;
          setData(emptyData());
          setState("error");
          setStatus("Error: " + err.message);
          if (opts.onError) opts.onError(err);
        });
    }

    function emptyData() { return {n: 0, d0: 0, s: [""], lat: [], lon: [], fam: [], prec: [], fat: [], inj: [], d: [], e: [],
      t: [], st: [], loc: [], wr: [], adm: [], ac: [], cc: [], att: [], src: [], url: [], pub: [], a1: [], a2: [], q: [], ns: []}; }

    function loadAdmin1(countries) {
      var todo = (countries || []).filter(function (cc) { return !state.loadedCountries[cc]; });
      if (!todo.length || !opts.api.admin1) return;
      todo.forEach(function (cc) { state.loadedCountries[cc] = true; });
      fetch(opts.api.admin1 + "?countries=" + encodeURIComponent(todo.join(","))).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (fc) { if (fc) { addAdmin1(fc); draw(); } });
    }
    function addAdmin1(fc) {
      fc.features.forEach(function (f) { state.admin1[f.properties.admin1_code] = f; });
      adminLines.addData(fc);
    }

    function setData(D) {
      state.D = D;
      var svg = D.n <= SVG_MAX;
      renderer = svg ? L.svg({pane: "imap-markers", padding: 0.5}) : L.canvas({pane: "imap-markers", padding: 0.5});
      var Dot = L.CircleMarker.extend({options: {renderer: renderer, pane: "imap-markers", color: "#ffffff", weight: 1,
                                                 fillOpacity: 0.85}});
      state.markers = new Array(D.n);
      for (var i = 0; i < D.n; i++) {
        var f = fams[D.fam[i]];
        var m = new Dot([D.lat[i], D.lon[i]], {radius: radius(D.fat[i], D.inj[i]), fillColor: f.color,
          dashArray: D.prec[i] === 3 ? "3 3" : null, className: svg ? "im-marker im-fam-" + f.key : ""});
        m._imi = i; m._imf = D.fam[i];
        if (svg && D.id) m._imid = D.s[D.id[i]];
        state.markers[i] = m;
      }
      if (!state.fitted && D.n) {  // first data, and no view in the URL: show all of it
        state.fitted = true;
        var bounds = L.latLngBounds(D.lat.map(function (lat, k) { return [lat, D.lon[k]]; }));
        if (!state.focus) map.fitBounds(bounds.pad(0.1), {maxZoom: 8, animate: false});
      }
      draw();
      drawTimeline();
    }

    function visible(i) {
      var D = state.D;
      if (state.hidden[fams[D.fam[i]].key]) return false;
      if (live || (state.from == null && state.to == null)) return true;  // the server applied the dates
      if (D.d[i] == null) return false;
      var d = D.d0 + D.d[i], e = D.e[i] == null ? d : D.d0 + D.e[i];
      return (state.from == null || e >= state.from) && (state.to == null || d <= state.to);
    }

    function regionCode(i) {
      var D = state.D, code = D.prec[i] === 3 ? D.s[D.ac[i]] : "";
      return code && state.admin1[code] ? code : null;
    }

    function draw() {
      var D = state.D;
      if (!D) return;
      global.incidentMapReady = false; global.incidentMapReadyAt = null;
      var shown = [], counts = fams.map(function () { return 0; }), regionHits = {};
      for (var i = 0; i < D.n; i++) {
        if (!visible(i)) continue;
        counts[D.fam[i]]++;
        var code = regionCode(i);
        if (code) { var key = D.fam[i] + "|" + code; (regionHits[key] = regionHits[key] || []).push(i); }
        else shown.push(state.markers[i]);
      }
      state.counts = counts;
      drawRegions(regionHits);
      clusters.clearLayers();
      if (shown.length) clusters.addLayers(shown);
      // markercluster reports progress only when it had something to add
      if (!shown.length) setTimeout(ready, 0);
      drawHeat();
      drawShade();
      drawCounts();
    }

    // SVG markers carry their incident id, for tests and for people reading the page's markup.
    map.on("layeradd", function (ev) {
      var m = ev.layer;
      if (m && m._imi != null && m._path && m._imid) m._path.setAttribute("data-id", m._imid);
    });

    function drawCounts() {
      fams.forEach(function (f, fi) {
        var n = live && state.summary ? state.summary.families[f.key].incidents : (state.counts || [])[fi] || 0;
        var spans = control.getContainer().querySelectorAll('.imap-count[data-family="' + f.key + '"]');
        for (var k = 0; k < spans.length; k++) spans[k].textContent = "(" + fmt(n) + ")";
      });
    }

    function drawRegions(regionHits) {
      regionLayer.clearLayers();
      var D = state.D;
      Object.keys(regionHits).forEach(function (key) {
        var list = regionHits[key], f = fams[+key.split("|")[0]], code = key.split("|")[1];
        var feature = state.admin1[code];
        var layer = L.geoJSON(feature, {pane: "imap-regions", style: {
          color: f.color, weight: 2, dashArray: "5 4", fillColor: f.color, fillOpacity: 0.12,
          className: "im-region im-fam-" + f.key}});
        var shown = list.slice(0, 10).map(function (i) { return popupHtml(D, i, opts); }).join("<hr>");
        var more = list.length > 10 ? '<div class="imap-more">and ' + (list.length - 10) + " more</div>" : "";
        layer.bindPopup('<div class="imap-region">' + esc(feature.properties.name || code) + " — " + list.length +
          " incident" + (list.length > 1 ? "s" : "") + " reported for the region</div>" + shown + more, popupOptions());
        regionLayer.addLayer(layer);
      });
    }

    function drawHeat() {
      heatGroup.clearLayers();
      if (!map.hasLayer(heatGroup) || !state.D || !L.heatLayer) return;
      var D = state.D, pts = [];
      for (var i = 0; i < D.n; i++) {
        if (visible(i)) pts.push([D.lat[i], D.lon[i], Math.min(1, 0.35 + 0.08 * ((D.fat[i] || 0) + (D.inj[i] || 0)))]);
      }
      heatGroup.addLayer(L.heatLayer(pts, {radius: 18, blur: 15, maxZoom: 10, minOpacity: 0.25}));
    }

    /* Fatalities by admin-1 region: of all matching incidents (live: the server's summary;
     * standalone: the incidents in the date range), as a stepped colour scale. */
    function drawShade() {
      shade.clearLayers();
      if (!map.hasLayer(shade)) return;
      var sums = {};
      if (live && state.summary) {
        state.summary.regions.forEach(function (r) { sums[r.code] = [r.fatalities, r.incidents]; });
      } else if (state.D) {
        var D = state.D;
        for (var i = 0; i < D.n; i++) {
          if (!visible(i) || !D.ac[i]) continue;
          var c = D.s[D.ac[i]], cell = sums[c] = sums[c] || [0, 0];
          cell[0] += D.fat[i] || 0; cell[1]++;
        }
      }
      Object.keys(sums).forEach(function (code) {
        var feature = state.admin1[code], fat = sums[code][0];
        if (!feature || !fat) return;
        var layer = L.geoJSON(feature, {pane: "imap-shade", style: {color: "#7a0019", weight: 0.8,
          fillColor: stepColor(opts.steps, fat), fillOpacity: 0.6, className: "im-shade"}});
        layer.bindTooltip(esc(feature.properties.name || code) + ": " + fmt(fat) + " killed in " + fmt(sums[code][1]) +
          " incident" + (sums[code][1] === 1 ? "" : "s"), {sticky: true});
        shade.addLayer(layer);
      });
    }

    function popupOptions() {
      var w = Math.max(200, Math.min(340, map.getSize().x - 70));
      return {maxWidth: w, minWidth: Math.min(200, w), maxHeight: Math.max(200, map.getSize().y - 120),
              autoPanPadding: L.point(10, 10)};
    }
    function openAt(i, latlng) {
      L.popup(popupOptions()).setLatLng(latlng).setContent(popupHtml(state.D, i, opts)).openOn(map);
    }
    function indexOf(id) {
      var D = state.D;
      if (!D || !D.id) return -1;
      for (var i = 0; i < D.n; i++) if (D.s[D.id[i]] === id) return i;
      return -1;
    }
    function focus(id) {
      var i = indexOf(id);
      if (i < 0) { setStatus("Incident " + id + " is not among these incidents"); return false; }
      return openPopup(i);
    }
    /* Opens the popup of incident `i` (column index), zoomed in past clustering. */
    function openPopup(i) {
      var D = state.D, at = L.latLng(D.lat[i], D.lon[i]);
      map.closePopup();
      map.setView(at, Math.max(map.getZoom(), 10), {animate: false});
      openAt(i, at);
      return true;
    }

    // -- labels ------------------------------------------------------------------------
    var labelTimer = null, labelRows = opts.labels || [], labelKey = null;
    function scheduleLabels() { clearTimeout(labelTimer); labelTimer = setTimeout(updateLabels, 120); }
    function updateLabels() {
      if (!map.hasLayer(labelLayer)) return;
      var z = Math.round(map.getZoom());
      if (live && opts.api.labels) {
        var b = map.getBounds().pad(0.2);
        var bbox = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()),
                    Math.min(90, b.getNorth())].map(function (x) { return x.toFixed(2); }).join(",");
        var key = z + "|" + bbox;
        if (key === labelKey) return placeLabels(labelRows);
        labelKey = key;
        fetch(opts.api.labels + "?zoom=" + z + "&bbox=" + bbox).then(function (r) { return r.ok ? r.json() : null; })
          .then(function (body) { if (body && key === labelKey) { labelRows = body.labels; placeLabels(labelRows); } });
      } else placeLabels(labelRows);
    }
    /* Draws labels most important first, skipping any that would overlap one already drawn. */
    function placeLabels(rows) {
      labelLayer.clearLayers();
      var z = map.getZoom(), size = map.getSize(), taken = [], drawn = 0;
      for (var k = 0; k < rows.length && drawn < 150; k++) {
        var r = rows[k];
        if (r[2] > z + 0.01) continue;
        var p = map.latLngToContainerPoint([r[0], r[1]]);
        if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) continue;
        var w = r[4].length * (r[3] === 0 ? 8 : 6.5) + 8, h = r[3] === 0 ? 18 : 15;
        var box = [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2], clash = false;
        for (var t = 0; t < taken.length && !clash; t++) {
          var o = taken[t];
          clash = box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1];
        }
        if (clash) continue;
        taken.push(box); drawn++;
        var cls = ["imap-label-country", "imap-label-region", "imap-label-city"][r[3]];
        labelLayer.addLayer(L.marker([r[0], r[1]], {pane: "imap-labels", interactive: false, keyboard: false,
          icon: L.divIcon({className: "imap-label " + cls, html: "<span>" + esc(r[4]) + "</span>", iconSize: null})}));
      }
    }

    // -- the timeline under the map ---------------------------------------------------
    var timeline = opts.timeline === false ? null : makeTimeline();

    function perDay() {
      var out = {};
      if (live) {
        if (!state.summary) return out;
        state.summary.days.forEach(function (row) {
          if (state.hidden[row[1]]) return;
          var d = dayOf(row[0]), cell = out[d] = out[d] || [0, 0];
          cell[0] += row[2]; cell[1] += row[3];
        });
        return out;
      }
      var D = state.D;
      for (var i = 0; i < D.n; i++) {
        if (D.d[i] == null || state.hidden[fams[D.fam[i]].key]) continue;
        var day = D.d0 + D.d[i], c = out[day] = out[day] || [0, 0];
        c[0]++; c[1] += D.fat[i] || 0;
      }
      return out;
    }

    function makeTimeline() {
      var box = el("div", "imap-timeline");
      box.setAttribute("aria-label", "Timeline: incidents per day or week. Drag across it to choose dates.");
      var head = el("div", "imap-tl-head", box);
      var play = el("button", "imap-tl-play", head, "▶ Play");
      play.type = "button";
      var all = el("button", "imap-tl-all", head, "All dates");
      all.type = "button";
      var label = el("span", "imap-tl-label", head);
      var keyText = el("span", "imap-tl-key", head);
      keyText.innerHTML = '<span class="imap-tl-swatch n"></span>incidents <span class="imap-tl-swatch f"></span>killed';
      var svgNS = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("class", "imap-tl-chart");
      box.appendChild(svg);
      var where = opts.timelineElement || null;
      if (where) where.appendChild(box);
      else {
        // Standalone: the map gives up the bottom of the page to the timeline.
        container.parentNode.insertBefore(box, container.nextSibling);
        L.DomUtil.addClass(box, "imap-timeline-standalone");
        container.style.height = "calc(100% - 96px)";
        map.invalidateSize();
      }
      var T = {box: box, svg: svg, label: label, play: play, buckets: [], step: 1, timer: null};

      function xOf(evt) { var r = svg.getBoundingClientRect(); return Math.max(0, Math.min(r.width, evt.clientX - r.left)); }
      function bucketAt(x) {
        var w = svg.getBoundingClientRect().width || 1;
        return Math.max(0, Math.min(T.buckets.length - 1, Math.floor(x / w * T.buckets.length)));
      }
      var drag = null;
      svg.addEventListener("pointerdown", function (evt) {
        if (!T.buckets.length) return;
        stopPlay();
        drag = {a: bucketAt(xOf(evt)), b: bucketAt(xOf(evt))};
        svg.setPointerCapture(evt.pointerId);
        render(drag);
      });
      svg.addEventListener("pointermove", function (evt) {
        if (!drag) return;
        drag.b = bucketAt(xOf(evt));
        render(drag);
      });
      svg.addEventListener("pointerup", function () {
        if (!drag) return;
        var a = Math.min(drag.a, drag.b), b = Math.max(drag.a, drag.b);
        drag = null;
        setRange(T.buckets[a].start, T.buckets[b].start + T.step - 1, true);
      });
      all.addEventListener("click", function () { stopPlay(); setRange(null, null, true); });
      play.addEventListener("click", function () { if (T.timer) stopPlay(); else startPlay(); });
      L.DomEvent.disableClickPropagation(box);

      function startPlay() {
        if (!T.buckets.length) return;
        var first = T.buckets[0].start, last = T.buckets[T.buckets.length - 1].start + T.step - 1;
        var width = state.from != null && state.to != null ? state.to - state.from + 1 : T.step;
        var start = state.from != null && state.to != null && state.to < last ? state.from + T.step : first;
        T.playRange = [first, last];
        play.textContent = "❚❚ Pause";
        box.setAttribute("data-playing", "1");
        function tick() {
          if (start > last) { stopPlay(); return; }
          setRange(start, Math.min(last, start + width - 1), false);
          start += T.step;
          T.timer = setTimeout(tick, live ? 900 : 700);
        }
        tick();
      }
      function stopPlay() {
        clearTimeout(T.timer); T.timer = null;
        play.textContent = "▶ Play";
        box.removeAttribute("data-playing");
      }

      function render(sel) {
        var width = svg.getBoundingClientRect().width || 600, height = 56, n = T.buckets.length;
        while (svg.firstChild) svg.removeChild(svg.firstChild);
        svg.setAttribute("viewBox", "0 0 " + width + " " + height);
        svg.setAttribute("height", String(height));
        if (!n) return;
        var maxN = 1, maxF = 1;
        T.buckets.forEach(function (b) { maxN = Math.max(maxN, b.n); maxF = Math.max(maxF, b.fat); });
        var bw = width / n, lo = null, hi = null;
        if (sel) { lo = Math.min(sel.a, sel.b); hi = Math.max(sel.a, sel.b); }
        else if (state.from != null || state.to != null) {
          T.buckets.forEach(function (b, k) {
            var end = b.start + T.step - 1;
            var inside = (state.from == null || end >= state.from) && (state.to == null || b.start <= state.to);
            if (inside) { if (lo == null) lo = k; hi = k; }
          });
        }
        if (lo != null) {
          var brush = document.createElementNS(svgNS, "rect");
          brush.setAttribute("class", "imap-tl-brush");
          brush.setAttribute("x", String(lo * bw)); brush.setAttribute("y", "0");
          brush.setAttribute("width", String((hi - lo + 1) * bw)); brush.setAttribute("height", String(height));
          svg.appendChild(brush);
        }
        T.buckets.forEach(function (b, k) {
          var h = b.n ? Math.max(2, (height - 14) * b.n / maxN) : 0;
          var inside = lo == null || (k >= lo && k <= hi);
          var bar = document.createElementNS(svgNS, "rect");
          bar.setAttribute("class", "imap-tl-bar" + (inside ? "" : " out"));
          bar.setAttribute("x", String(k * bw + 0.5)); bar.setAttribute("width", String(Math.max(1, bw - 1)));
          bar.setAttribute("y", String(height - 12 - h)); bar.setAttribute("height", String(h));
          var title = document.createElementNS(svgNS, "title");
          title.textContent = isoDay(b.start) + (T.step > 1 ? " (week)" : "") + ": " + b.n + " incidents, " + b.fat + " killed";
          bar.appendChild(title);
          svg.appendChild(bar);
          if (b.fat) {
            var fh = Math.max(2, (height - 14) * 0.5 * b.fat / maxF);
            var fb = document.createElementNS(svgNS, "rect");
            fb.setAttribute("class", "imap-tl-fat" + (inside ? "" : " out"));
            fb.setAttribute("x", String(k * bw + bw * 0.25)); fb.setAttribute("width", String(Math.max(1, bw * 0.5)));
            fb.setAttribute("y", String(height - 12 - fh)); fb.setAttribute("height", String(fh));
            svg.appendChild(fb);
          }
        });
        [0, n - 1].forEach(function (k, j) {
          var t = document.createElementNS(svgNS, "text");
          t.setAttribute("class", "imap-tl-axis");
          t.setAttribute("x", String(j ? width - 2 : 2)); t.setAttribute("y", String(height - 1));
          t.setAttribute("text-anchor", j ? "end" : "start");
          t.textContent = isoDay(T.buckets[k].start);
          svg.appendChild(t);
        });
      }
      T.render = render;
      T.stop = stopPlay;
      global.addEventListener("resize", function () { render(null); });
      return T;
    }

    function drawTimeline() {
      if (!timeline) return;
      var days = perDay(), keys = Object.keys(days).map(Number).sort(function (a, b) { return a - b; });
      if (!keys.length) { timeline.buckets = []; timeline.render(null); rangeLabel(); return; }
      var first = keys[0], last = keys[keys.length - 1];
      if (state.from != null) first = Math.min(first, state.from);
      if (state.to != null) last = Math.max(last, state.to);
      var step = last - first > 120 ? 7 : 1;
      if (step === 7) first -= (new Date(first * DAY).getUTCDay() + 6) % 7;  // weeks start on Monday
      var buckets = [];
      for (var s = first; s <= last; s += step) buckets.push({start: s, n: 0, fat: 0});
      keys.forEach(function (d) {
        var b = buckets[Math.floor((d - first) / step)];
        if (b) { b.n += days[d][0]; b.fat += days[d][1]; }
      });
      timeline.buckets = buckets; timeline.step = step;
      timeline.render(null);
      rangeLabel();
    }
    function rangeLabel() {
      if (!timeline) return;
      var text = state.from == null && state.to == null ? "All dates" :
        (state.from == null ? "…" : isoDay(state.from)) + " – " + (state.to == null ? "…" : isoDay(state.to));
      timeline.label.textContent = text + (timeline.step === 7 ? " · bars: weeks" : " · bars: days");
      timeline.box.setAttribute("data-from", state.from == null ? "" : isoDay(state.from));
      timeline.box.setAttribute("data-to", state.to == null ? "" : isoDay(state.to));
    }

    /* A new date range from the timeline: the live map asks the server again, the standalone
     * map filters what it holds; both keep it in the URL. */
    function setRange(from, to, push) {
      state.from = from; state.to = to;
      if (live) {
        var params = new URLSearchParams(global.location.search);
        if (from == null) params.delete("since"); else params.set("since", isoDay(from));
        if (to == null) params.delete("until"); else params.set("until", isoDay(to));
        var qs = params.toString();
        var url = global.location.pathname + (qs ? "?" + qs : "") + global.location.hash;
        global.history[push ? "pushState" : "replaceState"](null, "", url);
        if (opts.onFilters) opts.onFilters(params);
        rangeLabel(); timeline.render(null);
        return reload();
      }
      draw();
      rangeLabel(); timeline.render(null);
      saveView(push);
    }

    // -- standalone: the embedded data and base map ------------------------------------
    if (opts.countries) outlines.addData(opts.countries);
    else if (live && opts.api.countries) {
      fetch(opts.api.countries).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (fc) { if (fc) outlines.addData(fc); });
    }
    if (opts.admin1) addAdmin1(opts.admin1);
    map.whenReady(scheduleLabels);
    global.incidentMapReady = false;
    setState("loading");
    if (live) reload();
    else unpack(opts.data).then(function (D) {
      setData(D);
      setStatus(fmt(D.n) + " incidents");
    });

    var handle = {
      map: map, clusters: clusters, state: state, reload: reload, redraw: draw, openPopup: openPopup, focus: focus,
      setRange: setRange, markers: function () { return state.markers; },
      /* Screen point (in the map container) of incident i's marker, or null when it is clustered or hidden. */
      markerPoint: function (i) {
        var m = state.markers[i];
        if (!m || !m._map) return null;
        var p = map.latLngToContainerPoint(m.getLatLng());
        return {x: p.x, y: p.y, r: m.getRadius()};
      }
    };
    global.IncidentMap.layers.push(handle);
    return handle;
  }

  function stepColor(steps, value) {
    var color = steps[0].color;
    steps.forEach(function (s) { if (value >= s.low) color = s.color; });
    return color;
  }

  function addLegend(map, opts) {
    var ctl = L.control({position: "bottomright"}), shadeRows = null;
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "imap-legend");
      var details = el("details", "", div);
      if (!narrow(map)) details.open = true;
      el("summary", "imap-legend-title", details, "Legend");
      opts.families.forEach(function (f) {
        var row = el("div", "imap-legend-row", details);
        el("span", "imap-swatch", row).style.background = f.color;
        row.appendChild(document.createTextNode(f.label));
      });
      el("div", "imap-legend-row imap-legend-note", details,
        "Circle size: killed + injured. Dashed outline: reported for a whole region. Rings: groups of incidents by kind.");
      shadeRows = el("div", "imap-legend-shade", details);
      shadeRows.hidden = true;
      el("div", "imap-legend-title", shadeRows, "Killed per region");
      opts.steps.forEach(function (s) {
        var row = el("div", "imap-legend-row", shadeRows);
        var sw = el("span", "imap-swatch imap-square", row);
        sw.style.background = s.color;
        row.appendChild(document.createTextNode(s.label));
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
    return {shade: function (on) { if (shadeRows) shadeRows.hidden = !on; }};
  }

  global.IncidentMap = {mount: mount, inflate: inflate, popupHtml: popupHtml, esc: esc, layers: [],
                        filterKeys: FILTER_KEYS};
})(window);
