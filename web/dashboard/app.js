/* trunkpilot wallboard: logs in to the broker (MQTT over WebSocket) as a telemetry user,
   subscribes to trunkpilot/<gateway>/#, and draws what arrives. No build step: mqtt.js's
   browser bundle provides `mqtt`; the page is a few ES modules. */
import { bindCommands, onReply, renderMySeat } from './actions.js';
import { campaignEntry, renderCampaigns } from './campaigns.js';
import { drawChart, recordSample } from './chart.js';
import { el, model } from './model.js';
import { renderSeats, tickSeats } from './seats.js';
import { renderLegend, renderSpan, spanEntry, trackAlarms } from './spans.js';
import { renderTiles } from './tiles.js';

const $ = (id) => document.getElementById(id);
const dirty = new Set();
let frame = 0;

/** Many messages a second arrive; each view redraws at most once per frame. */
function invalidate(view) {
  dirty.add(view);
  if (!frame) frame = requestAnimationFrame(flush);
}

function flush() {
  frame = 0;
  if (dirty.has('seats')) {
    renderSeats();
    renderMySeat();
  }
  if (dirty.has('campaigns')) renderCampaigns();
  const s = renderTiles();
  if (dirty.has('pacing')) recordSample(s, Date.now() + model.skewMs);
  drawChart();
  dirty.clear();
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
  model.calls.unshift(`${new Date(ev.at).toLocaleTimeString()} ${ev.callId} s${ev.span}/c${ev.channel} ${ev.type}${who}${why}`);
  model.calls.length = Math.min(model.calls.length, 30);
  $('calls').replaceChildren(...model.calls.map((c) => el('li', {}, c)));
}

function onMessage(root, topic, payload) {
  if (!payload.length) return onRemoved(root, topic);
  let msg;
  try {
    msg = JSON.parse(payload.toString());
  } catch {
    return;
  }
  if (typeof msg.at === 'number') model.skewMs = msg.at - Date.now();
  const parts = topic.slice(root.length + 1).split('/');
  switch (parts[0]) {
    case 'status':
      $('status').textContent = msg.state;
      $('status').dataset.state = msg.state;
      return;
    case 'access':
      model.access = msg;
      $('who').textContent = `${msg.user} (${msg.role})`;
      invalidate('seats');
      return invalidate('campaigns');
    case 'reply':
      return onReply(msg);
    case 'spans': {
      const n = Number(parts[1]);
      const s = spanEntry(n);
      if (parts[2] === 'state') {
        s.state = msg;
        trackAlarms(n, msg);
      } else if (parts[2] === 'channels') s.channels = msg.channels;
      else if (parts[2] === 'counters') s.counters = msg;
      renderSpan(n);
      return invalidate('spans');
    }
    case 'calls':
      return onCall(msg);
    case 'seats':
      model.seats.set(msg.seat, msg);
      return invalidate('seats');
    case 'queues':
      model.queues.set(msg.answerGroup, msg);
      return invalidate('queues');
    case 'campaigns': {
      const c = campaignEntry(parts[1]);
      if (parts[2] === 'progress') c.progress = msg;
      if (parts[2] === 'pacing') {
        c.pacing = msg;
        invalidate('pacing');
      }
      return invalidate('campaigns');
    }
  }
}

/** An empty retained message: that seat or campaign is gone. */
function onRemoved(root, topic) {
  const parts = topic.slice(root.length + 1).split('/');
  if (parts[0] === 'seats') {
    for (const id of [...model.seats.keys()]) if (topic === `${root}/seats/${id.replace(/[/#+]/g, '_')}/state`) model.seats.delete(id);
    invalidate('seats');
  }
  if (parts[0] === 'queues') {
    model.queues.delete(parts[1]);
    invalidate('queues');
  }
  if (parts[0] === 'campaigns' && parts[2] === 'progress') {
    model.campaigns.delete(parts[1]);
    invalidate('campaigns');
  }
}

function setStatus(text, state) {
  $('status').textContent = text;
  $('status').dataset.state = state;
}

async function main() {
  renderLegend();
  const config = await (await fetch('/config.json')).json();
  $('gateway').textContent = config.gateway;
  const root = `trunkpilot/${config.gateway}`;
  const url = config.mqttWebSocket.startsWith('/')
    ? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${config.mqttWebSocket}`
    : config.mqttWebSocket;
  const form = $('login');
  let client;
  // Nobody reads anonymously: log in as a telemetry user. A viewer sees everything; an
  // operator also gets the buttons its command ACL allows (access/<user> says which).
  // `trunkpilot run --simulate` prints a link whose #user=...&password=... fills this in;
  // the fragment never reaches the server and is removed from the address bar at once.
  const connect = (username, password) => {
    client?.end(true);
    setStatus('connecting', 'connecting');
    client = mqtt.connect(url, { username, password, reconnectPeriod: 2000 });
    client.on('connect', () => {
      form.hidden = true;
      sessionStorage.setItem('trunkpilot-login', JSON.stringify({ username, password }));
      model.access = { user: username, role: 'viewer', actions: [] };
      $('who').textContent = username;
      client.subscribe([`${root}/#`]);
      bindCommands(client, root, username);
    });
    client.on('error', (err) => {
      if (err && (err.code === 4 || err.code === 5)) {
        client.end(true);
        sessionStorage.removeItem('trunkpilot-login');
        $('login-error').textContent = 'login refused';
        form.hidden = false;
        setStatus('not logged in', 'offline');
      }
    });
    client.on('close', () => form.hidden && setStatus('dashboard disconnected', 'offline'));
    client.on('message', (topic, payload) => onMessage(root, topic, payload));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    $('login-error').textContent = '';
    connect(form.elements.user.value, form.elements.password.value);
  });
  $('group-filter').addEventListener('change', () => invalidate('seats'));
  window.addEventListener('resize', () => invalidate('chart'));
  setInterval(() => {
    tickSeats();
    invalidate('tick');
  }, 1000);
  const fragment = new URLSearchParams(location.hash.slice(1));
  const saved = JSON.parse(sessionStorage.getItem('trunkpilot-login') || 'null');
  if (fragment.get('user')) {
    history.replaceState(null, '', location.pathname + location.search);
    connect(fragment.get('user'), fragment.get('password') || '');
  } else if (saved) {
    connect(saved.username, saved.password);
  } else {
    form.hidden = false;
    setStatus('not logged in', 'offline');
  }
  window.trunkpilotDashboard = model;
}

main();
