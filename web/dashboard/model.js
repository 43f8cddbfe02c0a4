/* What the page knows, filled from MQTT messages, and the small pure helpers the views share. */
export const STATES = ['out-of-service', 'idle', 'dialing', 'proceeding', 'alerting', 'offered', 'connected', 'releasing'];
export const HISTORY = 600; // chart samples kept (one per second at most: ten minutes)

export const model = {
  spans: new Map(), // span number -> { state, channels, counters }
  seats: new Map(), // seat id -> seat payload
  campaigns: new Map(), // id -> { progress, pacing }
  queues: new Map(), // answer group -> its inbound queue
  history: [], // [{ at, occupancy, abandonment, target }]
  calls: [],
  access: { user: '', role: 'viewer', actions: [] },
  /** Gateway clock minus this browser's clock, from the last message's "at". */
  skewMs: 0,
};

export const gatewayNow = () => Date.now() + model.skewMs;

export function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** agent2 before agent10: digit runs compare as numbers. */
export const naturalCompare = (a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

export function mmss(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export const percent = (x, digits = 1) => `${(100 * x).toFixed(digits)}%`;

/** Abandonment against the target: green well under it, amber close to it, red over it. */
export function abandonLevel(rate, target) {
  if (rate > target) return 'red';
  if (rate > 0.8 * target) return 'amber';
  return 'green';
}

/** Seconds in a state after which a seat turns amber, then red. */
const SEAT_THRESHOLDS = {
  ready: [120, 300],
  reserved: [10, 30],
  talking: [300, 600],
  'wrap-up': [30, 90],
  paused: [300, 900],
};

export function seatLevel(state, ms) {
  const t = SEAT_THRESHOLDS[state];
  if (!t) return 'normal';
  if (ms >= t[1] * 1000) return 'red';
  if (ms >= t[0] * 1000) return 'amber';
  return 'normal';
}

export const may = (action) => model.access.actions.includes(action);
