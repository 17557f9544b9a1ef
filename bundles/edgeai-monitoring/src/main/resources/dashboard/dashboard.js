/* Edge AI Gateway dashboard: polls /api/v1/dashboard and /api/v1/health, plots with uPlot (bundled). */
(function () {
  'use strict';

  var REFRESH_MILLIS = 2000;
  var ACCURACY_WINDOW_MILLIS = 60000;
  var COLORS = ['#2b6cb0', '#dd6b20', '#2f855a', '#c53030', '#6b46c1', '#b7791f', '#00838f', '#d53f8c', '#4a5568',
    '#38a169', '#3182ce', '#e53e3e'];
  var charts = {};

  function select(data, name, kind, where) {
    return data.lines.filter(function (l) {
      if (l.name !== name || l.kind !== kind) { return false; }
      for (var k in (where || {})) { if (l.tags[k] !== where[k]) { return false; } }
      return true;
    });
  }

  /** Adds up lines that share a label (e.g. refusals of every reason of one connector); null + null stays null. */
  function sumBy(lines, labelOf) {
    var sums = {};
    lines.forEach(function (l) {
      var label = labelOf(l);
      var into = sums[label] || (sums[label] = l.values.map(function () { return null; }));
      l.values.forEach(function (v, i) { if (v !== null) { into[i] = (into[i] || 0) + v; } });
    });
    return Object.keys(sums).sort().map(function (label) { return {label: label, values: sums[label]}; });
  }

  function scaled(values, factor) {
    return values.map(function (v) { return v === null ? null : v * factor; });
  }

  function version(tags) { return tags.model + ' v' + tags.version; }

  /**
   * The ratio of the increases of two counters (given as rates per second at the sample times xs) over the window
   * before each sample, e.g. absolute errors over labels = MAE; null where the window saw no denominator.
   */
  function rolling(xs, numerator, denominator, seconds) {
    return xs.map(function (x, i) {
      var num = 0, den = 0;
      for (var j = i; j > 0 && x - xs[j - 1] <= seconds; j--) {
        var dt = xs[j] - xs[j - 1];
        num += (numerator[j] || 0) * dt;
        den += (denominator[j] || 0) * dt;
      }
      return den > 0 ? num / den : null;
    });
  }

  function formatValue(v) {
    if (v === null || v === undefined) { return '-'; }
    var a = Math.abs(v);
    return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
  }

  /** Plots series [{label, values}] against xs in the panel; records what it shows in data attributes and a table. */
  function render(id, xs, series) {
    var panel = document.getElementById(id);
    var title = panel.dataset.title;
    var unit = panel.dataset.unit || '';
    var time = panel.dataset.x !== 'epoch';
    series = series.filter(function (s) { return s.values.some(function (v) { return v !== null; }); });
    var total = 0;
    var rows = series.map(function (s) {
      var points = 0, last = null, max = null;
      s.values.forEach(function (v) {
        if (v !== null) { points++; last = v; max = max === null ? v : Math.max(max, v); }
      });
      total += points;
      return {label: s.label, points: points, last: last, max: max};
    });
    panel.dataset.points = String(total);
    panel.dataset.series = series.map(function (s) { return s.label; }).join('|');
    var chart = charts[id];
    if (!series.length || !xs.length) {
      if (chart) { chart.plot.destroy(); delete charts[id]; }
      panel.innerHTML = '<h2></h2><div class="empty">no data yet</div>';
      panel.querySelector('h2').textContent = title;
      return;
    }
    var data = [xs].concat(series.map(function (s) { return s.values; }));
    if (chart && chart.series === panel.dataset.series) {
      chart.plot.setData(data);
    } else {
      if (chart) { chart.plot.destroy(); }
      panel.innerHTML = '<h2></h2><div class="plot"></div><table class="series"><thead><tr><th>series</th>'
        + '<th>points</th><th>last</th><th>max</th></tr></thead><tbody></tbody></table>';
      panel.querySelector('h2').textContent = title;
      var opts = {
        width: Math.max(300, panel.clientWidth - 24),
        height: 220,
        scales: {x: {time: time}},
        axes: [{label: time ? '' : 'epoch'}, {size: 64, values: function (u, vals) {
          return vals.map(formatValue);
        }}],
        series: [{label: time ? 'time' : 'epoch'}].concat(series.map(function (s, i) {
          return {label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: !time,
            value: function (u, v) { return formatValue(v) + (unit ? ' ' + unit : ''); }};
        }))
      };
      chart = charts[id] = {plot: new uPlot(opts, data, panel.querySelector('.plot'))};
    }
    chart.series = panel.dataset.series;
    var body = panel.querySelector('table.series tbody');
    body.innerHTML = '';
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.dataset.series = r.label;
      tr.dataset.points = String(r.points);
      tr.dataset.last = r.last === null ? '' : String(r.last);
      tr.dataset.max = r.max === null ? '' : String(r.max);
      [r.label, String(r.points), formatValue(r.last), formatValue(r.max)].forEach(function (text) {
        var td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function update(data) {
    var xs = data.times.map(function (t) { return t / 1000; });
    document.getElementById('interval').textContent = String(data.intervalMillis / 1000);

    var received = select(data, 'edgeai.connector.received', 'rate').map(function (l) {
      return {label: 'received ' + l.tags.connector, values: l.values};
    });
    var rejected = sumBy(select(data, 'edgeai.connector.rejected', 'rate'), function (l) {
      return 'rejected ' + l.tags.connector;
    });
    render('chart-throughput', xs, received.concat(rejected));

    var connectorLatency = [];
    ['p50', 'p95', 'p99'].forEach(function (q) {
      select(data, 'edgeai.connector.latency', q).forEach(function (l) {
        connectorLatency.push({label: l.tags.connector + ' ' + q, values: l.values});
      });
    });
    render('chart-connector-latency', xs, connectorLatency);

    render('chart-model-requests', xs, select(data, 'edgeai.model.latency', 'rate').map(function (l) {
      return {label: version(l.tags), values: l.values};
    }));
    var modelLatency = [];
    ['p50', 'p99'].forEach(function (q) {
      select(data, 'edgeai.model.latency', q).forEach(function (l) {
        modelLatency.push({label: version(l.tags) + ' ' + q, values: l.values});
      });
    });
    render('chart-model-latency', xs, modelLatency);
    render('chart-batch', xs, select(data, 'edgeai.model.batch.rows', 'mean').map(function (l) {
      return {label: version(l.tags), values: l.values};
    }));
    render('chart-route-latency', xs, select(data, 'edgeai.route.latency', 'p99', {outcome: 'ok'}).map(function (l) {
      return {label: l.tags.route, values: l.values};
    }));
    render('chart-drift', xs, select(data, 'edgeai.drift.ks', 'value').map(function (l) {
      return {label: l.tags.model + ' ' + l.tags.feature, values: l.values};
    }));

    var span = ACCURACY_WINDOW_MILLIS / 1000;
    var accuracy = [];
    select(data, 'edgeai.accuracy.mae', 'value').forEach(function (l) {
      accuracy.push({label: version(l.tags) + ' MAE', values: l.values});
    });
    select(data, 'edgeai.accuracy.share', 'value').forEach(function (l) {
      accuracy.push({label: version(l.tags) + ' accuracy', values: l.values});
    });
    select(data, 'edgeai.accuracy.absolute.error', 'rate').forEach(function (err) {
      var labels = select(data, 'edgeai.accuracy.regressed', 'rate', err.tags)[0];
      if (labels) { accuracy.push({label: version(err.tags) + ' MAE last minute', values: rolling(xs, err.values, labels.values, span)}); }
    });
    select(data, 'edgeai.accuracy.correct', 'rate').forEach(function (correct) {
      var labels = select(data, 'edgeai.accuracy.classified', 'rate', correct.tags)[0];
      if (labels) { accuracy.push({label: version(correct.tags) + ' accuracy last minute', values: rolling(xs, correct.values, labels.values, span)}); }
    });
    render('chart-accuracy', xs, accuracy);

    var epochs = 0;
    data.jobs.forEach(function (j) { epochs = Math.max(epochs, j.trainLoss.length, j.validationLoss.length); });
    var epochXs = [];
    for (var e = 1; e <= epochs; e++) { epochXs.push(e); }
    var loss = [];
    data.jobs.forEach(function (j) {
      var pad = function (values) { return epochXs.map(function (_, i) { return i < values.length ? values[i] : null; }); };
      loss.push({label: j.model + ' ' + j.id + ' train', values: pad(j.trainLoss)});
      if (j.validationLoss.length) { loss.push({label: j.model + ' ' + j.id + ' validation', values: pad(j.validationLoss)}); }
    });
    render('chart-loss', epochXs, loss);

    var memory = [];
    select(data, 'process.resident.memory', 'value').forEach(function (l) {
      memory.push({label: 'resident', values: scaled(l.values, 1 / 1048576)});
    });
    select(data, 'jvm.heap.used', 'value').forEach(function (l) {
      memory.push({label: 'heap used', values: scaled(l.values, 1 / 1048576)});
    });
    render('chart-process', xs, memory);
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  /* The models' staged rollouts: state, the comparison with the active version, the fleet, and why one ended. */
  function updateRollouts(rollouts) {
    var body = document.querySelector('#rollouts tbody');
    body.innerHTML = '';
    document.getElementById('rollouts-empty').hidden = rollouts.length > 0;
    rollouts.forEach(function (r) {
      var f = r.figures;
      var figures = f ? f.stage.toLowerCase() + ': ' + f.compared + ' compared, errors ' + (100 * f.errorRate).toFixed(1)
        + ' %, p99 ' + fixed(f.candidateP99Millis, 1) + ' vs ' + fixed(f.activeP99Millis, 1) + ' ms, drift '
        + fixed(f.outputDrift, 3) : 'no requests yet';
      var devices = Object.keys(r.devices).map(function (v) { return 'v' + v + ': ' + r.devices[v]; }).join(', ');
      var tr = document.createElement('tr');
      tr.dataset.model = r.model;
      tr.dataset.state = r.state;
      [r.model, 'v' + r.version + ' (from v' + r.from + ')', r.state, figures, devices || '-', r.reason || '']
        .forEach(function (text) {
          var td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        });
      body.appendChild(tr);
    });
  }

  function fixed(value, digits) { return value === null || value === undefined ? '-' : value.toFixed(digits); }

  function updateHealth(health) {
    var overall = document.getElementById('overall');
    overall.textContent = health.status;
    overall.className = 'badge ' + health.status;
    var body = document.querySelector('#health tbody');
    body.innerHTML = '';
    health.components.forEach(function (c) {
      var tr = document.createElement('tr');
      tr.dataset.component = c.component;
      tr.dataset.status = c.status;
      var name = document.createElement('td');
      name.textContent = c.component;
      var status = document.createElement('td');
      status.className = 'status';
      var badge = document.createElement('span');
      badge.className = c.status;
      badge.textContent = c.status;
      status.appendChild(badge);
      var reason = document.createElement('td');
      reason.textContent = c.reason;
      tr.appendChild(name); tr.appendChild(status); tr.appendChild(reason);
      body.appendChild(tr);
    });
  }

  function fail(what, e) {
    var error = document.getElementById('error');
    error.hidden = false;
    error.textContent = 'Could not read ' + what + ': ' + e + ' (retrying)';
  }

  /* The token of an API credential, when the gateway asks for one: kept for this tab only, sent as a bearer token. */
  var TOKEN_KEY = 'edgeai.token';

  /* GETs JSON; health answers 503 with its JSON when a component is down, so it takes any status (allowStatus). */
  function get(path, allowStatus) {
    var token = sessionStorage.getItem(TOKEN_KEY);
    var headers = token ? {'Authorization': 'Bearer ' + token} : {};
    return fetch(path, {cache: 'no-store', headers: headers}).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        askForToken(token ? 'the token was refused (HTTP ' + r.status + ')' : '');
        throw new Error('HTTP ' + r.status + ': a credential with scope read is needed');
      }
      if (!r.ok && !allowStatus) { throw new Error('HTTP ' + r.status); }
      return r.json();
    });
  }

  function askForToken(why) {
    var form = document.getElementById('login');
    form.hidden = false;
    document.getElementById('login-error').textContent = why;
  }

  document.getElementById('login').addEventListener('submit', function (event) {
    event.preventDefault();
    var token = document.getElementById('token').value.trim();
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
    }
    document.getElementById('login').hidden = true;
    poll();
  });

  function poll() {
    get('/api/v1/dashboard').then(function (data) {
      updateRollouts(data.rollouts || []);
      document.getElementById('error').hidden = true;
      document.getElementById('login').hidden = true;
      update(data);
    }).catch(function (e) { fail('/api/v1/dashboard', e); });
    get('/api/v1/health', true).then(updateHealth).catch(function (e) { fail('/api/v1/health', e); });
  }

  poll();
  setInterval(poll, REFRESH_MILLIS);
})();
