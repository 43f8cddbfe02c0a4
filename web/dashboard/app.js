/* trunkpilot dashboard: subscribes to trunkpilot/<gateway>/# over MQTT on WebSocket
   and draws what arrives. No build step: mqtt.js's browser bundle provides `mqtt`. */
'use strict';

const STATES = ['out-of-service', 'idle', 'dialing', 'proceeding', 'alerting', 'offered', 'connected', 'releasing'];
const HISTORY = 300; // pacing samples kept per campaign
const spans = new Map(); // span number -> { state, channels, counters }
const seats = new Map();
const campaigns = new Map(); // id -> { progress, pacing, history: [{at, occupancy, abandonment}] }
const calls = [];

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function spanEntry(n) {
  if (!spans.has(n)) spans.set(n, { state: null, channels: {}, counters: null });
  return spans.get(n);
}

function campaignEntry(id) {
  if (!campaigns.has(id)) campaigns.set(id, { progress: null, pacing: null, history: [] });
  return campaigns.get(id);
}

function onMessage(root, topic, payload) {
  let msg;
  try { msg = JSON.parse(payload.toString()); } catch { return; }
  const parts = topic.slice(root.length + 1).split('/');
  switch (parts[0]) {
    case 'status':
      $('status').textContent = msg.state;
      $('status').dataset.state = msg.state;
      return;
    case 'spans': {
      const s = spanEntry(Number(parts[1]));
      if (parts[2] === 'state') s.state = msg;
      else if (parts[2] === 'channels') s.channels = msg.channels;
      else if (parts[2] === 'counters') s.counters = msg;
      return renderSpan(Number(parts[1]));
    }
    case 'calls':
      onCall(msg);
      return;
    case 'seats':
      seats.set(parts[1], msg);
      return renderSeats();
    case 'campaigns': {
      const c = campaignEntry(parts[1]);
      if (parts[2] === 'progress') c.progress = msg;
      if (parts[2] === 'pacing') {
        c.pacing = msg;
        c.history.push({ at: msg.at, occupancy: msg.occupancy, abandonment: msg.abandonment });
        if (c.history.length > HISTORY) c.history.shift();
      }
      renderCampaigns();
      return drawPacing();
    }
  }
}

/* A call event moves its channel at once; the retained grid confirms it on the next tick. */
const EVENT_STATE = { dialing: 'dialing', offered: 'offered', proceeding: 'proceeding', alerting: 'alerting', answered: 'connected', released: 'idle' };

function onCall(ev) {
  const next = EVENT_STATE[ev.type];
  if (next) {
    spanEntry(ev.span).channels[ev.channel] = next;
    renderSpan(ev.span);
  }
  const who = ev.number ? ` ${ev.number}` : '';
  const why = ev.type === 'released' ? ` (${ev.causeText})` : '';
  calls.unshift(`${new Date(ev.at).toLocaleTimeString()} ${ev.callId} s${ev.span}/c${ev.channel} ${ev.type}${who}${why}`);
  calls.length = Math.min(calls.length, 30);
  const list = $('calls');
  list.replaceChildren(...calls.map((c) => el('li', {}, c)));
}

function renderSpan(n) {
  const s = spans.get(n);
  let box = document.querySelector(`.span[data-span="${n}"]`);
  if (!box) {
    box = el('div', { class: 'span', 'data-span': String(n) });
    box.append(el('div', { class: 'span-head' }), el('div', { class: 'grid' }));
    const all = [...document.querySelectorAll('.span')];
    const after = all.find((b) => Number(b.dataset.span) > n);
    $('spans').insertBefore(box, after || null);
  }
  const head = box.querySelector('.span-head');
  const st = s.state;
  const counts = st ? STATES.filter((k) => st.counts[k]).map((k) => `${k} ${st.counts[k]}`).join(', ') : '';
  const c = s.counters;
  head.replaceChildren(
    el('strong', {}, `Span ${n}`),
    el('span', { class: 'kind' }, st ? st.kind : ''),
    el('span', { class: 'link', 'data-up': String(!!(st && st.linkUp)) }, st ? (st.linkUp ? 'link up' : 'link down') : ''),
    el('span', { class: 'alarms' }, st && st.alarms.length ? st.alarms.join(' ') : ''),
    el('span', { class: 'counts' }, counts),
    el('span', { class: 'counters' }, c ? `dialled ${c.dialled} answered ${c.answered} unanswered ${c.unanswered} talking ${c.talking}` : ''),
  );
  const grid = box.querySelector('.grid');
  const numbers = Object.keys(s.channels).map(Number).sort((a, b) => a - b);
  for (const ch of numbers) {
    let cell = grid.querySelector(`[data-channel="${ch}"]`);
    if (!cell) {
      cell = el('div', { 'data-channel': String(ch), style: `grid-column: ${ch}` }, String(ch));
      grid.append(cell);
    }
    const state = s.channels[ch];
    cell.className = `ch st-${state}`;
    cell.dataset.state = state;
    cell.title = `channel ${ch}: ${state}`;
  }
}

