// The rollout console's script: live sections refreshed from the server, confirmation dialogs, charts.
(function () {
  'use strict';

  // A section with data-live="url" is fetched again every data-every ms and swapped in place, unless the person is
  // in a dialog or typing in it. A redirect to the sign-in page (the session ended) goes there.
  var due = new WeakMap();

  function busy(section) {
    if (document.querySelector('dialog[open]')) { return true; }
    var active = document.activeElement;
    return active && section.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  }

  function refresh(section) {
    var url = section.getAttribute('data-live');
    return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } }).then(function (response) {
      if (response.redirected && response.url.indexOf('/console/login') >= 0) {
        window.location = response.url;
        return;
      }
      if (!response.ok) { stale(section, 'not updated: ' + response.status); return; }
      return response.text().then(function (html) {
        if (busy(section)) { return; }
        var template = document.createElement('template');
        template.innerHTML = html.trim();
        var fresh = template.content.firstElementChild;
        if (fresh && fresh.getAttribute('data-live')) {
          section.replaceWith(fresh);
          prepare(fresh);
        }
      });
    }).catch(function () { stale(section, 'not updated: the console does not answer'); });
  }

  function stale(section, text) {
    var dot = section.querySelector('.live-dot');
    if (dot) { dot.classList.add('stale'); dot.textContent = text; }
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-live]').forEach(function (section) {
      var every = parseInt(section.getAttribute('data-every') || '3000', 10);
      if (!due.has(section)) { due.set(section, now + every); return; }
      if (now >= due.get(section) && !busy(section)) {
        due.set(section, now + every);
        refresh(section);
      }
    });
  }

  // Buttons open their confirmation; Cancel closes it.
  document.addEventListener('click', function (event) {
    var opener = event.target.closest('[data-dialog]');
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute('data-dialog'));
      if (dialog) { dialog.showModal(); }
      return;
    }
    var closer = event.target.closest('[data-close]');
    if (closer) { closer.closest('dialog').close(); }
  });

  function prepare(root) {
    root.querySelectorAll('[data-width]').forEach(function (el) { el.style.width = el.getAttribute('data-width') + '%'; });
    root.querySelectorAll('[data-left]').forEach(function (el) { el.style.left = el.getAttribute('data-left') + '%'; });
    root.querySelectorAll('[data-chart]').forEach(draw);
  }

  // A KPI over time, with its limit as a dashed line; fractions read as percentages.
  function draw(el) {
    if (typeof uPlot === 'undefined') { return; }
    var c = JSON.parse(el.getAttribute('data-chart'));
    var xs = c.at, ys = c.values;
    if (xs.length === 1) { xs = [xs[0] - 60, xs[0]]; ys = [ys[0], ys[0]]; }
    var hasLimit = c.limit !== '';
    var data = [xs, ys];
    var series = [{}, { label: 'value', stroke: '#2453a6', width: 2, points: { show: true, size: 5 },
      value: function (u, v) { return format(v, c.fraction); } }];
    if (hasLimit) {
      data.push(xs.map(function () { return c.limit; }));
      series.push({ label: 'limit', stroke: '#b42318', dash: [6, 4], width: 1, points: { show: false },
        value: function (u, v) { return format(v, c.fraction); } });
    }
    el.textContent = '';
    var width = Math.max(300, el.clientWidth || 380);
    new uPlot({ width: width, height: 180, series: series, legend: { show: true },
      axes: [{}, { values: function (u, vals) { return vals.map(function (v) { return format(v, c.fraction); }); }, size: 64 }],
      scales: { x: { time: true } } }, data, el);
  }

  function format(v, fraction) {
    if (v === null || v === undefined) { return '-'; }
    if (fraction) { return (Math.round(v * 100 * 1000) / 1000) + '%'; }
    return String(Math.round(v * 1000) / 1000);
  }

  document.addEventListener('DOMContentLoaded', function () {
    prepare(document);
    setInterval(tick, 250);
  });
})();
