/* incident-map: the charts page. Reads /api/summary for the filters in the URL (all matching
 * incidents) and draws it with Chart.js, served from its pinned npm package. Text from the
 * data reaches the page only through textContent and Chart.js's canvas text. */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  var config = JSON.parse(root.getAttribute("data-config"));
  var DAY = 86400000;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  function monday(iso) {
    var d = Date.parse(iso + "T00:00:00Z"), wd = (new Date(d).getUTCDay() + 6) % 7;
    return new Date(d - wd * DAY).toISOString().slice(0, 10);
  }

  /* Weeks from the first to the last, with no gaps, and per family the sum of column `k`. */
  function weekly(days, k) {
    if (!days.length) return {weeks: [], series: {}};
    var first = Date.parse(monday(days[0][0]) + "T00:00:00Z"), last = Date.parse(monday(days[days.length - 1][0]) + "T00:00:00Z");
    var weeks = [];
    for (var t = first; t <= last; t += 7 * DAY) weeks.push(new Date(t).toISOString().slice(0, 10));
    var index = {};
    weeks.forEach(function (w, i) { index[w] = i; });
    var series = {};
    days.forEach(function (row) {
      var s = series[row[1]] = series[row[1]] || weeks.map(function () { return 0; });
      s[index[monday(row[0])]] += row[k];
    });
    return {weeks: weeks, series: series};
  }

  function stacked(id, data) {
    var datasets = config.families.filter(function (f) { return data.series[f.key]; }).map(function (f) {
      return {label: f.label, data: data.series[f.key], backgroundColor: f.color, stack: "all"};
    });
    return new Chart(document.getElementById(id), {
      type: "bar",
      data: {labels: data.weeks, datasets: datasets},
      options: {scales: {x: {stacked: true, ticks: {maxRotation: 0, autoSkip: true}}, y: {stacked: true, beginAtZero: true}},
                plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}}}
    });
  }

  function ranking(id, rows, label, value, color) {
    return new Chart(document.getElementById(id), {
      type: "bar",
      data: {labels: rows.map(label), datasets: [{label: "", data: rows.map(value), backgroundColor: color}]},
      options: {indexAxis: "y", plugins: {legend: {display: false}}, scales: {x: {beginAtZero: true}}}
    });
  }

  var qs = new URLSearchParams(config.filters).toString();
  fetch(config.summary + (qs ? "?" + qs : "")).then(function (r) {
    return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || r.status); return body; });
  }).then(function (s) {
    var days = s.days;
    if (config.filters.since || config.filters.until) {  // the charts show the chosen dates only
      days = days.filter(function (row) {
        return (!config.filters.since || row[0] >= config.filters.since) && (!config.filters.until || row[0] <= config.filters.until);
      });
    }
    document.getElementById("totals").textContent = s.total.toLocaleString("en") + " incidents, " +
      s.fatalities.toLocaleString("en") + " people killed and " + s.injured.toLocaleString("en") + " injured" +
      (qs ? " for these filters" : "") + ".";
    stacked("chart-incidents", weekly(days, 2));
    stacked("chart-fatalities", weekly(days, 3));
    var regions = s.regions.filter(function (r) { return r.fatalities > 0; }).slice(0, 10);
    ranking("chart-regions", regions, function (r) { return r.name + (r.country ? " (" + r.country + ")" : ""); },
            function (r) { return r.fatalities; }, "#b2182b");
    ranking("chart-actors", s.actors, function (a) { return a.name; }, function (a) { return a.incidents; }, "#4a6f94");
    root.setAttribute("data-state", "ready");
    root.setAttribute("data-total", String(s.total));
  }).catch(function (err) {
    document.getElementById("totals").textContent = "Error: " + err.message;
    root.setAttribute("data-state", "error");
  });
})();
