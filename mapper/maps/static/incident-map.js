/* incident-map: draws incidents embedded once as compact columns (see mapper/layers.py).
 *
 * One canvas circle marker per incident inside a marker-cluster group per event family,
 * region-precision incidents as their admin-1 polygon, a heat layer, a date-range control
 * and a legend. Strings arrive HTML-escaped from Python (`fromGeoJSON` escapes its own), so
 * popups are assembled from safe pieces only.
 */
(function (global) {
  "use strict";

  var PRECISION = {1: "the named town", 2: "near or part of a town", 3: "region (area shown)"};
  var DAY = 86400000;

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}[c];
    });
  }

  function isoDay(day) {
    return day == null ? "" : new Date(day * DAY).toISOString().slice(0, 10);
  }

  function radius(fat, inj) {
    var n = (fat || 0) + (inj || 0);
    return Math.min(22, 5 + 2.2 * Math.sqrt(n));
  }

  /* Column data of a GeoJSON FeatureCollection of incidents (e.g. from /api/incidents). */
  function fromGeoJSON(fc, families) {
    var strings = [""], index = {"": 0};
    function s(v) {
      v = esc(v);
      if (!(v in index)) { index[v] = strings.length; strings.push(v); }
      return index[v];
    }
    var famIndex = {};
    families.forEach(function (f, i) { famIndex[f.key] = i; });
    var cols = {lat: [], lon: [], fam: [], prec: [], fat: [], inj: [], d: [], e: [], t: [], st: [],
                loc: [], adm: [], cc: [], att: [], src: [], url: [], pub: [], a1: [], a2: [], q: [],
                id: [], ns: [], reg: []};
    fc.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var day = function (iso) { return iso ? Math.round(Date.parse(iso) / DAY) : null; };
      var url = /^https?:\/\//i.test(p.source_url || "") ? p.source_url : "";
      cols.lat.push(c[1]); cols.lon.push(c[0]);
      cols.fam.push(famIndex[p.family] !== undefined ? famIndex[p.family] : families.length - 1);
      cols.prec.push(p.geo_precision || 1); cols.fat.push(p.fatalities); cols.inj.push(p.injured);
      cols.d.push(day(p.event_date)); cols.e.push(day(p.event_date_end));
      cols.t.push(s(p.event_type)); cols.st.push(s(p.sub_event_type)); cols.loc.push(s(p.location));
      cols.adm.push(s(p.admin1)); cols.cc.push(s(p.country)); cols.att.push(s(p.attribution));
      cols.src.push(s(p.source)); cols.url.push(s(url)); cols.pub.push(s(p.published));
      cols.a1.push(s(p.actor1)); cols.a2.push(s(p.actor2)); cols.q.push(esc(p.quote));
      cols.id.push(s(p.id)); cols.ns.push((p.sources || []).length); cols.reg.push(0);
    });
    cols.s = strings; cols.n = fc.features.length; cols.d0 = 0; cols.regions = {}; cols.regionCodes = [""];
    return cols;
  }

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
    html += '<div class="imap-place">' + place + ' <span class="imap-prec">— precision: ' +
      (PRECISION[D.prec[i]] || D.prec[i]) + "</span></div>";
    if (S[D.a1[i]]) html += '<div class="imap-actors">' + S[D.a1[i]] + (S[D.a2[i]] ? " vs " + S[D.a2[i]] : "") + "</div>";
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

  function clusterIcon(color) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
      return L.divIcon({
        html: '<div style="background:' + color + '"><span>' + n + "</span></div>",
        className: "imap-cluster", iconSize: L.point(size, size)
      });
    };
  }

  /* Large maps embed their columns as gzip-compressed JSON in base85 (mapper/layers.py:
   * packed_json); the browser inflates them natively. */
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

  function addIncidents(map, D, opts, groups) {
    if (D.b85) {
      global.incidentMapReady = false;
      inflate(D).then(function (data) { addIncidents(map, data, opts, groups); });
      return null;
    }
    var canvas = L.canvas({padding: 0.5});
    // shared defaults on the prototype: each of up to 100,000 markers copies only what differs
    var Dot = L.CircleMarker.extend({options: {renderer: canvas, color: "#ffffff", weight: 1, fillOpacity: 0.8}});
    var fams = opts.families;
    var markers = [], heatGroup = groups.__heat__;
    var state = {from: opts.dayMin, to: opts.dayMax, ready: false};
    var pending = {};
    function markReady() {
      state.ready = true;
      global.incidentMapReady = true;
      if (global.incidentMapReadyAt == null && global.performance) global.incidentMapReadyAt = performance.now();
    }
    function loaded(f) {
      delete pending[f];
      if (!Object.keys(pending).length) markReady();
    }
    var clusters = fams.map(function (f, fi) {
      var g = L.markerClusterGroup({
        // chunks of 150 ms keep the page responsive while loading; 5 ms gaps (default 50) waste no time
        chunkedLoading: true, chunkInterval: 150, chunkDelay: 5, maxClusterRadius: 80, spiderfyOnMaxZoom: true,
        animate: false,
        showCoverageOnHover: false, disableClusteringAtZoom: 10, iconCreateFunction: clusterIcon(f.color),
        chunkProgress: function (done, total) { if (done >= total) loaded(fi); }
      });
      g.on("click", function (ev) {
        L.popup({maxWidth: 340}).setLatLng(ev.layer.getLatLng())
          .setContent(popupHtml(D, ev.layer._imi, opts)).openOn(map);
      });
      if (groups[f.key]) groups[f.key].addLayer(g);
      return g;
    });
    var regionLayers = fams.map(function (f) {
      var lg = L.layerGroup();
      if (groups[f.key]) groups[f.key].addLayer(lg);
      return lg;
    });
    for (var i = 0; i < D.n; i++) {
      var code = D.reg[i] ? D.regionCodes[D.reg[i]] : null;
      if (code && D.regions[code]) { markers.push(null); continue; }
      var m = new Dot([D.lat[i], D.lon[i]], D.prec[i] === 3 ?
        {radius: radius(D.fat[i], D.inj[i]), fillColor: fams[D.fam[i]].color, dashArray: "3 3"} :
        {radius: radius(D.fat[i], D.inj[i]), fillColor: fams[D.fam[i]].color});
      m._imi = i;
      markers.push(m);
    }

    function visible(i) {
      if (D.d[i] == null) return state.from <= opts.dayMin && state.to >= opts.dayMax;
      var d = D.d0 + D.d[i], e = D.e[i] == null ? d : D.d0 + D.e[i];
      return e >= state.from && d <= state.to;
    }

    function draw() {
      var byFam = fams.map(function () { return []; }), heat = [], counts = fams.map(function () { return 0; });
      var regionHits = {};
      for (var i = 0; i < D.n; i++) {
        if (!visible(i)) continue;
        var f = D.fam[i];
        counts[f]++;
        if (markers[i]) {
          byFam[f].push(markers[i]);
          heat.push([D.lat[i], D.lon[i], Math.min(1, 0.35 + 0.08 * ((D.fat[i] || 0) + (D.inj[i] || 0)))]);
        } else {
          var key = f + "|" + D.reg[i];
          (regionHits[key] = regionHits[key] || []).push(i);
        }
      }
      regionLayers.forEach(function (lg) { lg.clearLayers(); });
      Object.keys(regionHits).forEach(function (key) {
        var list = regionHits[key], f = +key.split("|")[0];
        var code = D.regionCodes[D.reg[list[0]]], region = D.regions[code];
        var layer = L.geoJSON(region.geometry, {style: {
          color: fams[f].color, weight: 2, dashArray: "5 4", fillColor: fams[f].color, fillOpacity: 0.12
        }});
        var shown = list.slice(0, 10).map(function (i) { return popupHtml(D, i, opts); }).join("<hr>");
        var more = list.length > 10 ? '<div class="imap-more">and ' + (list.length - 10) + " more</div>" : "";
        layer.bindPopup('<div class="imap-region">' + region.name + " — " + list.length +
          " incident" + (list.length > 1 ? "s" : "") + " reported for the region</div>" + shown + more,
          {maxWidth: 340, maxHeight: 320});
        regionLayers[f].addLayer(layer);
      });
      state.ready = global.incidentMapReady = false;
      global.incidentMapReadyAt = null;  // set again when this drawing is complete
      clusters.forEach(function (g, f) {
        g.clearLayers();
        // chunkProgress reports only for a group on the map with something to add
        if (byFam[f].length && g._map) pending[f] = true;
      });
      clusters.forEach(function (g, f) { g.addLayers(byFam[f]); });
      if (!Object.keys(pending).length) markReady();
      if (heatGroup) {
        heatGroup.clearLayers();
        heatGroup.addLayer(L.heatLayer(heat, {radius: 18, blur: 15, maxZoom: 10, minOpacity: 0.25}));
      }
      fams.forEach(function (fam, f) {
        var spans = document.querySelectorAll('.imap-count[data-family="' + fam.key + '"]');
        for (var k = 0; k < spans.length; k++) spans[k].textContent = "(" + counts[f].toLocaleString("en") + ")";
      });
    }

    global.incidentMapReady = false;
    draw();
    if (opts.timeline && opts.dayMax > opts.dayMin) addTimeline(map, opts, state, draw);
    if (opts.legend) addLegend(map, opts);
    if (opts.attribution) {
      map.attributionControl.setPrefix("Leaflet");
      map.attributionControl.addAttribution(opts.attribution);
    }
    var handle = {
      clusters: clusters, state: state, redraw: draw,
      /* Opens the popup of incident `i` (column index), zoomed in past clustering. */
      openPopup: function (i) {
        var m = markers[i];
        if (!m) return false;
        map.closePopup();
        map.setView(m.getLatLng(), Math.max(map.getZoom(), 12), {animate: false});
        L.popup({maxWidth: 340}).setLatLng(m.getLatLng()).setContent(popupHtml(D, i, opts)).openOn(map);
        return true;
      }
    };
    global.IncidentMap.layers.push(handle);
    return handle;
  }

  function addTimeline(map, opts, state, draw) {
    var ctl = L.control({position: "bottomleft"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "imap-timeline");
      var label = L.DomUtil.create("div", "imap-timeline-label", div);
      var from = L.DomUtil.create("input", "", div), to = L.DomUtil.create("input", "", div);
      [from, to].forEach(function (input) {
        input.type = "range"; input.min = opts.dayMin; input.max = opts.dayMax; input.step = 1;
      });
      from.value = opts.dayMin; to.value = opts.dayMax;
      from.setAttribute("aria-label", "from date"); to.setAttribute("aria-label", "to date");
      var timer = null;
      function update() {
        var a = +from.value, b = +to.value;
        if (a > b) { if (this === from) { to.value = a; b = a; } else { from.value = b; a = b; } }
        state.from = a; state.to = b;
        label.textContent = isoDay(a) + " – " + isoDay(b);
        clearTimeout(timer);
        timer = setTimeout(draw, 150);
      }
      from.addEventListener("input", update); to.addEventListener("input", update);
      label.textContent = isoDay(opts.dayMin) + " – " + isoDay(opts.dayMax);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
  }

  function addLegend(map, opts) {
    var ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "imap-legend");
      var title = L.DomUtil.create("div", "imap-legend-title", div);
      title.textContent = "Incidents";
      opts.families.forEach(function (f) {
        if (opts.present && opts.present.indexOf(f.key) < 0) return;
        var row = L.DomUtil.create("div", "imap-legend-row", div);
        var sw = L.DomUtil.create("span", "imap-swatch", row);
        sw.style.background = f.color;
        row.appendChild(document.createTextNode(f.label));
      });
      var size = L.DomUtil.create("div", "imap-legend-row imap-legend-note", div);
      size.textContent = "Circle size: killed + injured. Dashed outline: reported for a whole region.";
      if (opts.choropleth) {
        var ct = L.DomUtil.create("div", "imap-legend-title", div);
        ct.textContent = "Fatalities by region";
        opts.choropleth.forEach(function (step) {
          var row = L.DomUtil.create("div", "imap-legend-row", div);
          var sw = L.DomUtil.create("span", "imap-swatch imap-square", row);
          sw.style.background = step.color;
          row.appendChild(document.createTextNode(step.label));
        });
      }
      return div;
    };
    ctl.addTo(map);
  }

  global.IncidentMap = {addIncidents: addIncidents, inflate: inflate, fromGeoJSON: fromGeoJSON, popupHtml: popupHtml, esc: esc,
                        layers: []};
})(window);
