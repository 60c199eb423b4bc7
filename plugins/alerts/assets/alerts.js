// Urgent alerts, live. Loaded on every page of a member (the `layout:scripts` filter). The
// banners work without it (forms); this keeps an open page current: when an alert for this
// member is sent, updated, closed or answered elsewhere, the socket says "look" and the page
// fetches its banners again (GET, the same access checks as a page). On an alert's dashboard
// it also follows the figures. Reconnects with a growing delay.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !('WebSocket' in window)) return;
  var socketPath = script.dataset.socket;
  var bannersPath = script.dataset.banners;
  var region = document.getElementById('page-banners');
  var dashboard = document.querySelector('[data-alert-dashboard]');
  var delay = 1000;

  function here() {
    return location.pathname + location.search;
  }

  function swap(target, url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null && target) target.innerHTML = html;
      })
      .catch(function () {});
  }

  function refreshBanners() {
    if (region) swap(region, bannersPath + '?next=' + encodeURIComponent(here()));
  }

  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + socketPath);
    ws.onopen = function () {
      delay = 1000;
      if (dashboard) ws.send(JSON.stringify({ type: 'watch', alert: Number(dashboard.dataset.alertDashboard) }));
    };
    ws.onmessage = function (event) {
      var e;
      try {
        e = JSON.parse(event.data);
      } catch {
        return;
      }
      if (e.type === 'alert') refreshBanners();
      else if (e.type === 'changed' && dashboard && Number(dashboard.dataset.alertDashboard) === e.alert) swap(dashboard, dashboard.dataset.src);
      else if (e.type === 'ready') document.documentElement.dataset.alertsLive = 'on';
    };
    ws.onclose = function () {
      document.documentElement.dataset.alertsLive = 'off';
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
