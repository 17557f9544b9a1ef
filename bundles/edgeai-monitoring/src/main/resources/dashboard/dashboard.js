/* Edge AI Gateway dashboard: polls /api/v1/dashboard and /api/v1/health, plots with uPlot (bundled). */
(function () {
  'use strict';

  var REFRESH_MILLIS = 2000;
  var ACCURACY_WINDOW_MILLIS = 60000;
  var COLORS = ['#2b6cb0', '#dd6b20', '#2f855a', '#c53030', '#6b46c1', '#b7791f', '#00838f', '#d53f8c', '#4a5568',
    '#38a169', '#3182ce', '#e53e3e'];
  var charts = {};
  var last = null; // the newest answer of /api/v1/dashboard

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
    return a >= 1e6 ? v.toExponential(1) : a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : a >= 0.001 || a === 0
      ? v.toPrecision(3) : v.toExponential(1);
  }

  /** The window shown (minutes): the operator's last choice in this browser, else 30. */
  var WINDOW_KEY = 'edgeai.window';
  var windowMinutes = Number(localStorage.getItem(WINDOW_KEY)) || 30;
  var windowRange = null; // [from, to] in seconds, for the time axes

  /**
   * Plots series [{label, values}] against xs in the panel; records what it shows in data attributes and a table.
   * Panel options: data-top="n" plots the n series with the largest last values (the table lists them all);
   * data-log="auto" uses a log scale when the positive values span more than two decades; data-empty is what to do
   * when there is nothing to plot.
   */
  function render(id, xs, series) {
    var panel = document.getElementById(id);
    var title = panel.dataset.title;
    var unit = panel.dataset.unit || '';
    var time = panel.dataset.x !== 'epoch';
    series = series.filter(function (s) { return s.values.some(function (v) { return v !== null; }); });
    var total = 0;
    var rows = series.map(function (s) {
      var points = 0, last = null, max = null, min = null;
      s.values.forEach(function (v) {
        if (v !== null) {
          points++; last = v; max = max === null ? v : Math.max(max, v); min = min === null ? v : Math.min(min, v);
        }
      });
      total += points;
      s.last = last;
      return {label: s.label, points: points, last: last, max: max, min: min};
    });
    var plotted = series;
    var top = Number(panel.dataset.top || 0);
    if (top && series.length > top) {
      plotted = series.slice().sort(function (a, b) { return (b.last || 0) - (a.last || 0); }).slice(0, top);
      title += ' (the ' + top + ' largest of ' + series.length + ')';
    }
    var log = false;
    if (panel.dataset.log === 'auto') {
      var lo = Infinity, hi = 0, nonPositive = false;
      plotted.forEach(function (s) {
        s.values.forEach(function (v) {
          if (v === null) { return; }
          if (v <= 0) { nonPositive = true; } else { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        });
      });
      log = !nonPositive && hi > 0 && hi / lo > 100;
      if (log) { title += ' · log scale'; }
    }
    panel.dataset.points = String(total);
    panel.dataset.series = series.map(function (s) { return s.label; }).join('|');
    panel.dataset.scale = log ? 'log' : 'linear';
    var chart = charts[id];
    if (!series.length || !xs.length) {
      if (chart) { chart.plot.destroy(); delete charts[id]; }
      panel.innerHTML = '<h2></h2><div class="empty"></div>';
      panel.querySelector('h2').textContent = panel.dataset.title;
      panel.querySelector('.empty').textContent = panel.dataset.empty || 'Nothing in this window.';
      return;
    }
    var data = [xs].concat(plotted.map(function (s) { return s.values; }));
    var shape = plotted.map(function (s) { return s.label; }).join('|') + (log ? '#log' : '') + '#' + title;
    if (chart && chart.shape === shape) {
      chart.plot.setData(data);
    } else {
      if (chart) { chart.plot.destroy(); }
      panel.innerHTML = '<h2></h2><div class="plot"></div><table class="series"><thead><tr><th>series</th>'
        + '<th>points</th><th>last</th><th>max</th></tr></thead><tbody></tbody></table>';
      panel.querySelector('h2').textContent = title;
      var opts = {
        width: Math.max(300, panel.clientWidth - 24),
        height: 220,
        scales: {
          x: time ? {time: true, range: function (u, min, max) { return windowRange || [min, max]; }} : {time: false},
          y: log ? {distr: 3} : {}
        },
        axes: [{label: time ? '' : 'epoch'}, {size: function (u, values) {
          // wide enough for the longest tick label (log scales label 1.0e-14)
          return 16 + 7 * Math.max(4, Math.max.apply(null, (values || []).map(function (v) { return v.length; })));
        }, values: function (u, vals) {
          return vals.map(formatValue);
        }}],
        // without the cursor on the chart, the legend shows each series' last value
        series: [{label: time ? 'time' : 'epoch'}].concat(plotted.map(function (s, i) {
          return {label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: !time,
            value: function (u, v, si, idx) {
              var shown = idx === null || idx === undefined ? lastOf(u.data[si]) : v;
              return formatValue(shown) + (unit && shown !== null ? ' ' + unit : '');
            }};
        }))
      };
      chart = charts[id] = {plot: new uPlot(opts, data, panel.querySelector('.plot'))};
    }
    chart.shape = shape;
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

  function lastOf(values) {
    for (var i = (values || []).length - 1; i >= 0; i--) { if (values[i] !== null) { return values[i]; } }
    return null;
  }

  function cell(tr, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) { td.className = className; }
    tr.appendChild(td);
    return td;
  }

  /** "12 s ago", "3 min ago", "2 h ago" from epoch millis. */
  function ago(millis, now) {
    var s = Math.max(0, Math.round((now - millis) / 1000));
    return s < 90 ? s + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : s < 172800
      ? Math.round(s / 3600) + ' h ago' : Math.round(s / 86400) + ' d ago';
  }

  function duration(millis) {
    var s = Math.round(millis / 1000);
    return s < 90 ? s + ' s' : s < 5400 ? Math.round(s / 60) + ' min' : (s / 3600).toFixed(1) + ' h';
  }

  /** The top contributions as text: "pressure 6.6, flow 0.4". */
  function why(contributions, most) {
    return Object.keys(contributions || {}).slice(0, most).map(function (name) {
      return name + ' ' + contributions[name].toFixed(1);
    }).join(', ');
  }

  /* Devices: in an episode first, then by score, then the most recently heard of. */
  function updateDevices(data) {
    var body = document.querySelector('#devices tbody');
    var filter = document.getElementById('device-filter');
    var text = filter.value.trim().toLowerCase();
    body.innerHTML = '';
    document.getElementById('devices-empty').hidden = data.deviceCount > 0;
    document.getElementById('devices').hidden = data.deviceCount === 0;
    filter.hidden = data.deviceCount < 10;
    document.getElementById('device-count').textContent = data.deviceCount === 0 ? '' : data.devices.length
      < data.deviceCount ? data.devices.length + ' of ' + data.deviceCount + ' (those in an episode and with the highest'
      + ' scores first)' : String(data.deviceCount);
    data.devices.forEach(function (d) {
      if (text && d.id.toLowerCase().indexOf(text) < 0) { return; }
      var tr = document.createElement('tr');
      tr.dataset.device = d.id;
      tr.dataset.model = d.model || '';
      tr.dataset.version = d.version === undefined ? '' : String(d.version);
      tr.dataset.state = d.state || '';
      tr.dataset.anomaly = String(d.anomaly === true);
      tr.dataset.score = d.score === undefined ? '' : String(d.score);
      var causes = Object.keys(d.contributions || {});
      tr.dataset.cause = causes.length ? causes[0] : '';
      if (d.anomaly) { tr.className = 'in-episode'; }
      cell(tr, d.id);
      var status = cell(tr, '');
      var badge = document.createElement('span');
      badge.className = 'verdict ' + (d.anomaly ? 'ANOMALY' : d.score !== undefined ? 'NORMAL' : 'OTHER');
      badge.textContent = d.anomaly ? 'anomaly' : d.score !== undefined ? 'normal' : d.state === 'LEARNING'
        ? (d.detail || 'learning') : d.state ? d.state.toLowerCase() : d.model ? 'answered' : 'received';
      status.appendChild(badge);
      cell(tr, d.score === undefined ? '-' : d.score.toFixed(2) + ' / ' + d.threshold.toFixed(2), 'number');
      cell(tr, d.output === undefined ? '-' : formatValue(d.output), 'number');
      cell(tr, d.model ? d.model + (d.version !== undefined ? ' v' + d.version : '') : '-');
      cell(tr, ago(d.seen, data.now));
      cell(tr, why(d.contributions, 3));
      body.appendChild(tr);
    });
  }

  /* Open episodes, each with the values that drove its alert as bars (rarity in decades: 3 = one in 1,000). */
  function updateEpisodes(data) {
    var open = data.episodes.filter(function (e) { return e.open; });
    var box = document.getElementById('episodes');
    box.innerHTML = '';
    document.getElementById('episodes-empty').hidden = open.length > 0;
    open.sort(function (a, b) { return b.peakScore - a.peakScore; }).forEach(function (e) {
      var card = document.createElement('div');
      card.className = 'episode';
      card.dataset.device = e.device;
      var names = Object.keys(e.contributions);
      card.dataset.cause = names.length ? names[0] : '';
      var head = document.createElement('div');
      head.className = 'episode-head';
      head.textContent = e.device + ' · since ' + new Date(e.start).toLocaleTimeString() + ' (' + duration(data.now
        - e.start) + ') · peak score ' + e.peakScore.toFixed(2) + ' (threshold ' + e.threshold.toFixed(2) + ') · '
        + e.model + ' v' + e.version + ' · episode ' + e.number;
      card.appendChild(head);
      var largest = names.length ? e.contributions[names[0]] : 1;
      if (!names.length) {
        var none = document.createElement('div');
        none.className = 'muted';
        none.textContent = 'no single value stood out: the stream as a whole (its shape or rhythm) was unusual';
        card.appendChild(none);
      }
      names.slice(0, 5).forEach(function (name) {
        var value = e.contributions[name];
        var bar = document.createElement('div');
        bar.className = 'bar';
        bar.dataset.name = name;
        bar.dataset.value = String(value);
        var label = document.createElement('span');
        label.className = 'bar-name';
        label.textContent = name;
        var track = document.createElement('span');
        track.className = 'bar-track';
        var fill = document.createElement('span');
        fill.className = 'bar-fill';
        fill.style.width = Math.max(2, 100 * value / largest) + '%';
        track.appendChild(fill);
        var figure = document.createElement('span');
        figure.className = 'bar-value';
        figure.textContent = value.toFixed(1) + ' decades (' + rarity(value) + ')';
        bar.appendChild(label); bar.appendChild(track); bar.appendChild(figure);
        card.appendChild(bar);
      });
      box.appendChild(card);
    });
  }

  function rarity(decades) {
    var n = Math.pow(10, decades);
    return decades >= 12 ? 'rarer than 1 in a trillion' : 'as rare as 1 in ' + (n >= 1e9
      ? (n / 1e9).toPrecision(2) + ' billion' : n >= 1e6 ? (n / 1e6).toPrecision(2) + ' million'
      : Math.round(n).toLocaleString());
  }

  /* Alerts of the window on one lane per device (the 15 with the most), an episode drawn from its alert to its end. */
  function updateTimeline(data) {
    var box = document.getElementById('timeline');
    box.innerHTML = '';
    var from = data.now - data.windowMillis;
    var byDevice = {};
    data.episodes.forEach(function (e) { (byDevice[e.device] = byDevice[e.device] || []).push(e); });
    var devices = Object.keys(byDevice).sort(function (a, b) { return byDevice[b].length - byDevice[a].length; });
    var alerts = data.episodes.filter(function (e) { return e.start >= from; }).length;
    document.getElementById('timeline-empty').hidden = data.episodes.length > 0;
    document.getElementById('alert-count').textContent = data.episodes.length ? alerts + ' alert'
      + (alerts === 1 ? '' : 's') + ' in ' + duration(data.windowMillis) + (devices.length > 15 ? ', 15 of '
      + devices.length + ' devices' : '') : '';
    devices.slice(0, 15).forEach(function (device) {
      var lane = document.createElement('div');
      lane.className = 'lane';
      lane.dataset.device = device;
      var label = document.createElement('span');
      label.className = 'lane-label';
      label.textContent = device;
      var track = document.createElement('span');
      track.className = 'lane-track';
      byDevice[device].forEach(function (e) {
        var start = Math.max(e.start, from);
        var end = e.open ? data.now : e.end;
        var mark = document.createElement('span');
        mark.className = 'mark' + (e.open ? ' open' : '');
        mark.dataset.start = String(e.start);
        mark.style.left = (100 * (start - from) / data.windowMillis) + '%';
        mark.style.width = Math.max(0.4, 100 * (end - start) / data.windowMillis) + '%';
        mark.title = e.device + ': ' + new Date(e.start).toLocaleTimeString() + (e.open ? ', still open'
          : ' to ' + new Date(e.end).toLocaleTimeString()) + ', peak ' + e.peakScore.toFixed(2)
          + (Object.keys(e.contributions).length ? ', driven by ' + why(e.contributions, 2) : '');
        track.appendChild(mark);
      });
      lane.appendChild(label); lane.appendChild(track);
      box.appendChild(lane);
    });
    if (devices.length) {
      var axis = document.createElement('div');
      axis.className = 'lane axis';
      axis.innerHTML = '<span class="lane-label"></span><span class="lane-track"><span class="from"></span>'
        + '<span class="to"></span></span>';
      axis.querySelector('.from').textContent = new Date(from).toLocaleTimeString();
      axis.querySelector('.to').textContent = 'now';
      box.appendChild(axis);
    }
  }

  function update(data) {
    var xs = data.times.map(function (t) { return t / 1000; });
    windowRange = [(data.now - data.windowMillis) / 1000, data.now / 1000];
    updateDevices(data);
    updateEpisodes(data);
    updateTimeline(data);
    document.getElementById('interval').textContent = String(data.intervalMillis / 1000);
    Array.prototype.forEach.call(document.querySelectorAll('#window button'), function (b) {
      b.className = Number(b.dataset.minutes) === windowMinutes ? 'chosen' : '';
      b.disabled = Number(b.dataset.minutes) * 60000 > data.spanMillis;
    });

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
    get('/api/v1/dashboard?minutes=' + windowMinutes).then(function (data) {
      updateRollouts(data.rollouts || []);
      document.getElementById('error').hidden = true;
      document.getElementById('login').hidden = true;
      last = data;
      update(data);
    }).catch(function (e) {
      if (windowMinutes !== 30 && String(e).indexOf('HTTP 400') >= 0) { // a window this gateway does not keep
        windowMinutes = 30;
        localStorage.removeItem(WINDOW_KEY);
      }
      fail('/api/v1/dashboard', e);
    });
    get('/api/v1/health', true).then(updateHealth).catch(function (e) { fail('/api/v1/health', e); });
  }

  document.getElementById('window').addEventListener('click', function (event) {
    var minutes = Number(event.target.dataset && event.target.dataset.minutes);
    if (minutes) {
      windowMinutes = minutes;
      localStorage.setItem(WINDOW_KEY, String(minutes));
      poll();
    }
  });
  document.getElementById('device-filter').addEventListener('input', function () { if (last) { updateDevices(last); } });

  poll();
  setInterval(poll, REFRESH_MILLIS);
})();
