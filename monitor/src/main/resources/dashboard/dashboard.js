// The dashboard renders what the monitor's JSON API answers (/api/...), every few seconds, and nothing else.
(function () {
  'use strict';

  const REFRESH_MS = 5000;
  const state = { window: '1h', sort: 'rate', chart: null };

  const el = (id) => document.getElementById(id);
  const text = (value) => (value === null || value === undefined || value === '' ? '–' : String(value));

  async function get(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      let detail = response.status + ' ' + response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(path + ': ' + detail);
    }
    return response.json();
  }

  function cell(row, value, cls) {
    const td = document.createElement('td');
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = text(value); }
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function fill(tableId, rows, render) {
    const body = el(tableId).querySelector('tbody');
    body.replaceChildren();
    if (rows.length === 0) {
      const row = document.createElement('tr');
      const td = cell(row, 'none');
      td.colSpan = el(tableId).querySelectorAll('thead th').length;
      td.className = 'hint';
      body.appendChild(row);
      return;
    }
    rows.forEach((item) => {
      const row = document.createElement('tr');
      render(row, item);
      body.appendChild(row);
    });
  }

  function percent(rate) {
    return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + ' %';
  }

  function millis(ms) {
    if (ms === null || ms === undefined) { return '–'; }
    if (ms < 0) { return '> 1 h'; }
    return ms < 1000 ? ms + ' ms' : (ms / 1000) + ' s';
  }

  function age(seconds) {
    if (seconds < 120) { return seconds + ' s'; }
    if (seconds < 7200) { return Math.floor(seconds / 60) + ' min'; }
    return Math.floor(seconds / 3600) + ' h';
  }

  function renderSummary(summary) {
    const tiles = {
      accepted: summary.accepted,
      delivered: summary.delivered,
      deliveryRate: percent(summary.deliveryRate),
      failed: summary.failed,
      failedByClassification: Object.entries(summary.failedByClassification || {}).map(([k, v]) => k + ' ' + v).join(', '),
      stuckNow: summary.stuckNow,
      unmatched: summary.unmatched,
      latencyP50Ms: millis(summary.latencyP50Ms),
      latencyP95Ms: millis(summary.latencyP95Ms),
    };
    document.querySelectorAll('[data-tile]').forEach((node) => {
      node.textContent = text(tiles[node.dataset.tile]);
    });
  }

  function renderChart(series) {
    const data = [series.minutes.map((m) => m / 1000), series.delivered, series.failed, series.stuck, series.accepted];
    const width = Math.max(320, el('chart').clientWidth || 900);
    if (state.chart) {
      state.chart.setData(data);
      return;
    }
    state.chart = new uPlot({
      width: width,
      height: 240,
      series: [
        {},
        { label: 'delivered', stroke: '#1a7f37' },
        { label: 'failed', stroke: '#b3261e' },
        { label: 'stuck', stroke: '#9a6700' },
        { label: 'accepted', stroke: '#5b6475', dash: [4, 4] },
      ],
      axes: [{}, { label: 'per minute' }],
    }, data, el('chart'));
  }

  function historyLink(delivery) {
    const a = document.createElement('a');
    a.href = delivery.historyUrl;
    a.className = 'history';
    a.textContent = delivery.msgKey;
    a.addEventListener('click', async (event) => {
      event.preventDefault();
      el('history-key').textContent = delivery.msgKey;
      el('history-body').textContent = 'loading…';
      el('history').showModal();
      try {
        el('history-body').textContent = JSON.stringify(await get(delivery.historyUrl), null, 2);
      } catch (e) {
        el('history-body').textContent = e.message;
      }
    });
    return a;
  }

  function renderDeliveries(tableId, deliveries) {
    fill(tableId, deliveries, (row, d) => {
      cell(row, historyLink(d));
      cell(row, d.recipientMasked);
      cell(row, d.provider);
      cell(row, d.origin);
      cell(row, d.template);
      cell(row, age(d.ageSeconds), 'num');
      const code = cell(row, d.code);
      code.title = [d.classification, d.text].filter(Boolean).join(': ');
    });
  }

  let latest = 0; // answers of a refresh overtaken by a newer one (a window change) are dropped

  async function refresh() {
    const mine = ++latest;
    const w = encodeURIComponent(state.window);
    try {
      const [summary, series, breakdown, failures, stuck, failed, alerts] = await Promise.all([
        get('/api/summary?window=' + w), get('/api/timeseries?window=' + w),
        get('/api/breakdown?window=' + w + '&sort=' + state.sort + '&limit=50'), get('/api/failures?window=' + w + '&limit=10'),
        get('/api/deliveries/stuck?limit=20'), get('/api/deliveries/failed?window=' + w + '&limit=20'), get('/api/alerts')]);
      if (mine !== latest) {
        return;
      }
      renderSummary(summary);
      renderChart(series);
      fill('breakdown', breakdown, (row, r) => {
        [r.provider, r.channel, r.template, r.origin].forEach((v) => cell(row, v));
        [r.accepted, r.delivered, r.failed, r.stuck].forEach((v) => cell(row, v, 'num'));
        cell(row, percent(r.deliveryRate), 'num');
      });
      fill('failures', failures, (row, f) => {
        [f.provider, f.code, f.classification, f.text].forEach((v) => cell(row, v));
        cell(row, f.count, 'num');
        cell(row, new Date(f.lastSeen).toLocaleTimeString());
      });
      renderDeliveries('stuck', stuck);
      renderDeliveries('failed', failed);
      fill('alerts', alerts, (row, a) => {
        row.className = a.state === 'FIRING' ? 'firing' : 'resolved';
        cell(row, a.state);
        cell(row, a.alertname);
        cell(row, (a.labels || {}).provider);
        cell(row, a.summary);
        cell(row, new Date(a.startsAt).toLocaleString());
        cell(row, a.endsAt ? new Date(a.endsAt).toLocaleString() : '');
      });
      el('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      el('updated').dataset.ready = 'true';
      el('error').hidden = true;
    } catch (e) {
      el('error').textContent = e.message;
      el('error').hidden = false;
    }
  }

  el('window').addEventListener('change', (event) => {
    state.window = event.target.value;
    refresh();
  });
  document.querySelectorAll('#breakdown th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    state.sort = th.dataset.sort;
    refresh();
  }));
  refresh();
  setInterval(refresh, REFRESH_MS);
}());