function renderSeats() {
  const box = $('seats');
  const list = [...seats.values()].sort((a, b) => a.seat.localeCompare(b.seat));
  box.replaceChildren(...list.map((s) => el('span', { class: 'seat', 'data-seat': s.seat, 'data-state': s.state, title: s.campaign || '' }, `${s.seat} ${s.state}`)));
}

function renderCampaigns() {
  const box = $('campaigns');
  box.replaceChildren(...[...campaigns.entries()].map(([id, c]) => {
    const d = el('div', { class: 'campaign', 'data-campaign': id });
    const p = c.progress;
    const q = c.pacing;
    const done = p && p.total ? Math.round((100 * (p.total - p.remaining)) / p.total) : 0;
    d.append(
      el('div', {}, `${id}${p ? ` (${p.state}): ${p.dialled} dialled, ${p.answered} answered, ${p.abandoned} abandoned, ${p.remaining == null ? "an open-ended list" : `${p.remaining} left`}` : ''}`),
      el('div', { class: 'bar' }),
      el('div', { class: 'pacing' }, q ? `dial level ${q.dialLevel.toFixed(2)}, occupancy ${(100 * q.occupancy).toFixed(1)}%, abandonment ${(100 * q.abandonment).toFixed(2)}%` : ''),
    );
    const fill = el('div');
    fill.style.width = `${done}%`;
    d.querySelector('.bar').append(fill);
    return d;
  }));
}

function drawPacing() {
  const canvas = $('pacing');
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height;
  g.clearRect(0, 0, w, h);
  g.strokeStyle = '#ddd';
  for (let i = 0; i <= 4; i++) { g.beginPath(); g.moveTo(0, (h * i) / 4); g.lineTo(w, (h * i) / 4); g.stroke(); }
  let points = 0;
  for (const c of campaigns.values()) {
    const hist = c.history;
    points += hist.length;
    const line = (key, colour, scale) => {
      g.strokeStyle = colour;
      g.lineWidth = 2;
      g.beginPath();
      hist.forEach((s, i) => {
        const x = hist.length < 2 ? w : (i * w) / (HISTORY - 1);
        const y = h - Math.min(1, s[key] * scale) * h;
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
    };
    line('occupancy', '#2a9d8f', 1);
    line('abandonment', '#c0392b', 10);
  }
  canvas.dataset.points = String(points);
}

async function main() {
  const legend = $('legend');
  legend.replaceChildren(...STATES.map((s) => el('span', { class: `st-${s}` }, s)));
  const config = await (await fetch('/config.json')).json();
  $('gateway').textContent = config.gateway;
  const root = `trunkpilot/${config.gateway}`;
  const url = config.mqttWebSocket.startsWith('/')
    ? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${config.mqttWebSocket}`
    : config.mqttWebSocket;
  const form = $('login');
  let client;
  // The broker lets nobody in anonymously: log in as a telemetry user (a viewer will do).
  // `trunkpilot demo` prints a link whose #user=...&password=... fills this in; the
  // fragment never reaches the server and is removed from the address bar at once.
  const connect = (username, password) => {
    client?.end(true);
    $('status').textContent = 'connecting';
    $('status').dataset.state = 'connecting';
    client = mqtt.connect(url, { username, password, reconnectPeriod: 2000 });
    client.on('connect', () => {
      form.hidden = true;
      sessionStorage.setItem('trunkpilot-login', JSON.stringify({ username, password }));
      client.subscribe(`${root}/#`);
    });
    client.on('error', (err) => {
      if (err && (err.code === 4 || err.code === 5)) {
        client.end(true);
        sessionStorage.removeItem('trunkpilot-login');
        $('login-error').textContent = 'login refused';
        form.hidden = false;
        $('status').textContent = 'not logged in';
        $('status').dataset.state = 'offline';
      }
    });
    client.on('close', () => { if (!form.hidden) return; $('status').textContent = 'dashboard disconnected'; $('status').dataset.state = 'offline'; });
    client.on('message', (topic, payload) => onMessage(root, topic, payload));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    $('login-error').textContent = '';
    connect(form.elements.user.value, form.elements.password.value);
  });
  const fragment = new URLSearchParams(location.hash.slice(1));
  const saved = JSON.parse(sessionStorage.getItem('trunkpilot-login') || 'null');
  if (fragment.get('user')) {
    history.replaceState(null, '', location.pathname + location.search);
    connect(fragment.get('user'), fragment.get('password') || '');
  } else if (saved) {
    connect(saved.username, saved.password);
  } else {
    form.hidden = false;
    $('status').textContent = 'not logged in';
    $('status').dataset.state = 'offline';
  }
  window.trunkpilotDashboard = { spans, seats, campaigns };
}

main();
