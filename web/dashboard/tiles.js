/* The big tiles: what a supervisor reads from across the room. */
import { abandonLevel, el, gatewayNow, mmss, model, percent } from './model.js';

const DEFAULT_TARGET = 0.03;

/** Gateway-wide figures from every span and every live campaign's pacing. */
export function summary() {
  let ringing = 0;
  for (const s of model.spans.values()) {
    const c = s.state && s.state.counts;
    if (c) ringing += c.dialing + c.proceeding + c.alerting;
  }
  const sum = { waiting: 0, longest: 0, aT: 0, bT: 0, aH: 0, bH: 0, asaWeighted: 0, connected: 0, within: 0, cph: 0 };
  let occupancy;
  let target;
  let fresh = 0;
  for (const { pacing: p } of model.campaigns.values()) {
    if (!p) continue;
    fresh++;
    occupancy = p.occupancy;
    if (p.abandonTarget !== undefined) target = target === undefined ? p.abandonTarget : Math.min(target, p.abandonTarget);
    sum.waiting += p.waiting || 0;
    // The oldest wait grows between messages.
    if (p.waiting) sum.longest = Math.max(sum.longest, (p.longestWaitMs || 0) + Math.max(0, gatewayNow() - p.at));
    const a = p.acd;
    if (!a) continue;
    sum.aT += a.answeredToday;
    sum.bT += a.abandonedToday;
    sum.aH += a.answeredHour;
    sum.bH += a.abandonedHour;
    const connected = a.answeredToday - a.abandonedToday;
    sum.asaWeighted += a.asaMs * connected;
    sum.connected += connected;
    sum.within += a.serviceLevel * a.answeredToday;
    sum.cph += a.callsPerHour;
  }
  // Incoming calls queued for an answer group wait for an agent too.
  let queued = 0;
  for (const q of model.queues.values()) {
    queued += q.waiting;
    if (q.waiting) sum.longest = Math.max(sum.longest, q.longestWaitMs + Math.max(0, gatewayNow() - q.at));
  }
  sum.waiting += queued;
  target = target === undefined ? DEFAULT_TARGET : target;
  return {
    campaigns: fresh,
    ringing,
    waiting: sum.waiting,
    queued,
    longestWaitMs: sum.longest,
    target,
    abandonmentToday: sum.aT ? sum.bT / sum.aT : 0,
    answeredToday: sum.aT,
    abandonmentHour: sum.aH ? sum.bH / sum.aH : 0,
    answeredHour: sum.aH,
    occupancy,
    asaMs: sum.connected ? sum.asaWeighted / sum.connected : 0,
    serviceLevel: sum.aT ? sum.within / sum.aT : 1,
    callsPerHour: sum.cph,
  };
}

function tile(name, label, value, detail, level) {
  const t = el('div', { class: 'tile', 'data-tile': name, 'data-level': level || 'normal' });
  t.append(el('div', { class: 'tile-label' }, label), el('div', { class: 'tile-value' }, value), el('div', { class: 'tile-detail' }, detail || ''));
  return t;
}

export function renderTiles() {
  const s = summary();
  const target = `target ${percent(s.target)}`;
  $('tiles').replaceChildren(
    tile('ringing', 'Calls ringing', String(s.ringing), 'dialling or alerting'),
    tile('waiting', 'Waiting for an agent', String(s.waiting), s.queued ? `${s.queued} incoming in queue` : 'answered, no seat yet', s.waiting ? 'amber' : 'normal'),
    tile('longest-wait', 'Longest wait', mmss(s.longestWaitMs), '', s.longestWaitMs >= 2000 ? 'red' : s.longestWaitMs >= 1000 ? 'amber' : 'normal'),
    tile('abandon-today', 'Abandoned today', percent(s.abandonmentToday, 2), `${target}, of ${s.answeredToday} answered`, abandonLevel(s.abandonmentToday, s.target)),
    tile('abandon-hour', 'Abandoned, last hour', percent(s.abandonmentHour, 2), `${target}, of ${s.answeredHour} answered`, abandonLevel(s.abandonmentHour, s.target)),
    tile('occupancy', 'Occupancy', s.occupancy === undefined ? '-' : percent(s.occupancy, 0), 'seat time on calls'),
    tile('asa', 'Speed of answer', `${(s.asaMs / 1000).toFixed(1)} s`, 'average wait for a seat today'),
    tile('service-level', 'Service level', percent(s.serviceLevel, 0), 'reached a seat within 2 s', s.serviceLevel < 0.8 ? 'red' : s.serviceLevel < 0.9 ? 'amber' : 'green'),
    tile('calls-per-hour', 'Calls per hour', String(Math.round(s.callsPerHour)), 'attempts ended, last hour'),
  );
  const byState = new Map();
  for (const seat of model.seats.values()) byState.set(seat.state, (byState.get(seat.state) || 0) + 1);
  $('agent-states').replaceChildren(
    ...[...byState.entries()].sort().map(([st, n]) => el('span', { class: 'agent-state', 'data-state': st }, `${st} ${n}`)),
  );
  return s;
}

const $ = (id) => document.getElementById(id);
